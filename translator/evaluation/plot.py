"""The quality-versus-budget picture `translator eval --plot` writes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display on servers

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from translator.evaluation.run import EvalRow

__all__ = ["plot_quality"]


def plot_quality(
    rows: Sequence[EvalRow], path: Path, *, references: dict[str, float] | None = None
) -> None:
    """chrF against wall seconds per segment (log scale: a greedy pass and a search differ
    tenfold), one point per configuration, labelled with its generated tokens per segment.

    `references` (a system name and its chrF on the same segments) are drawn as horizontal lines.
    """
    figure, axes = plt.subplots(figsize=(7, 4.5))
    segments = max(1, len(rows[0].outputs)) if rows else 1
    for index, row in enumerate(rows):
        x = max(row.seconds / segments, 1e-3)
        tokens = row.usage.generated_tokens / segments
        axes.scatter(x, row.scores.chrf, s=40)
        # Labels alternate above and below their points, so neighbours with close scores
        # (two search budgets) do not write over each other.
        offset = (5, 5) if index % 2 == 0 else (5, -12)
        axes.annotate(f"{row.config.label} ({tokens:.0f} tok)", (x, row.scores.chrf),
                      textcoords="offset points", xytext=offset, fontsize=8)  # fmt: skip
    searches = sorted(
        (r for r in rows if r.config.label.startswith("mcts")), key=lambda r: r.seconds
    )
    if len(searches) > 1:
        axes.plot(
            [max(r.seconds / segments, 1e-3) for r in searches],
            [r.scores.chrf for r in searches],
            linestyle="--",
            linewidth=1,
        )
    for name, value in (references or {}).items():
        axes.axhline(value, color="grey", linestyle=":", linewidth=1)
        axes.annotate(
            name, xy=(0.01, value), xycoords=("axes fraction", "data"), xytext=(0, 3),
            textcoords="offset points", fontsize=8,
        )  # fmt: skip
    axes.set_xscale("log")
    plain_number = FuncFormatter(lambda value, _: f"{value:g}")
    axes.xaxis.set_major_formatter(plain_number)
    axes.xaxis.set_minor_formatter(plain_number)
    axes.margins(x=0.2, y=0.12)
    axes.set_xlabel("seconds per segment (wall clock)")
    axes.set_ylabel("chrF")
    axes.set_title("Translation quality vs search budget")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
