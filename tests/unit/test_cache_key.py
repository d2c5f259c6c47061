"""The cache key: normalisation keeps meaning, every field that changes the output changes it."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from translator.store.cache_key import cache_key, normalize_source

FIELDS: dict[str, Any] = {
    "text": "这双鞋踩屎感超强 Café",
    "source": "zh",
    "target": "en",
    "mode": "mcts",
    "budget_class": "small",
    "engine": "embedded",
    "model_id": "qwen2.5-coder-1.5b-instruct-q4_k_m",
    "prompt_version": "2026-11-1",
    "glossary_version": None,
}


def key(**changes: Any) -> str:
    return cache_key(**{**FIELDS, **changes})


def test_normalize_source() -> None:
    assert normalize_source("  Fits \t great\t\there  \n\n  Second  line \r\n") == (
        "Fits great here \n\n Second line"
    )
    assert normalize_source("Cafe\u0301") == "Café"  # NFD → NFC
    assert normalize_source("Apple  iPhone") == "Apple iPhone"  # case kept
    assert normalize_source("a\u3000\u3000b") == "a\u3000\u3000b"  # only spaces and tabs


def test_key_is_sha256_hex_and_stable() -> None:
    assert key() == key()
    assert len(key()) == 64
    assert int(key(), 16) >= 0


@pytest.mark.parametrize(
    "text",
    [
        "  这双鞋踩屎感超强 Café \n",
        "\t这双鞋踩屎感超强   Café",
        unicodedata.normalize("NFD", "这双鞋踩屎感超强 Café"),
    ],
)
def test_key_ignores_outer_whitespace_space_runs_and_unicode_form(text: str) -> None:
    assert key(text=text) == key()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "这双鞋踩屎感超强 café"),
        ("text", "这双鞋踩屎感超强\nCafé"),
        ("source", "ja"),
        ("target", "de"),
        ("mode", "cot"),
        ("budget_class", "large"),
        ("budget_class", None),
        ("engine", "sglang"),
        ("model_id", "AIDC-AI/Marco-o1"),
        ("prompt_version", "2026-12-1"),
        ("glossary_version", "g1"),
        ("context", "这双拖鞋"),
        ("variant", "en-GB"),
    ],
)
def test_key_changes_with_each_field(field: str, value: Any) -> None:
    assert key(**{field: value}) != key()


def test_fields_cannot_bleed_into_each_other() -> None:
    assert key(source="zh", target="en") != key(source="zhe", target="n")


def test_no_context_or_a_blank_one_keeps_the_key_made_without_it() -> None:
    assert key(context=None) == key(context="") == key()
    assert key(context="这双拖鞋 ") == key(context="这双拖鞋")
