"""The Litestar app: `create_app(settings)` wires routes, errors, auth, CORS, metrics, lifespan.

The lifespan owns the resources: it loads the engine in the background (unless one is passed
in, which the caller then owns), and on shutdown cancels runs in flight, closes the engine it
created and the database pool. Migrations are not run here: `translator serve` applies them
for the embedded default, `translator db upgrade` elsewhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig

from translator.api.auth import api_key_middleware
from translator.api.compat import compat_routes
from translator.api.controllers.corrections import correct_translation
from translator.api.controllers.glossaries import glossary_routes
from translator.api.controllers.jobs import job_routes
from translator.api.controllers.memories import memory_routes
from translator.api.controllers.meta import detect, health, languages, metrics, ready
from translator.api.controllers.records import trace_json, trace_page, translation_record
from translator.api.controllers.translate import translate
from translator.api.controllers.usage import usage
from translator.api.cors import extension_cors
from translator.api.limits import BodyLimits, body_limits_middleware
from translator.api.log_redaction import install_access_log_redaction
from translator.api.metrics import metrics_middleware
from translator.api.pages import docs_render_plugin, page_routes
from translator.api.problems import handle_exception
from translator.api.state import STATE_KEY, AppState
from translator.engines.protocol import Engine
from translator.jobs.runner import ChunkRunner
from translator.jobs.workflow import JobRuntime, launch_jobs, stop_jobs
from translator.settings import Settings
from translator.store.database import dispose_engine, make_engine, make_session_factory
from translator.store.writes import writes
from translator.text.detect import load_detectors

__all__ = ["OPENAPI_PATH", "create_app"]

OPENAPI_PATH = "/docs"
"""Swagger UI here (its files served locally), the document at `/docs/openapi.json`."""


def create_app(settings: Settings, engine: Engine | None = None) -> Litestar:
    """The API for `settings`; with `engine`, serve that instead of creating the configured one."""
    install_access_log_redaction()
    database = make_engine(settings.database_url)
    sessions = make_session_factory(database)
    state = AppState(settings, database, sessions, writes(sessions))
    state.metrics.in_flight.set_function(
        lambda: state.engine.service.in_flight if state.engine.service else 0
    )

    @asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        if engine is not None:
            state.engine.serve(engine, state.sessions, settings)
            loading = warming = None
        else:
            loading = asyncio.create_task(state.engine.load(settings, state.sessions))
            # the word models take a second or two: load them now, not on the first request
            warming = asyncio.create_task(asyncio.to_thread(load_detectors))
        runner = ChunkRunner(
            state.engine.wait, state.sessions, settings, state.glossaries, state.memories
        )
        await launch_jobs(JobRuntime.of(runner, state.sessions, settings), settings)
        try:
            yield
        finally:
            stop_jobs()
            if warming is not None:
                await warming
            if loading is not None:
                await loading  # a model load cannot be interrupted; let it end, then close it
            await state.engine.aclose()
            state.writes.close()
            await dispose_engine(database)

    def provide_state() -> AppState:
        return state

    v1 = Router(
        "/v1",
        route_handlers=[
            translate,
            detect,
            languages,
            translation_record,
            correct_translation,
            trace_json,
            usage,
            *glossary_routes,
            *memory_routes,
            *job_routes(settings.jobs_max_upload_bytes),
        ],
        middleware=[api_key_middleware],
    )
    return Litestar(
        route_handlers=[
            v1,
            trace_page,
            health,
            ready,
            metrics,
            *compat_routes(settings),
            *page_routes(settings),
        ],
        lifespan=[lifespan],
        state=State({STATE_KEY: state}),
        dependencies={"app_state": Provide(provide_state, sync_to_thread=False, use_cache=True)},
        exception_handlers={Exception: handle_exception},
        middleware=[
            metrics_middleware(state.metrics),
            body_limits_middleware(BodyLimits.of(settings)),
        ],
        cors_config=extension_cors(),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="translator",
            version=version("translator"),
            description="Translation of colloquial e-commerce text with Marco-o1 style search.",
            path=OPENAPI_PATH,
            render_plugins=[docs_render_plugin()],
        ),
    )
