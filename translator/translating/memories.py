"""Translation memories at translation time: which memories a request uses, what they hold for
each of its texts, and the answer an exact match gives without the engine.

Front ends (API routes, catalog jobs, the CLI) resolve memory references here, so the rules (an
unknown reference, a memory for another language pair, a default that does not apply) read the
same everywhere. Indexes are kept per memory and rebuilt when its version changes (every import
and correction bumps it), so a request costs one metadata query per memory.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from glossary.check import check_terms
from translator.engines.types import EngineInfo, Usage
from translator.errors import InvalidInput
from translator.memory.index import MemoryIndex, pairs_digest
from translator.memory.pairs import MAX_PAIRS, MemoryFileError, check_memory_name, check_segment
from translator.memory.selection import MemorySelection, SelectedMemory
from translator.prompting.modes import Mode
from translator.store.memories import (
    UnknownMemory,
    add_pairs,
    create_memory,
    find_memory,
    load_pairs,
)
from translator.store.models import Memory
from translator.store.pairs import Pair
from translator.text.languages import AUTO, normalize_language
from translator.translating.translation import PlannedSegment, TranslationResult

__all__ = [
    "MemoryResolver",
    "check_memories_apply",
    "keep_correction",
    "match_memories",
    "memory_result",
    "memory_version",
]


class MemoryResolver:
    """Remembers the index of the last `capacity` memories used."""

    def __init__(self, capacity: int = 16) -> None:
        self._capacity = capacity
        self._indexes: OrderedDict[str, tuple[int, MemoryIndex]] = OrderedDict()

    async def resolve(
        self,
        session: AsyncSession,
        owner: str,
        references: Sequence[str],
        *,
        missing_ok: bool = False,
    ) -> MemorySelection:
        """The memories `references` (ids or names) name, in order; raises `UnknownMemory`
        (unless `missing_ok`: a job goes on without a memory deleted while it runs)."""
        found = []
        for reference in dict.fromkeys(references):
            try:
                found.append(await find_memory(session, owner, reference))
            except UnknownMemory:
                if not missing_ok:
                    raise
        memories = list({m.id: m for m in found}.values())  # an id and a name may agree
        return MemorySelection([await self._selected(session, m) for m in memories])

    async def for_request(
        self,
        session: AsyncSession,
        owner: str,
        references: Sequence[str],
        *,
        source: str,
        target: str,
        field: str,
    ) -> MemorySelection:
        """The memories a request names, checked against its languages.

        Raises `InvalidInput` naming `field` for a reference the owner has no memory for, and
        for a memory made for another language pair.
        """
        try:
            selection = await self.resolve(session, owner, references)
        except UnknownMemory as error:
            raise InvalidInput(field, f"no memory {error.reference!r}") from error
        check_memories_apply(selection, source, target, field=field)
        return selection

    async def default(
        self, session: AsyncSession, owner: str, reference: str | None, *, source: str, target: str
    ) -> MemorySelection:
        """The owner's default memory where it exists and is for this pair; else none (a
        default never refuses a request)."""
        if not reference:
            return MemorySelection()
        try:
            selection = await self.resolve(session, owner, [reference])
            check_memories_apply(selection, source, target, field="memory")
        except (UnknownMemory, InvalidInput):
            return MemorySelection()
        return selection

    async def _selected(self, session: AsyncSession, memory: Memory) -> SelectedMemory:
        cached = self._indexes.get(memory.id)
        if cached is None or cached[0] != memory.version:
            pairs = await load_pairs(session, memory.id)
            cached = (memory.version, await asyncio.to_thread(MemoryIndex, memory.id, pairs))
            self._indexes[memory.id] = cached
            if len(self._indexes) > self._capacity:
                self._indexes.popitem(last=False)
        self._indexes.move_to_end(memory.id)
        return SelectedMemory(
            id=memory.id,
            name=memory.name,
            version=memory.version,
            source=memory.source_language,
            target=memory.target_language,
            index=cached[1],
        )


def check_memories_apply(
    selection: MemorySelection, source: str, target: str, *, field: str
) -> None:
    """Refuse a memory made for another pair than the request's (`auto`: the target only)."""
    source = normalize_language(source, field="source", allow_auto=True)
    target = normalize_language(target, field="target")
    for memory in selection.memories:
        pair_source = memory.source if source == AUTO else source
        if not memory.applies_to(pair_source, target):
            raise InvalidInput(
                field,
                f"memory {memory.name!r} is for {memory.source} to {memory.target}, "
                f"not {source} to {target}",
            )


