"""How much translations of the same text agree: chrF between them, and the candidate a pool
agrees with most (minimum Bayes risk with a chrF utility).

A small model's most probable answer is often short or copied; the answer its samples share
tends to be the good one, so both the search's selection and the modes' sampled retry ask
which candidate the others agree with.
"""

from __future__ import annotations

from collections.abc import Sequence

from sacrebleu.metrics.chrf import CHRF

__all__ = ["chrf_similarity", "most_agreed"]

_CHRF = CHRF()


def chrf_similarity(hypothesis: str, reference: str) -> float:
    """Sentence chrF of `hypothesis` against `reference`, from 0 to 1."""
    if hypothesis == reference:
        return 1.0
    return float(_CHRF.sentence_score(hypothesis, [reference]).score) / 100


def most_agreed(candidates: Sequence[str], pool: Sequence[str]) -> int:
    """The index of the candidate with the highest mean chrF against the rest of `pool` (itself
    left out once, its repeats kept as evidence); ties go to the earliest."""
    best, best_score = 0, -1.0
    for index, candidate in enumerate(candidates):
        others = list(pool)
        if candidate in others:
            others.remove(candidate)
        score = sum(chrf_similarity(candidate, o) for o in others) / len(others) if others else 0
        if score > best_score:
            best, best_score = index, score
    return best
