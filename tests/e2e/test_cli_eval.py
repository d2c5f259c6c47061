"""`translator eval` on the real embedded model: scores, the compared system, JSON and the plot."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.serving import HAN, translator_command
from translator.cli.options import EXIT_BAD_INPUT

pytestmark = pytest.mark.e2e

# Written for this test (not evaluation data): two reviews, their references and a rival's output.
ROWS = [
    {
        "src": "质量很好，物超所值",
        "ref": "Great quality, well worth the money.",
        "ref_B": "The quality is very good and it is great value.",
        "systems": {"Rival": "Good quality, value for money."},
    },
    {
        "src": "快递很快，包装完好",
        "ref": "Fast delivery, and the packaging was intact.",
        "systems": {"Rival": "The delivery was fast and the package was intact."},
    },
]


def _eval(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [translator_command(), "eval", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.usefixtures("model_path")
def test_eval_scores_each_mode_against_a_rival_and_draws_the_plot(tmp_path: Path) -> None:
    dataset = tmp_path / "reviews.jsonl"
    dataset.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in ROWS) + "\n")
    plot, output = tmp_path / "quality.png", tmp_path / "scores.json"
    run = _eval(
        str(dataset), "--from", "zh", "--to", "en", "--mode", "direct", "--mode", "cot",
        "--compare", "Rival", "--plot", str(plot), "--output", str(output),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    report = json.loads(output.read_text())
    assert report["segments"] == 2
    assert 0 < report["systems"]["Rival"]["chrf"] <= 100
    assert [row["config"] for row in report["rows"]] == ["direct", "cot"]
    assert report["rows"][0]["losses_to_direct"] is None
    assert report["rows"][1]["losses_to_direct"] in {0, 1, 2}
    for row in report["rows"]:
        assert len(row["outputs"]) == 2
        assert all(out.strip() and not HAN.search(out) for out in row["outputs"])
        assert 0 < row["chrf"] <= 100
        assert row["untranslated"] == 0
        assert row["generated_tokens"] > 0 and row["seconds"] > 0
    assert "Rival" in run.stdout and "cot" in run.stdout
    # Not on a terminal, progress comes as log lines, each configuration's last with its pace.
    assert re.search(r"^direct: 2/2 segments, \d+\.\d s/segment$", run.stdout, re.M)
    assert re.search(r"^cot: 2/2 segments, \d+\.\d s/segment$", run.stdout, re.M)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plot.stat().st_size > 10_000


def test_eval_names_the_line_of_a_bad_dataset(tmp_path: Path) -> None:
    dataset = tmp_path / "broken.jsonl"
    dataset.write_text(json.dumps(ROWS[0], ensure_ascii=False) + '\n{"src": "好评"}\n')
    run = _eval(str(dataset), "--mode", "direct")
    assert run.returncode == EXIT_BAD_INPUT
    assert "line 2" in run.stderr and "ref" in run.stderr
