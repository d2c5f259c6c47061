"""DeepL's v2 glossary routes over our user glossaries (`/v1/glossaries`, the same store).

A glossary made here is one of the caller's glossaries, and one made on `/v1` shows here: the
DeepL id is our id, `glossary_id` on `/v2/translate` takes it. Entries come as DeepL's TSV (the
default) or CSV, are listed back as TSV, and a glossary is ready as soon as it is created.
Languages are answered as DeepL writes them for glossaries (lower case, no regional variant).

Where we differ, as `docs/compatible-apis.md` tables: names are unique per caller (the CLI
refers to glossaries by name), so a second glossary of the same name is a 400; a glossary may be
made for any pair of our languages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter
from sqlalchemy.orm import Session

from glossary.entries import Entry
from glossary.formats import FileFormat, GlossaryFileError, parse_entries, write_entries
from glossary.selection import primary_language
from translator.api.auth import owner_of
from translator.api.compat.body import convert, documented_body, read_fields
from translator.api.compat.deepl_errors import DEEPL_ERROR_RESPONSES, DEEPL_ERRORS
from translator.api.compat.shared import identify_caller
from translator.api.state import AppState, AppStateDependency
from translator.errors import InvalidInput
from translator.store.glossaries import (
    DuplicateGlossaryName,
    UnknownGlossary,
    create_glossary_blocking,
    delete_glossary_blocking,
    find_glossary,
    find_glossary_blocking,
    list_glossaries,
    load_entries,
)
from translator.store.models import Glossary
from translator.text.languages import LANGUAGES, normalize_language
from translator.translating.glossaries import check_glossary_name

__all__ = ["deepl_glossary_routes"]

_TAG = ["deepl"]
_TSV = "text/tab-separated-values"
_FORMATS = {"tsv": FileFormat.TSV, "csv": FileFormat.CSV}

GlossaryId = Annotated[str, PathParameter(max_length=200, description="The glossary's id.")]


class DeepLGlossaryCreate(msgspec.Struct, kw_only=True):
    """`POST /v2/glossaries`, as JSON or a form."""

    name: Annotated[str, msgspec.Meta(max_length=1024)]
    source_lang: Annotated[str, msgspec.Meta(max_length=35)]
    target_lang: Annotated[str, msgspec.Meta(max_length=35)]
    entries: str
    entries_format: str = "tsv"
    auth_key: str | None = None


class DeepLGlossary(msgspec.Struct):
    glossary_id: str
    name: str
    ready: bool
    source_lang: str
    target_lang: str
    creation_time: str
    entry_count: int


class DeepLGlossaries(msgspec.Struct):
    glossaries: list[DeepLGlossary]


class DeepLLanguagePair(msgspec.Struct):
    source_lang: str
    target_lang: str


class DeepLLanguagePairs(msgspec.Struct):
    supported_languages: list[DeepLLanguagePair]


def _timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and `Z`, as DeepL writes `creation_time`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _out(glossary: Glossary) -> DeepLGlossary:
    return DeepLGlossary(
        glossary_id=glossary.id,
        name=glossary.name,
        ready=True,
        source_lang=primary_language(glossary.source_language),
        target_lang=primary_language(glossary.target_language),
        creation_time=_timestamp(glossary.created_at),
        entry_count=glossary.entry_count,
    )


async def _caller(app_state: AppState, request: Request[Any, Any, Any]) -> str:
    """The owner of the glossaries this caller sees, once its key is checked."""
    await identify_caller(app_state, request, request.query_params.get("auth_key"))
    return owner_of(request)


def _entries(data: DeepLGlossaryCreate, source: str, target: str) -> list[Entry]:
    fmt = _FORMATS.get(data.entries_format.lower())
    if fmt is None:
        raise InvalidInput(
            "entries_format", f"Value for 'entries_format' not supported: {data.entries_format!r}"
        )
    try:
        entries = parse_entries(
            data.entries.encode("utf-8"), fmt, source=source, target=target, origin=""
        )
    except GlossaryFileError as error:
        raise InvalidInput("entries", f"Invalid glossary entries provided: {error}") from error
    if not entries:
        raise InvalidInput("entries", "Invalid glossary entries provided: there are none")
    return entries


@post(
    "/v2/glossaries",
    status_code=201,
    summary="Create a glossary (DeepL API v2)",
    description="`name`, `source_lang`, `target_lang` and `entries` as TSV (default) or CSV "
    "(`entries_format`); it becomes one of the caller's glossaries.",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    operation_class=documented_body(DeepLGlossaryCreate),
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_create_glossary(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> DeepLGlossary:
    fields = await read_fields(request)
    await identify_caller(app_state, request, fields.get("auth_key"))
    data = convert(fields, DeepLGlossaryCreate)
    name = check_glossary_name(data.name)
    source = normalize_language(data.source_lang, field="source_lang")
    target = normalize_language(data.target_lang, field="target_lang")
    if source == target:
        raise InvalidInput("target_lang", "source and target languages are the same")
    entries = _entries(data, source, target)
    owner = owner_of(request)

    def store(session: Session) -> Glossary:
        return create_glossary_blocking(
            session, owner=owner, name=name, source=source, target=target, entries=entries
        )

    try:
        glossary = await app_state.writes.run(store)
    except DuplicateGlossaryName as error:
        raise InvalidInput("name", str(error)) from error
    return _out(glossary)


@get(
    "/v2/glossaries",
    summary="List glossaries (DeepL API v2)",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_list_glossaries(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> DeepLGlossaries:
    owner = await _caller(app_state, request)
    async with app_state.sessions() as session:
        glossaries = await list_glossaries(session, owner)
    return DeepLGlossaries([_out(g) for g in glossaries])


async def _find(
    app_state: AppState, owner: str, glossary_id: str, *, with_entries: bool = False
) -> tuple[Glossary, tuple[Entry, ...]]:
    """The owner's glossary (and its entries where asked); another owner's is not found."""
    async with app_state.sessions() as session:
        try:
            glossary = await find_glossary(session, owner, glossary_id)
        except UnknownGlossary as error:
            raise NotFoundException("Glossary not found") from error
        return glossary, await load_entries(session, glossary) if with_entries else ()


@get(
    "/v2/glossaries/{glossary_id:str}",
    summary="Get a glossary (DeepL API v2)",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_get_glossary(
    glossary_id: GlossaryId, app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> DeepLGlossary:
    owner = await _caller(app_state, request)
    glossary, _ = await _find(app_state, owner, glossary_id)
    return _out(glossary)


@get(
    "/v2/glossaries/{glossary_id:str}/entries",
    summary="A glossary's entries as TSV (DeepL API v2)",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_glossary_entries(
    glossary_id: GlossaryId, app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> Response[bytes]:
    owner = await _caller(app_state, request)
    glossary, entries = await _find(app_state, owner, glossary_id, with_entries=True)
    content = write_entries(
        entries,
        FileFormat.TSV,
        source=glossary.source_language,
        target=glossary.target_language,
        name=glossary.name,
    )
    return Response(content, media_type=_TSV)


@delete(
    "/v2/glossaries/{glossary_id:str}",
    summary="Delete a glossary (DeepL API v2)",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_delete_glossary(
    glossary_id: GlossaryId, app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> None:
    owner = await _caller(app_state, request)

    def remove(session: Session) -> None:
        try:
            glossary = find_glossary_blocking(session, owner, glossary_id)
        except UnknownGlossary as error:
            raise NotFoundException("Glossary not found") from error
        delete_glossary_blocking(session, glossary)

    await app_state.writes.run(remove)


@get(
    "/v2/glossary-language-pairs",
    summary="Language pairs glossaries can be made for (DeepL API v2)",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_glossary_language_pairs(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> DeepLLanguagePairs:
    await _caller(app_state, request)
    codes = list(dict.fromkeys(primary_language(code) for code in LANGUAGES))
    return DeepLLanguagePairs([DeepLLanguagePair(s, t) for s in codes for t in codes if s != t])


deepl_glossary_routes = [
    deepl_create_glossary,
    deepl_list_glossaries,
    deepl_get_glossary,
    deepl_glossary_entries,
    deepl_delete_glossary,
    deepl_glossary_language_pairs,
]
