"""`translator serve`: run the REST API under uvicorn, migrating an embedded SQLite first."""

from __future__ import annotations

from typing import Annotated

import typer

from translator.cli.options import (
    EXIT_BAD_INPUT,
    EngineOption,
    EngineUrlOption,
    ModelPathOption,
    fail,
    settings_from_flags,
)

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0: all).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    engine: EngineOption = None,
    engine_url: EngineUrlOption = None,
    model_path: ModelPathOption = None,
    migrate: Annotated[
        bool | None,
        typer.Option(
            help="Apply database migrations before serving; default: yes for SQLite (the "
            "embedded default), no for a server database (run `translator db upgrade`)."
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the translation API (docs at /docs) until interrupted."""
    # Imported here: the web stack would slow down every other command's start.
    import uvicorn
    from sqlalchemy import make_url

    from translator.api import create_app
    from translator.store.migrate import upgrade

    settings = settings_from_flags(engine, engine_url, model_path)
    try:
        backend = make_url(settings.database_url).get_backend_name()
    except Exception as error:
        raise fail(f"invalid database_url: {error}", EXIT_BAD_INPUT) from error
    if migrate if migrate is not None else backend == "sqlite":
        upgrade(settings.database_url)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)
