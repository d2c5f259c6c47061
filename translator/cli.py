"""The `translator` command line."""

from __future__ import annotations

import asyncio
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from translator.engines.errors import EngineError
from translator.engines.factory import create_engine, embedded_model_path
from translator.errors import InvalidInput
from translator.modes import Mode, default_runners
from translator.settings import EngineKind, Settings, load_settings
from translator.translation import TranslationResult, Translator, plan_segments
from translator.validation import decode_text

__all__ = ["app"]

EXIT_BAD_INPUT = 2
EXIT_ENGINE_FAILURE = 3
STDIN_CHUNK = 8
"""Lines per engine call when reading stdin: large enough to batch, small enough to stream."""

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Translate colloquial e-commerce text with Marco-o1 style reasoning.",
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"translator {version('translator')}")
        raise typer.Exit()


@app.callback()
def main(
    _version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Translate colloquial e-commerce text with Marco-o1 style reasoning."""


model_app = typer.Typer(no_args_is_help=True, help="The embedded model file.")
app.add_typer(model_app, name="model")


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _settings(
    engine: EngineKind | None, engine_url: str | None, model_path: Path | None
) -> Settings:
    try:
        return load_settings(engine=engine, engine_url=engine_url, model_path=model_path)
    except (ValueError, FileNotFoundError) as error:
        raise _fail(f"invalid settings: {error}", EXIT_BAD_INPUT) from error


def _read_segments(text: str | None) -> tuple[list[str], bool]:
    """The texts to translate and whether they came line by line from stdin."""
    if text is not None:
        return [text], False
    if sys.stdin.isatty():
        raise _fail("give the text as an argument or pipe lines on stdin", EXIT_BAD_INPUT)
    try:
        content = decode_text(sys.stdin.buffer.read(), field="stdin")
    except InvalidInput as error:
        raise _fail(str(error), EXIT_BAD_INPUT) from error
    lines = content.splitlines()
    if not any(line.strip() for line in lines):
        raise _fail(
            "stdin: no text to translate (input is empty or only whitespace)", EXIT_BAD_INPUT
        )
    return lines, True


@app.command()
def translate(
    text: Annotated[
        str | None, typer.Argument(help="Text to translate; omit to read lines from stdin.")
    ] = None,
    to: Annotated[str, typer.Option("--to", "-t", help="Target language code, e.g. en.")] = "en",
    source: Annotated[
        str, typer.Option("--from", "-f", help="Source language code, or auto.")
    ] = "auto",
    mode: Annotated[Mode, typer.Option(help="direct: answer at once; cot: reason first.")] = (
        Mode.DIRECT
    ),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON with language, usage and timing.")
    ] = False,
    engine: Annotated[EngineKind | None, typer.Option(help="Backend to use.")] = None,
    engine_url: Annotated[
        str | None, typer.Option(help="SGLang or OpenAI-compatible server URL.")
    ] = None,
    model_path: Annotated[
        Path | None, typer.Option(help="GGUF file for the embedded engine.")
    ] = None,
) -> None:
    """Translate TEXT, or each line of stdin (one output line per input line, same order)."""
    segments, line_mode = _read_segments(text)
    settings = _settings(engine, engine_url, model_path)
    try:
        asyncio.run(_translate(segments, line_mode, settings, to, source, mode, as_json))
    except InvalidInput as error:
        raise _fail(str(error), EXIT_BAD_INPUT) from error
    except EngineError as error:
        hint = " (temporary; try again)" if error.retryable else ""
        raise _fail(f"engine failed: {error}{hint}", EXIT_ENGINE_FAILURE) from error


async def _translate(
    segments: list[str],
    line_mode: bool,
    settings: Settings,
    target: str,
    source: str,
    mode: Mode,
    as_json: bool,
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
        source=source,
        target=target,
        max_text_chars=settings.max_text_chars,
        labels=[label for label, _ in wanted],
    )
    engine = create_engine(settings)
    translator = Translator(
        engine, default_runners(settings.max_new_tokens), max_text_chars=settings.max_text_chars
    )
    try:
        for start in range(0, len(segments), STDIN_CHUNK):
            chunk = segments[start : start + STDIN_CHUNK]
            texts = [line for line in chunk if line.strip()]
            results = iter(
                await translator.translate(texts, source=source, target=target, mode=mode)
                if texts
                else []
            )
            for line in chunk:
                _print_result(next(results) if line.strip() else None, line_mode, as_json)
    finally:
        await engine.aclose()


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


@model_app.command("path")
def model_path_command(
    model_path: Annotated[Path | None, typer.Option(help="Use this GGUF instead.")] = None,
) -> None:
    """Assemble and verify the bundled model if needed, then print the GGUF path."""
    settings = _settings(None, None, model_path)
    try:
        typer.echo(embedded_model_path(settings))
    except EngineError as error:
        raise _fail(str(error), EXIT_ENGINE_FAILURE) from error
