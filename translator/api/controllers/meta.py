"""Detection, languages, liveness, readiness and metrics."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, get, post
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import Example
from litestar.params import Body
from sqlalchemy import select

from translator.api.planning import request_texts
from translator.api.problems import problem_responses, require_utf8
from translator.api.schemas import (
    Detection,
    DetectRequest,
    DetectResponse,
    Language,
    LanguageCandidate,
    LanguagesResponse,
    ReadyResponse,
    StatusResponse,
)
from translator.api.state import AppStateDependency
from translator.store.models import Translation
from translator.text.detect import LanguageReport
from translator.text.detect import detect as detect_languages
from translator.text.languages import LANGUAGES
from translator.text.validation import validate_text

__all__ = ["detect", "health", "languages", "metrics", "ready"]


_DETECT_BODY = Body(
    media_type=RequestEncodingType.JSON,
    examples=[Example(summary="Short CJK reviews", value={"texts": ["太炸了", "コスパ最高"]})],
)


@post(
    "/detect",
    status_code=200,
    before_request=require_utf8,
    summary="Detect the language of texts",
    description="Reports, never refuses, a language: one we do not translate comes back with "
    "`supported: false`, text without letters as `und`. Each detection lists the top "
    "candidates and the scripts found.",
    tags=["languages"],
    responses=problem_responses(400, 401, 403, 413, 429),
)
async def detect(
    data: Annotated[DetectRequest, _DETECT_BODY], app_state: AppStateDependency
) -> DetectResponse:
    texts = request_texts(data.text, data.texts, app_state.settings.max_texts)
    for label, value in texts:
        validate_text(value, max_chars=app_state.settings.max_text_chars, field=label)
    return DetectResponse([_detection(detect_languages(value)) for _, value in texts])


def _detection(report: LanguageReport) -> Detection:
    best = report.best
    return Detection(
        language=best.language,
        confidence=best.confidence,
        supported=best.supported,
        candidates=[
            LanguageCandidate(c.language, c.confidence, c.supported) for c in report.candidates
        ],
        scripts=list(report.scripts),
    )


@get(
    "/languages",
    summary="Supported language codes",
    tags=["languages"],
    responses=problem_responses(401, 403, 429),
)
async def languages() -> LanguagesResponse:
    return LanguagesResponse([Language(code, name) for code, name in LANGUAGES.items()])


@get("/health", summary="Liveness: the process answers", tags=["operations"])
async def health() -> StatusResponse:
    return StatusResponse("ok")


@get(
    "/ready",
    summary="Readiness: the engine and the database answer",
    tags=["operations"],
    responses=problem_responses(503),
)
async def ready(app_state: AppStateDependency) -> ReadyResponse:
    service = app_state.engine.require()
    info = await service.check_engine()
    async with app_state.sessions() as session:
        await session.execute(select(Translation.id).limit(1))  # migrated, not just reachable
    return ReadyResponse(status="ready", engine=info.engine, model=info.model_id, database="ok")


@get("/metrics", summary="Prometheus metrics", tags=["operations"], include_in_schema=False)
async def metrics(app_state: AppStateDependency) -> Response[Any]:
    return Response(
        app_state.metrics.render(),
        media_type="text/plain; version=0.0.4; charset=utf-8",
    )
