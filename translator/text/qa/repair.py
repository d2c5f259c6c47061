"""Put back the structure a translation lost: placeholders, and the number of a list item.

A template variable (`{name}`, `#Product1#`, `%s`) that does not come back verbatim breaks the
shop's template that fills it, whatever the rest of the sentence says. The modes already retry
such answers; whatever still lacks a placeholder after that is mended here, deterministically:
a re-spelled one (`Product1`, `#Product1 #`, `{nombre}`) is written back as the source has it,
and a lost one goes where the source had it: first, last, or at the word boundary nearest its
relative place.

A listing's terms and FAQs come as numbered items ("2.买家急需…", "3)…"), and a small model
drops the item number as if it were noise. The number is list structure, not words to
translate: when the answer lacks it, it goes back in front, written the target's way.
"""

from __future__ import annotations

import re
import unicodedata

from translator.text.qa.check import check_translation
from translator.text.qa.findings import Kind, Problem, QaFinding

__all__ = ["repair_translation", "restore_placeholders"]

_UNSPACED_TARGETS = frozenset({"zh", "zh-Hant", "ja"})
"""Targets written without spaces between words: a restored placeholder gets none either."""


_LIST_MARKER = re.compile(
    r"\s*(?:[(（]\s*(?P<wrapped>\d{1,3})\s*[)）]|(?P<number>\d{1,3})\s*(?P<mark>[.．、)）])(?!\d))"
)
"""A list item's number at the start of a text: "1.", "2．", "3、", "4)", "5）", "(6)", "（7）"."""


def repair_translation(
    source: str, translation: str, *, source_language: str, target_language: str
) -> str:
    """`translation` with the source's placeholders and leading list number put back."""
    languages = {"source_language": source_language, "target_language": target_language}
    translation = restore_placeholders(source, translation, **languages)
    return restore_list_marker(source, translation, **languages)


def restore_list_marker(
    source: str, translation: str, *, source_language: str, target_language: str
) -> str:
    """`translation` starting with the source's list item number when the QA checks find that
    number missing (an answer that kept it anywhere is left alone)."""
    marker = _LIST_MARKER.match(source)
    if marker is None or not translation.strip():
        return translation
    group = "wrapped" if marker.group("wrapped") else "number"
    number, at = marker.group(group), marker.start(group)
    findings = check_translation(
        source, translation, source_language=source_language, target_language=target_language
    )
    lost = (
        f.kind is Kind.NUMBER and f.problem is Problem.MISSING and f.start == at for f in findings
    )
    if not any(lost):
        return translation
    if target_language in _UNSPACED_TARGETS:
        written = marker.group().strip()
    elif group == "wrapped":
        written = f"({number}) "
    else:
        written = f"{number}) " if marker.group("mark") in ")）" else f"{number}. "
    return written + translation.lstrip()


def restore_placeholders(
    source: str, translation: str, *, source_language: str, target_language: str
) -> str:
    """`translation` with every source placeholder present exactly as the source spells it."""
    findings = check_translation(
        source, translation, source_language=source_language, target_language=target_language
    )
    broken = [f for f in findings if f.kind is Kind.PLACEHOLDER and f.problem is not Problem.EXTRA]
    if not broken:
        return translation
    spaced = target_language not in _UNSPACED_TARGETS
    for finding in broken:
        translation = _restore(finding, source, translation, spaced=spaced)
    return translation


def _restore(finding: QaFinding, source: str, translation: str, *, spaced: bool) -> str:
    token = finding.source or ""
    found = (finding.found or "").strip()
    if found and found in translation:
        return translation.replace(found, token, 1)
    start, end = finding.start or 0, finding.end or len(source)
    if not source[:start].strip():
        return _join(token, translation, spaced=spaced)
    if not source[end:].strip():
        return _join(translation, token, spaced=spaced)
    return _insert_near(token, translation, start / len(source), spaced=spaced)


def _join(left: str, right: str, *, spaced: bool) -> str:
    left, right = left.rstrip(), right.lstrip()
    return f"{left} {right}" if spaced and left and right else left + right


def _insert_near(token: str, translation: str, place: float, *, spaced: bool) -> str:
    """`token` at the boundary nearest `place` (0 to 1) of `translation`: a space where the
    target spaces its words, before a punctuation mark where it does not."""
    aim = round(place * len(translation))
    boundaries = [i for i, char in enumerate(translation) if _is_boundary(char, spaced=spaced)]
    if not boundaries:
        return (
            _join(translation, token, spaced=True)
            if spaced
            else translation[:aim] + token + translation[aim:]
        )
    at = min(boundaries, key=lambda i: abs(i - aim))
    glue = " " if spaced else ""
    return f"{translation[:at]}{glue}{token}{translation[at:]}"


def _is_boundary(char: str, *, spaced: bool) -> bool:
    return char == " " if spaced else unicodedata.category(char).startswith("P")
