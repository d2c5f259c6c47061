"""`translator trace`: draw a search trace written by `translate --trace`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from translator.cli.options import EXIT_BAD_INPUT, fail
from translator.search.trace_view import render_html, render_svg, render_tree

__all__ = ["trace_app"]

trace_app = typer.Typer(no_args_is_help=True, help="Search traces written by --trace.")


@trace_app.command("show")
def trace_show(
    trace_file: Annotated[Path, typer.Argument(help="A trace written by --trace.")],
    out: Annotated[
        Path | None, typer.Option(help="Write an .html or .svg picture instead of printing.")
    ] = None,
) -> None:
    """Draw a search tree: a text tree here, or an HTML/SVG file with --out."""
    trace = _load_trace(trace_file)
    if out is None:
        Console().print(render_tree(trace))
        return
    suffix = out.suffix.lower()
    if suffix not in {".html", ".svg"}:
        raise fail(f"--out: use a .html or .svg file name, not {out.name!r}", EXIT_BAD_INPUT)
    out.write_text(render_html(trace) if suffix == ".html" else render_svg(trace))
    typer.echo(str(out))


def _load_trace(path: Path) -> dict[str, Any]:
    """Read one search trace; a stdin run's list gives its first non-empty entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail(f"cannot read trace {path}: {error}", EXIT_BAD_INPUT) from error
    if isinstance(data, list):
        data = next((entry for entry in data if entry), None)
    if not isinstance(data, dict) or "nodes" not in data or "chosen_path" not in data:
        raise fail(f"{path} is not a search trace (see translate --trace)", EXIT_BAD_INPUT)
    return data
