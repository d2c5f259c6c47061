"""The search tree: reasoning states as nodes, model outputs as the actions between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["ActionKind", "ConfidenceSummary", "Node", "SearchTree"]


class ActionKind(StrEnum):
    """How a node's text came about."""

    ROOT = "root"
    STEP = "step"
    MINI_STEP = "mini-step"
    ANSWER = "answer"
    REFLECTION = "reflection"


@dataclass(frozen=True, slots=True)
class ConfidenceSummary:
    """Per-token confidence of an action's tokens, summarised for the trace."""

    mean: float
    minimum: float
    count: int

    @classmethod
    def of(cls, scores: list[float]) -> ConfidenceSummary | None:
        if not scores:
            return None
        return cls(mean=sum(scores) / len(scores), minimum=min(scores), count=len(scores))


@dataclass(slots=True)
class Node:
    """A reasoning state: the prompt plus the actions on the path from the root to here."""

    id: int
    parent: int | None
    kind: ActionKind
    text: str
    tokens: int = 0
    confidence: ConfidenceSummary | None = None
    terminal: bool = False
    children: list[int] = field(default_factory=list)
    visits: int = 0
    value_sum: float = 0.0
    virtual_loss: int = 0
    pending_children: int = 0
    rollout_reward: float | None = None
    flags: set[str] = field(default_factory=set)

    @property
    def value(self) -> float:
        """Mean backed-up reward; 0 before the first visit."""
        return self.value_sum / self.visits if self.visits else 0.0


class SearchTree:
    """Nodes by id; the root holds no text (the prompt lives outside the tree)."""

    def __init__(self) -> None:
        self.nodes: list[Node] = [Node(id=0, parent=None, kind=ActionKind.ROOT, text="")]

    @property
    def root(self) -> Node:
        return self.nodes[0]

    def add_child(
        self,
        parent: Node,
        kind: ActionKind,
        text: str,
        *,
        tokens: int = 0,
        confidence: ConfidenceSummary | None = None,
        terminal: bool = False,
    ) -> Node:
        node = Node(
            id=len(self.nodes),
            parent=parent.id,
            kind=kind,
            text=text,
            tokens=tokens,
            confidence=confidence,
            terminal=terminal,
        )
        self.nodes.append(node)
        parent.children.append(node.id)
        return node

    def path(self, node: Node) -> list[Node]:
        """Nodes from the root down to `node`, both included."""
        path = [node]
        while path[-1].parent is not None:
            path.append(self.nodes[path[-1].parent])
        return path[::-1]

    def state_text(self, node: Node) -> str:
        """The assistant text written so far at `node`."""
        return "".join(step.text for step in self.path(node))

    def backup(self, node: Node, reward: float) -> None:
        """Add one visit with `reward` to `node` and every ancestor."""
        for step in self.path(node):
            step.visits += 1
            step.value_sum += reward
