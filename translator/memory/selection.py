"""The memories a request uses, and what they hold for one of its texts.

An exact match in any memory wins (the first memory named wins a tie); otherwise the closest
pairs of all of them, best first, are examples for the prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from translator.memory.index import MemoryIndex, ScoredPair

__all__ = ["MemoryMatch", "MemorySelection", "SelectedMemory"]


@dataclass(frozen=True, slots=True)
class SelectedMemory:
    """One memory version with its index."""

    id: str
    name: str
    version: int
    source: str
    target: str
    index: MemoryIndex

    def applies_to(self, source: str, target: str) -> bool:
        return (self.source, self.target) == (source, target)


@dataclass(frozen=True, slots=True)
class MemoryMatch:
    """What the memories hold for a text: its approved translation (`exact`), or the closest
    approved pairs, best first."""

    exact: bool
    pairs: tuple[ScoredPair, ...]

    @property
    def score(self) -> float:
        return self.pairs[0].score


class MemorySelection:
    """The memories of one request, in the order it named them."""

    def __init__(self, memories: Sequence[SelectedMemory] = ()) -> None:
        self.memories = tuple(memories)

    def __bool__(self) -> bool:
        return bool(self.memories)

    def match(
        self, text: str, source: str, target: str, *, threshold: float, limit: int
    ) -> MemoryMatch | None:
        """The match for `text` from `source` into `target`, or None when nothing is close."""
        usable = [m for m in self.memories if m.applies_to(source, target)]
        for memory in usable:
            pair = memory.index.exact(text)
            if pair is not None:
                return MemoryMatch(True, (ScoredPair(pair, 1.0, memory.id),))
        if limit < 1:
            return None
        similar = [
            scored for memory in usable for scored in memory.index.similar(text, threshold, limit)
        ]
        if not similar:
            return None
        similar.sort(key=lambda scored: -scored.score)
        return MemoryMatch(False, tuple(similar[:limit]))
