"""Corpus scores and the clear-loss count `translator eval` reports against the direct mode."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.scripted_engine import ScriptedEngine
from translator.evaluation.run import EvalConfig, EvalRow, run_eval
from translator.evaluation.scores import EvalSegment, clear_losses, score
from translator.prompting.modes import Mode
from translator.search.config import SearchConfig
from translator.settings import Settings

SEGMENTS = [
    EvalSegment("1", "质量很好", ("The quality is very good.",), "ecommerce", {}),
    EvalSegment("2", "发货很快", ("It shipped very quickly.",), "ecommerce", {}),
]


def test_a_ruined_answer_counts_as_a_clear_loss_and_a_reworded_one_does_not() -> None:
    baseline = ["The quality is very good.", "It shipped quickly."]
    reworded = ["The quality is very good!", "It shipped very quickly."]
    ruined = ["The quality is very good.", "Logistics."]
    references = [segment.refs for segment in SEGMENTS]
    assert clear_losses(baseline, reworded, references) == 0
    assert clear_losses(baseline, ruined, references) == 1
    assert clear_losses(ruined, baseline, references) == 0


def test_scores_rise_with_agreement() -> None:
    close = score(["The quality is very good.", "It shipped very quickly."], SEGMENTS)
    far = score(["Nice.", "Fast."], SEGMENTS)
    assert close.chrf > far.chrf and close.bleu > far.bleu


async def test_each_finished_configuration_is_handed_over_before_a_later_one_fails() -> None:
    # Two direct answers are scripted; the cot configuration after them finds none and fails.
    engine = ScriptedEngine([["The quality is very good."], ["It shipped very quickly."]])
    configs = [EvalConfig(Mode.DIRECT, SearchConfig()), EvalConfig(Mode.COT, SearchConfig())]
    saved: list[list[tuple[str, int]]] = []

    def keep(rows: Sequence[EvalRow]) -> None:
        saved.append([(row.config.label, len(row.outputs)) for row in rows])

    with pytest.raises(IndexError):
        await run_eval(engine, Settings(), SEGMENTS, configs, source="zh", target="en", on_row=keep)
    assert saved == [[("direct", 2)]]
