"""Which candidate the search answers with.

- `reward`: the best confidence reward (the paper's choice).
- `visits`: follow the most-visited child from the root, then the best reward under that path
  (what Marco-o1's data-generation code does).
- `consensus`: minimum Bayes risk with a chrF utility. Each distinct translation scores its
  mean chrF against every candidate in the pool (repeats count again), weighted by their
  confidences, times its own verifier factor. The most probable output of a small model is
  often short or copied, while the translation the samples agree on tends to be the good one.
- `consensus-source`: consensus, and how well each candidate predicts the source (the model's
  length-normalised log p(source | candidate), `translator.search.source_scores`), combined as
  the sum of each one's rank within the segment; ties go to the better consensus. Agreement
  finds the fluent reading most samples share; the source's likelihood finds which of them
  kept everything the source says. Without source scores (an engine that cannot report prompt
  logprobs) it is plain consensus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from translator.search.config import Selection
from translator.search.results import Candidate
from translator.search.tree import SearchTree
from translator.text.agreement import chrf_similarity

__all__ = ["ORIGIN_FLAGS", "choose", "consensus_scores", "distinct", "rank_sum"]

ORIGIN_FLAGS = ("direct", "cot", "examples", "fallback")
"""Flags that say which greedy pass found a translation, rather than what is wrong with it."""


def distinct(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The best-rewarded candidate per distinct translation, best first (ties: earliest)."""
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        current = best.get(candidate.translation)
        if current is None or candidate.reward > current.reward:
            best[candidate.translation] = candidate
    return sorted(best.values(), key=lambda c: -c.reward)


def choose(
    candidates: Sequence[Candidate],
    selection: Selection,
    tree: SearchTree,
    source_scores: Mapping[str, float] | None = None,
) -> tuple[Candidate, list[Candidate]]:
    """The chosen candidate and every distinct one, chosen first, then by reward.

    Each keeps the origin flags of every pool member with its translation, so an answer that
    direct, cot and a rollout all found says so. `source_scores` maps each distinct translation
    to its source likelihood; only `consensus-source` reads it.
    """
    ranked = distinct(candidates)
    if selection == "visits":
        chosen = _by_visits(ranked, tree)
    elif selection in ("consensus", "consensus-source"):
        scores = consensus_scores(ranked, candidates)
        if selection == "consensus-source" and source_scores is not None:
            likelihoods = [source_scores[c.translation] for c in ranked]
            scores = [
                total + agreement / 4  # agreement (0 to 1) only breaks ties between rank sums
                for total, agreement in zip(rank_sum(scores, likelihoods), scores, strict=True)
            ]
        chosen = max(zip(ranked, scores, strict=True), key=lambda pair: pair[1])[0]
    else:
        chosen = ranked[0]
    ordered = [
        _with_origins(c, candidates) for c in (chosen, *(c for c in ranked if c is not chosen))
    ]
    return ordered[0], ordered


def _with_origins(candidate: Candidate, pool: Sequence[Candidate]) -> Candidate:
    """`candidate` with the origin flags of every pool member that found its translation."""
    origins = {
        flag
        for other in pool
        if other.translation == candidate.translation
        for flag in other.flags
        if flag in ORIGIN_FLAGS
    }
    missing = tuple(
        flag for flag in ORIGIN_FLAGS if flag in origins and flag not in candidate.flags
    )
    return replace(candidate, flags=(*candidate.flags, *missing)) if missing else candidate


def rank_sum(*signals: Sequence[float]) -> list[float]:
    """Each item's ranks (0 for the lowest, ties sharing their mean rank) summed over signals."""
    totals = [0.0] * len(signals[0])
    for values in signals:
        for index, value in enumerate(values):
            below = sum(1 for other in values if other < value)
            equal = sum(1 for other in values if other == value)
            totals[index] += below + (equal - 1) / 2
    return totals


def consensus_scores(ranked: Sequence[Candidate], pool: Sequence[Candidate]) -> list[float]:
    """Each of `ranked`'s confidence-weighted mean chrF (0 to 1) against the rest of `pool`."""
    scores = []
    for candidate in ranked:
        others = list(pool)
        others.remove(candidate)  # itself once; its repeats stay as evidence
        weight = sum(other.confidence for other in others)
        if not others or weight <= 0:
            scores.append(candidate.reward)
            continue
        agreement = sum(
            other.confidence * chrf_similarity(candidate.translation, other.translation)
            for other in others
        )
        scores.append(_verifier_factor(candidate) * agreement / weight)
    return scores


def _verifier_factor(candidate: Candidate) -> float:
    """What the verifiers left of the confidence (the reward is confidence times the factor)."""
    return candidate.reward / candidate.confidence if candidate.confidence > 0 else 0.0


def _by_visits(ranked: list[Candidate], tree: SearchTree) -> Candidate:
    """Follow the most-visited child from the root; the best translation under that path."""
    node = tree.root
    while node.children:
        node = max((tree.nodes[i] for i in node.children), key=lambda n: n.visits)
    under = [c for c in ranked if node in tree.path(tree.nodes[c.node])]
    return under[0] if under else ranked[0]
