"""Search settings and the per-engine budgets that make `mcts` the practical default everywhere."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

__all__ = [
    "BUDGETS",
    "BudgetName",
    "Granularity",
    "SearchConfig",
    "Selection",
    "config_for",
    "default_budget",
]

Selection = Literal["reward", "visits", "consensus", "consensus-source"]
"""How the search picks its answer from the pool (see `translator.search.selection`)."""


class Granularity(StrEnum):
    """What one action is: a reasoning step, or a fixed count of tokens (Marco-o1's mini-steps)."""

    STEP = "step"
    MINI_STEP_64 = "mini-step-64"
    MINI_STEP_32 = "mini-step-32"

    @property
    def token_count(self) -> int | None:
        """Tokens per action for mini-steps; None for reasoning steps."""
        return {"mini-step-64": 64, "mini-step-32": 32}.get(self.value)


class BudgetName(StrEnum):
    """Named budgets: `small` fits a CPU, `large` keeps a GPU server busy."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


@dataclass(frozen=True, slots=True)
class SearchConfig:
    """Everything the paper leaves open, with our defaults.

    Attributes:
        granularity: Size of one action.
        expansion_width: Children sampled per expansion, all in one engine call.
        uct_c: Exploration constant of UCT (the Marco-o1 data code uses 1.414).
        temperature: Sampling temperature for actions and rollouts.
        top_p: Nucleus mass for sampling.
        max_rollouts: Stop after this many completed rollouts.
        max_generated_tokens: Stop once the search has generated this many tokens.
        deadline_s: Stop starting new work after this many seconds; work in flight is cancelled.
        early_stop_margin: Stop when the best translation's reward leads the runner-up by this.
        min_rollouts: Rollouts required before the early stop may trigger.
        parallel: Leaves expanded concurrently per wave (virtual loss keeps them apart).
        max_thought_tokens: Cap on a rollout's reasoning before its answer is forced.
        reflection_threshold: A rollout scoring below this (after verifiers) earns a reflection.
        max_reflections: Reflection children per search.
        segment_concurrency: Searches run at once when translating several texts.
        selection: How the answer is chosen from the pool (see `translator.search.selection`):
            `reward`, `visits`, `consensus` or `consensus-source`.
        direct_candidate: Put the direct mode's greedy answer in the pool, so the search can
            only add better-agreed alternatives to it. It decodes beside the tree's first
            waves; the early stop waits for it.
        cot_candidate: Put the cot mode's greedy answer (a greedy thought, then the answer) in
            the pool too, decoded beside the direct answer and the first waves: a second
            prompt style adds a candidate the samples rarely reach. The deadline counts from
            when these answers are in, and the cot answer's tokens are not the tree's.
        examples_candidate: Put the direct answer with this many example-bank pairs shown
            (`translator.prompting.example_bank`) in the pool too, decoded beside the other
            greedy answers (0: none). Like the cot answer, a third prompt's reading; its tokens
            are not the tree's.
        seed: Makes sampling reproducible (on the embedded engine, from a fresh process).
    """

    granularity: Granularity = Granularity.STEP
    expansion_width: int = 2
    uct_c: float = 1.414
    temperature: float = 0.7
    top_p: float = 0.95
    max_rollouts: int = 5
    max_generated_tokens: int = 560
    deadline_s: float = 45.0
    early_stop_margin: float = 0.12
    min_rollouts: int = 2
    parallel: int = 1
    max_thought_tokens: int = 160
    reflection_threshold: float = 0.6
    max_reflections: int = 1
    segment_concurrency: int = 1
    selection: Selection = "consensus-source"
    direct_candidate: bool = True
    cot_candidate: bool = False
    examples_candidate: int = 0
    seed: int | None = 0

    def __post_init__(self) -> None:
        if self.expansion_width < 1 or self.max_rollouts < 1 or self.parallel < 1:
            raise ValueError("expansion_width, max_rollouts and parallel must be at least 1")
        if self.max_generated_tokens < 16 or self.deadline_s <= 0:
            raise ValueError("the budget must allow at least 16 tokens and a positive deadline")


BUDGETS: dict[BudgetName, SearchConfig] = {
    # Two rollouts: 47.74 chrF at 21.7 s per segment against 47.86 at 35.8 s for five, on 100
    # zh→en dev e-commerce segments in one `translator eval` run (bench/README.md, "Search
    # budgets").
    # The examples answer: +1.06 chrF for the small budget on 100 held-out zh→en dev e-commerce
    # segments (bench/README.md, "The search's pool"); the larger budgets were not measured.
    BudgetName.SMALL: SearchConfig(cot_candidate=True, examples_candidate=2, max_rollouts=2),
    BudgetName.MEDIUM: SearchConfig(
        cot_candidate=True,
        examples_candidate=2,
        expansion_width=3,
        max_rollouts=9,
        max_generated_tokens=1500,
        deadline_s=120.0,
        parallel=2,
    ),
    BudgetName.LARGE: SearchConfig(
        cot_candidate=True,
        examples_candidate=2,
        expansion_width=4,
        max_rollouts=32,
        max_generated_tokens=8000,
        deadline_s=60.0,
        parallel=4,
        max_thought_tokens=384,
        max_reflections=3,
        min_rollouts=8,
        segment_concurrency=8,
    ),
}


def default_budget(engine_name: str) -> BudgetName:
    """Small on the in-process CPU model, large on a GPU server."""
    return BudgetName.SMALL if engine_name == "embedded" else BudgetName.LARGE


def config_for(budget: BudgetName, **overrides: object) -> SearchConfig:
    """A named budget with some fields replaced (for CLI flags and experiments)."""
    return replace(BUDGETS[budget], **overrides)  # type: ignore[arg-type]
