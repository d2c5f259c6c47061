"""An approved segment pair, and the key that finds it again: what the memory tables hold.

Kept apart from `translator.store.memories` so that file formats and the command line can use
the type without loading SQLAlchemy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from translator.store.cache_key import normalize_source

__all__ = ["Pair", "source_key"]


@dataclass(frozen=True, slots=True)
class Pair:
    """A source segment and its approved translation."""

    source: str
    target: str


def source_key(text: str) -> str:
    """SHA-256 hex of the text as the cache key normalises it: an exact match is a match of
    this key, so copy-paste noise (outer spaces, NFD forms) does not lose it."""
    return hashlib.sha256(normalize_source(text).encode("utf-8")).hexdigest()
