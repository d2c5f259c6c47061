"""British and American English, Brazilian and European Portuguese on the real model: a few
words each variant writes its own way, in spelling (the prompt's rule, then the spelling check)
and in vocabulary (the prompt's rule alone)."""

from __future__ import annotations

import re

import pytest

from translator.engines.embedded import EmbeddedEngine
from translator.prompting.modes import Mode
from translator.settings import Settings
from translator.translating.runners import build_translator

pytestmark = pytest.mark.integration

COLOUR = "这个颜色是我最喜欢的"
TRAINERS = "灰色的运动鞋很舒服"
SHOES = (TRAINERS, "白色运动鞋百搭", "这双网球鞋穿着很舒服")
"""Texts whose Portuguese has tênis / ténis: a 1.5B model's greedy reading of one of them
varies with the CPU and the batch ("calças de couro" once), so the test reads all three."""


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


async def _translate(
    engine: EmbeddedEngine, target: str, texts: tuple[str, ...] = (COLOUR, TRAINERS)
) -> list[set[str]]:
    translator = build_translator(engine, Settings())
    results = await translator.translate(list(texts), source="zh", target=target, mode=Mode.DIRECT)
    return [_words(result.translation) for result in results]


async def test_british_and_american_english_differ_in_spelling_and_words(
    embedded_engine: EmbeddedEngine,
) -> None:
    colour, trainers = await _translate(embedded_engine, "en-GB")
    color, sneakers = await _translate(embedded_engine, "en-US")
    assert {"colour", "favourite"} <= colour and not {"color", "favorite"} & colour
    assert {"color", "favorite"} <= color and not {"colour", "favourite"} & color
    assert {"grey", "trainers"} <= trainers and not {"gray", "sneakers"} & trainers
    assert {"gray", "sneakers"} <= sneakers and not {"grey", "trainers"} & sneakers


async def test_european_and_brazilian_portuguese_differ_in_spelling(
    embedded_engine: EmbeddedEngine,
) -> None:
    portugal = set().union(*await _translate(embedded_engine, "pt-PT", SHOES))
    brazil = set().union(*await _translate(embedded_engine, "pt-BR", SHOES))
    assert "ténis" in portugal and "tênis" not in portugal, portugal
    assert "tênis" in brazil and "ténis" not in brazil, brazil
