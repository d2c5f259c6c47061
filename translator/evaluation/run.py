"""Running a test set through several modes and budgets, with cost, for `translator eval`."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from glossary.check import check_terms
from glossary.selection import GlossarySelection
from translator.engines.protocol import Engine
from translator.engines.types import Usage
from translator.evaluation.scores import (
    EvalSegment,
    Scores,
    clear_losses,
    score,
    untranslated_count,
)
from translator.prompting.modes import Mode
from translator.search.config import SearchConfig
from translator.settings import Settings
from translator.translating.runners import build_translator

__all__ = ["EvalConfig", "EvalRow", "eval_configs", "run_eval"]


@dataclass(frozen=True, slots=True)
class EvalConfig:
    """One column of an evaluation: a mode, the search's configuration, glossary hints or not."""

    mode: Mode
    search: SearchConfig
    glossary: bool = True

    @property
    def label(self) -> str:
        name = str(self.mode)
        if self.mode is Mode.MCTS:
            name = f"mcts/{self.search.granularity}/r{self.search.max_rollouts}"
        return name if self.glossary else f"{name} -glossary"


@dataclass(slots=True)
class EvalRow:
    """Scores and cost of one configuration over the whole set."""

    config: EvalConfig
    scores: Scores
    untranslated: int
    usage: Usage
    seconds: float
    terms: int = 0
    """Glossary terms found in the sources (counted whether or not hints were given)."""
    terms_rendered: int = 0
    """Of those, the ones the translation rendered by a preferred or acceptable form."""
    outputs: list[str] = field(default_factory=list)
    losses_to_direct: int | None = None
    """Segments this row scores more than `LOSS_MARGIN` sentence chrF below the direct mode
    with the same glossary setting; None without such a row."""

    def as_dict(self, *, with_outputs: bool = False) -> dict[str, Any]:
        row: dict[str, Any] = {
            "config": self.config.label,
            **self.scores.as_dict(),
            "untranslated": self.untranslated,
            "terms": self.terms,
            "terms_rendered": self.terms_rendered,
            "losses_to_direct": self.losses_to_direct,
            **self.usage.as_dict(),
            "seconds": round(self.seconds, 1),
        }
        if with_outputs:
            row["outputs"] = self.outputs
        return row


def eval_configs(
    modes: Sequence[Mode],
    search: SearchConfig,
    rollouts: Sequence[int],
    glossary: Sequence[bool] = (True,),
) -> list[EvalConfig]:
    """Every mode once; the search once per rollout budget (or once with `search` as it is);
    each of those with and/or without glossary hints."""
    configs: list[EvalConfig] = []
    for mode in modes:
        searches = [search]
        if mode is Mode.MCTS and rollouts:
            searches = [replace(search, max_rollouts=count) for count in rollouts]
        configs.extend(EvalConfig(mode, s, hints) for s in searches for hints in glossary)
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
    on_row: Callable[[Sequence[EvalRow]], None] | None = None,
) -> list[EvalRow]:
    """Translate every segment under every configuration, one segment at a time.

    `on_row` gets the rows finished so far after each configuration, so a long run that fails
    later keeps what it measured.
    """
    rows = []
    checker = GlossarySelection()
    for config in configs:
        translator = build_translator(engine, settings, config.search)
        hints = checker if config.glossary else GlossarySelection(builtin=False)
        outputs: list[str] = []
        usage = Usage()
        terms = rendered = 0
        started = time.perf_counter()
        for segment in segments:
            (result,) = await translator.translate(
                [segment.src], source=source, target=target, mode=config.mode, glossaries=hints
            )
            outputs.append(result.translation)
            usage += result.usage
            found = checker.find(segment.src, result.source_language, result.target_language)
            checks = check_terms(found, result.translation, result.target_language)
            terms += len(checks)
            rendered += sum(1 for check in checks if not check.result.missed)
            if on_segment is not None:
                on_segment(config, result.translation)
        rows.append(
            EvalRow(
                config=config,
                scores=score(outputs, segments),
                untranslated=untranslated_count(outputs),
                usage=usage,
                seconds=time.perf_counter() - started,
                terms=terms,
                terms_rendered=rendered,
                outputs=outputs,
            )
        )
        _compare_with_direct(rows, segments)
        if on_row is not None:
            on_row(rows)
    return rows


def _compare_with_direct(rows: Sequence[EvalRow], segments: Sequence[EvalSegment]) -> None:
    """Count each row's clear losses against the direct row of its glossary setting."""
    direct = {row.config.glossary: row for row in rows if row.config.mode is Mode.DIRECT}
    references = [segment.refs for segment in segments]
    for row in rows:
        baseline = direct.get(row.config.glossary)
        if baseline is not None and baseline is not row:
            row.losses_to_direct = clear_losses(baseline.outputs, row.outputs, references)
