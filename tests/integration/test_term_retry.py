"""A direct answer that missed a glossary term is retried on the real model and renders it."""

from __future__ import annotations

import pytest

from glossary.check import check_terms
from glossary.entries import Entry
from glossary.matcher import TermMatcher
from translator.engines.embedded import EmbeddedEngine
from translator.engines.types import Usage
from translator.prompting.modes import ModeOutput, Segment, SinglePassRunner
from translator.prompting.prompts import PromptStyle

pytestmark = pytest.mark.integration

CUSHIONING = Entry(forms=("踩屎感",), preferred=("cloud-like cushioning",))
TEXT = "这双跑鞋踩屎感很强，穿一整天脚也不累。"


async def test_a_missed_term_is_asked_for_by_name_and_the_retry_renders_it(
    embedded_engine: EmbeddedEngine,
) -> None:
    segment = Segment(TEXT, "zh", "en", tuple(TermMatcher([[CUSHIONING]]).find(TEXT)))
    missed = ModeOutput(
        "These running shoes feel soft; my feet stay fresh all day.", "", 0.5, Usage()
    )
    assert check_terms(segment.terms, missed.translation, "en")[0].result.missed

    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=96)
    (output,) = await runner.retry(embedded_engine, [segment], [missed])

    assert output is not missed and output.usage.calls == 1  # the retry, kept
    (check,) = check_terms(segment.terms, output.translation, "en")
    assert not check.result.missed, output.translation
