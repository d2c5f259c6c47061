"""The `consensus-source` selection: source likelihoods, rank sums, the fallback without them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pytest

from tests.scripted_engine import ScriptedEngine
from translator.engines.errors import EngineUnsupported
from translator.engines.http import continuation_logprobs
from translator.engines.types import ScoreRequest
from translator.prompting.modes import Segment
from translator.search.config import SearchConfig
from translator.search.mcts import MCTS
from translator.search.results import Candidate
from translator.search.selection import choose, consensus_scores, distinct, rank_sum
from translator.search.source_scores import source_scores
from translator.search.tree import SearchTree

SEGMENT = Segment(text="踩屎感", source="zh", target="en")


@dataclass
class ScoringEngine(ScriptedEngine):
    """A scripted engine that also scores: each translation's mean logprob is set by the test."""

    likelihoods: dict[str, float] = field(default_factory=dict)
    scored: list[ScoreRequest] = field(default_factory=list)

    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        self.scored.extend(requests)
        return [(self.likelihoods[_translation_of(r)],) * len(r.continuation) for r in requests]


class RefusingEngine(ScriptedEngine):
    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        del requests
        raise EngineUnsupported("no prompt logprobs here")


def _translation_of(request: ScoreRequest) -> str:
    return request.context.split(":\n", 1)[1].split("<|im_end|>", 1)[0]


def candidate(translation: str, confidence: float) -> Candidate:
    return Candidate(translation, confidence, confidence, (), 0, "")


def test_continuation_is_the_shortest_tail_that_spells_it() -> None:
    tokens = [
        ("<|im_start|>", None),
        ("assistant", -1.0),
        ("\n", -0.5),
        ("踩", -2.0),
        ("屎感", -0.1),
    ]
    assert continuation_logprobs(tokens, "踩屎感") == (-2.0, -0.1)
    assert continuation_logprobs(tokens, "感") == (-0.1,)  # a straddling token counts whole
    assert continuation_logprobs(tokens, "不同") is None
    assert continuation_logprobs(tokens[:1] + tokens[3:], "<|im_start|>踩屎感") is None  # null


def test_rank_sum_shares_ranks_between_ties() -> None:
    assert rank_sum([0.1, 0.5, 0.9], [3.0, 2.0, 1.0]) == [2.0, 2.0, 2.0]
    assert rank_sum([1.0, 1.0, 2.0], [0.0, 5.0, 5.0]) == [0.5, 2.0, 3.5]


def test_consensus_source_overrules_agreement_when_the_source_disagrees() -> None:
    pool = [
        candidate("Cloud-like cushioning", 0.6),
        candidate("Cloud-like cushioning feel", 0.6),
        candidate("Stepping on poop", 0.9),
        candidate("Feels like stepping on clouds", 0.6),
    ]
    ranked = distinct(pool)
    consensus = consensus_scores(ranked, pool)
    by_consensus = choose(pool, "consensus", SearchTree())[0].translation
    assert by_consensus == ranked[consensus.index(max(consensus))].translation
    source = {c.translation: -3.0 for c in pool} | {"Feels like stepping on clouds": -0.5}
    source[by_consensus] = -2.0

    chosen, alternatives = choose(pool, "consensus-source", SearchTree(), source)

    # Agreement's winner keeps its first rank; the source likes the other reading far better,
    # so the rank sums tie between them and agreement decides.
    assert chosen.translation == by_consensus
    source[by_consensus] = -4.0
    assert choose(pool, "consensus-source", SearchTree(), source)[0].translation == (
        "Feels like stepping on clouds"
    )
    assert {c.translation for c in alternatives} == {c.translation for c in pool}
    assert choose(pool, "consensus-source", SearchTree(), None)[0].translation == by_consensus


async def test_source_scores_average_each_distinct_translation_once() -> None:
    engine = ScoringEngine([], likelihoods={"Cloud-like": -0.5, "Poop": -4.0})
    scores = await source_scores(engine, SEGMENT, ["Cloud-like", "Poop", "Cloud-like"])
    assert scores == {"Cloud-like": -0.5, "Poop": -4.0}
    assert [r.continuation for r in engine.scored] == ["踩屎感", "踩屎感"]
    assert "Translate into Chinese (Simplified):\nCloud-like<|im_end|>" in engine.scored[0].context


@pytest.mark.parametrize("engine", [ScriptedEngine([]), RefusingEngine([])])
async def test_no_scores_from_engines_that_cannot_score(engine: ScriptedEngine) -> None:
    assert await source_scores(engine, SEGMENT, ["Cloud-like"]) is None


async def test_the_search_scores_its_pool_and_reports_the_likelihoods() -> None:
    def script() -> list[list[str | tuple[str, float]]]:
        return [
            ["Cloud-like cushioning"],
            [
                ("A.\n</Thought>\n<Output>Stepping on poop", -0.01),
                ("B.\n</Thought>\n<Output>Cloud-like cushioning feel", -0.3),
            ],
        ]

    likelihoods = {
        "Cloud-like cushioning": -1.0,
        "Cloud-like cushioning feel": -0.4,
        "Stepping on poop": -6.0,
    }
    config = SearchConfig(
        selection="consensus-source",
        expansion_width=2,
        max_rollouts=2,
        early_stop_margin=2.0,
        max_reflections=0,
        seed=5,
    )
    engine = ScoringEngine(script(), likelihoods=likelihoods)
    result = await MCTS(engine, config).search(SEGMENT)

    assert result.best.translation == "Cloud-like cushioning feel"
    assert len(engine.scored) == 3
    shown = {c["translation"]: c["source_logprob"] for c in result.trace["alternatives"]}
    assert shown == likelihoods

    refused = await MCTS(RefusingEngine(script()), config).search(SEGMENT)
    plain = await MCTS(ScriptedEngine(script()), replace(config, selection="consensus")).search(
        SEGMENT
    )
    assert refused.best.translation == plain.best.translation
    assert all("source_logprob" not in c for c in refused.trace["alternatives"])
