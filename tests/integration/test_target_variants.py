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


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


async def _translate(engine: EmbeddedEngine, target: str) -> list[set[str]]:
    translator = build_translator(engine, Settings())
    results = await translator.translate(
        [COLOUR, TRAINERS], source="zh", target=target, mode=Mode.DIRECT
    )
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
    _, portugal = await _translate(embedded_engine, "pt-PT")
    _, brazil = await _translate(embedded_engine, "pt-BR")
    assert "ténis" in portugal and "tênis" not in portugal
    assert "tênis" in brazil and "ténis" not in brazil
