"""Source language detection: Unicode script for CJK text, langdetect for the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langdetect import DetectorFactory, LangDetectException, detect_langs

from translator.errors import InvalidInput, UnsupportedLanguage
from translator.text.languages import LANGUAGES

__all__ = ["Detection", "detect_language", "has_letters"]

DetectorFactory.seed = 0  # langdetect is randomised; a fixed seed makes answers repeatable.

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_CJK_WEIGHT = 3
_LANGDETECT_ALIASES = {"zh-cn": "zh", "zh-tw": "zh"}


@dataclass(frozen=True, slots=True)
class Detection:
    """A detected language code and how sure we are, in [0, 1]."""

    language: str
    confidence: float


def has_letters(text: str) -> bool:
    """Whether `text` has anything to translate (emoji, digits and punctuation alone do not)."""
    return _LETTER.search(text) is not None


def detect_language(text: str, *, field: str = "text") -> Detection:
    """Detect the language of `text`.

    Short CJK strings defeat statistical detectors (a two-character review is common), but their
    script settles it: any kana means Japanese, any hangul Korean, Han alone Chinese. One CJK
    character carries about as much as a short Latin word, so the script decides whenever three
    times the CJK characters outweigh the other letters (brand names in Latin letters are common
    in CJK reviews). Otherwise the most likely language we support among langdetect's candidates
    wins.

    Raises:
        InvalidInput: when the text has no letters to judge by, or is in a language we do not serve.
    """
    letters = _LETTER.findall(text)
    if not letters:
        raise InvalidInput(field, "cannot detect a language in text without letters; set source")
    by_script = _detect_cjk_script(text, len(letters))
    if by_script is not None:
        return by_script
    try:
        candidates = detect_langs(text)
    except LangDetectException as error:
        raise InvalidInput(field, f"cannot detect the language ({error}); set source") from error
    for candidate in candidates:
        code = _LANGDETECT_ALIASES.get(candidate.lang, candidate.lang)
        if code in LANGUAGES:
            return Detection(language=code, confidence=round(float(candidate.prob), 4))
    raise UnsupportedLanguage(
        field, f"detected language {candidates[0].lang!r} is not supported; set source explicitly"
    )


def _detect_cjk_script(text: str, letter_count: int) -> Detection | None:
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    han = len(_HAN.findall(text))
    cjk = kana + hangul + han
    other = letter_count - cjk
    if cjk == 0 or cjk * _CJK_WEIGHT < other:
        return None
    share = cjk * _CJK_WEIGHT / (cjk * _CJK_WEIGHT + other)
    if kana:
        return Detection(language="ja", confidence=round(share, 4))
    if hangul:
        return Detection(language="ko", confidence=round(share, 4))
    return Detection(language="zh", confidence=round(share, 4))
