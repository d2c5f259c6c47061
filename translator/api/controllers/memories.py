"""`/v1/memories`: the caller's translation memories (create, list, read, export, replace, add
to, delete).

Memories belong to the API key that created them (to everyone without a key when keys are off,
shared with the CLI); another key's memory answers 404. Every change makes a new version, and
translations use the new pairs at once (see `translator.translating.memories`).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, delete, get, post, put
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import JSONBody, PathParameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from translator.api.auth import owner_of
from translator.api.downloads import attachment
from translator.api.problems import problem_responses, require_utf8
from translator.api.schemas import (
    MemoryCreate,
    MemoryEntriesOut,
    MemoryEntriesReplace,
    MemoryList,
    MemoryOut,
    MemoryPairIn,
)
from translator.api.state import AppStateDependency
from translator.errors import InvalidInput
from translator.memory.formats import MemoryFormat, checked_pairs, parse_pairs, write_pairs
from translator.memory.pairs import MAX_PAIRS, MemoryFileError, check_memory_name
from translator.store.memories import (
    DuplicateMemoryName,
    UnknownMemory,
    add_pairs,
    create_memory,
    delete_memory,
    find_memory,
    list_memories,
    load_pairs,
    replace_pairs,
)
from translator.store.models import Memory
from translator.store.pairs import Pair
from translator.text.languages import normalize_pair

__all__ = ["memory_out", "memory_routes"]

MAX_BODY_BYTES = 64 * 1024 * 1024
"""A TMX file's text inside JSON (escapes included) may be larger than the usual body limit."""
MemoryId = Annotated[str, PathParameter(max_length=200, description="A memory's id (or name).")]
_MEDIA_TYPES = {
    MemoryFormat.TMX: "application/x-tmx+xml",
    MemoryFormat.TSV: "text/tab-separated-values",
    MemoryFormat.CSV: "text/csv",
}
_WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 429, 503)


def memory_out(memory: Memory) -> MemoryOut:
    return MemoryOut(
        id=memory.id,
        name=memory.name,
        source=memory.source_language,
        target=memory.target_language,
        version=memory.version,
        entry_count=memory.entry_count,
        created_at=memory.created_at,
        updated_at=memory.updated_at,
    )


def _pairs(
    entries: list[MemoryPairIn] | str, fmt: MemoryFormat, *, source: str, target: str
) -> list[Pair]:
    """Checked pairs from a list of objects or a file's text; errors name the entry or line."""
    try:
        if isinstance(entries, str):
            return parse_pairs(entries.encode("utf-8"), fmt, source=source, target=target)
        return checked_pairs([(i, Pair(e.source, e.target)) for i, e in enumerate(entries)])
    except MemoryFileError as error:
        if isinstance(entries, str):
            raise InvalidInput("entries", str(error)) from error
        raise InvalidInput(f"entries[{error.line}]", error.reason) from error


