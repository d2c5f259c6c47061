"""Simplified Chinese, traditional Chinese or Japanese, for text whose CJK letters are all Han.

Character forms decide when they differ (产 / 產 / 産): each character written in a form one
orthography never uses counts heavily against it. Words decide between the orthographies
that the forms leave open, which is common for Japanese and traditional Chinese (純正 充電器).
"""

from __future__ import annotations

import math

from translator.text.han_forms import ORTHOGRAPHIES, incompatible_with
from translator.text.han_vocabulary import japanese_log_odds

__all__ = ["han_orthographies"]

_FORM_COST = 3.0
"""Log-odds against an orthography for each character it never writes that way."""
_SIMPLIFIED_PRIOR = 0.7
"""Log-odds for simplified over traditional Chinese when no form tells them apart (the text
reads the same either way)."""
_WORD_EVIDENCE = 0.5
"""Scale of the vocabulary log-odds: characters of one title are not independent."""


def han_orthographies(text: str) -> list[tuple[str, float]]:
    """zh, zh-Hant and ja with their probabilities for `text`, best first."""
    scores = dict.fromkeys(ORTHOGRAPHIES, 0.0)
    for char in text:
        for orthography in incompatible_with(char):
            scores[orthography] -= _FORM_COST
    scores["zh"] += _SIMPLIFIED_PRIOR
    scores["ja"] += japanese_log_odds(text) * _WORD_EVIDENCE
    best = max(scores.values())
    weights = {code: math.exp(score - best) for code, score in scores.items()}
    total = sum(weights.values())
    return sorted(
        ((code, weight / total) for code, weight in weights.items()),
        key=lambda item: item[1],
        reverse=True,
    )
