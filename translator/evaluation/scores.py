"""Scoring translations against references: the JSONL test-set format and sacrebleu metrics."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sacrebleu

from translator.errors import InvalidInput
from translator.text.scripts import script_characters

__all__ = [
    "LOSS_MARGIN",
    "EvalSegment",
    "Scores",
    "clear_losses",
    "load_eval_set",
    "score",
    "untranslated_count",
]

LOSS_MARGIN = 10.0
"""Sentence chrF by which an output must fall below its baseline's to count as a clear loss."""


@dataclass(frozen=True, slots=True)
class EvalSegment:
    """One test segment: source, its references, and any systems' outputs to compare with."""

    id: str
    src: str
    refs: tuple[str, ...]
    domain: str | None
    systems: dict[str, str]


@dataclass(frozen=True, slots=True)
class Scores:
    """Corpus-level metrics, sacrebleu defaults (chrF: char 6-grams, beta 2; BLEU: 13a)."""

    chrf: float
    bleu: float

    def as_dict(self) -> dict[str, float]:
        return {"chrf": round(self.chrf, 2), "bleu": round(self.bleu, 2)}


def load_eval_set(
    path: Path, *, domain: str | None = None, limit: int | None = None
) -> list[EvalSegment]:
    """Read a JSONL set with `src`, `ref` and optional `ref_B`, `domain`, `systems` fields."""
    segments = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            row = _parse_row(line, number)
            if domain is not None and row.get("domain") != domain:
                continue
            refs = tuple(row[key] for key in ("ref", "ref_B") if row.get(key))
            segments.append(
                EvalSegment(
                    id=str(row.get("id", number)),
                    src=row["src"],
                    refs=refs,
                    domain=row.get("domain"),
                    systems=dict(row.get("systems", {})),
                )
            )
            if limit is not None and len(segments) == limit:
                break
    return segments


def _parse_row(line: str, number: int) -> dict[str, Any]:
    """One JSONL row with at least `src` and `ref`; errors name the line."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"line {number}", f"not valid JSON ({error.msg})") from error
    if not isinstance(row, dict):
        raise InvalidInput(f"line {number}", "expected a JSON object")
    for key in ("src", "ref"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            raise InvalidInput(f"line {number}", f"missing or empty {key!r}")
    return row


def score(hypotheses: Sequence[str], segments: Sequence[EvalSegment]) -> Scores:
    """chrF and BLEU of `hypotheses` against every reference the segments have."""
    streams = max(len(segment.refs) for segment in segments)
    references = [
        [segment.refs[min(i, len(segment.refs) - 1)] for segment in segments]
        for i in range(streams)
    ]
    chrf = sacrebleu.corpus_chrf(list(hypotheses), references).score
    bleu = sacrebleu.corpus_bleu(list(hypotheses), references).score
    return Scores(chrf=chrf, bleu=bleu)


def untranslated_count(hypotheses: Sequence[str]) -> int:
    """How many outputs still contain Han characters (meant for Chinese sources)."""
    return sum(1 for hypothesis in hypotheses if script_characters(hypothesis, ["han"]))


def clear_losses(
    baseline: Sequence[str], hypotheses: Sequence[str], references: Sequence[Sequence[str]]
) -> int:
    """Segments on which `hypotheses` score more than `LOSS_MARGIN` sentence chrF below
    `baseline` (each segment against its own references): a costlier mode can win on the
    corpus and still ruin single answers."""
    lost = 0
    for before, after, refs in zip(baseline, hypotheses, references, strict=True):
        drop = (
            sacrebleu.sentence_chrf(before, list(refs)).score
            - sacrebleu.sentence_chrf(after, list(refs)).score
        )
        lost += drop > LOSS_MARGIN
    return lost
