"""What a mode translates: one text with its languages, glossary terms and context."""

from __future__ import annotations

from dataclasses import dataclass

from glossary.matcher import TermMatch
from translator.prompting.prompts import echoed_term_notes, instructions
from translator.text.echo import echoed_runs
from translator.text.qa import QaFinding, check_translation

__all__ = ["Segment", "prompt_echo", "qa_findings"]


@dataclass(frozen=True, slots=True)
class Segment:
    """One text to translate, with resolved language codes."""

    text: str
    source: str
    target: str
    terms: tuple[TermMatch, ...] = ()
    """Glossary terms found in the text, in text order."""
    examples: tuple[tuple[str, str], ...] = ()
    """Approved (source, translation) pairs of similar texts from a translation memory,
    closest first: the prompt shows them as earlier answers."""
    context: str = ""
    """Text from around this one (DeepL's `context`): told to the model, never translated."""
    variant: str | None = None
    """The target's regional variant (`en-GB`, `pt-BR`), when the caller asked for one."""


def qa_findings(segment: Segment, translation: str) -> tuple[QaFinding, ...]:
    """The localization QA findings for a translation of `segment` (see `translator.text.qa`)."""
    return check_translation(
        segment.text, translation, source_language=segment.source, target_language=segment.target
    )


def prompt_echo(segment: Segment, translation: str) -> tuple[str, ...]:
    """Word runs of `translation` that repeat the prompt's rules rather than the text, and
    glossary notes it repeats (a small model sometimes translates its instructions too; see
    `translator.text.echo`)."""
    rules = instructions(segment.source, segment.target, segment.variant)
    return (
        *echoed_runs(translation, rules, segment.text),
        *echoed_term_notes(translation, segment.text),
    )
