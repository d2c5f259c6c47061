"""`translator model`: the embedded model file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translator.cli.options import EXIT_ENGINE_FAILURE, fail, settings_from_flags
from translator.engines.errors import EngineError
from translator.engines.factory import embedded_model_path

__all__ = ["model_app"]

model_app = typer.Typer(no_args_is_help=True, help="The embedded model file.")


@model_app.command("path")
def model_path_command(
    model_path: Annotated[Path | None, typer.Option(help="Use this GGUF instead.")] = None,
) -> None:
    """Assemble and verify the bundled model if needed, then print the GGUF path."""
    settings = settings_from_flags(None, None, model_path)
    try:
        typer.echo(embedded_model_path(settings))
    except EngineError as error:
        raise fail(str(error), EXIT_ENGINE_FAILURE) from error