def match_memories(
    plans: Sequence[PlannedSegment],
    selection: MemorySelection,
    *,
    threshold: float,
    examples: int,
) -> list[PlannedSegment]:
    """The plans with what the memories hold for each; similar pairs become prompt examples."""
    if not selection:
        return list(plans)
    matched = []
    for plan in plans:
        segment = plan.segment
        if segment.source != segment.target:
            found = selection.match(
                segment.text, segment.source, segment.target, threshold=threshold, limit=examples
            )
            if found is not None:
                shown = (
                    ()
                    if found.exact
                    else tuple((s.pair.source, s.pair.target) for s in found.pairs)
                )
                plan = replace(plan, memory=found, segment=replace(segment, examples=shown))
        matched.append(plan)
    return matched


def memory_version(plan: PlannedSegment) -> str | None:
    """The cache key's memory part: the examples shown, or (never stored, so never found in
    the cache) the exact pair."""
    if plan.memory is None:
        return None
    digest = pairs_digest(scored.pair for scored in plan.memory.pairs)
    return f"exact-{digest}" if plan.memory.exact else digest


def memory_result(
    plan: PlannedSegment, mode: Mode, info: EngineInfo, elapsed: float
) -> TranslationResult:
    """An exact match's approved translation as a result: no engine work, full confidence."""
    assert plan.memory is not None and plan.memory.exact
    segment = plan.segment
    translation = plan.memory.pairs[0].pair.target
    return TranslationResult(
        text=segment.text,
        translation=translation,
        source_language=segment.source,
        detection_confidence=plan.detection_confidence,
        target_language=segment.target,
        mode=mode,
        engine=info.engine,
        model=info.model_id,
        confidence=1.0,
        thought="",
        usage=Usage(),
        batch_seconds=elapsed,
        terms=check_terms(segment.terms, translation, segment.target),
    )


async def keep_correction(
    session: AsyncSession,
    owner: str,
    reference: str,
    pair: Pair,
    *,
    source: str,
    target: str,
    origin: str,
    create: bool,
    translation_id: str | None = None,
) -> Memory:
    """Store an approved pair from `source` to `target` in the owner's memory `reference` (a
    correction or a suggestion), creating a memory of that name where `create` allows.

    Raises `InvalidInput` naming `memory` for an unknown memory (without `create`), a memory
    for another pair or a full one, and naming `translation` for an unusable segment.
    """
    try:
        checked = Pair(
            check_segment(pair.source, None, "source"),
            check_segment(pair.target, None, "target"),
        )
    except MemoryFileError as error:
        raise InvalidInput("translation", error.reason) from error
    try:
        memory = await find_memory(session, owner, reference)
    except UnknownMemory as error:
        if not create:
            raise InvalidInput("memory", f"no memory {reference!r}") from error
        name = check_memory_name(reference, "memory")
        return await create_memory(
            session,
            owner=owner,
            name=name,
            source=source,
            target=target,
            pairs=[checked],
            origin=origin,
        )
    if (memory.source_language, memory.target_language) != (source, target):
        raise InvalidInput(
            "memory",
            f"memory {memory.name!r} is for {memory.source_language} to "
            f"{memory.target_language}, not {source} to {target}",
        )
    if memory.entry_count >= MAX_PAIRS:
        raise InvalidInput("memory", f"memory {memory.name!r} is full ({MAX_PAIRS} pairs)")
    return await add_pairs(session, memory, [checked], origin=origin, translation_id=translation_id)
