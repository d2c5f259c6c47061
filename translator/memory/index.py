"""Finding a text's approved pairs: exact (after the cache key's normalisation) or similar.

Similarity is rapidfuzz's `ratio` (the normalised Indel similarity, 0 to 1) of the casefolded,
normalised sources. Comparing a text with every source would cost tens of milliseconds at
100,000 pairs, so an inverted index of character trigrams picks the `CANDIDATES` sources that
share the most trigrams with the text, and only those are scored. A near duplicate (the same
template with another product or number) shares most of its trigrams, so it is among them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from translator.store.cache_key import normalize_source
from translator.store.pairs import Pair

__all__ = ["CANDIDATES", "MemoryIndex", "ScoredPair", "pairs_digest"]

CANDIDATES = 48
"""Sources scored exactly per lookup: those sharing the most trigrams with the text."""
_GRAM = 3
_SHORT = 64
_MAX_POSTINGS = 20_000


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """An approved pair, how close its source is to the text (1.0: the same), and its memory."""

    pair: Pair
    score: float
    memory: str


def pairs_digest(pairs: Iterable[Pair]) -> str:
    """A short digest of pairs in order: the cache key's part for the examples a prompt shows."""
    text = json.dumps([[p.source, p.target] for p in pairs], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _folded(text: str) -> str:
    return normalize_source(text).casefold()


def _grams(text: str) -> set[str]:
    if len(text) <= _GRAM:
        return {text}
    return {text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)}


class MemoryIndex:
    """The pairs of one memory version, ready for exact and similar lookups (read-only)."""

    def __init__(self, memory: str, pairs: Sequence[Pair]) -> None:
        self.memory = memory
        self._pairs = list(pairs)
        self._exact = {normalize_source(p.source): p for p in self._pairs}
        self._folded = [_folded(p.source) for p in self._pairs]
        postings: dict[str, list[int]] = {}
        for position, folded in enumerate(self._folded):
            for gram in _grams(folded):
                postings.setdefault(gram, []).append(position)
        # Long lists as arrays once; the many short ones convert cheaply when a lookup needs them.
        self._postings: dict[str, list[int] | NDArray[np.int32]] = {
            gram: np.asarray(found, dtype=np.int32) if len(found) > _SHORT else found
            for gram, found in postings.items()
        }

    def __len__(self) -> int:
        return len(self._pairs)

    def exact(self, text: str) -> Pair | None:
        """The pair whose source is `text` once both are normalised as the cache key does."""
        return self._exact.get(normalize_source(text))

    def similar(self, text: str, threshold: float, limit: int) -> list[ScoredPair]:
        """Up to `limit` pairs whose source scores at least `threshold` against `text`, best
        first (an exact match scores 1.0)."""
        folded = _folded(text)
        positions = self._candidates(folded)
        if not positions:
            return []
        scored = process.extract(
            folded,
            {position: self._folded[position] for position in positions},
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=threshold * 100,
            limit=limit,
        )
        return [
            ScoredPair(self._pairs[position], round(score / 100, 4), self.memory)
            for _, score, position in scored
        ]

    def _candidates(self, folded: str) -> list[int]:
        """The sources sharing the most trigrams with `folded`; the rarest trigrams are counted
        first, and counting stops after `_MAX_POSTINGS`, so common trigrams cost nothing."""
        found = sorted((self._postings[g] for g in _grams(folded) if g in self._postings), key=len)
        chosen: list[NDArray[np.int32]] = []
        total = 0
        for postings in found:
            if chosen and total + len(postings) > _MAX_POSTINGS:
                break
            chosen.append(np.asarray(postings, dtype=np.int32))
            total += len(postings)
        if not chosen:
            return []
        counted = np.concatenate(chosen)
        if len(counted) * 8 > len(self._pairs):  # counting every source beats sorting
            shared = np.bincount(counted, minlength=len(self._pairs))
            positions = np.flatnonzero(shared)
            shared = shared[positions]
        else:
            positions, shared = np.unique(counted, return_counts=True)
        if len(positions) > CANDIDATES:
            positions = positions[np.argpartition(shared, -CANDIDATES)[-CANDIDATES:]]
        return [int(position) for position in positions]
