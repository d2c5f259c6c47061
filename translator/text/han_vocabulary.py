"""How Japanese, or how Chinese, a run of Han characters reads.

Many titles are written in characters that Japanese and traditional Chinese share (純正 充電器
急速): their forms cannot tell them apart, but their words can. A character bigram model per
language, estimated from the word frequencies that the `wordfreq` package ships (Japanese and
Chinese lists), scores the text in both, each in its own character forms.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from wordfreq import available_languages, read_cBpack

from translator.text.han_forms import to_japanese_forms, to_simplified

__all__ = ["japanese_log_odds", "load_vocabularies"]

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f々〆]+")
_MAX_CENTIBELS = 800
"""Words rarer than 10^-8 (800 centibels down) add size, not evidence."""
_BIGRAM_SHARE = 0.6
"""Weight of the bigram estimate against the unigram one (interpolated smoothing)."""
_UNSEEN = 1e-7
"""Probability of a character the language's words never use."""


@dataclass(frozen=True, slots=True)
class _CharacterModel:
    unigram: dict[str, float]
    """log P(character)."""
    bigram: dict[str, float]
    """P(second | first), for each pair seen inside a word."""

    def log_likelihood(self, run: str) -> float:
        unseen = math.log(_UNSEEN)
        total = self.unigram.get(run[0], unseen)
        for first, second in pairwise(run):
            alone = math.exp(self.unigram.get(second, unseen))
            paired = self.bigram.get(first + second, 0.0)
            total += math.log(_BIGRAM_SHARE * paired + (1 - _BIGRAM_SHARE) * alone)
        return total


@cache
def _model(language: str) -> _CharacterModel:
    """Character and pair counts over the language's Han words, each weighted by frequency.

    The word list comes in bins of equal frequency (one centibel apart): a bin's words are
    counted together, which keeps building the model near a second.
    """
    convert = to_simplified if language == "zh" else to_japanese_forms
    singles: defaultdict[str, float] = defaultdict(float)
    pairs: defaultdict[str, float] = defaultdict(float)
    bins = read_cBpack(available_languages(wordlist="large")[language])
    for centibels, words in enumerate(bins[:_MAX_CENTIBELS]):
        text = convert(" ".join(words))
        runs = " ".join(_HAN_RUN.findall(text))
        if not runs:
            continue
        frequency = 10 ** (-centibels / 100)
        for char, count in Counter(runs).items():
            singles[char] += count * frequency
        for pair, count in Counter(map(operator.add, runs, runs[1:])).items():
            pairs[pair] += count * frequency
    singles.pop(" ", None)
    firsts: defaultdict[str, float] = defaultdict(float)
    for pair, weight in list(pairs.items()):
        if " " in pair:
            del pairs[pair]
        else:
            firsts[pair[0]] += weight
    total = sum(singles.values())
    return _CharacterModel(
        unigram={char: math.log(count / total) for char, count in singles.items()},
        bigram={pair: count / firsts[pair[0]] for pair, count in pairs.items()},
    )


def load_vocabularies() -> None:
    """Build both models now rather than on the first Han-only text (about a second)."""
    _model("ja")
    _model("zh")


def japanese_log_odds(text: str) -> float:
    """log P(text | Japanese) - log P(text | Chinese) over the Han characters of `text`."""
    japanese = _model("ja")
    chinese = _model("zh")
    in_japanese = sum(map(japanese.log_likelihood, _HAN_RUN.findall(to_japanese_forms(text))))
    in_chinese = sum(map(chinese.log_likelihood, _HAN_RUN.findall(to_simplified(text))))
    return in_japanese - in_chinese
