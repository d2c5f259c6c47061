"""What a search hands back: its candidates, the chosen one, and progress reports while it runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from translator.engines.types import Usage

__all__ = ["Candidate", "ProgressCallback", "SearchProgress", "SearchResult"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A complete translation some rollout produced, with its scores."""

    translation: str
    reward: float
    confidence: float
    flags: tuple[str, ...]
    node: int
    thought: str
    source_logprob: float | None = None
    """Mean log p(source | translation), where the selection asked for it."""

    def as_dict(self) -> dict[str, Any]:
        scores: dict[str, Any] = {
            "translation": self.translation,
            "reward": round(self.reward, 4),
            "confidence": round(self.confidence, 4),
            "flags": list(self.flags),
            "node": self.node,
        }
        if self.source_logprob is not None:
            scores["source_logprob"] = round(self.source_logprob, 4)
        return scores


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The chosen translation, the n-best list (distinct translations, best first) and the trace."""

    best: Candidate
    alternatives: list[Candidate]
    trace: dict[str, Any]
    usage: Usage
    pool: tuple[Candidate, ...] = ()
    """Every candidate in the order found, repeats included (what consensus selection weighs)."""


@dataclass(frozen=True, slots=True)
class SearchProgress:
    """Where a running search stands after a wave: for progress bars and best-so-far views."""

    rollouts: int
    max_rollouts: int
    generated_tokens: int
    best_translation: str | None
    best_reward: float | None

    @classmethod
    def of(
        cls, rollouts: int, max_rollouts: int, generated_tokens: int, pool: Sequence[Candidate]
    ) -> SearchProgress:
        """The progress of a search whose pool holds `pool`; its best is the best-rewarded."""
        best = max(pool, key=lambda c: c.reward, default=None)
        return cls(
            rollouts=rollouts,
            max_rollouts=max_rollouts,
            generated_tokens=generated_tokens,
            best_translation=best.translation if best else None,
            best_reward=round(best.reward, 4) if best else None,
        )


ProgressCallback = Callable[[SearchProgress], None]
