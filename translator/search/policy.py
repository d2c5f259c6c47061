"""UCT selection with virtual loss, so concurrent rollouts spread over different leaves."""

from __future__ import annotations

import math

from translator.search.tree import ActionKind, Node, SearchTree

__all__ = ["add_virtual_loss", "is_fully_expanded", "select_leaf", "uct_score"]


def uct_score(child: Node, parent_visits: int, c: float) -> float:
    """Q + c * sqrt(ln N / n); pending (virtual) visits count as visits that earned nothing.

    An unvisited child scores infinity, so every child is tried once before any is repeated.
    """
    visits = child.visits + child.virtual_loss
    if visits == 0:
        return math.inf
    exploitation = child.value_sum / visits
    exploration = c * math.sqrt(math.log(max(parent_visits, 1)) / visits)
    return exploitation + exploration


def is_fully_expanded(tree: SearchTree, node: Node, width: int) -> bool:
    """A node has (or is about to have) its `width` sampled children; reflections come on top."""
    sampled = sum(1 for i in node.children if tree.nodes[i].kind is not ActionKind.REFLECTION)
    return sampled + node.pending_children >= width


def select_leaf(tree: SearchTree, width: int, c: float) -> Node | None:
    """Descend by UCT from the root to a node that is terminal or still has room to expand.

    Returns None when the way down ends at a node whose children are all still being sampled.
    """
    node = tree.root
    while not node.terminal and is_fully_expanded(tree, node, width):
        if not node.children:
            return None
        parent_visits = node.visits + node.virtual_loss
        node = max(
            (tree.nodes[i] for i in node.children),
            key=lambda child: uct_score(child, parent_visits, c),
        )
    return node


def add_virtual_loss(tree: SearchTree, node: Node, amount: int) -> None:
    """Mark (or with a negative amount, unmark) a rollout in flight along the path to `node`."""
    for step in tree.path(node):
        step.virtual_loss += amount
