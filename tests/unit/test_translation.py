import pytest

from tests.scripted_engine import ScriptedEngine
from translator.errors import InvalidInput, UnsupportedLanguage
from translator.prompting.modes import Mode
from translator.settings import Settings
from translator.translating.runners import build_translator
from translator.translating.translation import plan_segments


def test_plan_detects_each_text_and_names_bad_ones() -> None:
    plans = plan_segments(["太炸了", "コスパ最高"], source="auto", target="en", max_text_chars=50)
    assert [p.segment.source for p in plans] == ["zh", "ja"]
    with pytest.raises(InvalidInput) as raised:
        plan_segments(["好", "  "], source="auto", target="en", max_text_chars=50)
    assert raised.value.field == "texts[1]"


def test_same_explicit_languages_and_unknown_codes_are_rejected() -> None:
    with pytest.raises(InvalidInput) as raised:
        plan_segments(["hi"], source="en-GB", target="en", max_text_chars=50)
    assert raised.value.field == "target"
    with pytest.raises(UnsupportedLanguage):
        plan_segments(["hi"], source="auto", target="xx", max_text_chars=50)


async def test_text_already_in_target_language_costs_no_engine_call() -> None:
    engine = ScriptedEngine([["Cloud-like cushioning"]])
    translator = build_translator(engine, Settings(max_text_chars=100))
    english = "These sneakers are comfortable and light."
    results = await translator.translate(
        ["踩屎感", english], source="auto", target="en", mode=Mode.DIRECT
    )
    assert [r.translation for r in results] == ["Cloud-like cushioning", english]
    assert len(engine.calls[0][0]) == 1
    assert results[0].model == "scripted-model"
    assert results[1].usage.calls == 0
