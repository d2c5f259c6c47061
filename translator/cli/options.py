"""What every `translator` subcommand shares: exit codes, error output, settings from flags."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translator.search.config import (
    BudgetName,
    Granularity,
    SearchConfig,
    default_budget,
)
from translator.settings import EngineKind, Settings, load_settings
from translator.translating.runners import search_config

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_ENGINE_FAILURE",
    "EngineOption",
    "EngineUrlOption",
    "ModelPathOption",
    "fail",
    "search_from_flags",
    "settings_from_flags",
]

EngineOption = Annotated[EngineKind | None, typer.Option(help="Backend to use.")]
EngineUrlOption = Annotated[
    str | None, typer.Option(help="SGLang or OpenAI-compatible server URL.")
]
ModelPathOption = Annotated[Path | None, typer.Option(help="GGUF file for the embedded engine.")]

EXIT_BAD_INPUT = 2
EXIT_ENGINE_FAILURE = 3


def fail(message: str, code: int) -> typer.Exit:
    """Print one `error:` line on stderr; raise the returned Exit to stop with `code`."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def settings_from_flags(
    engine: EngineKind | None, engine_url: str | None, model_path: Path | None
) -> Settings:
    """Settings with the command's flags on top; invalid settings end the command with code 2."""
    try:
        return load_settings(engine=engine, engine_url=engine_url, model_path=model_path)
    except (ValueError, FileNotFoundError) as error:
        raise fail(f"invalid settings: {error}", EXIT_BAD_INPUT) from error


def search_from_flags(
    settings: Settings, budget: BudgetName | None, granularity: Granularity, seed: int | None
) -> SearchConfig:
    """The search config for a command: its budget (or the engine's default) and its flags."""
    return search_config(
        settings,
        budget or default_budget(settings.engine.value),
        granularity=granularity,
        seed=settings.seed if seed is None else seed,
    )
