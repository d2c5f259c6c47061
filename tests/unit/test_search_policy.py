"""Tree arithmetic: UCT, virtual loss, backup, selection."""

import math

from translator.search.policy import add_virtual_loss, select_leaf, uct_score
from translator.search.tree import ActionKind, SearchTree


def _tree_with_two_children() -> SearchTree:
    tree = SearchTree()
    first = tree.add_child(tree.root, ActionKind.STEP, "a")
    second = tree.add_child(tree.root, ActionKind.STEP, "b")
    tree.backup(first, 0.9)
    tree.backup(first, 0.5)
    tree.backup(second, 0.6)
    return tree


def test_uct_is_mean_value_plus_exploration() -> None:
    tree = _tree_with_two_children()
    first, second = tree.nodes[1], tree.nodes[2]
    assert tree.root.visits == 3
    assert tree.root.value_sum == 2.0
    expected_first = 0.7 + 1.414 * math.sqrt(math.log(3) / 2)
    expected_second = 0.6 + 1.414 * math.sqrt(math.log(3) / 1)
    assert uct_score(first, 3, 1.414) == expected_first
    assert uct_score(second, 3, 1.414) == expected_second
    assert uct_score(first, 3, 0.0) == 0.7


def test_unvisited_child_comes_first_and_virtual_loss_counts_as_empty_visit() -> None:
    tree = _tree_with_two_children()
    fresh = tree.add_child(tree.root, ActionKind.REFLECTION, "r")
    assert uct_score(fresh, 3, 1.0) == math.inf
    add_virtual_loss(tree, tree.nodes[2], 1)
    assert tree.root.virtual_loss == 1
    assert uct_score(tree.nodes[2], 4, 0.0) == 0.3
    add_virtual_loss(tree, tree.nodes[2], -1)
    assert tree.nodes[2].virtual_loss == 0


def test_selection_descends_by_uct_to_a_node_with_room() -> None:
    tree = _tree_with_two_children()
    # With no exploration the better mean wins; node 1 has no children yet, so it is the leaf.
    assert select_leaf(tree, width=2, c=0.0) is tree.nodes[1]
    # Wide exploration prefers the less visited child.
    assert select_leaf(tree, width=2, c=10.0) is tree.nodes[2]
    # The root itself still has room when the width is larger than its children.
    assert select_leaf(tree, width=3, c=0.0) is tree.root


def test_selection_waits_when_only_pending_children_remain() -> None:
    tree = SearchTree()
    tree.root.pending_children = 2
    assert select_leaf(tree, width=2, c=1.0) is None


def test_state_text_concatenates_actions_along_the_path() -> None:
    tree = SearchTree()
    step = tree.add_child(tree.root, ActionKind.STEP, "First.\n")
    answer = tree.add_child(step, ActionKind.ANSWER, "</Thought>\n<Output>Hi")
    assert tree.state_text(answer) == "First.\n</Thought>\n<Output>Hi"
    assert [node.id for node in tree.path(answer)] == [0, 1, 2]
