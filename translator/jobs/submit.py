"""From an uploaded catalog and a spec to a stored, queued job, refusing bad input first.

The API and `translator batch` both come through here, so they accept and refuse exactly the
same files. Nothing is stored unless the whole file reads, the mapping fits its header, the
ids are unique and the glossaries exist for the language pair; the job and all of its rows are
then written in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from translator.jobs.catalog import CatalogError, CatalogRow, format_of, read_catalog
from translator.jobs.spec import JobSpec
from translator.settings import Settings
from translator.store.jobs import JobState, insert_job
from translator.store.models import Job, new_id
from translator.translating.glossaries import GlossaryResolver
from translator.translating.memories import MemoryResolver

__all__ = ["create_job", "spec_digest"]


def spec_digest(data: bytes, spec: JobSpec) -> str:
    """Identifies "this file with these options": `translator batch --resume` looks it up."""
    digest = hashlib.sha256(data)
    digest.update(repr(sorted(spec.to_json().items())).encode())
    return digest.hexdigest()


async def create_job(
    session: AsyncSession,
    glossaries: GlossaryResolver,
    settings: Settings,
    *,
    owner: str,
    file_name: str,
    data: bytes,
    spec: JobSpec,
    memories: MemoryResolver | None = None,
    default_memory: str | None = None,
) -> Job:
    """Check everything and store the job with its rows (in the caller's transaction).

    A spec naming no translation memory uses `default_memory` where it is for the job's pair.
    Raises `CatalogError` for the file and `InvalidInput` for the mapping or options.
    """
    catalog = read_catalog(data, format_of(file_name), max_rows=settings.jobs_max_rows)
    checked = spec.checked(catalog.header)
    if checked.id_column is not None:
        _check_ids(catalog.rows, checked.id_column)
    selection = await glossaries.for_request(
        session,
        owner,
        checked.glossaries,
        builtin=checked.builtin_glossary,
        source=checked.source,
        target=checked.target,
        field="glossary",
    )
    resolver = memories or MemoryResolver()
    if checked.memories:
        chosen = await resolver.for_request(
            session,
            owner,
            checked.memories,
            source=checked.source,
            target=checked.target,
            field="memory",
        )
    else:
        chosen = await resolver.default(
            session, owner, default_memory, source=checked.source, target=checked.target
        )
    checked = msgspec.structs.replace(
        checked,
        glossaries=[g.id for g in selection.user],
        memories=[m.id for m in chosen.memories],
    )
    job = Job(
        id=new_id(),
        owner=owner,
        state=JobState.QUEUED,
        file_name=file_name[-255:],
        file_format=catalog.format.value,
        file_digest=spec_digest(data, spec),
        layout={"columns": catalog.header, "delimiter": catalog.delimiter},
        options=checked.to_json(),
        total_rows=len(catalog.rows),
    )
    await insert_job(session, job, [(row.line, row.values) for row in catalog.rows])
    return job


def _check_ids(rows: Sequence[CatalogRow], column: str) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        value = row.values.get(column)
        text = "" if value is None else str(value).strip()
        if not text:
            raise CatalogError(row.line, f"the id column {column!r} is empty")
        if text in seen:
            raise CatalogError(row.line, f"id {text!r} repeats line {seen[text]}")
        seen[text] = row.line
