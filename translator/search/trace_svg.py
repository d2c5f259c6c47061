"""The search tree drawn as an SVG picture: one circle per node, one curve per action.

Depth runs left to right and leaves top to bottom, so a deep tree grows down the page (which
scrolls) rather than across a phone's width. A circle's area follows the node's visits, its
fill the node's value (mean backed-up reward) on a scale spanning the tree's own values, so
siblings the search told apart look apart. Reflection nodes wear a dashed ring; the chosen path
is drawn dark. Each node links to `#node-{id}`, the same node in the text view of
`trace_view.render_html`, and carries its text in a `<title>` (shown on hover). Every model
text is escaped; only presentation attributes are used, so a strict style policy still draws it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

__all__ = ["render_tree_svg", "reward_colour", "snippet"]

_COLUMN = 96
_ROW = 34
_PAD = 24
_LEGEND = 58
_LABEL_WIDTH = 400
_CAPTION_LINE = 18
"""Height of one line of the inner nodes' answers, under the tree."""
_LABEL_CHARS = 56
_MIN_RADIUS = 5.0
_MAX_RADIUS = 15.0
_SCALE = (
    (0xD7, 0x30, 0x27),
    (0xFC, 0x8D, 0x59),
    (0xE0, 0xB8, 0x40),
    (0x91, 0xBF, 0xDB),
    (0x45, 0x75, 0xB4),
)
"""Red, orange, ochre, light and dark blue: a diverging scale colour-blind readers can order,
with no stop too pale to see on white."""
_UNVISITED = "#e6e6e6"
_CHOSEN = "#111"
_REFLECTION = "#a0a"


@dataclass(frozen=True, slots=True)
class _Place:
    x: float
    y: float


def reward_colour(fraction: float) -> str:
    """The fill for a value at `fraction` (0 = the tree's lowest, 1 = its highest)."""
    position = min(1.0, max(0.0, fraction)) * (len(_SCALE) - 1)
    index = min(int(position), len(_SCALE) - 2)
    start, end, t = _SCALE[index], _SCALE[index + 1], position - index
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(start, end, strict=True))


def _layout(nodes: dict[int, dict[str, Any]]) -> dict[int, _Place]:
    """Leaves take the next row in order; a parent sits midway between its first and last child."""
    places: dict[int, _Place] = {}
    next_row = 0

    def place(node_id: int, depth: int) -> float:
        nonlocal next_row
        children = nodes[node_id]["children"]
        if children:
            rows = [place(child, depth + 1) for child in children]
            row = (rows[0] + rows[-1]) / 2
        else:
            row, next_row = next_row, next_row + 1
        places[node_id] = _Place(_PAD + depth * _COLUMN + _MAX_RADIUS, _LEGEND + _PAD + row * _ROW)
        return row

    place(0, 0)
    return places


