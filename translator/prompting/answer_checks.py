"""What a single-pass retry looks for in an answer, and which of several answers to keep.

An answer is at fault when the QA checks find a source token it lost or changed (placeholder,
number, code, link: `translator.text.qa`), when it renders none of the accepted forms of a
glossary term found in its text (`glossary.check`), or when it repeats the prompt's rules
(`prompt_echo`). Each is something a retry can be told about, which is why they are checked
together.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from glossary.check import check_terms
from glossary.matcher import TermMatch
from translator.prompting.segment import Segment, prompt_echo, qa_findings
from translator.text.agreement import most_agreed
from translator.text.qa import Kind, QaFinding, count_errors, restore_list_marker

__all__ = ["Faults", "faults", "fewest_faults", "leading_token"]

_PREFILLED = frozenset({Kind.PLACEHOLDER, Kind.TAG, Kind.CODE, Kind.URL})
MIN_LENGTH_SHARE = 0.6
"""A later answer shorter than this share of the first is not kept, whatever it fixes: on a
small model, a note naming a term can make the answer that term alone."""


@dataclass(frozen=True, slots=True)
class Faults:
    """An answer's QA findings, the glossary terms it missed and the rules it repeated."""

    findings: tuple[QaFinding, ...]
    missed: tuple[TermMatch, ...]
    echo: tuple[str, ...] = ()

    @property
    def lost(self) -> list[str]:
        """Source tokens the answer lost or changed, for the retry's note."""
        return [finding.source for finding in self.findings if finding.source is not None]

    @property
    def worth_a_retry(self) -> bool:
        return bool(self.lost or self.missed or self.echo)

    @property
    def errors(self) -> int:
        """QA errors, and a repeated prompt counted as one more."""
        return count_errors(self.findings) + bool(self.echo)

    @property
    def rank(self) -> tuple[int, int, int]:
        """Lower is better: errors first, then missed terms, then findings of any kind."""
        return self.errors, len(self.missed), len(self.findings)

    @property
    def broken(self) -> bool:
        """Still worth sampling more answers for: an error. (Sampled answers that render a
        missed term were measured to read worse than the greedy answer without it.)"""
        return self.errors > 0


def faults(segment: Segment, translation: str) -> Faults:
    """The faults left once a lost leading list number is put back, as it will be before the
    answer is served: a retry for that alone would cost a call to fix what needs none. (A lost
    placeholder is still retried: a retried answer built around it reads better, measured on
    ja-en, than one it is inserted into.)"""
    mended = restore_list_marker(
        segment.text, translation, source_language=segment.source, target_language=segment.target
    )
    # An empty answer is the hints' own failure: naming a term again would not mend it (the
    # hint fallback redoes such answers without the notes).
    checks = check_terms(segment.terms, mended, segment.target) if mended.strip() else ()
    missed = tuple(dict.fromkeys(check.match for check in checks if check.result.missed))
    return Faults(qa_findings(segment, mended), missed, prompt_echo(segment, mended))


def leading_token(segment: Segment, findings: Sequence[QaFinding]) -> str:
    """A lost placeholder, tag, code or link the source starts with ("#Product1#の…"): a
    direct retry's answer is made to start with it too, since the model often ignores the
    note alone. Empty when there is none."""
    start = len(segment.text) - len(segment.text.lstrip())
    leading = (f.source for f in findings if f.kind in _PREFILLED and f.start == start)
    return next((token for token in leading if token), "")


def fewest_faults(segment: Segment, translations: Sequence[str]) -> int:
    """The index of the answer with the best `Faults.rank`. The first answer (before any retry)
    stays unless another, not much shorter (`MIN_LENGTH_SHARE`; any length when the first one
    repeats the prompt, which swells it), ranks better; among several that do, the one the
    others agree with most wins (two answers cannot outvote each other: then the earlier)."""
    first = faults(segment, translations[0])
    shortest = 1 if first.echo else MIN_LENGTH_SHARE * len(translations[0].strip())
    ranks = [first.rank] + [
        faults(segment, translation).rank
        if len(translation.strip()) >= shortest
        else (sys.maxsize,) * 3
        for translation in translations[1:]
    ]
    best = min(ranks)
    tied = [i for i, rank in enumerate(ranks) if rank == best]
    if ranks[0] == best or len(tied) == 1 or len(translations) < 3:
        return tied[0]
    agreement = most_agreed([translations[i] for i in tied], translations)
    return tied[agreement]
