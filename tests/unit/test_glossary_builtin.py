"""The built-in glossary data: its schema, its size, and the terms the product promises."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from glossary.builtin import (
    BuiltinGlossaryError,
    Category,
    builtin_entries,
    builtin_pairs,
    read_data_file,
)
from glossary.folding import fold
from glossary.selection import GlossarySelection

_HAN = re.compile(r"[\u3400-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


def test_every_data_file_passes_the_schema() -> None:
    names = [f.name for f in files("glossary").joinpath("data").iterdir()]
    yaml_files = [n for n in names if n.endswith(".yaml")]
    assert len(yaml_files) >= 3
    for name in yaml_files:
        text = files("glossary").joinpath("data", name).read_text("utf-8")
        data = read_data_file(name, text)
        assert data.entries, name


def test_sizes_meet_the_promise() -> None:
    assert ("zh", "en") in builtin_pairs()
    assert ("ja", "en") in builtin_pairs()
    assert len(builtin_entries("zh", "en")) >= 200
    assert len(builtin_entries("ja", "en")) >= 60


@pytest.mark.parametrize(
    "term",
    [
        "踩屎感",
        "太炸了",
        "光腿神器",
        "绝绝子",
        "显瘦",
        "百搭",
        "板正",
        "不卷边",
        "买它",
        "回购",
        "翻车",
        "色差",
        "起球",
        "亲",
        "宝贝",
        "性价比",
        "质量杠杠的",
        "上身效果",
        "心巴",
    ],
)
def test_named_chinese_terms_are_covered(term: str) -> None:
    assert any(term in entry.forms for entry in builtin_entries("zh", "en"))


@pytest.mark.parametrize("term", ["コスパ", "神", "リピ買い", "激安", "爆買い"])
def test_named_japanese_terms_are_covered(term: str) -> None:
    assert any(term in entry.forms for entry in builtin_entries("ja", "en"))


def test_entries_are_complete_and_readable() -> None:
    for source in ("zh", "ja"):
        for entry in builtin_entries(source, "en"):
            assert entry.meaning and entry.register and entry.example, entry.term
            assert 1 <= len(entry.preferred) <= 3, entry.term
            renderings = entry.preferred + entry.acceptable
            assert not any(_HAN.search(r) or _KANA.search(r) for r in renderings), entry.term
            # Every example is found by the matcher as that very entry.
            found = GlossarySelection().find(entry.example, source, "en")
            assert any(set(m.entry.forms) & set(entry.forms) for m in found), entry.term


def test_chinese_entries_carry_a_consistent_traditional_form() -> None:
    traditional = [
        (entry.term, entry.traditional)
        for name in ("zh-en.apparel-beauty.yaml", "zh-en.general-platform.yaml")
        for entry in read_data_file(
            name, files("glossary").joinpath("data", name).read_text("utf-8")
        ).entries
    ]
    assert all(form is not None for _, form in traditional)
    differing = [(term, form) for term, form in traditional if form != term]
    assert len(differing) >= 100
    assert all(fold(form) == fold(term) for term, form in differing if form is not None)
    forms = {form for entry in builtin_entries("zh", "en") for form in entry.forms}
    assert all(form in forms for _, form in differing)  # both spellings are matched


def test_categories_cover_the_shopping_domains() -> None:
    text = "".join(
        files("glossary").joinpath("data", name).read_text("utf-8")
        for name in ("zh-en.apparel-beauty.yaml", "zh-en.general-platform.yaml")
    )
    for category in Category:
        assert f"category: {category.value}" in text, category


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("source: zh\ntarget: en\nentries:\n  - term: 显瘦\n    category: clothing\n"
         "    meaning: m\n    preferred: [slimming]\n    register: r\n    example: 很显瘦\n",
         "traditional"),
        ("source: zh\ntarget: en\nentries:\n  - term: 显瘦\n    traditional: 顯瘦\n"
         "    category: clothing\n    meaning: m\n    preferred: [slimming]\n    register: r\n"
         "    example: 很好看\n", "example"),
        ("source: zh\ntarget: en\nentries:\n  - term: 显瘦\n    traditional: 顯胖\n"
         "    category: clothing\n    meaning: m\n    preferred: [slimming]\n    register: r\n"
         "    example: 很显瘦\n", "traditional form"),
        ("source: zh\ntarget: en\nentries:\n  - term: 显瘦\n    traditional: 顯瘦\n"
         "    category: shirts\n    meaning: m\n    preferred: [slimming]\n    register: r\n"
         "    example: 很显瘦\n", "category"),
        ("source: zh\ntarget: en\nentries:\n  - term: 显瘦\n    traditional: 顯瘦\n"
         "    category: clothing\n    meaning: m\n    preferred: []\n    register: r\n"
         "    example: 很显瘦\n", "preferred"),
        ("source: zh\ntarget: en\nentries:\n  - term: 亲\n    traditional: 親\n"
         "    not_in: [朋友]\n    category: platform\n    meaning: m\n    preferred: [dear]\n"
         "    register: r\n    example: 亲，在的\n", "not_in"),
    ],
)  # fmt: skip
def test_schema_violations_are_named(text: str, problem: str) -> None:
    with pytest.raises(BuiltinGlossaryError, match=problem):
        read_data_file("bad.yaml", text)
