"""A glossary entry: one source term (in all its spellings) and how it should come out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["BUILTIN_ORIGIN", "Entry", "entries_digest"]

BUILTIN_ORIGIN = "builtin"
"""`Entry.origin` of the curated entries shipped with the project; user entries carry their
glossary's id."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One term and its renderings.

    Attributes:
        forms: Every source spelling that should match (first is the main one; e.g. simplified
            and traditional Chinese, or katakana and kanji variants).
        preferred: Renderings a good translation uses (at least one).
        acceptable: Other renderings that also count as correct.
        meaning: What the term means to a shopper (shown to the model as a hint).
        register: Tone and usage note, for people reading the glossary.
        example: A sentence using the term, for people reading the glossary.
        not_in: Longer words that contain a form but mean something else (never matched).
        may_omit: A fluent translation may drop the term (a form of address, a filler).
        origin: `builtin`, or the id of the user glossary the entry belongs to.
    """

    forms: tuple[str, ...]
    preferred: tuple[str, ...]
    acceptable: tuple[str, ...] = ()
    meaning: str = ""
    register: str = ""
    example: str = ""
    not_in: tuple[str, ...] = ()
    may_omit: bool = False
    origin: str = BUILTIN_ORIGIN

    @property
    def term(self) -> str:
        """The main source form."""
        return self.forms[0]

    @property
    def renderings(self) -> tuple[str, ...]:
        """Every rendering that counts as correct, preferred first."""
        return self.preferred + self.acceptable


def entries_digest(entries: Iterable[Entry]) -> str:
    """A short, order-independent digest of what the entries tell the model and the checker.

    Cache keys use it: a translation made with different hints or checks must not be reused, and
    one made with the same hints may be, whichever glossary they came from.
    """
    return _digest(tuple(entries))


@lru_cache(maxsize=4096)
def _digest(entries: tuple[Entry, ...]) -> str:
    """Remembered: every cache lookup of a text with glossary terms needs its digest."""
    parts = sorted(
        json.dumps(
            [e.forms, e.preferred, e.acceptable, e.meaning, e.not_in, e.may_omit],
            ensure_ascii=False,
        )
        for e in entries
    )
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
