"""Request and response bodies: msgspec structs, so decoding validates types and sizes at once.

The static limits here only bound what a request may carry at all; the configured limits
(`max_text_chars`, `max_texts`) are checked afterwards with messages naming the field.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from glossary.formats import FileFormat
from translator.memory.formats import MemoryFormat
from translator.prompting.modes import Mode
from translator.search.config import BudgetName

__all__ = [
    "AlternativeOut",
    "DetectRequest",
    "DetectResponse",
    "Detection",
    "GlossaryCreate",
    "GlossaryEntriesOut",
    "GlossaryEntriesReplace",
    "GlossaryEntryIn",
    "GlossaryEntryOut",
    "GlossaryList",
    "GlossaryOut",
    "Language",
    "LanguagesResponse",
    "MemoryCreate",
    "MemoryEntriesOut",
    "MemoryEntriesReplace",
    "MemoryList",
    "MemoryMatchOut",
    "MemoryOut",
    "MemoryPairIn",
    "MemoryPairOut",
    "QaFindingOut",
    "ReadyResponse",
    "StatusResponse",
    "TermOut",
    "TextFormat",
    "TranslateRequest",
    "TranslateResponse",
    "TranslationCorrection",
    "TranslationOut",
    "TranslationRecordOut",
    "UsageOut",
    "UsageResponse",
]

MAX_FIELD_CHARS = 100_000
"""Longest string any field may hold (HTML markup included); texts are limited further."""
MAX_LIST_ITEMS = 1000
LanguageCode = Annotated[str, Meta(min_length=1, max_length=35, examples=["en", "zh", "auto"])]
InputText = Annotated[str, Meta(max_length=MAX_FIELD_CHARS)]
GlossaryReference = Annotated[str, Meta(min_length=1, max_length=200)]
"""A glossary's id (or, for convenience, its name)."""
MemoryReference = Annotated[str, Meta(min_length=1, max_length=200)]
"""A translation memory's id (or its name)."""


class TextFormat(StrEnum):
    """`html`: translate only the text between tags; tags and attributes come back unchanged."""

    TEXT = "text"
    HTML = "html"


class TranslateRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One text (`text`) or several (`texts`) to translate into `target`.

    `glossary` names user glossaries (one id, or a list: earlier ones win for the same term);
    their entries and, unless `builtin_glossary` is false, the built-in slang glossary give the
    model hints for the terms found in each text, and the answer's `terms` say how each term
    was rendered.

    `memory` names translation memories (one id or name, or a list; `[]` for none): an exact
    match is served without the engine, and close pairs are shown to the model as examples.
    Unset: the API key's default memory, where it is for the request's language pair.

    `context` is text from around the texts (the rest of the page or review): the model is told
    it to understand them, and it is not translated. It is part of the cache key.
    """

    target: LanguageCode
    text: InputText | None = None
    texts: Annotated[list[InputText], Meta(max_length=MAX_LIST_ITEMS)] | None = None
    source: LanguageCode = "auto"
    mode: Mode = Mode.MCTS
    budget: BudgetName | None = None
    rollouts: Annotated[int, Meta(ge=1, le=256)] | None = None
    format: TextFormat = TextFormat.TEXT
    alternatives: Annotated[int, Meta(ge=0, le=32)] = 0
    glossary: GlossaryReference | Annotated[list[GlossaryReference], Meta(max_length=8)] | None = (
        None
    )
    builtin_glossary: bool = True
    memory: MemoryReference | Annotated[list[MemoryReference], Meta(max_length=8)] | None = None
    return_trace: bool = False
    cache: bool = True
    context: InputText | None = None


class AlternativeOut(msgspec.Struct):
    translation: str
    score: float


class UsageOut(msgspec.Struct):
    """Engine work done for this answer; all zero for a cache hit."""

    calls: int
    prompt_tokens: int
    cached_prompt_tokens: int
    generated_tokens: int
    wall_seconds: float


class MemoryPairOut(msgspec.Struct):
    """An approved pair of a translation memory (`memory`: its id), with its similarity to the
    text (1.0 for an exact match)."""

    source: str
    target: str
    memory: str
    score: float


class MemoryMatchOut(msgspec.Struct, omit_defaults=True):
    """`exact`: the answer is the approved `entry`, with no engine call. `fuzzy`: the closest
    approved pairs (`examples`, best first; `score` is the best one's) were shown to the model."""

    match: str
    score: float
    entry: MemoryPairOut | None = None
    examples: list[MemoryPairOut] | None = None


class TranslationOut(msgspec.Struct, omit_defaults=True):
    """One translated text. For `format=html`, `id` is null and `segments` has each run's id.
    `id` is null too for an exact translation memory match, which is served, not stored."""

    id: str | None
    text: str
    translation: str
    source_language: str
    detection_confidence: float | None
    target_language: str
    mode: Mode
    engine: str
    model: str
    confidence: float
    cached: bool
    thought: str
    alternatives: list[AlternativeOut]
    usage: UsageOut
    terms: list[TermOut]
    qa: list[QaFindingOut]
    trace: dict[str, Any] | None = None
    segments: list[str | None] | None = None
    memory: MemoryMatchOut | None = None


class TranslateResponse(msgspec.Struct):
    translations: list[TranslationOut]


class TranslationRecordOut(msgspec.Struct):
    """A stored translation, as `GET /v1/translations/{id}` shows it."""

    id: str
    text: str
    translation: str
    source_language: str
    target_language: str
    mode: str
    budget: str | None
    engine: str
    model: str
    prompt_version: str
    glossary_version: str | None
    confidence: float
    alternatives: list[AlternativeOut]
    usage: dict[str, Any]
    created_at: datetime
    hits: int
    trace_url: str
    trace_page_url: str
    memory_version: str | None = None
    """Digest of the translation memory pairs its prompt showed as examples, if any."""


class DetectRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: InputText | None = None
    texts: Annotated[list[InputText], Meta(max_length=MAX_LIST_ITEMS)] | None = None


class LanguageCandidate(msgspec.Struct):
    language: str
    confidence: float
    supported: bool
    """Whether we translate from this language."""


class Detection(msgspec.Struct):
    """The likeliest language of one text (`und` when it has no letters), whether we translate
    it, the top candidates best first, and the scripts of its letters (most letters first)."""

    language: str
    confidence: float
    supported: bool
    candidates: list[LanguageCandidate]
    scripts: list[str]


class DetectResponse(msgspec.Struct):
    detections: list[Detection]


class Language(msgspec.Struct):
    code: str
    name: str


class LanguagesResponse(msgspec.Struct):
    languages: list[Language]


class StatusResponse(msgspec.Struct):
    status: str


class ReadyResponse(msgspec.Struct):
    status: str
    engine: str
    model: str
    database: str


class UsageResponse(msgspec.Struct):
    """What the calling key used on one UTC day."""

    key: str
    day: str
    characters: int
    requests: int
    cache_hits: int
    requests_per_minute: int


class TermOut(msgspec.Struct):
    """A glossary term found in the text, and how the translation rendered it.

    `status`: `preferred` or `acceptable` (a rendering of that kind was found: `found`),
    `omitted` (not rendered, which the entry allows), or `missed`. `origin` is `builtin` or the
    id of the user glossary the entry came from. For `format=html`, `start`/`end` are null.
    """

    term: str
    start: int | None
    end: int | None
    meaning: str
    preferred: list[str]
    acceptable: list[str]
    origin: str
    status: str
    found: str | None


class QaFindingOut(msgspec.Struct):
    """Something the localization QA checks found: a source token the translation lost
    (`missing`), carries in another form or value (`changed`, with `found`), or one it added
    (`extra`, with no source span).

    `kind`: number, placeholder, tag, code, url, email, handle, hashtag, emoji or brand.
    `severity`: `error` when the text is broken for its reader (a lost placeholder, price, model
    code, link or tag), else `warning`. `start`/`end` locate `source` in the text (null for
    `extra` findings, and for `format=html`).
    """

    kind: str
    problem: str
    severity: str
    source: str | None
    start: int | None
    end: int | None
    found: str | None


GlossaryTerm = Annotated[str, Meta(min_length=1, max_length=1024)]


class GlossaryEntryIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One entry: `source` term (and other spellings in `variants`), its `target` rendering,
    other acceptable renderings, and an optional meaning shown to the model as a hint."""

    source: GlossaryTerm
    target: GlossaryTerm
    variants: Annotated[list[GlossaryTerm], Meta(max_length=32)] = []
    acceptable: Annotated[list[GlossaryTerm], Meta(max_length=32)] = []
    meaning: Annotated[str, Meta(max_length=1000)] = ""


GlossaryEntries = (
    Annotated[list[GlossaryEntryIn], Meta(max_length=20_000)]
    | Annotated[str, Meta(max_length=10 * 1024 * 1024)]
)


class GlossaryCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new glossary. `entries` is a list of entry objects, or the text of a file in
    `entries_format` (DeepL's `tsv` by default, `csv`, or `tbx`)."""

    name: Annotated[str, Meta(min_length=1, max_length=200)]
    source: LanguageCode
    target: LanguageCode
    entries: GlossaryEntries
    entries_format: FileFormat = FileFormat.TSV


class GlossaryEntriesReplace(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """New entries for a glossary (all of them), as in `GlossaryCreate`."""

    entries: GlossaryEntries
    entries_format: FileFormat = FileFormat.TSV


class GlossaryOut(msgspec.Struct):
    id: str
    name: str
    source: str
    target: str
    version: int
    entry_count: int
    created_at: datetime
    updated_at: datetime


class GlossaryList(msgspec.Struct):
    glossaries: list[GlossaryOut]


class GlossaryEntryOut(msgspec.Struct):
    source: str
    target: str
    variants: list[str]
    acceptable: list[str]
    meaning: str


class GlossaryEntriesOut(msgspec.Struct):
    id: str
    version: int
    entries: list[GlossaryEntryOut]


MemorySegment = Annotated[str, Meta(min_length=1, max_length=10_000)]


class MemoryPairIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    source: MemorySegment
    target: MemorySegment


MemoryEntries = (
    Annotated[list[MemoryPairIn], Meta(max_length=200_000)]
    | Annotated[str, Meta(max_length=32 * 1024 * 1024)]
)


class MemoryCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new translation memory. `entries` is a list of pairs, or the text of a file in
    `entries_format` (`tmx` by default, `tsv` or `csv`); it may be left out (an empty memory
    that collects corrections)."""

    name: Annotated[str, Meta(min_length=1, max_length=200)]
    source: LanguageCode
    target: LanguageCode
    entries: MemoryEntries = []
    entries_format: MemoryFormat = MemoryFormat.TMX


class MemoryEntriesReplace(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """New pairs for a memory, as in `MemoryCreate`: all of them (`PUT`), or pairs to add or
    update (`POST`)."""

    entries: MemoryEntries
    entries_format: MemoryFormat = MemoryFormat.TMX


class MemoryOut(msgspec.Struct):
    id: str
    name: str
    source: str
    target: str
    version: int
    entry_count: int
    created_at: datetime
    updated_at: datetime


class MemoryList(msgspec.Struct):
    memories: list[MemoryOut]


class MemoryEntriesOut(msgspec.Struct):
    id: str
    version: int
    entries: list[MemoryPairIn]


class TranslationCorrection(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The right translation of a stored translation's text, kept as an approved pair in
    `memory` (an id or name; unset: the caller's default memory)."""

    translation: MemorySegment
    memory: MemoryReference | None = None
