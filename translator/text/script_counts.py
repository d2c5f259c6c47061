"""Which writing systems a text uses, and how much each one says about its language.

Listing titles mix scripts: a Chinese title names its brand and model in Latin letters
(`Garmin Forerunner 265 运动手表`), a Korean one its phone (`Galaxy S24 Ultra 512GB 자급제`).
The Latin part of such a title is names, model numbers and units, which tell nothing about the
language, so only lower-case Latin words (prose: `this case is great`) weigh anything once
another script is present.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

__all__ = ["SINGLE_LANGUAGE_SCRIPTS", "ScriptCounts", "count_scripts", "script_of"]

SINGLE_LANGUAGE_SCRIPTS = {
    "Hangul": "ko",
    "Kana": "ja",
    "Thai": "th",
    "Greek": "el",
    "Hebrew": "he",
    "Georgian": "ka",
    "Armenian": "hy",
    "Bengali": "bn",
    "Tamil": "ta",
    "Telugu": "te",
    "Gujarati": "gu",
    "Gurmukhi": "pa",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Khmer": "km",
    "Lao": "lo",
    "Myanmar": "my",
    "Sinhala": "si",
    "Ethiopic": "am",
    "Tibetan": "bo",
}
"""Scripts that one language (of those a catalog is likely to hold) writes almost alone."""

_NAME_PREFIXES = {
    "CJK": "Han",
    "IDEOGRAPHIC": "Han",  # 々 (iteration mark) and 〆
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "KATAKANA-HIRAGANA": "Kana",  # ー
    "HALFWIDTH KATAKANA": "Kana",
    "HALFWIDTH HANGUL": "Hangul",
    "FULLWIDTH LATIN": "Latin",
}
_CJK_RANGES = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uffdc"
)
_NOT_PROSE = re.compile(
    rf"</?[A-Za-z][^<>]*>|\w+://[^\s{_CJK_RANGES}]+"
    rf"|[^\s{_CJK_RANGES}]*(?:[=_{{}}()\[\];\\/<>]|\w\.\w)[^\s{_CJK_RANGES}]*"
)
"""Markup and code in a text (`<img src=x>`, `window.__xss=1`, links): words, but no prose."""
_WORD = re.compile(rf"[^\W_{_CJK_RANGES}]+(?:['’][^\W\d_{_CJK_RANGES}]+)*")
"""A word of a spaced script: letters and digits, not CJK characters (`T恤` gives `T`)."""
_UNITS = frozenset(
    {
        "ml",
        "l",
        "g",
        "kg",
        "mg",
        "mm",
        "cm",
        "m",
        "km",
        "oz",
        "lb",
        "lbs",
        "in",
        "ft",
        "mah",
        "wh",
        "w",
        "v",
        "hz",
        "khz",
        "mhz",
        "ghz",
        "gb",
        "tb",
        "mb",
        "kb",
        "mp",
        "px",
        "pcs",
        "pc",
        "pack",
        "pk",
        "x",
    }
)
"""Lower-case unit and count abbreviations, which carry no language either."""
_CJK_SCRIPTS = frozenset({"Han", "Kana", "Hangul"})
_WORD_WEIGHT = 2.0
"""A word in a spaced script says about as much as two CJK characters."""


@cache
def script_of(char: str) -> str | None:
    """The script of a letter (`Latin`, `Han`, `Kana`, `Hangul`, `Cyrillic`, ...), else None."""
    if not unicodedata.category(char).startswith("L") and char not in "々〆ー":
        return None
    name = unicodedata.name(char, "")
    for prefix, script in _NAME_PREFIXES.items():
        if name.startswith(prefix + " ") or name.startswith(prefix + "-"):
            return script
    first = name.split(" ", 1)[0]
    return first.capitalize() if first else None


@dataclass(frozen=True, slots=True)
class ScriptCounts:
    """Letters of each script in a text, and how much each script weighs as evidence.

    `letters` counts every letter; `weights` counts CJK characters one each and words of other
    scripts two each, except Latin names, codes and units when another script is present.
    """

    letters: Counter[str]
    weights: dict[str, float]
    latin_prose: str
    """The Latin words that weigh (all of them when Latin is the only script)."""

    @property
    def scripts(self) -> list[str]:
        """Scripts found, the most letters first."""
        return [script for script, _ in self.letters.most_common()]

    def dominant(self) -> str | None:
        """The script that weighs most, CJK scripts counted together (kanji and kana are both
        Japanese evidence) and winning ties (names lean Latin)."""
        cjk = {s: w for s, w in self.weights.items() if s in _CJK_SCRIPTS}
        others = {s: w for s, w in self.weights.items() if s not in _CJK_SCRIPTS}
        best_other = max(others, key=others.__getitem__, default=None)
        if cjk and (best_other is None or sum(cjk.values()) >= others[best_other]):
            return max(cjk, key=cjk.__getitem__)
        return best_other

    def share(self, script: str) -> float:
        """The part of all the weight that speaks for `script` (its CJK group, for CJK)."""
        group = _CJK_SCRIPTS if script in _CJK_SCRIPTS else {script}
        total = sum(self.weights.values())
        return sum(w for s, w in self.weights.items() if s in group) / total if total else 0.0


def count_scripts(text: str) -> ScriptCounts:
    """Count the letters of each script in `text` and weigh them as evidence."""
    letters: Counter[str] = Counter()
    for char in text:
        script = script_of(char)
        if script is not None:
            letters[script] += 1
    words: Counter[str] = Counter()
    prose: list[str] = []
    latin_words: list[str] = []
    for match in _WORD.finditer(_NOT_PROSE.sub(" ", text)):
        word = match.group()
        script = _first_script(word)
        if script is None:
            continue
        words[script] += 1
        if script == "Latin":
            if not _is_code(word):
                latin_words.append(word)
            if _is_prose(word):
                prose.append(word)
    only_latin = set(letters) <= {"Latin"}
    weights: dict[str, float] = {}
    for script, count in letters.items():
        if script in _CJK_SCRIPTS:
            weights[script] = float(count)
        elif script == "Latin":
            kept = len(latin_words) if only_latin else len(prose)
            weights[script] = max(kept, 1 if only_latin else 0) * _WORD_WEIGHT
            if not weights[script]:
                del weights[script]
        else:
            weights[script] = max(words[script], 1) * _WORD_WEIGHT
    return ScriptCounts(letters, weights, " ".join(latin_words if only_latin else prose))


def _is_code(word: str) -> bool:
    """A model number, an acronym or a lone capital (`S24`, `QLED`, `C`): no language in it."""
    return any(char.isdigit() for char in word) or word.isupper()


def _is_prose(word: str) -> bool:
    """A Latin word with no capital and no digit: names and model codes are capitalised
    (`Garmin`, `QLED`) or carry digits (`S24`, `75ml`), and units are listed."""
    letters = word.replace("'", "").replace("’", "")
    return letters.isalpha() and letters.islower() and letters not in _UNITS


def _first_script(word: str) -> str | None:
    for char in word:
        script = script_of(char)
        if script is not None:
            return script
    return None
