"""Pictures of a search trace: a text tree for terminals, and standalone HTML or SVG files.

The HTML page draws the tree (`trace_svg`) and lists every node below it; a node in the picture
links to its entry in the list, which is then highlighted.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from rich.tree import Tree

from translator.search.trace_svg import render_tree_svg, snippet
from translator.text.qa import QaFinding, check_translation

__all__ = [
    "TABLE_STYLE",
    "glossary_html",
    "qa_html",
    "render_html",
    "render_reasoning_html",
    "render_svg",
    "render_tree",
    "trace_findings",
]

_SNIPPET = 90
_KIND_STYLES = {
    "root": "bold",
    "step": "cyan",
    "mini-step": "cyan",
    "answer": "green",
    "reflection": "magenta",
}


def _label(node: dict[str, Any], chosen: set[int]) -> Text:
    marker = "★ " if node["id"] in chosen else ""
    confidence = node["confidence"]
    conf = f" conf={confidence['mean']:.2f}" if confidence else ""
    flags = f" [{', '.join(node['flags'])}]" if node["flags"] else ""
    label = Text(f"{marker}#{node['id']} {node['kind']}", style=_KIND_STYLES.get(node["kind"], ""))
    label.append(f" visits={node['visits']} value={node['value']:.3f}{conf}", style="dim")
    label.append(flags, style="red")
    if node["text"]:
        label.append(f"  {snippet(node['text'], _SNIPPET)}")
    return label


def render_tree(trace: dict[str, Any]) -> Tree:
    """A rich Tree of the search, chosen path starred, with the summary as its root label."""
    nodes = {node["id"]: node for node in trace["nodes"]}
    chosen = set(trace["chosen_path"])
    budget = trace["budget_used"]
    title = Text(f"{trace['source']}  →  {trace['translation']}", style="bold")
    title.append(
        f"\n{budget['rollouts']} rollouts, {budget['generated_tokens']} tokens, "
        f"{budget['seconds']}s, stopped: {budget['stop_reason']}",
        style="dim",
    )
    findings = trace_findings(trace)
    if findings:
        title.append("\nQA: " + "; ".join(f.message for f in findings), style="red")
    tree = Tree(title)

    def grow(branch: Tree, node_id: int) -> None:
        for child_id in nodes[node_id]["children"]:
            grow(branch.add(_label(nodes[child_id], chosen)), child_id)

    grow(tree.add(_label(nodes[0], chosen)), 0)
    return tree


def render_svg(trace: dict[str, Any]) -> str:
    """The tree drawn as a standalone SVG image (nodes sized by visits, coloured by value)."""
    return render_tree_svg(trace)


def glossary_html(trace: dict[str, Any]) -> str:
    """The glossary terms a translation met and how each was rendered, as an HTML section."""
    terms = trace.get("glossary", [])
    if not terms:
        return ""
    rows = [
        (
            "",
            [
                ("", t["term"]),
                ("", t["meaning"]),
                ("", " / ".join(t["preferred"])),
                (t["status"], t["status"] + (f" ({t['found']})" if t.get("found") else "")),
                ("", t["origin"]),
            ],
        )
        for t in terms
    ]
    headers = ("term", "meaning", "preferred", "rendered", "glossary")
    return "<h2>Glossary terms</h2>" + _table(headers, rows)


def trace_findings(trace: dict[str, Any]) -> list[QaFinding] | None:
    """The chosen translation's QA findings: stored with the trace, or (for traces written
    before the checks existed) checked now; None when the trace cannot tell."""
    if "qa" in trace:
        return [QaFinding.from_dict(finding) for finding in trace["qa"]]
    if {"source", "translation", "source_language", "target_language"} <= trace.keys():
        return list(
            check_translation(
                trace["source"],
                trace["translation"],
                source_language=trace["source_language"],
                target_language=trace["target_language"],
            )
        )
    return None


def qa_html(trace: dict[str, Any]) -> str:
    """The chosen translation's QA findings as an HTML section."""
    findings = trace_findings(trace)
    if findings is None:
        return ""
    if not findings:
        return '<h2>QA checks</h2><p class="facts">No findings.</p>'
    rows = [
        (
            str(f.severity),
            [
                ("", str(f.kind)),
                ("", str(f.problem)),
                ("", str(f.severity)),
                ("", f.source or ""),
                ("", f.found or ""),
            ],
        )
        for f in findings
    ]
    headers = ("kind", "problem", "severity", "source", "in the translation")
    return "<h2>QA checks</h2>" + _table(headers, rows)


