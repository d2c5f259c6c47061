"""An answer that repeated the prompt's rules is retried on the real model, and a clean
translation replaces it."""

from __future__ import annotations

import pytest

from translator.engines.embedded import EmbeddedEngine
from translator.engines.types import Usage
from translator.prompting.modes import ModeOutput, Segment, SinglePassRunner, prompt_echo
from translator.prompting.prompts import PromptStyle
from translator.text.scripts import foreign_scripts, script_characters

pytestmark = pytest.mark.integration

TEXT = "这双鞋穿着很舒服，码数也正，推荐购买。"


async def test_an_answer_that_repeated_the_rules_is_replaced_by_a_clean_translation(
    embedded_engine: EmbeddedEngine,
) -> None:
    segment = Segment(TEXT, "zh", "en")
    echoed = ModeOutput(
        "These shoes are comfortable. Render slang, idioms and platform jargon by their "
        "meaning, the way a native English-speaking shopper would say it, not word for word.",
        "",
        0.5,
        Usage(),
    )
    assert prompt_echo(segment, echoed.translation)

    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=96)
    (output,) = await runner.retry(embedded_engine, [segment], [echoed])

    assert output is not echoed and output.usage.calls >= 1, output.translation
    assert output.translation.strip() and not prompt_echo(segment, output.translation)
    assert not script_characters(output.translation, foreign_scripts("zh", "en"))
