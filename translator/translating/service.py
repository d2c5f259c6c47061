"""Cached translation: look up the cache, share identical work in flight, translate, store.

This is the data flow every front end shares (request → cache lookup → mode run → store →
answer). A hit, or an exact translation memory match (served first, never stored), makes no
engine call. Identical requests arriving together run the engine once: the first starts the work
under its cache key, the others join it (`SingleFlight`). `cache=False` skips the lookup but
still writes, replacing the cached row. A failed translation stores nothing.

Transactions stay short and never span a model run (see `translator.store.repository`): one per
stored result. Repeats of recent rows are answered from memory; the other texts of a request are
looked up together in one read (`translator.store.cache_reads`), and hit counts are written in
batches (`translator.translating.hot_cache`), so a hit costs no database write.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from glossary.check import check_terms
from glossary.entries import entries_digest
from translator.engines.protocol import Engine
from translator.engines.types import EngineInfo, Usage
from translator.prompting.modes import Alternative, Mode, ModeRunner, qa_findings
from translator.prompting.prompts import PROMPT_VERSION
from translator.search.config import BudgetName, SearchConfig, default_budget
from translator.search.results import SearchProgress
from translator.search.runner import SearchRunner
from translator.settings import Settings
from translator.store.cache_key import cache_key
from translator.store.cache_reads import cache_reads
from translator.store.models import Trace, Translation
from translator.store.repository import (
    CachedRow,
    TranslationRecord,
    find_translation,
    save_translation,
)
from translator.translating.hot_cache import HitCounter, RecentTranslations
from translator.translating.info_once import InfoOnce
from translator.translating.memories import memory_result, memory_version
from translator.translating.runners import build_runners, search_config
from translator.translating.single_flight import SingleFlight
from translator.translating.translation import PlannedSegment, TranslationResult, Translator

__all__ = ["ProgressCallback", "Served", "TranslateOptions", "TranslationService"]

ProgressCallback = Callable[[int, SearchProgress], None]
"""Called with the index of the planned segment and its search's progress."""


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """How to translate, beyond the texts and languages.

    Attributes:
        mode: direct, cot or mcts.
        budget: Search budget; None means the engine's default.
        rollouts: Cap on the search's rollouts below its budget's.
        use_cache: False skips the lookup (the result is still stored).
        with_trace: Load the stored trace for cache hits too.
    """

    mode: Mode
    budget: BudgetName | None = None
    rollouts: int | None = None
    use_cache: bool = True
    with_trace: bool = False


@dataclass(frozen=True, slots=True)
class Served:
    """One translation as served: its stored id, the result, and where it came from."""

    id: str | None
    """None for an exact translation memory match, which is served and not stored."""
    result: TranslationResult
    cached: bool
    shared: bool = False
    """True when another request's identical engine run produced it."""
    from_memory: bool = False


@dataclass(frozen=True, slots=True)
class _Job:
    """What one engine run needs: a segment, its key, and the resolved search settings."""

    plan: PlannedSegment
    key: str
    search: SearchConfig
    mode: str
    budget_class: str | None
    info: EngineInfo
    glossary_version: str | None
    memory_version: str | None

    def record(self, result: TranslationResult) -> TranslationRecord:
        """The row to cache for `result` (built only after an engine run: hits never need it)."""
        segment = self.plan.segment
        return TranslationRecord(
            source_text=segment.text,
            source_language=segment.source,
            target_language=segment.target,
            mode=self.mode,
            budget_class=self.budget_class,
            engine=self.info.engine,
            model_id=self.info.model_id,
            prompt_version=PROMPT_VERSION,
            glossary_version=self.glossary_version,
            translation=result.translation,
            confidence=round(result.confidence, 4),
            alternatives=[
                {"translation": a.translation, "score": a.score} for a in result.alternatives
            ],
            usage=result.usage.as_dict(),
            memory_version=self.memory_version,
            context=segment.context or None,
            variant=segment.variant,
        )


