"""Trace pictures escape model text; the CLI reads traces and rejects other files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.scripted_engine import ScriptedEngine
from translator.cli.main import app
from translator.prompting.modes import Segment
from translator.search.config import SearchConfig
from translator.search.mcts import MCTS
from translator.search.trace_svg import reward_colour, snippet
from translator.search.trace_view import (
    render_html,
    render_reasoning_html,
    render_svg,
    render_tree,
)

HOSTILE = "<script>alert(1)</script> & 踩屎感"


@pytest.fixture
async def trace() -> dict[str, Any]:
    engine = ScriptedEngine(
        [
            ["Cloud comfort"],  # the direct answer the pool starts from
            [
                f"Quote {HOSTILE}.\n</Thought>\n<Output>Cloud-like comfort",
                "Fine.\n</Thought>\n<Output>Soft",
            ],
        ]
    )
    config = SearchConfig(max_rollouts=2, max_reflections=0, early_stop_margin=2.0)
    result = await MCTS(engine, config).search(Segment(HOSTILE, "zh", "en"))
    return result.trace


def test_html_escapes_every_model_text(trace: dict[str, Any]) -> None:
    page = render_html(trace)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 踩屎感" in page
    assert "Cloud-like comfort" in page
    assert page.count('class="node') == len(trace["nodes"])


def test_text_tree_and_svg_show_the_chosen_path(trace: dict[str, Any]) -> None:
    console = Console(record=True, width=200)
    console.print(render_tree(trace))
    text = console.export_text()
    assert "★ #0 root visits=2" in text
    assert "max-rollouts" in text
    svg = render_svg(trace)
    assert svg.startswith("<svg") and "&lt;script&gt;" in svg


def test_cli_draws_a_trace_file(trace: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "trace.json"
    path.write_text(json.dumps(trace, ensure_ascii=False))
    runner = CliRunner()
    shown = runner.invoke(app, ["trace", "show", str(path)])
    assert shown.exit_code == 0, shown.output
    assert trace["translation"] in shown.output
    out = tmp_path / "trace.html"
    written = runner.invoke(app, ["trace", "show", str(path), "--out", str(out)])
    assert written.exit_code == 0
    assert out.read_text().startswith("<!doctype html>")


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("{not json", [], "cannot read trace"),
        ('{"hello": 1}', [], "is not a search trace"),
        (None, ["--out", "x.png"], "use a .html or .svg"),
    ],
)
def test_cli_rejects_bad_trace_input(
    content: str | None,
    args: list[str],
    message: str,
    tmp_path: Path,
    trace: dict[str, Any],
) -> None:
    path = tmp_path / "trace.json"
    path.write_text(content if content is not None else json.dumps(trace))
    result = CliRunner().invoke(app, ["trace", "show", str(path), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_trace_needs_the_search_mode() -> None:
    result = CliRunner().invoke(app, ["translate", "好", "--mode", "direct", "--trace", "t.json"])
    assert result.exit_code == 2
    assert "only --mode mcts" in result.output


def test_the_page_and_tree_show_the_chosen_answers_qa_findings(trace: dict[str, Any]) -> None:
    # The source's <script> tags and its 1 did not make it into the chosen translation.
    assert [(f["kind"], f["source"]) for f in trace["qa"]] == [
        ("tag", "<script>"),
        ("number", "1"),
        ("tag", "</script>"),
    ]
    page = render_html(trace)
    section = page.split("<h2>QA checks</h2>")[1].split("<h2>")[0]
    assert section.count('<tr class="error">') == 3
    assert "&lt;script&gt;" in section and "<script>" not in section
    # Every cell names its column: on a phone each row reads as a card of labelled lines.
    assert section.count('data-label="kind"') == 3
    assert section.count("<td ") == section.count("data-label=") == 15
    console = Console(record=True, width=200)
    console.print(render_tree(trace))
    assert "QA: tag <script> missing; number 1 missing; tag </script> missing" in (
        console.export_text()
    )


def test_a_single_pass_trace_page_shows_its_thought_escaped_with_its_tables(
    trace: dict[str, Any],
) -> None:
    glossary = [
        {
            "term": "踩屎感",
            "meaning": "<b>soft</b>",
            "preferred": ["cloud-like cushioning"],
            "status": "missed",
            "origin": "builtin",
        }
    ]
    page = render_reasoning_html({**trace, "thought": HOSTILE, "glossary": glossary})
    assert "<script>" not in page and "&lt;b&gt;soft&lt;/b&gt;" in page
    assert '<td class="missed" data-label="rendered">missed</td>' in page
    assert "@media (max-width: 40rem)" in page and "QA checks" in page


def test_a_trace_stored_before_the_checks_is_checked_when_drawn(trace: dict[str, Any]) -> None:
    legacy = {key: value for key, value in trace.items() if key != "qa"}
    assert render_html(legacy) == render_html(trace)
    without_texts = {key: value for key, value in legacy.items() if key != "source_language"}
    assert "QA checks" not in render_html(without_texts)


def test_svg_tree_draws_every_node_sized_coloured_and_linked(trace: dict[str, Any]) -> None:
    svg = render_svg(trace)
    nodes = trace["nodes"]
    assert svg.count('class="tree-node') == len(nodes)
    assert svg.count('class="tree-node chosen"') == len(trace["chosen_path"])
    for node in nodes:
        assert f'<a href="#node-{node["id"]}"' in svg
    radii = set(re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="([\d.]+)" fill="#', svg))
    assert len(radii) >= 2  # the root has more visits than a leaf
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    page = render_html(trace)
    assert page.index("<svg") < page.index('<ul class="tree-list">')
    assert all(f'<li id="node-{node["id"]}"' in page for node in nodes)


def test_reflection_nodes_wear_a_dashed_ring(trace: dict[str, Any]) -> None:
    plain = render_svg(trace)
    reflected = dict(
        trace, nodes=[dict(node, reflection=node["id"] == 1) for node in trace["nodes"]]
    )
    assert 'stroke-dasharray="3 2"' in render_svg(reflected)
    assert plain.count('stroke-dasharray="3 2"') == 1  # the legend's sample only


def test_reward_colours_run_from_red_through_ochre_to_blue() -> None:
    assert reward_colour(0.0) == "#d73027"
    assert reward_colour(0.5) == "#e0b840"
    assert reward_colour(0.625) == "#b8bc8e"  # between two stops
    assert reward_colour(1.0) == "#4575b4"
    assert reward_colour(-3) == reward_colour(0.0) and reward_colour(7) == reward_colour(1.0)


def test_an_answer_held_by_an_inner_node_is_written_under_the_tree(trace: dict[str, Any]) -> None:
    # The direct answer sits at the root, whose children's edges and labels fill its right.
    assert any(a.get("node") == 0 for a in trace["alternatives"])
    svg = render_svg(trace)
    (caption_y,) = re.findall(r'<a href="#node-0"><text x="[\d.]+" y="([\d.]+)"', svg)
    circles_y = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert float(caption_y) > max(circles_y)
    assert "#0 → Cloud comfort" in svg


async def test_leaves_that_ended_on_the_same_answer_are_each_labelled_with_it() -> None:
    engine = ScriptedEngine(
        [
            [
                "First way.\n</Thought>\n<Output>Cloud-like comfort",
                "Second way.\n</Thought>\n<Output>Cloud-like comfort",
            ]
        ]
    )
    config = SearchConfig(
        max_rollouts=2, max_reflections=0, early_stop_margin=2.0, direct_candidate=False
    )
    trace = (await MCTS(engine, config).search(Segment("踩屎感", "zh", "en"))).trace

    # The alternatives list the answer once, with one node; both leaves record it.
    assert len(trace["alternatives"]) == 1
    leaves = [node for node in trace["nodes"] if not node["children"]]
    assert [leaf["answer"] for leaf in leaves] == ["Cloud-like comfort"] * 2
    svg = render_svg(trace)
    assert svg.count(">Cloud-like comfort</text>") == 2
    assert "First way." not in re.sub(r"<title>.*?</title>", "", svg, flags=re.S)
    assert render_html(trace).count('class="answer">→ Cloud-like comfort') == 2


def test_a_long_label_keeps_its_start_and_its_end() -> None:
    first = "These shoes have a strong cloud-like cushioning, so I buy it."
    second = "These shoes have a strong cloud-like cushioning, which makes them feel light."

    assert snippet("short  text\n", 20) == "short text"
    assert len(snippet(first, 40)) <= 40
    assert snippet(first, 40).startswith("These shoes") and snippet(first, 40).endswith("buy it.")
    assert snippet(first, 40) != snippet(second, 40)


async def test_the_root_shows_the_chosen_seed_answer_among_several() -> None:
    engine = ScriptedEngine(
        [
            [("Cloud-soft soles", -0.01)],  # direct: the most confident answer
            ["Slang.\n</Thought>\n<Output>Soft soles"],  # cot, also at the root
            [("Think.\n</Thought>\n<Output>Stepping feel", -0.9)],
        ]
    )
    config = SearchConfig(
        selection="reward",
        cot_candidate=True,
        expansion_width=1,
        max_rollouts=1,
        max_reflections=0,
        early_stop_margin=2.0,
    )
    trace = (await MCTS(engine, config).search(Segment("踩屎感", "zh", "en"))).trace

    assert trace["chosen_path"] == [0] and trace["translation"] == "Cloud-soft soles"
    assert "#0 → Cloud-soft soles</text>" in render_svg(trace)


def test_alternatives_show_the_source_likelihood_the_choice_weighed(trace: dict[str, Any]) -> None:
    scored = {
        **trace,
        "alternatives": [{**a, "source_logprob": -0.834} for a in trace["alternatives"]],
    }
    assert "source log-prob -0.83" in render_html(scored)
    assert "source log-prob" not in render_html(
        {
            **trace,
            "alternatives": [
                {k: v for k, v in a.items() if k != "source_logprob"} for a in trace["alternatives"]
            ],
        }
    )