def _table(headers: Sequence[str], rows: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """An HTML table of `(row class, [(cell class, text), ...])` rows, every text escaped.

    Each cell carries its column's name, so that on a phone (`TABLE_STYLE`) a row becomes a
    card of labelled lines instead of a table wider than the screen.
    """
    head = "".join(f"<th>{html.escape(name)}</th>" for name in headers)
    body = "".join(
        f'<tr class="{html.escape(row_class)}">'
        + "".join(
            f'<td class="{html.escape(cell_class)}" data-label="{html.escape(name)}">'
            f"{html.escape(text)}</td>"
            for name, (cell_class, text) in zip(headers, cells, strict=True)
        )
        + "</tr>"
        for row_class, cells in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


TABLE_STYLE = """\
table { border-collapse: collapse; }
td, th { text-align: left; padding: .2rem .6rem; vertical-align: top; overflow-wrap: break-word; }
th, td:first-child { white-space: nowrap; }
.missed, .error { color: #c30; }
@media (max-width: 40rem) {
  table, tbody, tr, td { display: block; }
  thead { display: none; }
  tr { border-top: 1px solid #ddd; padding: .3rem 0; }
  td, td:first-child { padding: .1rem 0; white-space: normal; }
  td::before { content: attr(data-label) ": "; color: #666; }
}
"""
"""How the QA and glossary tables read on every page that shows them: on a narrow screen each
row is a card of `column: value` lines."""


def render_reasoning_html(trace: dict[str, Any]) -> str:
    """The page of a single-pass translation: its thought, QA findings and glossary terms."""
    thought = html.escape(str(trace.get("thought", "")))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>Reasoning</title><style>{_REASONING_STYLE}{TABLE_STYLE}</style></head><body>"
        f"<h1>Reasoning</h1><pre>{thought}</pre>{qa_html(trace)}{glossary_html(trace)}"
        "</body></html>"
    )


_REASONING_STYLE = """\
body { font-family: system-ui, sans-serif; margin: 1rem; color: #222; max-width: 70rem; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .3rem; }
.facts { color: #666; font-size: .9em; }
"""


def render_html(trace: dict[str, Any]) -> str:
    """A standalone HTML page: the tree as nested lists, every model text escaped."""
    nodes = {node["id"]: node for node in trace["nodes"]}
    chosen = set(trace["chosen_path"])

    def item(node_id: int) -> str:
        node = nodes[node_id]
        classes = ["node", node["kind"]] + (["chosen"] if node_id in chosen else [])
        confidence = node["confidence"]
        facts = [f"visits {node['visits']}", f"value {node['value']:.3f}"]
        if confidence:
            facts.append(f"confidence {confidence['mean']:.2f} (min {confidence['min']:.2f})")
        facts.extend(node["flags"])
        children = "".join(item(child) for child in node["children"])
        return (
            f'<li id="node-{node_id}" class="{" ".join(classes)}"><span class="kind">#{node_id} '
            f'{html.escape(node["kind"])}</span> <span class="facts">'
            f"{html.escape(' · '.join(facts))}</span>"
            + (f"<pre>{html.escape(node['text'])}</pre>" if node["text"] else "")
            + (
                f'<p class="answer">→ {html.escape(node["answer"])}</p>'
                if node.get("answer")
                else ""
            )
            + (f"<ul>{children}</ul>" if children else "")
            + "</li>"
        )

    alternatives = "".join(
        f'<li>{html.escape(a["translation"])} <span class="facts">reward {a["reward"]:.3f}'
        f"{_source_fact(a)}"
        f"{' · ' + html.escape(', '.join(a['flags'])) if a['flags'] else ''}</span></li>"
        for a in trace["alternatives"]
    )
    budget = trace["budget_used"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Search trace</title>
<link rel="icon" href="data:,">
<style>
body {{ font-family: system-ui, sans-serif; margin: 1rem; color: #222; max-width: 70rem; }}
h1 {{ font-size: 1.4rem; overflow-wrap: anywhere; }}
figure {{ margin: 0; overflow-x: auto; border: 1px solid #ddd; border-radius: 6px; }}
figcaption {{ padding: .4rem .6rem; color: #555; font-size: .9em; }}
.tree-node:focus {{ outline: 2px solid #05c; }}
li:target {{ background: #fff6c8; outline: 2px solid #e0b400; }}
ul {{ list-style: none; padding-left: 1.4rem; border-left: 1px solid #ccc; }}
li {{ margin: .4rem 0; }}
pre {{ white-space: pre-wrap; margin: .2rem 0; background: #f6f6f6; padding: .3rem; }}
.kind {{ font-weight: 600; }} .facts {{ color: #666; font-size: .9em; }}
.answer {{ margin: .2rem 0; overflow-wrap: anywhere; }}
.chosen > .kind {{ color: #0a7; }} .reflection > .kind {{ color: #a0a; }}
{TABLE_STYLE}</style></head><body>
<h1>{html.escape(trace["source"])}</h1>
<p><strong>{html.escape(trace["translation"])}</strong></p>
<p class="facts">{budget["rollouts"]} rollouts · {budget["generated_tokens"]} tokens ·
{budget["seconds"]} s · stopped: {html.escape(budget["stop_reason"])}</p>
{qa_html(trace)}
<h2>Tree</h2>
<figure>{render_tree_svg(trace)}
<figcaption>Each circle is a reasoning state: larger means visited more, colour is its mean
reward. Hover a node for its text, or select it to find it in the list below.</figcaption>
</figure>
{glossary_html(trace)}
<h2>Alternatives</h2><ol>{alternatives}</ol>
<h2>Nodes</h2><ul class="tree-list">{item(0)}</ul>
</body></html>
"""


def _source_fact(alternative: dict[str, Any]) -> str:
    """The source likelihood that `consensus-source` weighed, where the search scored it."""
    value = alternative.get("source_logprob")
    return "" if value is None else f" · source log-prob {value:.2f}"