class TranslationService:
    """Serves translations through one engine, a SQL cache and single-flight deduplication."""

    def __init__(
        self,
        engine: Engine,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
    ) -> None:
        self._engine = InfoOnce(engine)
        self._sessions = sessions
        self._settings = settings
        self._flights: SingleFlight[str, tuple[str, TranslationResult]] = SingleFlight()
        self._recent = RecentTranslations()
        self._configs: dict[tuple[BudgetName, int | None], SearchConfig] = {}
        self._hits = HitCounter(sessions)
        self._reads = cache_reads(sessions)
        self._replacements = 0

    @property
    def replacements(self) -> int:
        """How many cached rows were overwritten (`cache=False`) so far: answers built from
        hits stay valid while this does not change."""
        return self._replacements

    def count_hits(self, served: Sequence[Served]) -> None:
        """Count hits answered without a lookup (a repeated answer's rows)."""
        for row_id in filter(None, (item.id for item in served)):
            self._hits.add(row_id)

    @property
    def in_flight(self) -> int:
        """Engine runs going on now (each may serve several requests)."""
        return len(self._flights)

    async def engine_info(self) -> EngineInfo:
        """The engine and model id (probed once, then remembered)."""
        return await self._engine.info()

    async def check_engine(self) -> EngineInfo:
        """Probe the engine now (for readiness checks); raises `EngineError` when it is down."""
        return await self._engine.probe()

    async def aclose(self) -> None:
        """Cancel runs still in flight and write pending hit counts; the engine is the caller's."""
        await self._flights.aclose()
        await self._hits.aclose()
        self._reads.close()

    async def flush_hits(self) -> None:
        """Write pending hit counts now (before showing a record's count)."""
        await self._hits.flush()

    def _budget_class(self, options: TranslateOptions) -> str | None:
        """The budget part of the cache key: only the search depends on it."""
        if options.mode is not Mode.MCTS:
            return None
        name = options.budget or default_budget(self._engine.name)
        selection = self._settings.search_selection
        rollouts = "" if options.rollouts is None else f"-r{options.rollouts}"
        return f"{name.value}{rollouts}-{selection}"

    def search_config(self, options: TranslateOptions) -> SearchConfig:
        """The budget's search settings with our seed and the request's rollout cap."""
        name = options.budget or default_budget(self._engine.name)
        config = self._configs.get((name, options.rollouts))
        if config is None:
            config = search_config(self._settings, name)
            if options.rollouts is not None:
                config = replace(config, max_rollouts=min(options.rollouts, config.max_rollouts))
            self._configs[name, options.rollouts] = config
        return config

    async def cache_keys(
        self, plans: Sequence[PlannedSegment], options: TranslateOptions
    ) -> list[str]:
        """The cache key each plan's translation is stored under (batch jobs look them up in
        bulk, and use them to tell repeated segments apart)."""
        info = await self.engine_info()
        search = self.search_config(options)
        return [self._job(plan, options, info, search).key for plan in plans]

    async def translate(
        self,
        plans: Sequence[PlannedSegment],
        options: TranslateOptions,
        on_progress: ProgressCallback | None = None,
    ) -> list[Served]:
        """Translate validated segments, in order; memory matches and hits first, then misses."""
        started = time.perf_counter()
        info = await self.engine_info()
        search = self.search_config(options)
        jobs = [self._job(plan, options, info, search) for plan in plans]
        served = {
            i: Served(None, memory_result(p, options.mode, info, 0.0), False, from_memory=True)
            for i, p in enumerate(plans)
            if p.memory is not None and p.memory.exact
        }
        if options.use_cache:
            rest = [i for i in range(len(jobs)) if i not in served]
            hits = await self._lookup([jobs[i] for i in rest], options, started)
            served.update((rest[i], hit) for i, hit in hits.items())
        misses = [i for i in range(len(jobs)) if i not in served]
        if misses:
            results = await asyncio.gather(
                *(self._run(i, jobs[i], options, on_progress) for i in misses)
            )
            served.update(zip(misses, results, strict=True))
        return [served[i] for i in range(len(jobs))]

    def _job(
        self,
        plan: PlannedSegment,
        options: TranslateOptions,
        info: EngineInfo,
        search: SearchConfig,
    ) -> _Job:
        segment = plan.segment
        # Only the terms found in this text change its prompt and checks, so only they are keyed:
        # editing an entry that matches misses the cache, editing any other entry does not.
        glossary_version = entries_digest(m.entry for m in segment.terms) if segment.terms else None
        mode, budget_class = options.mode.value, self._budget_class(options)
        key = _cache_key(
            segment.text,
            segment.source,
            segment.target,
            mode,
            budget_class,
            info.engine,
            info.model_id,
            glossary_version,
            memory := memory_version(plan),
            segment.context or None,
            segment.variant,
        )
        return _Job(plan, key, search, mode, budget_class, info, glossary_version, memory)

    async def _lookup(
        self, jobs: Sequence[_Job], options: TranslateOptions, started: float
    ) -> dict[int, Served]:
        """Cache hits by position, from memory where possible, each counted."""
        hits: dict[int, Served] = {}
        unknown = []
        for index, job in enumerate(jobs):
            row = None if options.with_trace else self._recent.get(job.key)
            if row is None:
                unknown.append(index)
                continue
            self._hits.add(row.id)
            elapsed = time.perf_counter() - started
            hits[index] = Served(row.id, _from_cached(row, job.plan, None, elapsed), cached=True)
        if not unknown:
            return hits
        keys = list(dict.fromkeys(jobs[index].key for index in unknown))
        stored = await self._reads.find(keys, with_trace=options.with_trace)
        elapsed = time.perf_counter() - started
        for index in unknown:
            job = jobs[index]
            found = stored.get(job.key)
            if found is None:
                continue
            self._recent.put(job.key, found.row)
            self._hits.add(found.row.id)
            result = _from_cached(found.row, job.plan, found.trace, elapsed)
            hits[index] = Served(found.row.id, result, cached=True)
        return hits

    async def _run(
        self,
        index: int,
        job: _Job,
        options: TranslateOptions,
        on_progress: ProgressCallback | None,
    ) -> Served:
        def progress(update: SearchProgress) -> None:
            if on_progress is not None:
                on_progress(index, update)

        async def work() -> tuple[str, TranslationResult]:
            return await self._translate_and_store(job, options, progress)

        if not options.use_cache:
            row_id, result = await work()
            shared = False
        else:
            (row_id, result), shared = await self._flights.run(job.key, work)
        detection = job.plan.detection_confidence
        return Served(row_id, replace(result, detection_confidence=detection), False, shared)

    async def _translate_and_store(
        self,
        job: _Job,
        options: TranslateOptions,
        on_progress: Callable[[SearchProgress], None],
    ) -> tuple[str, TranslationResult]:
        translator = Translator(
            self._engine,
            self._runners(job.search, on_progress),
            max_text_chars=self._settings.max_text_chars,
        )
        (result,) = await translator.run([job.plan], options.mode)
        record = job.record(result)
        trace = _stored_trace(result)
        async with self._sessions() as session, session.begin():
            if options.use_cache:
                row = await save_translation(session, record, trace)
            else:
                row = await _replace_translation(session, record, trace)
        if not options.use_cache:  # counted once committed, with the memory dropped below
            self._replacements += 1
        self._recent.discard(job.key)
        return row.id, result

    def _runners(
        self, search: SearchConfig, on_progress: Callable[[SearchProgress], None]
    ) -> Mapping[Mode, ModeRunner]:
        runners = dict(build_runners(self._settings.max_new_tokens, search))
        runners[Mode.MCTS] = SearchRunner(search, on_progress=on_progress)
        return runners


