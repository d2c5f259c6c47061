"""Marco-o1's confidence score: how sure the model was of each token it wrote."""

from __future__ import annotations

import math
from collections.abc import Iterable

from translator.engines.types import TokenLogprob

__all__ = ["mean_confidence", "token_confidence"]


def token_confidence(token: TokenLogprob) -> float:
    """c = exp(lp) / sum of exp(lp_k) over the top-5 alternatives, in [0, 1].

    A sampled token outside the top 5 is added to the denominator, so it scores low instead of
    pushing c above 1.
    """
    alternatives = [logprob for _, logprob in token.top]
    in_top = any(
        text == token.text and math.isclose(logprob, token.logprob, abs_tol=1e-6)
        for text, logprob in token.top
    )
    if not in_top:
        alternatives.append(token.logprob)
    peak = max(alternatives)
    denominator = sum(math.exp(logprob - peak) for logprob in alternatives)
    return min(1.0, math.exp(token.logprob - peak) / denominator)


def mean_confidence(tokens: Iterable[TokenLogprob]) -> float:
    """Average token confidence over a rollout; 0.0 for an empty one."""
    scores = [token_confidence(token) for token in tokens]
    return sum(scores) / len(scores) if scores else 0.0
