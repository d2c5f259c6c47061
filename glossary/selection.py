"""The glossaries in force for one request: the caller's own first, then the built-in one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from glossary.builtin import builtin_entries
from glossary.entries import Entry
from glossary.matcher import TermMatch, TermMatcher

__all__ = ["GlossarySelection", "UserGlossary", "primary_language"]


def primary_language(code: str) -> str:
    """`zh` for `zh-Hant`: glossaries apply across a language's regional and script variants."""
    return code.split("-", 1)[0].lower()


@dataclass(frozen=True, slots=True)
class UserGlossary:
    """A stored glossary at one version, with its entries."""

    id: str
    name: str
    version: int
    source: str
    target: str
    entries: tuple[Entry, ...]

    def applies_to(self, source: str, target: str) -> bool:
        return (primary_language(self.source), primary_language(self.target)) == (
            primary_language(source),
            primary_language(target),
        )


class GlossarySelection:
    """Finds terms of the selected glossaries that apply to a segment's language pair.

    User entries take precedence over built-in ones for the same form; otherwise the longest
    match wins, whichever glossary it comes from.
    """

    def __init__(self, user: Sequence[UserGlossary] = (), *, builtin: bool = True) -> None:
        self.user = tuple(user)
        self.builtin = builtin
        self._matchers: dict[tuple[str, str], TermMatcher] = {}

    def find(self, text: str, source: str, target: str) -> tuple[TermMatch, ...]:
        return self.matcher(source, target).find(text)

    def matcher(self, source: str, target: str) -> TermMatcher:
        pair = (primary_language(source), primary_language(target))
        if not self.user:
            return _builtin_matcher(*pair) if self.builtin else _EMPTY
        matcher = self._matchers.get(pair)
        if matcher is None:
            layers = [g.entries for g in self.user if g.applies_to(source, target)]
            if self.builtin:
                layers.append(builtin_entries(*pair))
            matcher = self._matchers[pair] = TermMatcher(layers)
        return matcher


_EMPTY = TermMatcher([])


@cache
def _builtin_matcher(source: str, target: str) -> TermMatcher:
    return TermMatcher([builtin_entries(source, target)])
