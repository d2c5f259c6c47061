"""Stored translations: the record, its trace as JSON, and the trace drawn as a page."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import MediaType, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import Parameter

from translator.api.pages import TRACE_PAGE_HEADERS
from translator.api.problems import problem_responses
from translator.api.schemas import AlternativeOut, TranslationRecordOut
from translator.api.state import AppStateDependency
from translator.search.trace_view import render_html, render_reasoning_html
from translator.store.repository import get_trace, get_translation

__all__ = ["trace_json", "trace_page", "translation_record"]

_ERRORS = problem_responses(401, 403, 404, 429, 503)
TranslationId = Annotated[str, Parameter(max_length=64, description="A translation's id.")]


@get(
    "/translations/{translation_id:str}",
    summary="A stored translation",
    tags=["translations"],
    responses=_ERRORS,
)
async def translation_record(
    translation_id: TranslationId, app_state: AppStateDependency
) -> TranslationRecordOut:
    if app_state.engine.service is not None:
        await app_state.engine.service.flush_hits()  # show this process's latest count
    async with app_state.sessions() as session:
        row = await get_translation(session, translation_id)
    if row is None:
        raise NotFoundException(f"no translation with id {translation_id!r}")
    return TranslationRecordOut(
        id=row.id,
        text=row.source_text,
        translation=row.translation,
        source_language=row.source_language,
        target_language=row.target_language,
        mode=row.mode,
        budget=row.budget_class,
        engine=row.engine,
        model=row.model_id,
        prompt_version=row.prompt_version,
        glossary_version=row.glossary_version,
        confidence=row.confidence,
        alternatives=[AlternativeOut(a["translation"], a["score"]) for a in row.alternatives],
        usage=row.usage,
        created_at=row.created_at,
        hits=row.hit_count,
        trace_url=f"/v1/translations/{row.id}/trace",
        trace_page_url=f"/traces/{row.id}",
        memory_version=row.memory_version,
    )


async def _trace(app_state: AppStateDependency, translation_id: str) -> dict[str, Any]:
    async with app_state.sessions() as session:
        trace = await get_trace(session, translation_id)
    if trace is None:
        raise NotFoundException(
            f"no trace for translation {translation_id!r} (cot and mcts results have one, and "
            "direct results with glossary terms)"
        )
    return trace


@get(
    "/translations/{translation_id:str}/trace",
    summary="The reasoning trace of a translation (the search tree for mcts)",
    tags=["translations"],
    responses=_ERRORS,
)
async def trace_json(
    translation_id: TranslationId, app_state: AppStateDependency
) -> dict[str, Any]:
    return await _trace(app_state, translation_id)


@get(
    "/traces/{translation_id:str}",
    media_type=MediaType.HTML,
    summary="The search tree of a translation, drawn as a page",
    tags=["translations"],
    responses=problem_responses(404, 503),
)
async def trace_page(translation_id: TranslationId, app_state: AppStateDependency) -> Response[str]:
    """Why a phrase came out as it did: the tree drawn, then every node, the chosen path."""
    trace = await _trace(app_state, translation_id)
    page = render_html(trace) if "nodes" in trace else render_reasoning_html(trace)
    return Response(page, media_type=MediaType.HTML, headers=TRACE_PAGE_HEADERS)
