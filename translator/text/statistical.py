"""Statistical detection for text in one script that many languages share (Latin, Cyrillic,
Arabic): which language's words are these?

Listing titles are short, so a word model does better than character n-grams alone
(`Freidora de aire ... sin aceite` is Spanish by its words; langdetect calls it Portuguese). The
word model scores each word by its frequency in every language of that script that `wordfreq`
lists; langdetect answers for text none of whose words the lists know (names, rare words) and
for languages they lack.
"""

from __future__ import annotations

import math
import re
from functools import cache

from langdetect import DetectorFactory, LangDetectException, detect_langs
from wordfreq import available_languages, read_cBpack

from translator.text.languages import LANGUAGES

__all__ = ["Guess", "guess_languages", "load_word_lists"]

DetectorFactory.seed = 0  # langdetect is randomised; a fixed seed makes answers repeatable.

Guess = tuple[str, float]
"""A language code and its probability."""

_SCRIPT_LANGUAGES = {
    "Latin": "ca cs da de en es fi fil fr hu id it lt lv ms nb nl pl pt ro sk sl sv tr vi",
    "Cyrillic": "bg mk ru uk",
    "Arabic": "ar fa ur",
}
"""The languages whose word lists decide for each script."""
_MAX_CENTIBELS = 550
"""Words rarer than 10^-5.5 are left out: they add memory and little evidence."""
_UNKNOWN_WORD = math.log(10 ** (-_MAX_CENTIBELS / 100 - 1))
_SHARPNESS = 0.5
"""Scale from a summed word log-likelihood to the softmax that gives confidences."""
_ENGLISH_PRIOR = 1.0
_SUPPORTED_PRIOR = 0.5
"""Log-odds given before any word is read: catalogs are mostly in languages we translate, and
names of products are mostly English words (`Smart`, `Watch`), so ties go that way."""
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CODES = {"zh-cn": "zh", "zh-tw": "zh-Hant", "fil": "tl", "no": "nb"}
"""Detector codes that differ from ours (ISO 639-1 where there is one)."""


@cache
def _word_list(language: str) -> dict[str, float]:
    bins = read_cBpack(available_languages(wordlist="small")[language])
    scale = -math.log(10) / 100
    return {
        word: centibels * scale
        for centibels, words in enumerate(bins[:_MAX_CENTIBELS])
        for word in words
    }


def load_word_lists() -> None:
    """Load every script's word lists now rather than on first use."""
    for languages in _SCRIPT_LANGUAGES.values():
        for language in languages.split():
            _word_list(language)


def guess_languages(text: str, script: str, *, limit: int = 3) -> list[Guess]:
    """The likeliest languages of `text`, written in `script`, best first (may be empty)."""
    words = [word.lower() for word in _WORD.findall(text)]
    languages = _SCRIPT_LANGUAGES.get(script, "").split()
    if any(word in _word_list(language) for language in languages for word in words):
        scores = {language: _log_likelihood(words, language) for language in languages}
        return _softmax(scores)[:limit]
    return _langdetect(text)[:limit]


def _log_likelihood(words: list[str], language: str) -> float:
    frequencies = _word_list(language)
    prior = _ENGLISH_PRIOR if language == "en" else _SUPPORTED_PRIOR * (language in LANGUAGES)
    return prior + sum(frequencies.get(word, _UNKNOWN_WORD) for word in words)


def _softmax(scores: dict[str, float]) -> list[Guess]:
    best = max(scores.values())
    weights = {code: math.exp((score - best) * _SHARPNESS) for code, score in scores.items()}
    total = sum(weights.values())
    ranked = sorted(weights.items(), key=lambda item: item[1], reverse=True)
    return [(_CODES.get(code, code), weight / total) for code, weight in ranked]


def _langdetect(text: str) -> list[Guess]:
    try:
        found = detect_langs(text)
    except LangDetectException:
        return []
    return [(_CODES.get(guess.lang, guess.lang), float(guess.prob)) for guess in found]
