"""`PUT /v1/translations/{id}`: a correction of a stored translation, kept as an approved pair.

The pair (the stored text, the corrected translation) goes into the named translation memory,
or the caller's default memory (created on first use). The next request for the same text that
uses the memory is answered with the correction, without the engine.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, put
from litestar.exceptions import NotFoundException
from litestar.params import JSONBody, Parameter

from translator.api.auth import owner_of
from translator.api.controllers.memories import memory_out
from translator.api.problems import problem_responses, require_utf8
from translator.api.schemas import MemoryOut, TranslationCorrection
from translator.api.state import AppStateDependency
from translator.api.translating import default_memory
from translator.errors import InvalidInput
from translator.store.pairs import Pair
from translator.store.repository import get_translation
from translator.translating.memories import keep_correction

__all__ = ["CorrectionOut", "correct_translation"]

TranslationId = Annotated[str, Parameter(max_length=64, description="A translation's id.")]


class CorrectionOut(msgspec.Struct):
    """The corrected translation and the memory that now holds it."""

    id: str
    text: str
    translation: str
    memory: MemoryOut


@put(
    "/translations/{translation_id:str}",
    before_request=require_utf8,
    summary="Correct a stored translation (kept in a translation memory)",
    tags=["translations"],
    responses=problem_responses(400, 401, 403, 404, 413, 429, 503),
)
async def correct_translation(
    translation_id: TranslationId,
    data: JSONBody[TranslationCorrection],
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
) -> CorrectionOut:
    """Store `translation` as the approved translation of the stored text in `memory`."""
    reference = data.memory or default_memory(app_state, request)
    if reference is None:
        raise InvalidInput("memory", "name a memory: this caller has no default memory")
    async with app_state.sessions() as session, session.begin():
        row = await get_translation(session, translation_id)
        if row is None:
            raise NotFoundException(f"no translation with id {translation_id!r}")
        if row.source_language == row.target_language:
            raise InvalidInput("translation", "the text was already in the target language")
        memory = await keep_correction(
            session,
            owner_of(request),
            reference,
            Pair(row.source_text, data.translation),
            source=row.source_language,
            target=row.target_language,
            origin="correction",
            create=data.memory is None,
            translation_id=row.id,
        )
        text = row.source_text
    return CorrectionOut(translation_id, text, data.translation.strip(), memory_out(memory))
