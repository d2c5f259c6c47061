from collections.abc import Sequence

from glossary.entries import Entry
from glossary.matcher import TermMatcher
from tests.scripted_engine import ScriptedEngine, confident_tokens
from translator.engines.types import (
    Completion,
    EngineInfo,
    GenerationResult,
    SamplingParams,
    ScriptBan,
    Usage,
)
from translator.prompting.modes import Segment, SinglePassRunner
from translator.prompting.prompts import OUTPUT_CLOSE, PromptStyle
from translator.translating.hint_fallback import HintFallbackRunner

SEGMENT = Segment(text="这件衣服太炸了", source="zh", target="en")


async def test_direct_batches_all_segments_in_one_greedy_call() -> None:
    engine = ScriptedEngine([["This outfit is fire", "Buy it!"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512)
    outputs = await runner.run(engine, [SEGMENT, Segment("买它", "zh", "en")])
    assert [o.translation for o in outputs] == ["This outfit is fire", "Buy it!"]
    ((prompts, params),) = engine.calls
    assert len(prompts) == 2
    assert params.temperature == 0 and params.n == 1
    assert params.stop == (OUTPUT_CLOSE,)
    assert outputs[1].usage.generated_tokens == len("Buy it!")
    assert 0 < outputs[0].confidence <= 1


async def test_answers_ban_the_source_script_and_segments_group_by_their_ban() -> None:
    engine = ScriptedEngine([["Buy it!", "Top!"], ["Kauf es!"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512)
    segments = [Segment("买它", "zh", "en"), Segment("Buy it", "en", "de"), SEGMENT]
    outputs = await runner.run(engine, segments)
    assert [o.translation for o in outputs] == ["Buy it!", "Kauf es!", "Top!"]
    (zh_prompts, zh_params), (en_prompts, en_params) = engine.calls
    assert len(zh_prompts) == 2 and len(en_prompts) == 1
    assert zh_params.ban == ScriptBan(("han",), after=None)  # the prompt opened the answer
    assert en_params.ban is None


async def test_cot_bans_the_source_script_once_the_answer_opens() -> None:
    engine = ScriptedEngine([["Think.\n</Thought>\n<Output>Stunning"]])
    await SinglePassRunner(PromptStyle.THINK, max_new_tokens=512).run(engine, [SEGMENT])
    ((_, params),) = engine.calls
    assert params.ban == ScriptBan(("han",), after="<Output>")


async def test_cot_keeps_the_thought() -> None:
    engine = ScriptedEngine(
        [["炸 is slang for stunning.\n</Thought>\n<Output>This outfit is stunning"]]
    )
    (output,) = await SinglePassRunner(PromptStyle.THINK, max_new_tokens=512).run(engine, [SEGMENT])
    assert output.translation == "This outfit is stunning"
    assert output.thought == "炸 is slang for stunning."


async def test_cot_forces_an_answer_when_the_thought_runs_out() -> None:
    engine = ScriptedEngine(
        [["Thinking about 炸 and never finishing"], ["This outfit is stunning"]]
    )
    (output,) = await SinglePassRunner(PromptStyle.THINK, max_new_tokens=512).run(engine, [SEGMENT])
    assert output.translation == "This outfit is stunning"
    first_prompt = engine.calls[0][0][0]
    forced_prompt = engine.calls[1][0][0]
    assert forced_prompt.startswith(first_prompt + "Thinking about 炸 and never finishing")
    assert forced_prompt.endswith("</Thought>\n<Output>")
    assert output.usage.calls == 2


class _HintSensitiveEngine:
    """Answers nothing when the prompt carries glossary notes, a translation otherwise."""

    name = "hint-sensitive"

    def __init__(self) -> None:
        self.prompts: list[str] = []

    async def generate(
        self,
        prompts: Sequence[str],
        params: SamplingParams,  # noqa: ARG002
    ) -> GenerationResult:
        self.prompts.extend(prompts)
        texts = ["" if "In this text, " in p else "Cloud-like cushioning</Output>" for p in prompts]
        completions = [
            Completion(i, t, confident_tokens(t or "x"), "stop", prompt_tokens=10)
            for i, t in enumerate(texts)
        ]
        return GenerationResult(completions=completions, usage=Usage(calls=1))

    async def info(self) -> EngineInfo:
        return EngineInfo(engine=self.name, model_id="test")

    async def aclose(self) -> None:
        return None


async def test_an_answer_broken_by_hints_is_redone_without_them() -> None:
    entry = Entry(forms=("踩屎感",), preferred=("cloud-like cushioning",))
    text = "踩屎感"
    hinted = Segment(text, "zh", "en", tuple(TermMatcher([[entry]]).find(text)))
    plain = Segment("好", "zh", "en")
    engine = _HintSensitiveEngine()
    runner = HintFallbackRunner(SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=32))
    first, second = await runner.run(engine, [hinted, plain])
    assert first.translation == "Cloud-like cushioning"
    assert first.usage.calls == 2  # the hinted call and the retry
    assert second.usage.calls == 1
    assert len(engine.prompts) == 3
    assert "In this text, " not in engine.prompts[2]


LISTING = Segment("#Product2#2,180円(税込)", "ja", "en")


async def test_an_answer_that_lost_a_placeholder_is_retried_naming_it() -> None:
    engine = ScriptedEngine(
        [
            ["2,180 yen (tax included)", "Free shipping"],
            [" 2,180 yen (tax included)"],  # after the placeholder the retry starts with
        ]
    )
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512)
    listing, plain = await runner.run(engine, [LISTING, Segment("送料無料", "ja", "en")])
    assert listing.translation == "#Product2# 2,180 yen (tax included)"
    assert listing.usage.calls == 2 and plain.usage.calls == 1
    (first_prompts, _), (retry_prompts, _) = engine.calls
    assert len(retry_prompts) == 1  # only the segment that failed is asked again
    assert "must keep these from the Japanese text" not in first_prompts[0]
    assert retry_prompts[0].count("#Product2#") == 3  # the text, the note, the answer
    assert "with the same value: #Product2#" in retry_prompts[0]
    assert retry_prompts[0].endswith("<Output>#Product2#")


async def test_the_retry_is_kept_only_when_it_has_fewer_findings() -> None:
    engine = ScriptedEngine([["2,180 yen (tax included)"], [" 1,980 yen and 5 more"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512, retry_samples=0)
    (output,) = await runner.run(engine, [LISTING])
    assert output.translation == "2,180 yen (tax included)"  # one error against one plus more
    assert output.usage.calls == 2


async def test_answers_still_broken_after_the_retry_get_samples_and_the_agreed_one_wins() -> None:
    script = [
        ["2,180 yen (tax included)"],  # loses the placeholder
        [" 1,980 yen"],  # the greedy retry keeps it but changes the price
        [" 2,180 yen ok zz", " 2,180 yen incl. tax", " 980 yen", " 2,180 yen incl. tax"],
    ]
    drawn = sum(len(text) for answers in script for text in answers)  # a token per character
    engine = ScriptedEngine([list(answers) for answers in script])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512, retry_samples=4)
    (output,) = await runner.run(engine, [LISTING])
    (retry_prompts, greedy), (sampled_prompts, sampling) = engine.calls[1:]
    assert sampled_prompts == retry_prompts  # the same note and prefill, drawn four times
    assert (greedy.n, greedy.temperature) == (1, 0.0)
    assert (sampling.n, sampling.seed) == (4, 0) and sampling.temperature > 0
    # Three samples are clean; the one the others agree with wins over the odd one.
    assert output.translation == "#Product2# 2,180 yen incl. tax"
    assert output.usage.calls == 3
    assert output.usage.generated_tokens == drawn


async def test_samples_that_fix_nothing_leave_the_first_answer() -> None:
    engine = ScriptedEngine([["2,180 yen"], [" 1,980 yen"], [" 980 yen", " 9 yen"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512, retry_samples=2)
    (output,) = await runner.run(engine, [LISTING])
    assert output.translation == "2,180 yen"


async def test_cot_retries_with_its_thought_and_keeps_the_better_answer() -> None:
    engine = ScriptedEngine(
        [
            ["Price first.\n</Thought>\n<Output>2180 yen"],
            ["Keep the tag.\n</Thought>\n<Output>#Product2# 2180 yen incl. tax"],
        ]
    )
    (output,) = await SinglePassRunner(PromptStyle.THINK, max_new_tokens=512).run(engine, [LISTING])
    assert output.translation == "#Product2# 2180 yen incl. tax"
    assert output.thought == "Keep the tag."
    assert engine.calls[1][0][0].endswith("<|im_start|>assistant\n<Thought>\n")  # no prefill


async def test_clean_answers_and_disabled_retries_cost_one_call() -> None:
    clean = ScriptedEngine([["#Product2# ¥2,180 including tax"]])
    (output,) = await SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512).run(clean, [LISTING])
    assert output.translation == "#Product2# ¥2,180 including tax"
    assert len(clean.calls) == 1
    broken = ScriptedEngine([["2,180 yen"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512, qa_retry=False)
    (output,) = await runner.run(broken, [LISTING])
    assert output.translation == "2,180 yen" and len(broken.calls) == 1


CUSHIONING = Entry(forms=("踩屎感",), preferred=("cloud-like cushioning",))
SHOES = "这双鞋踩屎感很强"
HINTED = Segment(SHOES, "zh", "en", tuple(TermMatcher([[CUSHIONING]]).find(SHOES)))


async def test_an_answer_that_missed_a_glossary_term_is_retried_naming_its_rendering() -> None:
    engine = ScriptedEngine(
        [["These shoes feel like stepping on poop"], ["These shoes have cloud-like cushioning"]]
    )
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512)
    (output,) = await runner.run(engine, [HINTED])
    assert output.translation == "These shoes have cloud-like cushioning"
    assert output.usage.calls == 2
    (first_prompts, _), (retry_prompts, _) = engine.calls
    assert "must render" not in first_prompts[0]
    assert "must render 踩屎感 as cloud-like cushioning." in retry_prompts[0]


async def test_a_term_retry_that_still_misses_it_keeps_the_first_answer_unsampled() -> None:
    engine = ScriptedEngine([["These shoes feel soft"], ["These shoes are soft"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512, retry_samples=2)
    (output,) = await runner.run(engine, [HINTED])
    assert output.translation == "These shoes feel soft"
    assert output.usage.calls == 2 and len(engine.calls) == 2  # no samples for a term


async def test_a_retry_that_is_the_term_alone_is_not_kept() -> None:
    text = "这双鞋踩屎感很强，上脚一整天也不累，下次还会回购"
    segment = Segment(text, "zh", "en", tuple(TermMatcher([[CUSHIONING]]).find(text)))
    first = "These shoes feel great, comfy all day long, I will buy again"
    engine = ScriptedEngine([[first], ["Cloud-like cushioning"]])
    (output,) = await SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512).run(
        engine, [segment]
    )
    assert output.translation == first


async def test_a_rendered_term_is_not_worth_a_retry_in_any_inflection() -> None:
    engine = ScriptedEngine([["The cushioning of these shoes feels cloud-like"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512)
    (output,) = await runner.run(engine, [HINTED])
    assert len(engine.calls) == 1 and output.usage.calls == 1


async def test_a_lost_placeholder_outranks_a_missed_term() -> None:
    text = "#Product1#踩屎感"
    segment = Segment(text, "zh", "en", tuple(TermMatcher([[CUSHIONING]]).find(text)))
    engine = ScriptedEngine([["#Product1# soft soles"], [" cloud-like cushioning"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512, retry_samples=0)
    (output,) = await runner.run(engine, [segment])
    # The retry is told about the term alone; its answer starts with nothing it lost.
    assert engine.calls[1][0][0].endswith("<Output>")
    assert output.translation == "#Product1# soft soles"


async def test_a_hinted_answer_that_is_a_fragment_is_redone_without_hints() -> None:
    text = "这双鞋踩屎感很强，上脚一整天也不累，颜色也很好看，尺码很标准，下次还会回购"
    segment = Segment(text, "zh", "en", tuple(TermMatcher([[CUSHIONING]]).find(text)))
    whole = "Super comfy shoes, fine all day, nice colour, true to size, will buy again"
    engine = ScriptedEngine([["Cloud-like cushioning"], [whole]])
    runner = HintFallbackRunner(SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512))
    (output,) = await runner.run(engine, [segment])
    assert output.translation == whole
    (hinted, _), (plain, _) = engine.calls
    assert "In this text, " in hinted[0] and "In this text, " not in plain[0]
    assert output.usage.calls == 2


async def test_an_answer_that_repeats_the_rules_is_retried_and_the_short_clean_one_kept() -> None:
    echo = (
        "Great shoes! Render slang, idioms and platform jargon by their meaning, the way a "
        "native English-speaking shopper would say it, not word for word."
    )
    engine = ScriptedEngine([[echo], ["Great shoes!"]])
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=512)
    (output,) = await runner.run(engine, [Segment("鞋子太棒了！", "zh", "en")])
    assert output.translation == "Great shoes!"  # far shorter than the first, still kept
    assert output.usage.calls == 2
    (first_prompts, _), (retry_prompts, _) = engine.calls
    assert "Render slang" in first_prompts[0]
    assert "Render slang" not in retry_prompts[0]  # the rules it repeated are left out
    assert "text into English.\n\nChinese (Simplified) text:\n" in retry_prompts[0]