def snippet(text: str, limit: int) -> str:
    """`text` on one line in at most `limit` characters. A longer text keeps its start and its
    end around an ellipsis: the answers of one tree often differ only towards their end."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = (limit - 1) // 2
    return flat[:head].rstrip() + "…" + flat[len(flat) - (limit - 1 - head) :].lstrip()


def _legend(low: float, high: float) -> str:
    stops = "".join(
        f'<stop offset="{step / 4:.2f}" stop-color="{reward_colour(step / 4)}"/>'
        for step in range(5)
    )
    return (
        f'<defs><linearGradient id="reward-scale">{stops}</linearGradient></defs>'
        f'<g class="legend" font-size="11" fill="#444">'
        f'<text x="{_PAD}" y="16">value {low:.3f}</text>'
        f'<rect x="{_PAD + 70}" y="6" width="90" height="12" fill="url(#reward-scale)"/>'
        f'<text x="{_PAD + 166}" y="16">{high:.3f} · size: visits</text>'
        f'<line x1="{_PAD}" y1="34" x2="{_PAD + 26}" y2="34" stroke="{_CHOSEN}" '
        'stroke-width="3"/>'
        f'<text x="{_PAD + 32}" y="38">chosen path</text>'
        f'<circle cx="{_PAD + 120}" cy="34" r="6" fill="none" stroke="{_REFLECTION}" '
        'stroke-dasharray="3 2" stroke-width="2"/>'
        f'<text x="{_PAD + 132}" y="38">reflection</text></g>'
    )


def _node_title(node: dict[str, Any], answer: str | None) -> str:
    facts = [f"#{node['id']} {node['kind']}", f"visits {node['visits']}"]
    facts.append(f"value {node['value']:.3f}")
    if node["confidence"]:
        facts.append(f"confidence {node['confidence']['mean']:.2f}")
    facts.extend(node["flags"])
    lines = [" · ".join(facts)]
    if node["text"]:
        lines.append(node["text"].strip())
    if answer is not None:
        lines.append(f"→ {answer}")
    return html.escape("\n".join(lines))


def render_tree_svg(trace: dict[str, Any]) -> str:
    """The tree of `trace` as one `<svg>` element (its size in pixels; wrap it to scroll)."""
    nodes = {node["id"]: node for node in trace["nodes"]}
    chosen = set(trace["chosen_path"])
    answers = {c["node"]: c["translation"] for c in trace["alternatives"] if "node" in c}
    answers.update({n["id"]: n["answer"] for n in trace["nodes"] if n.get("answer")})
    # The root holds every seed answer; where the chosen one sits there, the root shows it.
    answers[trace["chosen_path"][-1]] = trace["translation"]
    places = _layout(nodes)
    most_visits = max(1, *(node["visits"] for node in nodes.values()))
    values = [node["value"] for node in nodes.values() if node["visits"] and node["id"] != 0]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)

    bottom = max(places[i].y for i in places) + _MAX_RADIUS
    edges: list[str] = []
    circles: list[str] = []
    captions: list[str] = []
    for node_id, node in nodes.items():
        here = places[node_id]
        for child_id in node["children"]:
            there = places[child_id]
            on_path = node_id in chosen and child_id in chosen
            bend = (here.x + there.x) / 2
            edges.append(
                f'<path d="M{here.x:.1f},{here.y:.1f} C{bend:.1f},{here.y:.1f} '
                f'{bend:.1f},{there.y:.1f} {there.x:.1f},{there.y:.1f}" fill="none" '
                f'stroke="{_CHOSEN if on_path else "#b8b8b8"}" '
                f'stroke-width="{3 if on_path else 1.5}"/>'
            )
        radius = _MIN_RADIUS + (_MAX_RADIUS - _MIN_RADIUS) * (node["visits"] / most_visits) ** 0.5
        spread = high - low
        fill = (
            _UNVISITED
            if not node["visits"]
            else reward_colour((node["value"] - low) / spread if spread else 0.5)
        )
        in_path = node_id in chosen
        parts = [
            f'<a href="#node-{node_id}" class="tree-node{" chosen" if in_path else ""}" '
            f'aria-label="node {node_id}, {html.escape(node["kind"])}, visits {node["visits"]}, '
            f'value {node["value"]:.3f}"><title>{_node_title(node, answers.get(node_id))}</title>',
            f'<circle cx="{here.x:.1f}" cy="{here.y:.1f}" r="{radius:.1f}" fill="{fill}" '
            f'stroke="{_CHOSEN if in_path else "#fff"}" stroke-width="{2.5 if in_path else 1}"/>',
        ]
        if node["reflection"]:
            parts.append(
                f'<circle cx="{here.x:.1f}" cy="{here.y:.1f}" r="{radius + 4:.1f}" fill="none" '
                f'stroke="{_REFLECTION}" stroke-width="2" stroke-dasharray="3 2"/>'
            )
        label = answers.get(node_id)
        if label is not None or not node["children"]:
            shown = label if label is not None else node["text"]
            text = snippet(shown, _LABEL_CHARS) or node["kind"]
            style = (
                f'font-size="12" font-weight="{"bold" if in_path else "normal"}" '
                f'fill="{_CHOSEN if in_path else "#333"}"'
            )
            if node["children"]:
                # Beside an inner node the label would run over its children's edges and
                # labels: it goes under the tree, named by the node's number.
                y = bottom + _CAPTION_LINE * (len(captions) + 1)
                captions.append(
                    f'<a href="#node-{node_id}"><text x="{_PAD}" y="{y:.1f}" {style}>'
                    f"#{node_id} → {html.escape(text)}</text></a>"
                )
            else:
                gap = 10 if node["reflection"] else 6
                parts.append(
                    f'<text x="{here.x + radius + gap:.1f}" y="{here.y + 4:.1f}" {style}>'
                    f"{html.escape(text)}</text>"
                )
        parts.append("</a>")
        circles.append("".join(parts))

    width = max(places[i].x for i in places) + _MAX_RADIUS + _LABEL_WIDTH
    height = bottom + _CAPTION_LINE * len(captions) + _PAD
    summary = (
        f"Search tree: {len(nodes)} nodes, {trace['budget_used']['rollouts']} rollouts; "
        f"chosen translation: {trace['translation']}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="search-tree" role="group" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="system-ui, sans-serif"><title>{html.escape(summary)}</title>'
        f"{_legend(low, high)}<g>{''.join(edges)}</g><g>{''.join(circles)}</g>"
        f"<g>{''.join(captions)}</g></svg>"
    )
