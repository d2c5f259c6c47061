"""Did a translation render a glossary term? Checked by word stems, not exact strings.

A rendering counts when every content word of it appears, in any inflection and order, in the
translation: "cloud-like cushioning" is found in "the cushioning feels like clouds". Targets
without a stemmer (Chinese, Japanese, …) are checked by folded substring instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

import simplemma
import snowballstemmer

from glossary.entries import Entry
from glossary.folding import fold
from glossary.matcher import TermMatch

__all__ = ["Rendering", "RenderingCheck", "TermCheck", "check_rendering", "check_terms"]

_WORD = re.compile(r"[^\W_]+")
_SNOWBALL = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
_SIMPLEMMA = {"no": "nb"}
"""simplemma's codes where they differ from ours."""
_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "be",
        "it",
        "its",
        "this",
        "that",
        "so",
        "very",
        "really",
    ]
)


class Rendering(StrEnum):
    """How a matched term came out in the translation."""

    PREFERRED = "preferred"
    ACCEPTABLE = "acceptable"
    OMITTED = "omitted"
    """Not rendered, and the entry allows dropping it."""
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class RenderingCheck:
    status: Rendering
    found: str | None = None
    """The rendering that was found, if any."""

    @property
    def missed(self) -> bool:
        return self.status is Rendering.MISSED


def check_rendering(entry: Entry, translation: str, target: str) -> RenderingCheck:
    """The best status `translation` earns for `entry` (preferred before acceptable)."""
    contains = _renders(translation, target.split("-", 1)[0].lower())
    for status, renderings in (
        (Rendering.PREFERRED, entry.preferred),
        (Rendering.ACCEPTABLE, entry.acceptable),
    ):
        for rendering in renderings:
            if contains(rendering):
                return RenderingCheck(status, rendering)
    return RenderingCheck(Rendering.OMITTED if entry.may_omit else Rendering.MISSED)


def _renders(translation: str, language: str) -> Callable[[str], bool]:
    """A test of whether `translation` contains a rendering, for the target language."""
    if language not in _SNOWBALL:
        folded = fold(translation)

        def contains_substring(rendering: str) -> bool:
            needle = fold(rendering.strip())
            return bool(needle) and needle in folded

        return contains_substring

    stems = _stems(language)
    function_words = _ENGLISH_FUNCTION_WORDS if language == "en" else frozenset()
    present = frozenset(stems(_WORD.findall(translation.lower())))

    def contains_stems(rendering: str) -> bool:
        words = _WORD.findall(rendering.lower())
        wanted = stems([w for w in words if w not in function_words] or words)
        return bool(wanted) and all(stem in present for stem in wanted)

    return contains_stems


@cache
def _stems(language: str) -> Callable[[list[str]], list[str]]:
    """Lemma, then stem: the lemma catches irregular forms (bought → buy), the stem the rest."""
    stemmer = snowballstemmer.stemmer(_SNOWBALL[language])
    lemma_language = _SIMPLEMMA.get(language, language)

    def stems(words: list[str]) -> list[str]:
        lemmas = [simplemma.lemmatize(word, lang=lemma_language).lower() for word in words]
        return list(stemmer.stemWords(lemmas))

    return stems


@dataclass(frozen=True, slots=True)
class TermCheck:
    """A term found in the source and how the translation rendered it."""

    match: TermMatch
    result: RenderingCheck

    def as_dict(self) -> dict[str, Any]:
        entry = self.match.entry
        return {
            "term": self.match.surface,
            "start": self.match.start,
            "end": self.match.end,
            "meaning": entry.meaning,
            "preferred": list(entry.preferred),
            "acceptable": list(entry.acceptable),
            "origin": entry.origin,
            "status": self.result.status.value,
            "found": self.result.found,
        }


@lru_cache(maxsize=4096)
def check_terms(
    matches: tuple[TermMatch, ...], translation: str, target: str
) -> tuple[TermCheck, ...]:
    """Each matched term's rendering status in `translation`.

    Remembered: every cache hit reports its terms, and hits repeat.
    """
    return tuple(
        TermCheck(match, check_rendering(match.entry, translation, target)) for match in matches
    )
