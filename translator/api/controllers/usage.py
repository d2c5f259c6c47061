"""Per-key usage: counted after each translation, shown by `GET /v1/usage`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from litestar import Request, get
from litestar.exceptions import NotAuthorizedException
from litestar.params import QueryParameter

from translator.api.auth import caller_key
from translator.api.problems import problem_responses
from translator.api.schemas import UsageResponse
from translator.api.state import AppStateDependency
from translator.store.keys import get_usage

__all__ = ["usage"]


@get(
    "/usage",
    summary="Usage of the calling API key",
    tags=["keys"],
    responses=problem_responses(400, 401, 403, 429, 503),
)
async def usage(
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
    day: Annotated[date | None, QueryParameter(description="UTC day; default: today.")] = None,
) -> UsageResponse:
    """Characters, requests and cache hits of the key sending this request, for one UTC day."""
    key = caller_key(request)
    if key is None:
        raise NotAuthorizedException(
            "usage is counted per API key: send one as Authorization: Bearer <key>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    day = day or datetime.now(UTC).date()
    async with app_state.sessions() as session:
        row = await get_usage(session, key.id, day)
    return UsageResponse(
        key=key.name,
        day=day.isoformat(),
        characters=row.characters if row else 0,
        requests=row.requests if row else 0,
        cache_hits=row.cache_hits if row else 0,
        requests_per_minute=key.requests_per_minute or app_state.settings.rate_limit_per_minute,
    )
