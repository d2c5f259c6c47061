"""The search loop on a scripted engine: rewards, reflection, forcing, budgets, parallel waves."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pytest

from tests.scripted_engine import Scripted, ScriptedEngine
from translator.engines.types import GenerationResult, SamplingParams, ScriptBan
from translator.prompting.example_bank import example_bank
from translator.prompting.modes import Segment
from translator.prompting.prompts import REFLECTION_PHRASE
from translator.search.config import SearchConfig
from translator.search.mcts import MCTS
from translator.search.verifiers import DEFAULT_VERIFIERS, QaVerifier

SEGMENT = Segment(text="踩屎感", source="zh", target="en")
ONE_WAVE: list[Scripted] = [
    "Think.\n</Thought>\n<Output>Cloud-like cushioning feel",
    ("Hmm.\n</Thought>\n<Output>Stepping on poop", -0.05),
]
"""A wave of two rollouts after the seed answers, for the tests of those answers."""
QUIET = SearchConfig(
    selection="reward",
    direct_candidate=False,
    expansion_width=2,
    max_rollouts=2,
    early_stop_margin=2.0,
    max_reflections=0,
    seed=5,
    temperature=0.7,
)


async def test_rollout_rewards_are_mean_confidence_and_best_wins() -> None:
    engine = ScriptedEngine(
        [
            [
                "Slang check.\n</Thought>\n<Output>Cloud-like comfort",
                ("Hmm.\n</Thought>\n<Output>Soft shoes", -0.5),
            ]
        ]
    )
    result = await MCTS(engine, QUIET).search(SEGMENT)

    ((prompts, params),) = engine.calls
    assert prompts[0].endswith("<|im_start|>assistant\n<Thought>\n")
    assert (params.n, params.temperature, params.stop) == (2, 0.7, ("</Output>",))
    assert params.seed == 5 * 100_003 + 1
    assert result.best.translation == "Cloud-like comfort"
    assert result.best.reward == pytest.approx(math.exp(-0.1))
    assert [a.translation for a in result.alternatives] == ["Cloud-like comfort", "Soft shoes"]
    assert result.alternatives[1].reward == pytest.approx(math.exp(-0.5))

    trace = result.trace
    nodes = trace["nodes"]
    assert [n["text"] for n in nodes] == ["", "Slang check.", "Hmm.\n</Thought>"]
    assert nodes[0]["visits"] == 2
    assert nodes[0]["value"] == pytest.approx((math.exp(-0.1) + math.exp(-0.5)) / 2, abs=1e-4)
    assert trace["chosen_path"] == [0, 1]
    assert trace["budget_used"]["stop_reason"] == "max-rollouts"
    assert trace["budget_used"]["rollouts"] == 2
    assert trace["usage"]["calls"] == 1


async def test_flagged_rollout_earns_a_reflection_that_is_explored_next() -> None:
    engine = ScriptedEngine(
        [
            [
                "Think.\n</Thought>\n<Output>踩屎 feeling",
                "Plan it.\n</Thought>\n<Output>Cloud-like comfort",
            ],
            [("It means soft.\n</Thought>\n<Output>Cloud-like cushioning", -0.05)],
        ]
    )
    config = replace(QUIET, max_rollouts=3, max_reflections=1)
    result = await MCTS(engine, config).search(SEGMENT)

    han = next(a for a in result.alternatives if "踩" in a.translation)
    assert han.flags == ("source-script",)
    assert han.reward == pytest.approx(math.exp(-0.1) * 0.5)
    reflection = result.trace["nodes"][3]
    assert reflection["kind"] == "reflection"
    assert reflection["text"] == f"Think.\n{REFLECTION_PHRASE}\n"
    assert reflection["flags"] == ["reflect:source-script"]
    second_prompts, second_params = engine.calls[1]
    assert second_prompts[0].endswith(f"<Thought>\nThink.\n{REFLECTION_PHRASE}\n")
    assert second_params.n == 1
    assert result.best.translation == "Cloud-like cushioning"
    assert result.trace["chosen_path"] == [0, 3, 4]


async def test_unfinished_thought_is_forced_to_an_answer() -> None:
    engine = ScriptedEngine([["Thinking and thinking"], ["Cloud-like comfort"]])
    config = replace(QUIET, expansion_width=1, max_rollouts=1)
    result = await MCTS(engine, config).search(SEGMENT)

    forced_prompts, forced_params = engine.calls[1]
    assert forced_prompts[0].endswith("<Thought>\nThinking and thinking\n</Thought>\n<Output>")
    assert forced_params.temperature == 0
    assert result.best.translation == "Cloud-like comfort"
    assert result.trace["usage"]["calls"] == 2


async def test_token_budget_caps_calls_and_stops_the_search() -> None:
    engine = ScriptedEngine([["Long reasoning here.\n</Thought>\n<Output>Cloud-like comfort"] * 2])
    config = replace(QUIET, max_rollouts=50, max_generated_tokens=16)
    result = await MCTS(engine, config).search(SEGMENT)

    assert engine.calls[0][1].max_new_tokens == 16
    assert result.trace["budget_used"]["stop_reason"] == "max-generated-tokens"
    assert len(engine.calls) == 1


async def test_early_stop_when_one_clean_translation_is_clearly_ahead() -> None:
    engine = ScriptedEngine([["Easy.\n</Thought>\n<Output>Cloud-like comfort"] * 2])
    config = replace(QUIET, max_rollouts=10, min_rollouts=2, early_stop_margin=0.1)
    result = await MCTS(engine, config).search(SEGMENT)

    assert result.trace["budget_used"]["stop_reason"] == "clearly-ahead"
    assert len(engine.calls) == 1
    assert len(result.alternatives) == 1


class _SlowFirstCall(ScriptedEngine):
    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        if not self.calls:
            self.calls.append((list(prompts), params))
            await asyncio.sleep(5)
        return await super().generate(prompts, params)


async def test_deadline_cancels_work_and_falls_back_to_a_direct_answer() -> None:
    engine = _SlowFirstCall([["Cloud-like comfort"]])
    config = replace(QUIET, deadline_s=0.2)
    result = await MCTS(engine, config).search(SEGMENT)

    assert result.trace["budget_used"]["stop_reason"] == "deadline"
    assert result.best.translation == "Cloud-like comfort"
    assert "fallback" in result.best.flags
    assert engine.calls[-1][0][0].endswith("<Thought>\n</Thought>\n<Output>")


async def test_parallel_wave_expands_different_leaves_with_distinct_seeds() -> None:
    engine = ScriptedEngine(
        [
            [
                "Step one is here.\nmore\n</Thought>\n<Output>A",
                "Step two is here.\n</Thought>\n<Output>B",
            ],
            ["Deeper thought.\n</Thought>\n<Output>C", "Other thought.\n</Thought>\n<Output>D"],
            ["Third idea here.\n</Thought>\n<Output>E", "Fourth idea.\n</Thought>\n<Output>F"],
        ]
    )
    config = replace(QUIET, parallel=2, max_rollouts=6, uct_c=0.0)
    await MCTS(engine, config).search(SEGMENT)

    wave = engine.calls[1:]
    assert len(wave) == 2
    tails = {prompts[0].rsplit("<Thought>\n", 1)[1] for prompts, _ in wave}
    assert tails == {"Step one is here.", "Step two is here."}
    assert len({params.seed for _, params in engine.calls}) == 3


async def test_same_seed_same_calls() -> None:
    def script() -> list[list[str | tuple[str, float]]]:
        return [["A b c d e f.\n</Thought>\n<Output>X", "G h i j k l.\n</Thought>\n<Output>Y"]]

    first, second = ScriptedEngine(script()), ScriptedEngine(script())
    one = await MCTS(first, QUIET).search(SEGMENT)
    two = await MCTS(second, QUIET).search(SEGMENT)
    assert [p.seed for _, p in first.calls] == [p.seed for _, p in second.calls]
    assert one.trace["nodes"] == two.trace["nodes"]


async def test_the_direct_answer_joins_the_pool_first() -> None:
    engine = ScriptedEngine(
        [
            ["Cloud-like cushioning"],
            ONE_WAVE,
        ]
    )
    config = replace(QUIET, direct_candidate=True)
    result = await MCTS(engine, config).search(SEGMENT)

    (direct_prompts, direct_params), _ = engine.calls
    assert direct_prompts[0].endswith("<|im_start|>assistant\n<Output>")
    assert (direct_params.temperature, direct_params.n) == (0.0, 1)
    assert direct_params.ban == ScriptBan(("han",))
    direct = next(a for a in result.alternatives if a.translation == "Cloud-like cushioning")
    assert direct.flags == ("direct",)
    assert result.trace["usage"]["calls"] == 2


async def test_consensus_prefers_what_the_pool_agrees_on_over_one_confident_outlier() -> None:
    engine = ScriptedEngine(
        [
            ["Cloud-like cushioning"],
            [
                ("A.\n</Thought>\n<Output>Stepping on poop", -0.01),
                ("B.\n</Thought>\n<Output>Cloud-like cushioning feel", -0.3),
            ],
        ]
    )
    pool = replace(QUIET, direct_candidate=True)
    by_reward = await MCTS(engine, pool).search(SEGMENT)
    assert by_reward.best.translation == "Stepping on poop"

    engine.script = [
        ["Cloud-like cushioning"],
        [
            ("A.\n</Thought>\n<Output>Stepping on poop", -0.01),
            ("B.\n</Thought>\n<Output>Cloud-like cushioning feel", -0.3),
        ],
    ]
    by_consensus = await MCTS(engine, replace(pool, selection="consensus")).search(SEGMENT)
    assert by_consensus.best.translation.startswith("Cloud-like cushioning")
    assert by_consensus.trace["chosen_path"] != []


async def test_a_rollout_that_drops_a_placeholder_or_number_is_cut_and_reflected() -> None:
    listing = Segment("#Product2#2,180円(税込)", "ja", "en")
    engine = ScriptedEngine(
        [
            [
                "Price.\n</Thought>\n<Output>2,180 yen (tax included)",
                "Keep it.\n</Thought>\n<Output>#Product2# 2,180 yen (tax included)",
            ],
            [("Placeholder kept.\n</Thought>\n<Output>#Product2# ¥2,180 incl. tax", -0.2)],
        ]
    )
    config = replace(QUIET, max_rollouts=3, max_reflections=1)
    result = await MCTS(engine, config).search(listing)

    lost = next(a for a in result.alternatives if not a.translation.startswith("#"))
    assert lost.flags == ("qa:placeholder",)
    assert lost.reward == pytest.approx(math.exp(-0.1) * 0.5)
    assert result.best.translation == "#Product2# 2,180 yen (tax included)"
    reflection = result.trace["nodes"][3]
    assert reflection["kind"] == "reflection"
    assert reflection["flags"] == ["reflect:qa:placeholder"]
    assert result.trace["qa"] == []


async def test_a_rollout_that_repeats_the_rules_is_cut() -> None:
    engine = ScriptedEngine(
        [
            [
                "a.\n</Thought>\n<Output>Great shoes! Slang is rendered the way a native "
                "English-speaking shopper would say it, not word for word.",
                "b.\n</Thought>\n<Output>Great shoes!",
            ]
        ]
    )
    result = await MCTS(engine, QUIET).search(Segment("鞋子太棒了！", "zh", "en"))
    echo = next(a for a in result.alternatives if a.translation != "Great shoes!")
    assert "prompt-echo" in echo.flags  # (and length-ratio: it is long for its source)
    assert echo.reward <= math.exp(-0.1) * 0.3
    assert result.best.translation == "Great shoes!"


async def test_a_changed_number_costs_less_than_a_lost_placeholder() -> None:
    listing = Segment("#Product2#2,180円", "ja", "en")
    engine = ScriptedEngine(
        [
            [
                "a.\n</Thought>\n<Output>#Product2# 2,108 yen",
                "b.\n</Thought>\n<Output>2,180 yen in all",
            ]
        ]
    )
    result = await MCTS(engine, QUIET).search(listing)
    by_text = {a.translation: a for a in result.alternatives}
    assert by_text["#Product2# 2,108 yen"].flags == ("qa:number",)
    assert by_text["#Product2# 2,108 yen"].reward == pytest.approx(math.exp(-0.1) * 0.7)
    assert by_text["2,180 yen in all"].reward == pytest.approx(math.exp(-0.1) * 0.5)
    assert result.trace["qa"][0]["problem"] == "changed"


async def test_an_empty_direct_answer_and_no_rollout_still_end_in_a_result() -> None:
    # direct, one rollout, its forced answer, then the fallback: all empty
    engine = ScriptedEngine([[""], ["Think.\n</Thought>\n<Output>"], [""], [""]])
    config = replace(QUIET, direct_candidate=True, max_rollouts=1, expansion_width=1)
    result = await MCTS(engine, config).search(SEGMENT)
    assert result.best.translation == ""
    assert "no-output" in result.best.flags


async def test_the_cot_answer_joins_the_pool_beside_the_direct_one() -> None:
    engine = ScriptedEngine(
        [
            ["Cloud-like cushioning"],
            ["It is slang for soft soles.\n</Thought>\n<Output>Cloud-soft soles"],
            ONE_WAVE,
        ]
    )
    config = replace(QUIET, direct_candidate=True, cot_candidate=True)
    result = await MCTS(engine, config).search(SEGMENT)

    (direct_prompt,), _ = engine.calls[0]
    (cot_prompt,), cot_params = engine.calls[1]
    assert direct_prompt.endswith("<Output>") and cot_prompt.endswith("<Thought>\n")
    assert cot_params.temperature == 0.0
    cot = next(a for a in result.alternatives if "cot" in a.flags)
    assert cot.translation == "Cloud-soft soles"
    assert cot.thought == "It is slang for soft soles."
    # Its tokens are not the tree's: the budget counts the direct answer and the samples only.
    tree_tokens = len("Cloud-like cushioning") + sum(
        len(text) for text in ("Think.\n</Thought>\n<Output>Cloud-like cushioning feel",)
    )
    assert (
        result.trace["budget_used"]["generated_tokens"] < result.trace["usage"]["generated_tokens"]
    )
    assert tree_tokens <= result.trace["budget_used"]["generated_tokens"]


async def test_the_examples_answer_shows_the_banks_closest_pairs_and_joins_the_pool() -> None:
    engine = ScriptedEngine(
        [
            ["Cloud-like cushioning"],
            ["Super cushy soles"],
            ONE_WAVE,
        ]
    )
    config = replace(QUIET, direct_candidate=True, examples_candidate=2)
    result = await MCTS(engine, config).search(SEGMENT)

    (direct_prompt,), _ = engine.calls[0]
    (examples_prompt,), examples_params = engine.calls[1]
    pairs = example_bank("zh", "en").closest(SEGMENT.text, 2)
    assert len(pairs) == 2 and examples_params.temperature == 0.0
    for source, translation in pairs:
        assert source in examples_prompt and translation in examples_prompt
        assert source not in direct_prompt
    assert examples_prompt.endswith("<Output>")
    shown = next(a for a in result.alternatives if "examples" in a.flags)
    assert shown.translation == "Super cushy soles"
    # Its tokens are another prompt's work, not the tree's.
    assert result.trace["budget_used"]["generated_tokens"] == len("Cloud-like cushioning") + sum(
        len(text)
        for text in (
            "Think.\n</Thought>\n<Output>Cloud-like cushioning feel",
            "Hmm.\n</Thought>\n<Output>Stepping on poop",
        )
    )


@pytest.mark.parametrize(
    "segment",
    [
        replace(SEGMENT, examples=(("踩屎感的鞋", "Shoes with cloud-like cushioning"),)),
        Segment(text="Tolle Schuhe", source="de", target="fr"),
    ],
    ids=["memory-examples-shown", "no-bank-for-the-pair"],
)
async def test_no_examples_answer_without_a_bank_or_beside_memory_examples(
    segment: Segment,
) -> None:
    engine = ScriptedEngine(
        [
            ["Cloud-like cushioning"],
            ["Think.\n</Thought>\n<Output>Cloud-like cushioning", "Hmm.\n</Thought>\n<Output>Soft"],
        ]
    )
    config = replace(QUIET, direct_candidate=True, examples_candidate=2)
    result = await MCTS(engine, config).search(segment)

    assert len(engine.calls) == 2  # the direct answer and one wave: no examples answer
    assert not any("examples" in a.flags for a in result.alternatives)


async def test_an_answer_several_passes_found_lists_every_origin() -> None:
    engine = ScriptedEngine(
        [
            [("Cloud-like cushioning", -0.4)],
            ["Slang for soft soles.\n</Thought>\n<Output>Cloud-like cushioning"],
            ["Think.\n</Thought>\n<Output>Cloud-like cushioning", "Hmm.\n</Thought>\n<Output>Soft"],
        ]
    )
    config = replace(QUIET, direct_candidate=True, cot_candidate=True, max_rollouts=2)
    result = await MCTS(engine, config).search(SEGMENT)

    (agreed,) = [a for a in result.alternatives if a.translation == "Cloud-like cushioning"]
    assert {"direct", "cot"} <= set(agreed.flags)
    assert [a.translation for a in result.alternatives].count("Cloud-like cushioning") == 1
    assert not {"direct", "cot"} & set(result.alternatives[-1].flags)


class _SlowGreedyCalls(ScriptedEngine):
    """Greedy calls (the pool's seed answers) take a while; sampled ones answer at once."""

    in_flight: int = 0
    most_in_flight: int = 0
    greedy_seconds: float = 0.05
    sampled_seconds: float = 0.0

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            greedy = params.temperature == 0.0
            await asyncio.sleep(self.greedy_seconds if greedy else self.sampled_seconds)
            return await super().generate(prompts, params)
        finally:
            self.in_flight -= 1


async def test_the_first_wave_decodes_beside_the_seed_answers_and_the_early_stop_waits() -> None:
    engine = _SlowGreedyCalls(  # replies go out in the order the calls finish
        [
            [
                ("Think.\n</Thought>\n<Output>Soft soles", -0.01),
                ("Hmm.\n</Thought>\n<Output>Stepping on poop", -0.5),
            ],
            [("Cloud-like cushioning", -0.02)],
            ["More.\n</Thought>\n<Output>Soft", "Again.\n</Thought>\n<Output>Soft sole"],
        ]
    )
    config = replace(
        QUIET, direct_candidate=True, max_rollouts=4, min_rollouts=2, early_stop_margin=0.05
    )
    result = await MCTS(engine, config).search(SEGMENT)

    assert engine.most_in_flight == 2  # the direct answer and the first wave together
    # Alone, the first wave's best rollout leads by far more than the margin; the early stop
    # waited for the direct answer, which comes close to it, so the search went on.
    assert result.trace["budget_used"]["stop_reason"] == "max-rollouts"
    assert len(engine.calls) == 3


async def test_a_wave_beside_slow_seed_answers_gets_the_whole_deadline_after_them() -> None:
    engine = _SlowGreedyCalls(  # replies go out in the order the calls finish
        [
            ["Think.\n</Thought>\n<Output>Soft soles", "Hmm.\n</Thought>\n<Output>Soft sole"],
            ["Cloud-like cushioning"],
            ["Slang for soft soles.\n</Thought>\n<Output>Cloud-soft soles"],
        ]
    )
    engine.greedy_seconds, engine.sampled_seconds = 0.3, 0.25
    config = replace(
        QUIET, direct_candidate=True, cot_candidate=True, max_rollouts=2, deadline_s=0.2
    )
    result = await MCTS(engine, config).search(SEGMENT)

    # The wave outlasted the deadline counted from the start, but the seed answers were still
    # decoding then: the deadline counts from their end, so the wave's rollouts are kept.
    assert result.trace["budget_used"]["rollouts"] == 2
    assert result.trace["budget_used"]["stop_reason"] == "max-rollouts"
    assert {"direct", "cot"} <= {flag for a in result.alternatives for flag in a.flags}


async def test_a_clean_direct_answer_far_ahead_stops_the_search_early() -> None:
    engine = ScriptedEngine(
        [
            [("Cloud-like cushioning", -0.01)],
            [
                ("Think.\n</Thought>\n<Output>Soft soles", -0.5),
                ("Hmm.\n</Thought>\n<Output>Stepping on poop", -0.6),
            ],
        ]
    )
    config = replace(
        QUIET, direct_candidate=True, max_rollouts=10, min_rollouts=2, early_stop_margin=0.1
    )
    result = await MCTS(engine, config).search(SEGMENT)

    # "direct" names where the answer came from, not a finding: it may lead the early stop.
    assert result.trace["budget_used"]["stop_reason"] == "clearly-ahead"
    assert result.best.translation == "Cloud-like cushioning"


async def test_the_trace_reports_the_whole_search_time_seed_answers_included() -> None:
    engine = _SlowGreedyCalls(  # replies go out in the order the calls finish
        [
            ["Think.\n</Thought>\n<Output>Soft", "Hmm.\n</Thought>\n<Output>Soft soles"],
            ["Cloud-like cushioning"],
            ["Slang for soft soles.\n</Thought>\n<Output>Cloud-soft soles"],
        ]
    )
    config = replace(QUIET, direct_candidate=True, cot_candidate=True, max_rollouts=2)
    result = await MCTS(engine, config).search(SEGMENT)

    # The seed answers took 0.05 s and ended last; the deadline counts from then, the reported
    # time from the start.
    assert result.trace["budget_used"]["seconds"] >= 0.05
    assert {"direct", "cot"} <= {flag for a in result.alternatives for flag in a.flags}


@dataclass
class _GreedyApart(ScriptedEngine):
    """Greedy calls take their answers from `greedy`, sampled ones from `script`: the seed
    answers and the first wave may call in either order."""

    greedy: list[list[Scripted]] = field(default_factory=list)

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        if params.temperature == 0.0:
            self.script.insert(0, self.greedy.pop(0))
        return await super().generate(prompts, params)


@pytest.mark.parametrize("checks_qa", [True, False])
async def test_the_cot_answer_is_retried_for_a_lost_number_only_when_the_search_checks_qa(
    checks_qa: bool,
) -> None:
    engine = _GreedyApart(
        script=[["Think.\n</Thought>\n<Output>Size 38 shoes", "Hmm.\n</Thought>\n<Output>Shoes"]],
        greedy=[
            ["Shoe sizes.\n</Thought>\n<Output>These shoes"],
            ["The size is 38.\n</Thought>\n<Output>These shoes, size 38"],
        ],
    )
    verifiers = tuple(v for v in DEFAULT_VERIFIERS if checks_qa or not isinstance(v, QaVerifier))
    config = replace(QUIET, cot_candidate=True)
    result = await MCTS(engine, config, verifiers).search(Segment("这双鞋38码", "zh", "en"))

    greedy_calls = [prompts for prompts, params in engine.calls if params.temperature == 0.0]
    assert len(greedy_calls) == (2 if checks_qa else 1)
    cot = next(a for a in result.alternatives if "cot" in a.flags)
    assert cot.translation == ("These shoes, size 38" if checks_qa else "These shoes")


async def test_the_last_wave_samples_only_what_the_rollout_cap_has_room_for() -> None:
    engine = ScriptedEngine(
        [
            [
                ("Think.\n</Thought>\n<Output>Soft soles", -0.3),
                ("Plan it.\n</Thought>\n<Output>Cloud-like comfort", -0.2),
            ],
            ["\n</Thought>\n<Output>Cloud-like cushioning"],
        ]
    )
    config = replace(QUIET, max_rollouts=3)
    result = await MCTS(engine, config).search(SEGMENT)

    assert [params.n for _, params in engine.calls] == [2, 1]
    assert result.trace["budget_used"]["rollouts"] == 3
    assert result.trace["budget_used"]["stop_reason"] == "max-rollouts"
