"""`translator translate`: one text, or every line of stdin, through a mode or the search."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from glossary.selection import GlossarySelection
from translator.cli.glossary import load_selection
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
from translator.prompting.modes import Mode
from translator.search.config import BudgetName, Granularity, SearchConfig
from translator.settings import Settings
from translator.text.validation import decode_text
from translator.translating.glossaries import check_glossaries_apply
from translator.translating.runners import build_translator
from translator.translating.translation import TranslationResult, plan_segments

__all__ = ["translate"]

STDIN_CHUNK = 8
"""Lines per engine call when reading stdin: large enough to batch, small enough to stream."""


def _read_segments(text: str | None) -> tuple[list[str], bool]:
    """The texts to translate and whether they came line by line from stdin."""
    if text is not None:
        return [text], False
    if sys.stdin.isatty():
        raise fail("give the text as an argument or pipe lines on stdin", EXIT_BAD_INPUT)
    try:
        content = decode_text(sys.stdin.buffer.read(), field="stdin")
    except InvalidInput as error:
        raise fail(str(error), EXIT_BAD_INPUT) from error
    lines = content.splitlines()
    if not any(line.strip() for line in lines):
        raise fail(
            "stdin: no text to translate (input is empty or only whitespace)", EXIT_BAD_INPUT
        )
    return lines, True


def translate(
    text: Annotated[
        str | None, typer.Argument(help="Text to translate; omit to read lines from stdin.")
    ] = None,
    to: Annotated[str, typer.Option("--to", "-t", help="Target language code, e.g. en.")] = "en",
    source: Annotated[
        str, typer.Option("--from", "-f", help="Source language code, or auto.")
    ] = "auto",
    mode: Annotated[
        Mode,
        typer.Option(
            help="mcts: search over reasonings; cot: reason once; direct: answer at once."
        ),
    ] = Mode.MCTS,
    budget: Annotated[
        BudgetName | None,
        typer.Option(help="Search budget; default: small on the embedded engine, else large."),
    ] = None,
    granularity: Annotated[
        Granularity, typer.Option(help="Search action size: a reasoning step or N tokens.")
    ] = Granularity.STEP,
    rollouts: Annotated[
        int | None, typer.Option(min=1, help="Cap the search's rollouts below its budget's.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Sampling seed for the search.")] = None,
    trace: Annotated[
        Path | None, typer.Option(help="Write the search trace (JSON) to this file.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON with language, usage, glossary terms.")
    ] = False,
    glossary: Annotated[
        list[str] | None,
        typer.Option(
            "--glossary", help="Apply this user glossary (name or id; repeat for several)."
        ),
    ] = None,
    builtin_glossary: Annotated[
        bool, typer.Option(help="Give the model hints from the built-in slang glossary.")
    ] = True,
    engine: EngineOption = None,
    engine_url: EngineUrlOption = None,
    model_path: ModelPathOption = None,
) -> None:
    """Translate TEXT, or each line of stdin (one output line per input line, same order)."""
    if trace is not None and mode is not Mode.MCTS:
        raise fail("--trace: only --mode mcts produces a search trace", EXIT_BAD_INPUT)
    segments, line_mode = _read_segments(text)
    settings = settings_from_flags(engine, engine_url, model_path)
    search = search_from_flags(settings, budget, granularity, seed)
    if rollouts is not None:
        search = replace(search, max_rollouts=min(rollouts, search.max_rollouts))
    glossaries = load_selection(glossary or [], builtin=builtin_glossary)
    request = _Request(to, source, mode, search, as_json, trace, glossaries)
    try:
        asyncio.run(_translate(segments, line_mode, settings, request))
    except InvalidInput as error:
        raise fail(str(error), EXIT_BAD_INPUT) from error
    except EngineError as error:
        hint = " (temporary; try again)" if error.retryable else ""
        raise fail(f"engine failed: {error}{hint}", EXIT_ENGINE_FAILURE) from error


@dataclass(frozen=True, slots=True)
class _Request:
    """What the user asked for on the command line, beyond the texts."""

    target: str
    source: str
    mode: Mode
    search: SearchConfig
    as_json: bool
    trace_file: Path | None
    glossaries: GlossarySelection


async def _translate(
    segments: list[str], line_mode: bool, settings: Settings, request: _Request
) -> None:
    """Translate in chunks and print as each finishes; blank stdin lines stay blank."""
    wanted = [
        (f"line {i + 1}" if line_mode else "text", line)
        for i, line in enumerate(segments)
        if line.strip() or not line_mode
    ]
    # Validate everything before loading the model, so bad input fails fast and prints nothing.
    plan_segments(
        [line for _, line in wanted],
        source=request.source,
        target=request.target,
        max_text_chars=settings.max_text_chars,
        labels=[label for label, _ in wanted],
    )
    check_glossaries_apply(request.glossaries, request.source, request.target, field="--glossary")
    engine = create_engine(settings)
    translator = build_translator(engine, settings, request.search)
    traces: list[dict[str, Any] | None] = []
    try:
        for start in range(0, len(segments), STDIN_CHUNK):
            chunk = segments[start : start + STDIN_CHUNK]
            texts = [line for line in chunk if line.strip()]
            results = iter(
                await translator.translate(
                    texts,
                    source=request.source,
                    target=request.target,
                    mode=request.mode,
                    glossaries=request.glossaries,
                )
                if texts
                else []
            )
            for line in chunk:
                result = next(results) if line.strip() else None
                _print_result(result, line_mode, request.as_json)
                traces.append(result.trace if result else None)
    finally:
        await engine.aclose()
    if request.trace_file is not None:
        payload = traces if line_mode else traces[0]
        request.trace_file.write_text(json.dumps(payload, ensure_ascii=False, indent=2))


def _print_result(result: TranslationResult | None, line_mode: bool, as_json: bool) -> None:
    if result is None:
        typer.echo("{}" if as_json else "")
    elif as_json:
        payload = {"text": result.text, **result.as_dict()}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=None if line_mode else 2))
    else:
        translation = result.translation
        typer.echo(" ".join(translation.splitlines()) if line_mode else translation)
    sys.stdout.flush()
