"""The tables, as SQLAlchemy 2 declarative models that run unchanged on SQLite and PostgreSQL.

Portable types only: `String`/`Text`, `Float`, `Integer`, `Date`, `JSON` (JSON on PostgreSQL,
text on SQLite) and `UtcDateTime`, which keeps timestamps timezone-aware on SQLite too. Ids are
UUID strings made in Python, so a row's id is known before it is written (the trace needs it).
Constraint names follow one convention so that migrations can refer to them on both backends.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "LOCAL_OWNER",
    "ApiKey",
    "Base",
    "Glossary",
    "GlossaryEntry",
    "Job",
    "JobRow",
    "JobSegment",
    "KeyUsage",
    "Memory",
    "MemoryEntry",
    "Trace",
    "Translation",
    "UtcDateTime",
    "new_id",
    "utc_now",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A random UUID as text: portable (no native UUID type on SQLite) and safe to show."""
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL stores `timestamptz`; SQLite has no time zones and hands back naive values, so
    values are converted to UTC on the way in and marked UTC on the way out. Naive datetimes
    are refused: their zone would be a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Translation(Base):
    """One cached translation, found again by `cache_key` (see `translator.store.cache_key`).

    `source_text` is the text exactly as the first request sent it; only the key is computed
    from the normalised form.
    """

    __tablename__ = "translations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    source_text: Mapped[str] = mapped_column(Text)
    source_language: Mapped[str] = mapped_column(String(16))
    target_language: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    budget_class: Mapped[str | None] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(32))
    model_id: Mapped[str] = mapped_column(String(255))
    prompt_version: Mapped[str] = mapped_column(String(64))
    glossary_version: Mapped[str | None] = mapped_column(String(64))
    memory_version: Mapped[str | None] = mapped_column(String(64))
    """Digest of the approved pairs the prompt showed as examples (fuzzy memory matches)."""
    translation: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    usage: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    hit_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Trace(Base):
    """The reasoning trace of one translation (the MCTS tree, or a thought), as one document.

    One JSON value rather than a table of nodes: the trace page always loads a whole tree at
    once, and traces are written once with their translation and never queried by node, so
    rows per node would only add joins and write amplification. It lives in its own table so
    that cache lookups never read these large documents; deleting the translation deletes it.
    """

    __tablename__ = "traces"

    translation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("translations.id", ondelete="CASCADE"), primary_key=True
    )
    trace: Mapped[dict[str, Any]] = mapped_column(JSON)


class ApiKey(Base):
    """An API key: only its SHA-256 is stored; the plaintext is shown once, at creation.

    A fast hash is enough because keys are 256-bit random tokens, not guessable passwords.
    `prefix` (the first 8 characters) lets people tell their keys apart in listings. The
    defaults and the quota are set with `translator keys create`.
    """

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    requests_per_minute: Mapped[int | None] = mapped_column(Integer)
    default_mode: Mapped[str | None] = mapped_column(String(16))
    """Mode for the compatible APIs (LibreTranslate, DeepL, custom) when the request names none."""
    default_budget: Mapped[str | None] = mapped_column(String(16))
    characters_per_month: Mapped[int | None] = mapped_column(BigInteger)
    """Characters this key may translate per UTC calendar month; None: no quota."""
    default_memory: Mapped[str | None] = mapped_column(String(200))
    """Name (or id) of this key's translation memory used when a request names none, and
    where LibreTranslate's `/suggest` stores suggestions."""


class KeyUsage(Base):
    """What one key used on one UTC day; (key_id, day) is the primary key, so one row a day."""

    __tablename__ = "key_usage"

    key_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    characters: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    requests: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cache_hits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


LOCAL_OWNER = "local"
"""Owner of glossaries made without an API key: the CLI's, and anonymous API callers'."""


class Glossary(Base):
    """A user glossary for one language pair, owned by an API key (or `LOCAL_OWNER`).

    `version` grows by one each time the entries are replaced, so a listing shows which
    version a translation used. Names are unique per owner: the CLI refers to glossaries by name.
    """

    __tablename__ = "glossaries"
    __table_args__ = (UniqueConstraint("owner", "name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(200))
    source_language: Mapped[str] = mapped_column(String(16))
    target_language: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class GlossaryEntry(Base):
    """One entry of a glossary; `position` keeps the order it was imported in."""

    __tablename__ = "glossary_entries"

    glossary_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("glossaries.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    forms: Mapped[list[str]] = mapped_column(JSON)
    preferred: Mapped[list[str]] = mapped_column(JSON)
    acceptable: Mapped[list[str]] = mapped_column(JSON)
    meaning: Mapped[str] = mapped_column(Text, default="")


class Memory(Base):
    """A translation memory for one language pair, owned by an API key (or `LOCAL_OWNER`).

    `version` grows by one on every change (import, replacement, correction), so an index or a
    cached selection built from an older version is known to be stale.
    """

    __tablename__ = "memories"
    __table_args__ = (UniqueConstraint("owner", "name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(200))
    source_language: Mapped[str] = mapped_column(String(16))
    target_language: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class MemoryEntry(Base):
    """One approved pair. `source_key` (a digest of the source as the cache key normalises it)
    is unique per memory: a new translation of the same source replaces the old one.

    `origin` says how it came: `import`, `correction` or `suggestion`; `translation_id` is the
    corrected translation's id, where there is one.
    """

    __tablename__ = "memory_entries"
    __table_args__ = (Index("ix_memory_entries_memory_id_position", "memory_id", "position"),)

    memory_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("memories.id", ondelete="CASCADE"), primary_key=True
    )
    source_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))
    translation_id: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Job(Base):
    """A catalog translation job: what to translate and how; its rows and segments hang off it.

    `workflow_id` names the durable workflow that runs it (DBOS keeps that state in its own
    tables); this row is what users see. `state` moves queued → running → completed, or to
    cancelled / failed. Counts are not stored here but counted from the rows and segments, so
    a step that runs again after a crash cannot count anything twice.
    """

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(36), index=True)
    state: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    file_digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the uploaded file and the options: `translator batch --resume` finds it."""
    layout: Mapped[dict[str, Any]] = mapped_column(JSON)
    """How to write the results back: the `columns` in file order (and a CSV's `delimiter`)."""
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    total_rows: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class JobRow(Base):
    """One catalog row: its values as uploaded and, once done, its translated cells or error.

    (job_id, position) is the key, so a row written again after a crash replaces itself:
    each row is in the results exactly once.
    """

    __tablename__ = "job_rows"

    job_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    line: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(8), default="pending")
    translated: Mapped[dict[str, str] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    segments: Mapped[int] = mapped_column(Integer, default=0)
    """Segments this row's cells were cut into (repeats included)."""
    qa: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    """The QA checks' findings for the row's translated cells, each naming its column; NULL
    when there are none (so rows with findings are counted in SQL)."""
    language: Mapped[str | None] = mapped_column(String(16))
    """The language detected for the row (jobs with `source=auto`; None without letters)."""


class JobSegment(Base):
    """One distinct segment of a job: translated once however many rows repeat it.

    `origin` says where its translation came from: `cache` (stored before) or `engine`.
    `engine_runs` counts the engine runs made for it, so a repeat translation would show.
    """

    __tablename__ = "job_segments"
    __table_args__ = (Index("ix_job_segments_job_id_state", "job_id", "state"),)

    job_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(8), default="pending")
    translation: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(String(8))
    engine_runs: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
