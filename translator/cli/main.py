"""The `translator` command line: the typer app, with one module per command group."""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated

import typer

from translator.cli.batch import batch, worker
from translator.cli.db import db_app
from translator.cli.evaluate import evaluate
from translator.cli.glossary import glossary_app
from translator.cli.keys import keys_app
from translator.cli.memory import memory_app
from translator.cli.model import model_app
from translator.cli.serve import serve
from translator.cli.trace import trace_app
from translator.cli.translate import translate

__all__ = ["app"]

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


app.command("translate")(translate)
app.add_typer(model_app, name="model")
app.command("eval")(evaluate)
app.command("serve")(serve)
app.command("batch")(batch)
app.command("worker")(worker)
app.add_typer(trace_app, name="trace")
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(glossary_app, name="glossary")
app.add_typer(memory_app, name="memory")
