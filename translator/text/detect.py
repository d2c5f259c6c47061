"""Source language detection: script evidence first, statistics only for text in one script.

Catalog text mixes scripts: Latin brand names and model numbers around a few CJK words. The
scripts settle most of it: kana means Japanese and hangul Korean, even beside Latin text; Han
text is split into simplified Chinese, traditional Chinese and Japanese by its character forms
and words (`han`); scripts that one language writes alone (Thai, Greek, ...) name it. Latin names,
codes and units weigh nothing once another script is present (`scripts`). Only text whose
weight lies in one script that many languages share (Latin, Cyrillic, Arabic) goes to the
statistical detector (`statistical`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from translator.errors import InvalidInput, UnsupportedLanguage
from translator.text.han import han_orthographies
from translator.text.han_vocabulary import load_vocabularies
from translator.text.languages import LANGUAGES
from translator.text.script_counts import SINGLE_LANGUAGE_SCRIPTS, ScriptCounts, count_scripts
from translator.text.statistical import Guess, guess_languages, load_word_lists

__all__ = [
    "UNDETERMINED",
    "Candidate",
    "Detection",
    "LanguageReport",
    "detect",
    "detect_language",
    "has_letters",
    "load_detectors",
]

UNDETERMINED = "und"
"""BCP 47's code for a language that cannot be told (text without letters, an unknown script)."""
_FALLBACK = "en"
"""Latin text whose words no list knows is mostly names and codes: English is the best bet."""
_FALLBACK_CONFIDENCE = 0.2
_MAX_CANDIDATES = 3
_LONE_KANA_MIN_HAN = 4
_LONE_KANA_CERTAINTY = 0.95


@dataclass(frozen=True, slots=True)
class Candidate:
    """A language the text may be in, with a probability in [0, 1]."""

    language: str
    confidence: float

    @property
    def supported(self) -> bool:
        return self.language in LANGUAGES


@dataclass(frozen=True, slots=True)
class LanguageReport:
    """What detection found: the candidates, best first, and the scripts of the text's letters
    (most letters first)."""

    candidates: tuple[Candidate, ...]
    scripts: tuple[str, ...]

    @property
    def best(self) -> Candidate:
        return self.candidates[0]


@dataclass(frozen=True, slots=True)
class Detection:
    """A detected language code that we translate, and how sure we are, in [0, 1]."""

    language: str
    confidence: float


def has_letters(text: str) -> bool:
    """Whether `text` has anything to translate (emoji, digits and punctuation alone do not)."""
    return any(char.isalpha() for char in text)


def load_detectors() -> None:
    """Load the word models now (a server at start-up) rather than on the first request."""
    load_vocabularies()
    load_word_lists()


def detect(text: str) -> LanguageReport:
    """Report the languages `text` may be in; never refuses (`und` for text without letters)."""
    counts = count_scripts(text)
    scripts = tuple(counts.scripts)
    dominant = counts.dominant()
    if dominant is None:
        return LanguageReport((Candidate(UNDETERMINED, 0.0),), scripts)
    share = counts.share(dominant)
    guesses = _guesses(text, dominant, counts)
    candidates = tuple(
        Candidate(language, round(probability * share, 4))
        for language, probability in guesses[:_MAX_CANDIDATES]
    )
    return LanguageReport(candidates, scripts)


def _guesses(text: str, dominant: str, counts: ScriptCounts) -> list[Guess]:
    letters = counts.letters
    if dominant in ("Han", "Kana", "Hangul"):
        if letters["Hangul"] and letters["Hangul"] >= letters["Kana"]:
            return [("ko", 1.0)]
        if letters["Kana"]:
            return _lone_kana_in_chinese(text, letters) or [("ja", 1.0)]
        return han_orthographies(text)
    if dominant in SINGLE_LANGUAGE_SCRIPTS:
        return [(SINGLE_LANGUAGE_SCRIPTS[dominant], 1.0)]
    evidence = counts.latin_prose if dominant == "Latin" else text
    guesses = guess_languages(evidence, dominant)
    if guesses:
        return guesses
    if dominant == "Latin":
        return [(_FALLBACK, _FALLBACK_CONFIDENCE)]
    return [(UNDETERMINED, 0.0)]


def _lone_kana_in_chinese(text: str, letters: Counter[str]) -> list[Guess] | None:
    """Chinese titles borrow a lone の for style (小清新の碎花连衣裙): one kana character among
    Han characters that are plainly Chinese by their forms and words does not make Japanese."""
    if letters["Kana"] > 1 or letters["Han"] < _LONE_KANA_MIN_HAN:
        return None
    guesses = han_orthographies(text)
    language, probability = guesses[0]
    return guesses if language != "ja" and probability >= _LONE_KANA_CERTAINTY else None


def detect_language(text: str, *, field: str = "text") -> Detection:
    """The language to translate `text` from.

    Raises:
        InvalidInput: when the text has no letters to judge by.
        UnsupportedLanguage: when it is in a language we do not translate, naming that language
            and `field`.
    """
    if not has_letters(text):
        raise InvalidInput(field, "cannot detect a language in text without letters; set source")
    best = detect(text).best
    if not best.supported:
        raise UnsupportedLanguage(
            field,
            f"detected language {best.language!r} is not supported; set source explicitly",
        )
    return Detection(best.language, best.confidence)
