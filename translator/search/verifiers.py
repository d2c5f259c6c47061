"""Cheap translation checks that the model's confidence cannot see.

Each verifier may report a finding: a flag for the trace and a factor in (0, 1] that multiplies
the rollout's confidence reward. A flagged rollout also earns a reflection (see `mcts`). The
factors are deliberately mild except for clear failures: confidence stays the main signal.

- `no-output` (factor 0): the rollout produced no translation.
- `source-script` (0.5): characters of a script the source uses and the target does not, such as
  Han characters left in English.
- `length-ratio` (0.8): the translation is far shorter or longer than the two scripts suggest.
- `glossary-miss` (1 - 0.4 x share of terms missed): the segment's glossary terms (see
  `Segment.terms`) rendered by none of their preferred or acceptable forms.
- `prompt-echo` (0.3): the translation repeats the prompt's rules or a glossary note
  (`prompt_echo`): the model translated its instructions along with the text.
- `qa:<kinds>` (0.5 for a lost or broken placeholder, tag, URL or e-mail address; 0.7 for a
  lost or changed number or model code): the localization QA checks' errors
  (`translator.text.qa`), such as `qa:number,placeholder`. Their warnings (emoji, hashtags,
  quoted names, extra numbers) cost nothing here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from glossary.check import check_rendering
from translator.prompting.modes import Segment, prompt_echo, qa_findings
from translator.text.qa import Kind, Severity
from translator.text.scripts import foreign_scripts, script_characters

__all__ = [
    "DEFAULT_VERIFIERS",
    "Finding",
    "GlossaryVerifier",
    "LengthRatioVerifier",
    "PromptEchoVerifier",
    "QaVerifier",
    "SourceScriptVerifier",
    "Verdict",
    "Verifier",
    "run_verifiers",
]

_DENSE = {"zh", "zh-Hant", "ja", "ko"}
"""Languages whose characters each carry about a word, so texts are short in characters."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One verifier's complaint: a flag for the trace and the reward factor it costs."""

    flag: str
    factor: float
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """All findings for one rollout's translation."""

    findings: tuple[Finding, ...]

    @property
    def factor(self) -> float:
        return math.prod(finding.factor for finding in self.findings)

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(finding.flag for finding in self.findings)


class Verifier(Protocol):
    """Checks a candidate translation of a segment."""

    def check(self, segment: Segment, translation: str) -> Finding | None: ...


class SourceScriptVerifier:
    """Flags source-script characters left in the translation (untranslated words)."""

    def check(self, segment: Segment, translation: str) -> Finding | None:
        leaked = script_characters(translation, foreign_scripts(segment.source, segment.target))
        if not leaked:
            return None
        return Finding("source-script", 0.5, f"{len(leaked)} untranslated: {''.join(leaked[:12])}")


class LengthRatioVerifier:
    """Flags translations far shorter or longer than the source suggests."""

    MIN_SOURCE_CHARS = 4

    def check(self, segment: Segment, translation: str) -> Finding | None:
        source_length = len(segment.text.strip())
        if source_length < self.MIN_SOURCE_CHARS or not translation:
            return None
        low, high = _expected_ratio(segment.source, segment.target)
        ratio = len(translation) / source_length
        if low <= ratio <= high:
            return None
        return Finding("length-ratio", 0.8, f"{ratio:.2f} outside [{low}, {high}]")


def _expected_ratio(source: str, target: str) -> tuple[float, float]:
    """Target/source character ratios that real translations fall within."""
    if source in _DENSE and target not in _DENSE:
        return 0.8, 10.0
    if target in _DENSE and source not in _DENSE:
        return 0.1, 1.2
    return 0.33, 3.0


class PromptEchoVerifier:
    """Flags translations that repeat the prompt's rules along with the text."""

    def check(self, segment: Segment, translation: str) -> Finding | None:
        echoed = prompt_echo(segment, translation)
        if not echoed:
            return None
        return Finding("prompt-echo", 0.3, "; ".join(echoed[:3]))


class GlossaryVerifier:
    """Flags translations that render none of the accepted forms of the segment's terms."""

    def check(self, segment: Segment, translation: str) -> Finding | None:
        if not segment.terms:
            return None
        missed = [
            match.surface
            for match in segment.terms
            if check_rendering(match.entry, translation, segment.target).missed
        ]
        if not missed:
            return None
        share = len(missed) / len(segment.terms)
        return Finding("glossary-miss", 1 - 0.4 * share, ", ".join(missed))


_QA_FACTORS = MappingProxyType(
    {Kind.PLACEHOLDER: 0.5, Kind.TAG: 0.5, Kind.URL: 0.5, Kind.EMAIL: 0.5}
)
"""What a lost token costs a rollout: a broken template or link is as bad as untranslated text."""
_QA_FACTOR = 0.7
"""A lost or changed number or model code."""


class QaVerifier:
    """Flags translations that lost or broke what a listing cannot do without: placeholders,
    numbers, model codes, links, tags (the QA checks' errors)."""

    def check(self, segment: Segment, translation: str) -> Finding | None:
        errors = [
            finding
            for finding in qa_findings(segment, translation)
            if finding.severity is Severity.ERROR
        ]
        if not errors:
            return None
        kinds = ",".join(sorted({str(finding.kind) for finding in errors}))
        factor = min(_QA_FACTORS.get(finding.kind, _QA_FACTOR) for finding in errors)
        return Finding(f"qa:{kinds}", factor, "; ".join(f.message for f in errors))


DEFAULT_VERIFIERS: tuple[Verifier, ...] = (
    SourceScriptVerifier(),
    LengthRatioVerifier(),
    PromptEchoVerifier(),
    GlossaryVerifier(),
    QaVerifier(),
)


def run_verifiers(verifiers: Sequence[Verifier], segment: Segment, translation: str) -> Verdict:
    """Every verifier's finding for `translation`; an empty translation is a failure outright."""
    if not translation.strip():
        return Verdict((Finding("no-output", 0.0, "no translation produced"),))
    findings = (verifier.check(segment, translation) for verifier in verifiers)
    return Verdict(tuple(finding for finding in findings if finding is not None))
