"""The serialisable record of a search: what the API stores and the trace views draw."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from translator.engines.types import Usage
from translator.prompting.modes import Segment, qa_findings
from translator.search.budget import BudgetTracker
from translator.search.config import SearchConfig
from translator.search.results import Candidate
from translator.search.tree import Node, SearchTree

__all__ = ["TRACE_VERSION", "build_trace", "node_record"]

TRACE_VERSION = 1


def node_record(node: Node, answer: str | None = None) -> dict[str, Any]:
    """One node as plain JSON data; `answer` is the translation a rollout ended on there."""
    confidence = node.confidence
    return {
        "id": node.id,
        "parent": node.parent,
        "kind": str(node.kind),
        "text": node.text,
        "tokens": node.tokens,
        "confidence": None
        if confidence is None
        else {
            "mean": round(confidence.mean, 4),
            "min": round(confidence.minimum, 4),
            "count": confidence.count,
        },
        "visits": node.visits,
        "value": round(node.value, 4),
        "rollout_reward": None if node.rollout_reward is None else round(node.rollout_reward, 4),
        "terminal": node.terminal,
        "reflection": str(node.kind) == "reflection",
        "flags": sorted(node.flags),
        "children": list(node.children),
        "answer": answer,
    }


def build_trace(
    *,
    segment: Segment,
    config: SearchConfig,
    tree: SearchTree,
    chosen: Candidate,
    alternatives: list[Candidate],
    pool: Sequence[Candidate],
    budget: BudgetTracker,
    stop_reason: str,
    usage: Usage,
) -> dict[str, Any]:
    """Everything needed to explain a search result after the fact. Each node records the
    answer its rollout ended on, repeats included (the alternatives list each answer once); the
    root's answers are the seed answers, which the alternatives name by their flags."""
    answers = {c.node: c.translation for c in pool if c.node != tree.root.id}
    return {
        "version": TRACE_VERSION,
        "source": segment.text,
        "source_language": segment.source,
        "target_language": segment.target,
        "config": {
            "granularity": str(config.granularity),
            "expansion_width": config.expansion_width,
            "uct_c": config.uct_c,
            "temperature": config.temperature,
            "max_rollouts": config.max_rollouts,
            "max_generated_tokens": config.max_generated_tokens,
            "deadline_s": config.deadline_s,
            "parallel": config.parallel,
            "selection": config.selection,
            "seed": config.seed,
        },
        "nodes": [node_record(node, answers.get(node.id)) for node in tree.nodes],
        "chosen_path": [node.id for node in tree.path(tree.nodes[chosen.node])],
        "translation": chosen.translation,
        "qa": [finding.as_dict() for finding in qa_findings(segment, chosen.translation)],
        "alternatives": [candidate.as_dict() for candidate in alternatives],
        "budget_used": {**budget.as_dict(), "stop_reason": stop_reason},
        "usage": usage.as_dict(),
    }
