"""`translator eval`: score modes and search budgets on a JSONL test set, with their cost."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from glossary.selection import GlossarySelection
from translator.cli.options import (
    EXIT_BAD_INPUT,
    EXIT_ENGINE_FAILURE,
    EngineOption,
    EngineUrlOption,
    ModelPathOption,
    fail,
    search_from_flags,
    settings_from_flags,
)
from translator.engines.errors import EngineError
from translator.engines.factory import create_engine
from translator.errors import InvalidInput
from translator.evaluation.plot import plot_quality
from translator.evaluation.run import EvalConfig, EvalRow, eval_configs, run_eval
from translator.evaluation.scores import LOSS_MARGIN, EvalSegment, load_eval_set, score
from translator.prompting.modes import Mode
from translator.search.config import BudgetName, Granularity
from translator.settings import Settings

__all__ = ["evaluate"]


class GlossaryHints(StrEnum):
    ON = "on"
    OFF = "off"
    BOTH = "both"

    @property
    def switches(self) -> tuple[bool, ...]:
        return {"on": (True,), "off": (False,), "both": (False, True)}[self.value]


def evaluate(
    dataset: Annotated[Path, typer.Argument(help="JSONL with src, ref and optional ref_B.")],
    modes: Annotated[
        list[Mode] | None, typer.Option("--mode", help="Mode to run (repeat for several).")
    ] = None,
    rollouts: Annotated[
        list[int] | None,
        typer.Option("--rollouts", min=1, help="Search rollout budgets to compare (repeatable)."),
    ] = None,
    budget: Annotated[BudgetName | None, typer.Option(help="Search budget preset.")] = None,
    granularity: Annotated[Granularity, typer.Option(help="Search action size.")] = (
        Granularity.STEP
    ),
    source: Annotated[str, typer.Option("--from", help="Source language code.")] = "auto",
    to: Annotated[str, typer.Option("--to", help="Target language code.")] = "en",
    domain: Annotated[str | None, typer.Option(help="Only segments of this domain.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N segments.")] = None,
    compare: Annotated[
        list[str] | None,
        typer.Option("--compare", help="Also score this system's outputs from the file."),
    ] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a quality-vs-budget PNG.")] = None,
    output: Annotated[Path | None, typer.Option(help="Write scores and outputs as JSON.")] = None,
    seed: Annotated[int | None, typer.Option(help="Search sampling seed.")] = None,
    glossary: Annotated[
        GlossaryHints,
        typer.Option(help="Built-in glossary hints: on, off, or both (each config twice)."),
    ] = GlossaryHints.ON,
    with_terms: Annotated[
        bool, typer.Option(help="Only segments containing a built-in glossary term.")
    ] = False,
    engine: EngineOption = None,
    engine_url: EngineUrlOption = None,
    model_path: ModelPathOption = None,
) -> None:
    """Translate a test set with each mode/budget; print chrF, BLEU, untranslated and cost."""
    settings = settings_from_flags(engine, engine_url, model_path)
    segments = _load(dataset, domain, limit, source if with_terms else None, to)
    systems = _system_scores(segments, compare or [])
    search = search_from_flags(settings, budget, granularity, seed)
    configs = eval_configs(
        modes or [Mode.DIRECT, Mode.COT, Mode.MCTS], search, rollouts or [], glossary.switches
    )

    def save(rows: Sequence[EvalRow]) -> None:
        """Keep every finished configuration's row, so a run that fails later loses none."""
        if output is not None:
            report = _report(dataset, segments, systems, rows)
            output.write_text(json.dumps(report, ensure_ascii=False, indent=2))

    try:
        rows = asyncio.run(_run(settings, segments, configs, source, to, save))
    except InvalidInput as error:
        raise fail(str(error), EXIT_BAD_INPUT) from error
    except EngineError as error:
        raise fail(f"engine failed: {error}", EXIT_ENGINE_FAILURE) from error
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    console.print(_table(rows, systems, len(segments)))
    if plot is not None:
        plot_quality(rows, plot, references={name: s["chrf"] for name, s in systems.items()})
        typer.echo(f"plot written to {plot}")
    if output is not None:  # written after each configuration (`save`)
        typer.echo(f"results written to {output}")


def _report(
    dataset: Path,
    segments: list[EvalSegment],
    systems: dict[str, dict[str, float]],
    rows: Sequence[EvalRow],
) -> dict[str, Any]:
    """The `--output` JSON: every row finished so far, with its outputs."""
    return {
        "dataset": str(dataset),
        "segments": len(segments),
        "systems": systems,
        "rows": [row.as_dict(with_outputs=True) for row in rows],
    }