@post(
    "/memories",
    status_code=201,
    before_request=require_utf8,
    request_max_body_size=MAX_BODY_BYTES,
    summary="Create a translation memory",
    tags=["memories"],
    responses=_WRITE_ERRORS,
)
async def create(
    data: JSONBody[MemoryCreate], app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> MemoryOut:
    """A new memory (version 1) for one language pair, from pairs or a TMX, TSV or CSV file's
    text; a bad file is refused whole, naming its line, and nothing is stored."""
    name = check_memory_name(data.name)
    source, target = normalize_pair(data.source, data.target, allow_auto=False)
    pairs = _pairs(data.entries, data.entries_format, source=source, target=target)
    async with app_state.sessions() as session, session.begin():
        try:
            memory = await create_memory(
                session,
                owner=owner_of(request),
                name=name,
                source=source,
                target=target,
                pairs=pairs,
            )
        except DuplicateMemoryName as error:
            raise HTTPException(status_code=409, detail=str(error)) from error
    return memory_out(memory)


@get(
    "/memories",
    summary="List translation memories",
    tags=["memories"],
    responses=problem_responses(401, 403, 429, 503),
)
async def list_all(app_state: AppStateDependency, request: Request[Any, Any, Any]) -> MemoryList:
    """The caller's memories, by name."""
    async with app_state.sessions() as session:
        memories = await list_memories(session, owner_of(request))
    return MemoryList([memory_out(m) for m in memories])


@get(
    "/memories/{memory_id:str}",
    summary="Get a translation memory",
    tags=["memories"],
    responses=problem_responses(401, 403, 404, 429, 503),
)
async def get_one(
    memory_id: MemoryId, app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> MemoryOut:
    """One memory's name, languages, version and size."""
    async with app_state.sessions() as session:
        memory = await _find(session, request, memory_id)
    return memory_out(memory)


@get(
    "/memories/{memory_id:str}/entries",
    summary="Get or export a translation memory's pairs",
    tags=["memories"],
    responses=problem_responses(400, 401, 403, 404, 429, 503),
)
async def get_entries(
    memory_id: MemoryId,
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
    format: Annotated[
        MemoryFormat | None,
        QueryParameter(description="Export as a tmx, tsv or csv file instead of JSON."),
    ] = None,
) -> Response[Any]:
    """The pairs in the order they were added, as JSON or as a TMX 1.4b, TSV or CSV file."""
    async with app_state.sessions() as session:
        memory = await _find(session, request, memory_id)
        pairs = await load_pairs(session, memory.id)
    if format is None:
        entries = [MemoryPairIn(source=p.source, target=p.target) for p in pairs]
        return Response(MemoryEntriesOut(memory.id, memory.version, entries))
    content = write_pairs(
        pairs, format, source=memory.source_language, target=memory.target_language
    )
    return attachment(content, _MEDIA_TYPES[format], f"{memory.name}.{format.value}")


@put(
    "/memories/{memory_id:str}/entries",
    before_request=require_utf8,
    request_max_body_size=MAX_BODY_BYTES,
    summary="Replace a translation memory's pairs",
    tags=["memories"],
    responses=_WRITE_ERRORS,
)
async def replace(
    memory_id: MemoryId,
    data: JSONBody[MemoryEntriesReplace],
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
) -> MemoryOut:
    """All pairs swapped for the new ones, as one new version (nothing changes on error)."""
    async with app_state.sessions() as session, session.begin():
        memory = await _find(session, request, memory_id)
        pairs = _pairs(
            data.entries,
            data.entries_format,
            source=memory.source_language,
            target=memory.target_language,
        )
        memory = await replace_pairs(session, memory, pairs)
    return memory_out(memory)


@post(
    "/memories/{memory_id:str}/entries",
    status_code=200,
    before_request=require_utf8,
    request_max_body_size=MAX_BODY_BYTES,
    summary="Add or update pairs of a translation memory",
    tags=["memories"],
    responses=_WRITE_ERRORS,
)
async def add(
    memory_id: MemoryId,
    data: JSONBody[MemoryEntriesReplace],
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
) -> MemoryOut:
    """The pairs added; a source the memory holds already gets the new translation."""
    async with app_state.sessions() as session, session.begin():
        memory = await _find(session, request, memory_id)
        pairs = _pairs(
            data.entries,
            data.entries_format,
            source=memory.source_language,
            target=memory.target_language,
        )
        if memory.entry_count + len(pairs) > MAX_PAIRS:
            raise InvalidInput("entries", f"the memory would hold over {MAX_PAIRS} pairs")
        memory = await add_pairs(session, memory, pairs, origin="import")
    return memory_out(memory)


@delete(
    "/memories/{memory_id:str}",
    summary="Delete a translation memory",
    tags=["memories"],
    responses=problem_responses(401, 403, 404, 429, 503),
)
async def remove(
    memory_id: MemoryId, app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> None:
    """The memory and its pairs are gone; translations made with them stay cached."""
    async with app_state.sessions() as session, session.begin():
        await delete_memory(session, await _find(session, request, memory_id))


async def _find(session: AsyncSession, request: Request[Any, Any, Any], memory_id: str) -> Memory:
    try:
        return await find_memory(session, owner_of(request), memory_id)
    except UnknownMemory as error:
        raise NotFoundException(f"no memory {memory_id!r}") from error


memory_routes = [create, list_all, get_one, get_entries, replace, add, remove]
