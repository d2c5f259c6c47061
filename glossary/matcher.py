"""Find glossary terms in a source text: every form of every entry in one automaton.

Matching is leftmost-longest over folded text (`glossary.folding`), so 顯瘦 finds the entry
written as 显瘦, and 父亲 is not read as the shop-talk address 亲 when an entry lists 父亲 under
`not_in` (such words are patterns too: they win the longest match and then match nothing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from glossary.entries import Entry
from glossary.folding import fold

__all__ = ["TermMatch", "TermMatcher"]

_WORD_CHAR = re.compile(r"[a-z0-9]")


@dataclass(frozen=True, slots=True)
class TermMatch:
    """The first place an entry's term occurs in a text (`text[start:end]` is `surface`)."""

    entry: Entry
    start: int
    end: int
    surface: str


class TermMatcher:
    """All entries of the glossaries in force for one request.

    `layers` come in precedence order: when two layers have the same form, the earlier layer's
    entry is the one matched (user glossaries go before the built-in one).
    """

    def __init__(self, layers: Sequence[Sequence[Entry]]) -> None:
        owners: dict[str, Entry | None] = {}
        for layer in layers:
            for entry in layer:
                for form in entry.forms:
                    owners.setdefault(fold(form.strip()), entry)
        for layer in layers:
            for entry in layer:
                for word in entry.not_in:
                    owners.setdefault(fold(word.strip()), None)
        owners.pop("", None)
        self._patterns = list(owners)
        self._owners = list(owners.values())
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
            if self._patterns
            else None
        )
        # Shops send the same reviews and labels over and over: remember recent texts' terms.
        self._find = lru_cache(maxsize=4096)(self._scan)

    @property
    def size(self) -> int:
        """Patterns in the automaton (forms and `not_in` words)."""
        return len(self._patterns)

    def find(self, text: str) -> tuple[TermMatch, ...]:
        """Each matched entry once, at its first occurrence, in text order."""
        return self._find(text)

    def _scan(self, text: str) -> tuple[TermMatch, ...]:
        if self._automaton is None:
            return ()
        folded = fold(text)
        found: dict[int, TermMatch] = {}
        for index, start, end in self._automaton.find_matches_as_indexes(folded):
            entry = self._owners[index]
            if entry is None or id(entry) in found or not _whole_word(folded, start, end):
                continue
            found[id(entry)] = TermMatch(entry, start, end, text[start:end])
        return tuple(found.values())


def _whole_word(text: str, start: int, end: int) -> bool:
    """Latin or digit terms (yyds, 618) must not be part of a longer word or number."""
    if _WORD_CHAR.match(text[start]) and start > 0 and _WORD_CHAR.match(text[start - 1]):
        return False
    return not (_WORD_CHAR.match(text[end - 1]) and end < len(text) and _WORD_CHAR.match(text[end]))
