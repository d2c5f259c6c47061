"""Token choice and top-k logprobs from one position's raw logits, for the in-process engine.

llama.cpp only exposes log-probabilities when it keeps logits for every position (`logits_all`),
which is about 30x slower. We read the last position's logits after each decode step instead and
do the small amount of math here, once per generated token.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["MAX_SAMPLING_CANDIDATES", "TokenChoice", "choose_token", "token_logprob"]

MAX_SAMPLING_CANDIDATES = 512
"""Sampling draws from at most this many most likely tokens; the tail beyond it is negligible."""


@dataclass(frozen=True, slots=True)
class TokenChoice:
    """The chosen token, its logprob under the model, and the top alternatives at this position."""

    token_id: int
    logprob: float
    top_ids: tuple[int, ...]
    top_logprobs: tuple[float, ...]


def choose_token(
    logits: npt.NDArray[np.floating],
    *,
    temperature: float,
    top_p: float,
    top_k: int,
    rng: np.random.Generator,
    n_top: int,
) -> TokenChoice:
    """Pick the next token and report logprobs of the untempered distribution.

    Logprobs always describe the model's own distribution (temperature 1), because the confidence
    reward is about the model's certainty, not about how we happened to sample.
    """
    scores = logits.astype(np.float64, copy=False)
    log_normaliser = _logsumexp(scores)
    top_ids = _top_indices(scores, n_top)
    if temperature == 0:
        token_id = int(top_ids[0])
    else:
        token_id = _sample(scores, temperature=temperature, top_p=top_p, top_k=top_k, rng=rng)
    return TokenChoice(
        token_id=token_id,
        logprob=float(scores[token_id] - log_normaliser),
        top_ids=tuple(int(index) for index in top_ids),
        top_logprobs=tuple(float(scores[index] - log_normaliser) for index in top_ids),
    )


def token_logprob(logits: npt.NDArray[np.floating], token_id: int) -> float:
    """The model's logprob of one given token at a position (for scoring a text it did not
    generate)."""
    scores = logits.astype(np.float64, copy=False)
    return float(scores[token_id] - _logsumexp(scores))


def _logsumexp(scores: npt.NDArray[np.float64]) -> float:
    peak = float(scores.max())
    return peak + float(np.log(np.exp(scores - peak).sum()))


def _top_indices(scores: npt.NDArray[np.float64], count: int) -> npt.NDArray[np.intp]:
    """Indices of the `count` largest scores, largest first, without sorting the vocabulary."""
    count = min(count, scores.shape[0])
    candidates = np.argpartition(scores, -count)[-count:]
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def _sample(
    scores: npt.NDArray[np.float64],
    *,
    temperature: float,
    top_p: float,
    top_k: int,
    rng: np.random.Generator,
) -> int:
    limit = min(top_k, MAX_SAMPLING_CANDIDATES) if top_k > 0 else MAX_SAMPLING_CANDIDATES
    candidates = _top_indices(scores, limit)
    scaled = scores[candidates] / temperature
    probabilities = np.exp(scaled - scaled.max())
    probabilities /= probabilities.sum()
    if top_p < 1.0:
        keep = int(np.searchsorted(np.cumsum(probabilities), top_p)) + 1
        candidates, probabilities = candidates[:keep], probabilities[:keep]
        probabilities = probabilities / probabilities.sum()
    return int(candidates[rng.choice(len(candidates), p=probabilities)])
