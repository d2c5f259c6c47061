"""Whether a translation repeats the instructions it was given instead of only translating.

A small model sometimes translates the whole request, rules included, so the answer ends
with "…the way a native English-speaking shopper would say it, not word for word". The check
looks for word runs the answer shares with the instructions and not with the source text: one
shared run of `RUN` words can be chance; two (one more word in a row, or a second place) are
not. Measured: no reference or Online-G output of the dev sets counts as an echo.
"""

from __future__ import annotations

import re

__all__ = ["RUN", "echoed_runs"]

RUN = 5
"""Words in a run: short enough to catch a paraphrased rule, long enough to be no idiom."""
MIN_RUNS = 2
"""Distinct shared runs that make an echo."""

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def echoed_runs(translation: str, instructions: str, source: str) -> list[str]:
    """The `RUN`-word runs of `translation` found in `instructions` but not in `source`, in
    answer order; empty unless there are at least `MIN_RUNS` of them."""
    shared = _runs(instructions) - _runs(source)
    found = list(dict.fromkeys(run for run in _ordered_runs(translation) if run in shared))
    return found if len(found) >= MIN_RUNS else []


def _ordered_runs(text: str) -> list[str]:
    words = [word.casefold() for word in _WORD.findall(text)]
    return [" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)]


def _runs(text: str) -> set[str]:
    return set(_ordered_runs(text))
