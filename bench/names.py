"""Romanized names in an English reference: the names a translation should carry over.

Used by `bench.qa` to count how many of them an output keeps, and by `bench.qa_translate` to
pick the segments that have some. Standard library only, so the translate script also runs on
commits before the QA checks.
"""

from __future__ import annotations

import re

__all__ = ["romanized_names"]

_PINYIN_FINALS = {
    "b": "a o ai ei ao an en ang eng i ie iao ian in ing u",
    "p": "a o ai ei ao ou an en ang eng i ie iao ian in ing u",
    "m": "a o e ai ei ao ou an en ang eng i ie iao iu ian in ing u",
    "f": "a o ei ou an en ang eng u",
    "d": "a e ai ei ao ou an en ang eng ong i ia ie iao iu ian ing u uo ui uan un",
    "t": "a e ai ei ao ou an ang eng ong i ie iao ian ing u uo ui uan un",
    "n": "a e ai ei ao ou an en ang eng ong i ie iao iu ian in iang ing u uo uan v ve",
    "l": "a o e ai ei ao ou an ang eng ong i ia ie iao iu ian in iang ing u uo uan un v ve",
    "g k h": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "j q x": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "zh ch sh": "a e i ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "r": "e i ao ou an en ang eng ong u uo ui uan un",
    "z c s": "a e i ai ei ao ou an en ang eng ong u uo ui uan un",
    "y": "a o e ao ou an in ang ing ong i u ue uan un",
    "w": "a o ai ei an en ang eng u",
    "": "a o e ai ei ao ou an en ang eng er",
}
"""Standard Mandarin syllables by initial: a word made only of these reads as pinyin."""


def _syllables(initials: str) -> str:
    forms = [
        initial + final
        for key, finals in _PINYIN_FINALS.items()
        if bool(key) == bool(initials)
        for initial in (key.split() or [""])
        for final in finals.split()
    ]
    return "|".join(sorted(forms, key=len, reverse=True))


_PINYIN = re.compile(f"(?:{_syllables('')})?(?:{_syllables('any')})+|{_syllables('')}")
"""A syllable without an initial only opens a word: inside one, pinyin writes an apostrophe
(Xi'an), so "Reading" does not read as re-a-ding."""
_HEPBURN = re.compile(
    r"(?:(?:([kgsztdhbpmr])(?=\1))?(?:[kgnhbpmr]y|sh|ch|ts|[kgsztdnhbpmyrwjf])?"
    r"[aiueoāīūēō]h?|n)+"
)
_ROMANIZATION = {"zh-en": _PINYIN, "ja-en": _HEPBURN}
_WORD = re.compile(r"[A-Za-zāīūēō]+")


def romanized_names(reference: str, pair: str) -> list[str]:
    """Runs of capitalised words, not opening the sentence, that read as pinyin (zh) or
    Hepburn (ja) from start to end: "Wang Huili", "Ikemoto". Two or more words in a run, or
    one word of six letters or more, so that short English words ("Long", "Sun") rarely count."""
    syllables = _ROMANIZATION[pair]
    names, run = [], []
    for match in _WORD.finditer(reference):
        word = match.group()
        romanized = word[0].isupper() and syllables.fullmatch(word.lower()) is not None
        opening = reference[: match.start()].strip() == ""
        if romanized and not opening:
            run.append(word)
            continue
        if len(run) >= 2 or (run and len(run[0]) >= 6):
            names.append(" ".join(run))
        run = []
    if len(run) >= 2 or (run and len(run[0]) >= 6):
        names.append(" ".join(run))
    return names
