"""Running a test set through several modes and budgets, with cost, for `translator eval`."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from translator.engines.protocol import Engine
from translator.engines.types import Usage
from translator.evaluation import EvalSegment, Scores, score, untranslated_count
from translator.modes import Mode
from translator.runners import build_translator
from translator.search.config import SearchConfig
from translator.settings import Settings

__all__ = ["EvalConfig", "EvalRow", "eval_configs", "run_eval"]


@dataclass(frozen=True, slots=True)
class EvalConfig:
    """One column of an evaluation: a mode and, for the search, its configuration."""

    mode: Mode
    search: SearchConfig

    @property
    def label(self) -> str:
        if self.mode is not Mode.MCTS:
            return str(self.mode)
        return f"mcts/{self.search.granularity}/r{self.search.max_rollouts}"


@dataclass(slots=True)
class EvalRow:
    """Scores and cost of one configuration over the whole set."""

    config: EvalConfig
    scores: Scores
    untranslated: int
    usage: Usage
    seconds: float
    outputs: list[str] = field(default_factory=list)

    def as_dict(self, *, with_outputs: bool = False) -> dict[str, Any]:
        row: dict[str, Any] = {
            "config": self.config.label,
            **self.scores.as_dict(),
            "untranslated": self.untranslated,
            **self.usage.as_dict(),
            "seconds": round(self.seconds, 1),
        }
        if with_outputs:
            row["outputs"] = self.outputs
        return row


def eval_configs(
    modes: Sequence[Mode], search: SearchConfig, rollouts: Sequence[int]
) -> list[EvalConfig]:
    """Every mode once; the search once per rollout budget (or once with `search` as it is)."""
    configs: list[EvalConfig] = []
    for mode in modes:
        if mode is Mode.MCTS and rollouts:
            configs.extend(
                EvalConfig(mode, replace(search, max_rollouts=count)) for count in rollouts
            )
        else:
            configs.append(EvalConfig(mode, search))
    return configs


async def run_eval(
    engine: Engine,
    settings: Settings,
    segments: Sequence[EvalSegment],
    configs: Sequence[EvalConfig],
    *,
    source: str,
    target: str,
    on_segment: Callable[[EvalConfig, str], None] | None = None,
) -> list[EvalRow]:
    """Translate every segment under every configuration, one segment at a time."""
    rows = []
    for config in configs:
        translator = build_translator(engine, settings, config.search)
        outputs: list[str] = []
        usage = Usage()
        started = time.perf_counter()
        for segment in segments:
            (result,) = await translator.translate(
                [segment.src], source=source, target=target, mode=config.mode
            )
            outputs.append(result.translation)
            usage += result.usage
            if on_segment is not None:
                on_segment(config, result.translation)
        rows.append(
            EvalRow(
                config=config,
                scores=score(outputs, segments),
                untranslated=untranslated_count(outputs),
                usage=usage,
                seconds=time.perf_counter() - started,
                outputs=outputs,
            )
        )
    return rows
