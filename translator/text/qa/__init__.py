"""Localization QA: numbers, placeholders, tags, codes, links, emoji and Latin names that a
translation must carry over, checked the way localization teams check before shipping."""

from translator.text.qa.check import check_translation, count_errors
from translator.text.qa.findings import Kind, Problem, QaFinding, Severity
from translator.text.qa.repair import (
    repair_translation,
    restore_list_marker,
    restore_placeholders,
)

__all__ = [
    "Kind",
    "Problem",
    "QaFinding",
    "Severity",
    "check_translation",
    "count_errors",
    "repair_translation",
    "restore_list_marker",
    "restore_placeholders",
]
