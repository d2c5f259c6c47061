"""`/v1/glossaries`: the caller's own glossaries (create, list, read, export, replace, delete).

Glossaries belong to the API key that created them (to everyone without a key when keys are
off, shared with the CLI); another key's glossary answers 404. Replacing the entries makes a new
version; cached translations whose terms changed are then not reused (see `TranslationService`).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, delete, get, post, put
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import JSONBody, PathParameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from glossary.entries import Entry
from glossary.formats import (
    Concept,
    FileFormat,
    GlossaryFileError,
    entries_from_concepts,
    parse_entries,
)
from glossary.formats import write_entries as write_file
from translator.api.auth import owner_of
from translator.api.downloads import attachment
from translator.api.links import OperationId, glossary_links, linked
from translator.api.problems import problem_responses, require_utf8
from translator.api.schemas import (
    GlossaryCreate,
    GlossaryEntriesOut,
    GlossaryEntriesReplace,
    GlossaryEntryIn,
    GlossaryEntryOut,
    GlossaryList,
    GlossaryOut,
)
from translator.api.state import AppStateDependency
from translator.errors import InvalidInput
from translator.store.glossaries import (
    DuplicateGlossaryName,
    UnknownGlossary,
    create_glossary,
    delete_glossary,
    find_glossary,
    list_glossaries,
    load_entries,
    replace_entries,
)
from translator.store.models import Glossary
from translator.translating.glossaries import (
    check_glossary_languages,
    check_glossary_name,
)

__all__ = ["glossary_routes"]

GlossaryId = Annotated[
    str, PathParameter(max_length=200, description="A glossary's id (or its name).")
]
_MEDIA_TYPES = {
    FileFormat.TSV: "text/tab-separated-values",  # Litestar adds the charset to text types
    FileFormat.CSV: "text/csv",
    FileFormat.TBX: "application/x-tbx+xml",
}


def _out(glossary: Glossary) -> GlossaryOut:
    return GlossaryOut(
        id=glossary.id,
        name=glossary.name,
        source=glossary.source_language,
        target=glossary.target_language,
        version=glossary.version,
        entry_count=glossary.entry_count,
        created_at=glossary.created_at,
        updated_at=glossary.updated_at,
    )


def _entries(
    entries: list[GlossaryEntryIn] | str, fmt: FileFormat, *, source: str, target: str
) -> list[Entry]:
    """Checked entries from a list of objects or a file's text; errors name the entry or line."""
    try:
        if isinstance(entries, str):
            return parse_entries(
                entries.encode("utf-8"), fmt, source=source, target=target, origin=""
            )
        concepts = [
            Concept(i, (e.source, *e.variants), (e.target,), tuple(e.acceptable), e.meaning)
            for i, e in enumerate(entries)
        ]
        return entries_from_concepts(concepts, origin="", place="in entries[{}]".format)
    except GlossaryFileError as error:
        if isinstance(entries, str):
            raise InvalidInput("entries", str(error)) from error
        raise InvalidInput(f"entries[{error.line}]", error.reason) from error


@post(
    "/glossaries",
    status_code=201,
    before_request=require_utf8,
    summary="Create a glossary",
    tags=["glossaries"],
    operation_class=linked(201, glossary_links()),
    responses=problem_responses(400, 401, 403, 409, 413, 429, 503),
)
async def create(
    data: JSONBody[GlossaryCreate],
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
) -> GlossaryOut:
    """A new glossary (version 1) for one language pair, from entry objects or a file's text."""
    name = check_glossary_name(data.name)
    source, target = check_glossary_languages(data.source, data.target)
    entries = _entries(data.entries, data.entries_format, source=source, target=target)
    async with app_state.sessions() as session, session.begin():
        try:
            glossary = await create_glossary(
                session,
                owner=owner_of(request),
                name=name,
                source=source,
                target=target,
                entries=entries,
            )
        except DuplicateGlossaryName as error:
            raise HTTPException(status_code=409, detail=str(error)) from error
    return _out(glossary)