def _load(
    dataset: Path, domain: str | None, limit: int | None, term_source: str | None, target: str
) -> list[EvalSegment]:
    """The selected segments; with `term_source`, only those with a built-in glossary term
    (`limit` then counts those)."""
    try:
        segments = load_eval_set(dataset, domain=domain)
    except OSError as error:
        raise fail(f"cannot read {dataset}: {error}", EXIT_BAD_INPUT) from error
    except InvalidInput as error:
        raise fail(f"{dataset}: {error}", EXIT_BAD_INPUT) from error
    if term_source is not None:
        if term_source == "auto":
            raise fail("--with-terms: give the source language with --from", EXIT_BAD_INPUT)
        builtin = GlossarySelection()
        segments = [s for s in segments if builtin.find(s.src, term_source, target)]
    segments = segments[:limit]
    if not segments:
        raise fail(f"{dataset}: no segments selected", EXIT_BAD_INPUT)
    return segments


def _system_scores(segments: list[EvalSegment], names: list[str]) -> dict[str, dict[str, float]]:
    scores = {}
    for name in names:
        missing = sum(1 for segment in segments if name not in segment.systems)
        if missing:
            raise fail(f"--compare {name}: no output in {missing} segment(s)", EXIT_BAD_INPUT)
        scores[name] = score([s.systems[name] for s in segments], segments).as_dict()
    return scores


async def _run(
    settings: Settings,
    segments: list[EvalSegment],
    configs: list[EvalConfig],
    source: str,
    to: str,
    save: Callable[[Sequence[EvalRow]], None] | None,
) -> list[EvalRow]:
    engine = create_engine(settings)
    try:
        with _progress(configs, len(segments)) as advance:
            return await run_eval(
                engine,
                settings,
                segments,
                configs,
                source=source,
                target=to,
                on_segment=advance,
                on_row=save,
            )
    finally:
        await engine.aclose()


@contextmanager
def _progress(configs: list[EvalConfig], total: int) -> Iterator[Callable[[EvalConfig, str], None]]:
    """A bar per configuration on a terminal; in a log (no terminal), a line every tenth of
    the set, since a bar would only show once the whole run is over."""
    console = Console()
    if not console.is_terminal:
        yield _LogProgress(console, total)
        return
    columns = (
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks = {config.label: progress.add_task(config.label, total=total) for config in configs}
        yield lambda config, _: progress.advance(tasks[config.label])


class _LogProgress:
    """`configuration: done/total segments, seconds per segment` lines for a log."""

    def __init__(self, console: Console, total: int) -> None:
        self._console = console
        self._total = total
        self._every = max(1, total // 10)
        self._label = ""
        self._done = 0
        self._seconds = 0.0
        self._mark = time.perf_counter()

    def __call__(self, config: EvalConfig, _translation: str) -> None:
        now = time.perf_counter()
        if config.label != self._label:
            self._label, self._done, self._seconds = config.label, 0, 0.0
        self._done += 1
        self._seconds += now - self._mark
        self._mark = now
        if self._done % self._every == 0 or self._done == self._total:
            self._console.print(
                f"{self._label}: {self._done}/{self._total} segments, "
                f"{self._seconds / self._done:.1f} s/segment",
                highlight=False,
            )


def _table(rows: list[EvalRow], systems: dict[str, dict[str, float]], count: int) -> Table:
    table = Table(title=f"{count} segments")
    for column in ("config", "chrF", "BLEU", "untranslated", f"{LOSS_MARGIN:.0f}+ below direct",
                   "terms ok", "calls", "prompt tok", "cached", "generated", "seconds",
                   "s/segment"):  # fmt: skip
        table.add_column(column, justify="left" if column == "config" else "right")
    for name, values in systems.items():
        table.add_row(name, f"{values['chrf']:.2f}", f"{values['bleu']:.2f}", *["–"] * 9)
    for row in rows:
        usage = row.usage
        cached = usage.cached_prompt_tokens / usage.prompt_tokens if usage.prompt_tokens else 0.0
        table.add_row(
            row.config.label,
            f"{row.scores.chrf:.2f}",
            f"{row.scores.bleu:.2f}",
            str(row.untranslated),
            "–" if row.losses_to_direct is None else f"{row.losses_to_direct}/{count}",
            f"{row.terms_rendered}/{row.terms}",
            str(usage.calls),
            str(usage.prompt_tokens),
            f"{cached:.0%}",
            str(usage.generated_tokens),
            f"{row.seconds:.0f}",
            f"{row.seconds / count:.1f}",
        )
    return table