@lru_cache(maxsize=4096)
def _cache_key(
    text: str,
    source: str,
    target: str,
    mode: str,
    budget_class: str | None,
    engine: str,
    model_id: str,
    glossary_version: str | None,
    memory_version: str | None,
    context: str | None,
    variant: str | None,
) -> str:
    """`translator.store.cache_key` remembered for repeated requests (it hashes JSON each time)."""
    return cache_key(
        text=text,
        source=source,
        target=target,
        mode=mode,
        budget_class=budget_class,
        engine=engine,
        model_id=model_id,
        prompt_version=PROMPT_VERSION,
        glossary_version=glossary_version,
        memory_version=memory_version,
        context=context,
        variant=variant,
    )


def _stored_trace(result: TranslationResult) -> dict[str, Any] | None:
    """The search tree with the chosen thought (or just the thought for `cot`) and the glossary
    terms with how they were rendered; a thought alone also keeps the QA findings (a search
    trace has them for its chosen translation)."""
    terms = {"glossary": [t.as_dict() for t in result.terms]} if result.terms else {}
    if result.trace is not None:
        return {**result.trace, "thought": result.thought, **terms}
    if result.thought or terms:
        qa = [finding.as_dict() for finding in result.qa]
        return {
            "version": 1,
            "mode": str(result.mode),
            "thought": result.thought,
            **terms,
            "qa": qa,
        }
    return None


def _from_cached(
    row: CachedRow, plan: PlannedSegment, trace: dict[str, Any] | None, elapsed: float
) -> TranslationResult:
    """A cached row as a result: no engine work, so its usage is zero. Glossary and QA checks
    run again on the stored text (they are cheap, and follow the checks' current version)."""
    return TranslationResult(
        text=plan.segment.text,
        translation=row.translation,
        source_language=row.source_language,
        detection_confidence=plan.detection_confidence,
        target_language=row.target_language,
        mode=Mode(row.mode),
        engine=row.engine,
        model=row.model_id,
        confidence=row.confidence,
        thought=row.thought,
        usage=Usage(),
        batch_seconds=elapsed,
        alternatives=tuple(Alternative(text, score) for text, score in row.alternatives),
        trace=trace if trace is not None and "nodes" in trace else None,
        terms=check_terms(plan.segment.terms, row.translation, plan.segment.target),
        qa=qa_findings(plan.segment, row.translation),
    )


async def _replace_translation(
    session: AsyncSession, record: TranslationRecord, trace: dict[str, Any] | None
) -> Translation:
    """Overwrite the row cached under the record's key (for `cache=False`), or insert it."""
    row = await find_translation(session, record.cache_key)
    if row is None:
        return await save_translation(session, record, trace)
    row.translation = record.translation
    row.confidence = record.confidence
    row.alternatives = [dict(a) for a in record.alternatives]
    row.usage = dict(record.usage or {})
    existing = await session.get(Trace, row.id)
    if existing is not None:
        await session.delete(existing)
        await session.flush()
    if trace is not None:
        session.add(Trace(translation_id=row.id, trace=trace))
    return row