@get(
    "/glossaries",
    summary="List glossaries",
    tags=["glossaries"],
    responses=problem_responses(401, 403, 429, 503),
)
async def list_all(app_state: AppStateDependency, request: Request[Any, Any, Any]) -> GlossaryList:
    """The caller's glossaries, by name."""
    async with app_state.sessions() as session:
        glossaries = await list_glossaries(session, owner_of(request))
    return GlossaryList([_out(g) for g in glossaries])


@get(
    "/glossaries/{glossary_id:str}",
    summary="Get a glossary",
    tags=["glossaries"],
    operation_id=OperationId.GET_GLOSSARY,
    operation_class=linked(200, glossary_links()),
    responses=problem_responses(401, 403, 404, 429, 503),
)
async def get_one(
    glossary_id: GlossaryId, app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> GlossaryOut:
    """One glossary's name, languages, version and size."""
    async with app_state.sessions() as session:
        glossary = await _find(session, request, glossary_id)
    return _out(glossary)


@get(
    "/glossaries/{glossary_id:str}/entries",
    summary="Get or export a glossary's entries",
    tags=["glossaries"],
    operation_id=OperationId.GET_GLOSSARY_ENTRIES,
    operation_class=linked(200, glossary_links(translate=False)),
    responses=problem_responses(400, 401, 403, 404, 429, 503),
)
async def get_entries(
    glossary_id: GlossaryId,
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
    format: Annotated[
        FileFormat | None,
        QueryParameter(description="Export as a tsv, csv or tbx file instead of JSON."),
    ] = None,
) -> Response[Any]:
    """The entries as JSON, or as a file in DeepL's TSV/CSV format or TBX-Basic."""
    async with app_state.sessions() as session:
        glossary = await _find(session, request, glossary_id)
        entries = await load_entries(session, glossary)
    if format is None:
        body = GlossaryEntriesOut(
            id=glossary.id,
            version=glossary.version,
            entries=[
                GlossaryEntryOut(
                    source=e.forms[0],
                    target=e.preferred[0],
                    variants=list(e.forms[1:]),
                    acceptable=list(e.preferred[1:] + e.acceptable),
                    meaning=e.meaning,
                )
                for e in entries
            ],
        )
        return Response(body)
    content = write_file(
        entries,
        format,
        source=glossary.source_language,
        target=glossary.target_language,
        name=glossary.name,
    )
    return attachment(content, _MEDIA_TYPES[format], f"{glossary.name}.{format.value}")


@put(
    "/glossaries/{glossary_id:str}/entries",
    before_request=require_utf8,
    summary="Replace a glossary's entries",
    tags=["glossaries"],
    operation_id=OperationId.REPLACE_GLOSSARY_ENTRIES,
    operation_class=linked(200, glossary_links()),
    responses=problem_responses(400, 401, 403, 404, 413, 429, 503),
)
async def replace(
    glossary_id: GlossaryId,
    data: JSONBody[GlossaryEntriesReplace],
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
) -> GlossaryOut:
    """All entries swapped for the new ones, as one new version (nothing changes on error)."""
    async with app_state.sessions() as session, session.begin():
        glossary = await _find(session, request, glossary_id)
        entries = _entries(
            data.entries,
            data.entries_format,
            source=glossary.source_language,
            target=glossary.target_language,
        )
        await replace_entries(session, glossary, entries)
    return _out(glossary)


@delete(
    "/glossaries/{glossary_id:str}",
    summary="Delete a glossary",
    tags=["glossaries"],
    operation_id=OperationId.DELETE_GLOSSARY,
    responses=problem_responses(401, 403, 404, 429, 503),
)
async def remove(
    glossary_id: GlossaryId, app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> None:
    """The glossary and its entries are gone; translations cached with it stay."""
    async with app_state.sessions() as session, session.begin():
        glossary = await _find(session, request, glossary_id)
        await delete_glossary(session, glossary)


async def _find(
    session: AsyncSession, request: Request[Any, Any, Any], glossary_id: str
) -> Glossary:
    try:
        return await find_glossary(session, owner_of(request), glossary_id)
    except UnknownGlossary as error:
        raise NotFoundException(f"no glossary {glossary_id!r}") from error


glossary_routes = [create, list_all, get_one, get_entries, replace, remove]
