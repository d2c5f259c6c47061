"""Localization QA findings on the dev sets' e-commerce segments, next to Online-G and the
human references, and romanized names kept.

    uv run python -m bench.qa
    uv run python -m bench.qa --outputs base=bench/results/qa-direct-base-{pair}.jsonl \\
        after=bench/results/qa-direct-after-{pair}.jsonl

Without `--outputs` it checks the human references and Online-G on every e-commerce segment
(no model needed). Each `--outputs` file (written by `bench.qa_translate`; `{pair}` stands for
zh-en and ja-en) adds a row, and the references and Online-G are then checked on exactly the
segments it covers. Per row: segments with findings, with errors, with a lost placeholder and
with a number finding; chrF on those segments (both references for zh-en; reference A
against reference B, where there is one); and how many of
the romanized names the reference uses (pinyin or Hepburn words, see `romanized_names`) the
output carries too.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.common import eval_file, write_result
from bench.names import romanized_names
from translator.evaluation.scores import EvalSegment, load_eval_set, score
from translator.text.qa import Kind, check_translation, count_errors, repair_translation
from translator.text.scripts import foreign_scripts, script_characters

PAIRS = ("zh-en", "ja-en")
COMPARE_WITH = "Online-G"


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def measure(pair: str, segments: Sequence[EvalSegment], outputs: Sequence[str]) -> dict[str, Any]:
    """The QA and name numbers of `outputs` (one per segment)."""
    source, target = pair.split("-")
    findings = [
        check_translation(s.src, o, source_language=source, target_language=target)
        for s, o in zip(segments, outputs, strict=True)
    ]
    names = [
        (name, o)
        for s, o in zip(segments, outputs, strict=True)
        for name in romanized_names(s.refs[0], pair)
    ]
    kept = sum(1 for name, output in names if _squashed(name) in _squashed(output))
    scores = score(outputs, segments)
    left_over = foreign_scripts(source, target)
    return {
        "segments": len(segments),
        "with_findings": sum(1 for found in findings if found),
        "with_errors": sum(1 for found in findings if count_errors(found)),
        "placeholder_lost": sum(
            1 for found in findings if any(f.kind is Kind.PLACEHOLDER and f.source for f in found)
        ),
        "number_findings": sum(
            1 for found in findings if any(f.kind is Kind.NUMBER for f in found)
        ),
        "chrf": round(scores.chrf, 2),
        "bleu": round(scores.bleu, 2),
        "source_script_left": sum(1 for o in outputs if script_characters(o, left_over)),
        "names": len(names),
        "names_kept": kept,
    }


def _read_rows(path: Path) -> dict[str, dict[str, Any]]:
    rows = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return {row["id"]: row for row in rows}


def _seconds(rows: dict[str, dict[str, Any]], segments: Sequence[EvalSegment]) -> float | None:
    """Mean seconds per segment where the run recorded them (a retry run: the retries only)."""
    spent = [rows[s.id]["seconds"] for s in segments if "seconds" in rows[s.id]]
    return round(sum(spent) / len(spent), 1) if spent else None


def _restored(pair: str, segments: Sequence[EvalSegment], run: dict[str, str]) -> list[str]:
    """What the service answers for `run`: its translations with placeholders and leading list
    numbers restored."""
    source, target = pair.split("-")
    return [
        repair_translation(s.src, run[s.id], source_language=source, target_language=target)
        for s in segments
    ]


def evaluate(
    pair: str, outputs: dict[str, Path], *, restore: bool = False
) -> dict[str, dict[str, Any]]:
    segments = load_eval_set(eval_file(pair), domain="ecommerce")
    rows = {label: _read_rows(Path(str(path).format(pair=pair))) for label, path in outputs.items()}
    runs = {label: {i: row["translation"] for i, row in run.items()} for label, run in rows.items()}
    covered = set.intersection(*(set(run) for run in runs.values())) if runs else None
    chosen = [s for s in segments if covered is None or s.id in covered]
    systems: dict[str, Callable[[EvalSegment], str]] = {
        "reference": lambda s: s.refs[0],
        COMPARE_WITH: lambda s: s.systems[COMPARE_WITH],
    }
    report = {}
    for label, output_of in systems.items():
        report[label] = measure(pair, chosen, [output_of(s) for s in chosen])
    if all(len(s.refs) > 1 for s in chosen):  # reference A against B; alone it scores 100
        others = [EvalSegment(s.id, s.src, s.refs[1:], s.domain, s.systems) for s in chosen]
        against = measure(pair, others, [s.refs[0] for s in chosen])
        report["reference"] |= {"chrf": against["chrf"], "bleu": against["bleu"]}
    else:
        report["reference"] |= {"chrf": None, "bleu": None}
    for label, run in runs.items():
        report[label] = measure(pair, chosen, [run[s.id] for s in chosen])
        report[label]["seconds"] = _seconds(rows[label], chosen)
        if restore:
            report[f"{label}, restored"] = measure(pair, chosen, _restored(pair, chosen, run))
    return report


def markdown(reports: dict[str, dict[str, dict[str, Any]]]) -> str:
    lines = [
        "| pair | output | segments | with findings | with errors | placeholder lost "
        "| number findings | chrF | BLEU | source script left | s / segment "
        "| romanized names kept |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for pair, report in reports.items():
        for label, row in report.items():
            lines.append(
                f"| {pair} | {label} | {row['segments']} | {row['with_findings']} "
                f"| {row['with_errors']} | {row['placeholder_lost']} | {row['number_findings']} "
                f"| {_cell(row['chrf'])} | {_cell(row['bleu'])} | {row['source_script_left']} "
                f"| {_cell(row.get('seconds'))} | {row['names_kept']}/{row['names']} |"
            )
    return "\n".join(lines)


def _cell(value: object) -> str:
    return "–" if value is None else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--outputs",
        nargs="*",
        default=[],
        metavar="LABEL=PATH",
        help="outputs of bench.qa_translate; {pair} in PATH stands for zh-en and ja-en",
    )
    parser.add_argument("--pairs", nargs="+", choices=PAIRS, default=list(PAIRS))
    parser.add_argument(
        "--restore",
        action="store_true",
        help="add a row per output with its placeholders and list numbers restored, as served",
    )
    args = parser.parse_args()
    outputs = dict(item.split("=", 1) for item in args.outputs)
    reports = {
        pair: evaluate(pair, {k: Path(v) for k, v in outputs.items()}, restore=args.restore)
        for pair in args.pairs
    }
    path = write_result("qa", reports)
    print(markdown(reports))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
