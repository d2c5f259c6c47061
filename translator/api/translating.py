"""One translation path for every route that translates: `/v1/translate` and the compatible APIs.

Glossaries, validation and planning, the quota, the cached service, metrics and per-key usage
happen here once, so a LibreTranslate or DeepL request is served exactly like our own.
Everything that can refuse a request happens in `prepare_translation`, before any engine work
(and before a stream sends its 200 status). Answers made only of cache hits are kept for
identical requests (`translator.api.repeats`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request

from glossary.selection import GlossarySelection
from translator.api.auth import caller_key, owner_of
from translator.api.planning import RequestPlan, answers, plan_request
from translator.api.quota import check_quota, record_usage
from translator.api.repeats import RepeatedAnswer
from translator.api.schemas import TranslateRequest, TranslationOut
from translator.api.state import AppState
from translator.memory.selection import MemorySelection
from translator.search.results import SearchProgress
from translator.translating.glossaries import check_glossaries_apply
from translator.translating.service import ProgressCallback, TranslationService

__all__ = [
    "PreparedTranslation",
    "answer_again",
    "default_memory",
    "prepare_translation",
    "request_glossaries",
    "request_memories",
    "translate_request",
]


@dataclass(frozen=True, slots=True)
class PreparedTranslation:
    """A checked request, planned and ready to run."""

    app_state: AppState
    request: Request[Any, Any, Any]
    data: TranslateRequest
    plan: RequestPlan
    service: TranslationService
    repeat: bytes | None
    """Where to keep the answer if it is made only of cache hits (`translator.api.repeats`)."""

    async def run(self, on_progress: ProgressCallback | None = None) -> list[TranslationOut]:
        """The answers, one per text; `on_progress` gets the index of the request's text."""
        plan = self.plan
        progress: ProgressCallback | None = None
        if on_progress is not None:
            report = on_progress

            def progress(segment: int, update: SearchProgress) -> None:
                report(plan.item_of(segment), update)

        replacements = self.service.replacements
        served = await self.service.translate(plan.segments, plan.options, progress)
        self.app_state.metrics.observe(served)
        cached = all(s.cached for s in served)
        await record_usage(self.app_state, self.request, plan.characters, cached)
        answered = answers(
            plan, served, alternatives=self.data.alternatives, with_trace=self.data.return_trace
        )
        if cached and self.repeat is not None:
            repeated = RepeatedAnswer(answered, served, plan.characters, replacements)
            self.app_state.repeats.put(self.repeat, repeated)
        return answered


async def prepare_translation(
    app_state: AppState,
    request: Request[Any, Any, Any],
    data: TranslateRequest,
    repeat: bytes | None = None,
) -> PreparedTranslation:
    """Resolve glossaries, validate and plan every text, check the key's quota and the engine.

    With `repeat` (a key of `translator.api.repeats`), an answer made only of cache hits is kept,
    unless translation memories may apply: they change without the cache knowing, and a default
    memory may be created by the caller's next correction.
    """
    glossaries = await request_glossaries(app_state, request, data)
    memories = await request_memories(app_state, request, data)
    plan = plan_request(data, app_state.settings, glossaries, memories)
    if memories or (data.memory is None and default_memory(app_state, request) is not None):
        repeat = None
    await check_quota(app_state, caller_key(request), plan.characters)
    service = app_state.engine.require()
    return PreparedTranslation(app_state, request, data, plan, service, repeat)


async def request_glossaries(
    app_state: AppState, request: Request[Any, Any, Any], data: TranslateRequest
) -> GlossarySelection:
    """The glossaries a translate request names, checked against its languages.

    Raises `InvalidInput` for `glossary` when one is unknown to the caller, or is for another
    language pair than the request's explicit source and target.
    """
    references = [data.glossary] if isinstance(data.glossary, str) else data.glossary or []
    if not references:  # the common case: no session needed
        selection = app_state.glossaries.builtin_only(data.builtin_glossary)
        check_glossaries_apply(selection, data.source, data.target, field="glossary")
        return selection
    async with app_state.sessions() as session:
        return await app_state.glossaries.for_request(
            session,
            owner_of(request),
            references,
            builtin=data.builtin_glossary,
            source=data.source,
            target=data.target,
            field="glossary",
        )


def default_memory(app_state: AppState, request: Request[Any, Any, Any]) -> str | None:
    """The caller's default memory: its key's, or the `default_memory` setting's for callers
    without a key."""
    key = caller_key(request)
    return key.default_memory if key is not None else app_state.settings.default_memory


async def request_memories(
    app_state: AppState, request: Request[Any, Any, Any], data: TranslateRequest
) -> MemorySelection:
    """The translation memories a request names, checked against its languages, or else the
    caller's default memory where it is for the request's pair.

    Raises `InvalidInput` for `memory` when one is unknown to the caller, or is for another
    language pair.
    """
    if data.memory is None:
        reference = default_memory(app_state, request)
        if reference is None:  # the common case: no session needed
            return MemorySelection()
        async with app_state.sessions() as session:
            return await app_state.memories.default(
                session, owner_of(request), reference, source=data.source, target=data.target
            )
    references = [data.memory] if isinstance(data.memory, str) else data.memory
    if not references:
        return MemorySelection()
    async with app_state.sessions() as session:
        return await app_state.memories.for_request(
            session,
            owner_of(request),
            references,
            source=data.source,
            target=data.target,
            field="memory",
        )


async def answer_again(
    app_state: AppState, request: Request[Any, Any, Any], key: bytes
) -> list[TranslationOut] | None:
    """The answer kept under `key`, limited and counted like a new one; None if none is kept
    (nothing is while the engine loads: a request then is checked before it is refused)."""
    service = app_state.engine.service
    if service is None:
        return None
    repeated = app_state.repeats.get(key, service.replacements)
    if repeated is None:
        return None
    await check_quota(app_state, caller_key(request), repeated.characters)
    service.count_hits(repeated.served)
    app_state.metrics.observe(repeated.served)
    await record_usage(app_state, request, repeated.characters, True)
    return repeated.answers


async def translate_request(
    app_state: AppState,
    request: Request[Any, Any, Any],
    data: TranslateRequest,
    repeat: bytes | None,
) -> list[TranslationOut]:
    """Answer again what is kept under `repeat`, or prepare and run at once (keeping an answer
    made only of cache hits there); with `repeat=None` nothing is looked up or kept."""
    if repeat is not None:
        answers = await answer_again(app_state, request, repeat)
        if answers is not None:
            return answers
    prepared = await prepare_translation(app_state, request, data, repeat)
    return await prepared.run()
