"""What a QA check reports: one finding per token or number that did not survive translation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Kind", "Problem", "QaFinding", "Severity"]


class Kind(StrEnum):
    """What sort of source token a finding is about."""

    NUMBER = "number"
    PLACEHOLDER = "placeholder"
    TAG = "tag"
    CODE = "code"
    URL = "url"
    EMAIL = "email"
    HANDLE = "handle"
    HASHTAG = "hashtag"
    EMOJI = "emoji"
    BRAND = "brand"


class Problem(StrEnum):
    """`missing`: not in the translation; `changed`: there in another form or value (`found`);
    `extra`: in the translation only."""

    MISSING = "missing"
    CHANGED = "changed"
    EXTRA = "extra"


class Severity(StrEnum):
    """`error`: the text is broken for its reader (a lost placeholder, price or model number);
    `warning`: worth a look (a dropped emoji, a brand name spelled differently)."""

    ERROR = "error"
    WARNING = "warning"


_BROKEN_WHEN_LOST = frozenset(
    {Kind.NUMBER, Kind.PLACEHOLDER, Kind.TAG, Kind.CODE, Kind.URL, Kind.EMAIL}
)
_BROKEN_WHEN_ADDED = frozenset({Kind.PLACEHOLDER, Kind.TAG})
"""A template variable or tag the source never had breaks the template that fills it."""


@dataclass(frozen=True, slots=True)
class QaFinding:
    """One source token missing or changed in the translation, or one the translation added.

    `start`/`end` locate `source` in the source text (None for an `extra` finding, which has no
    source span); `found` is what the translation has instead (None when it has nothing).
    """

    kind: Kind
    problem: Problem
    source: str | None
    start: int | None
    end: int | None
    found: str | None = None

    @property
    def severity(self) -> Severity:
        broken = _BROKEN_WHEN_ADDED if self.problem is Problem.EXTRA else _BROKEN_WHEN_LOST
        return Severity.ERROR if self.kind in broken else Severity.WARNING

    @property
    def message(self) -> str:
        """One line for people: `number 2,180 changed to 2108`, `placeholder #P1# missing`."""
        if self.problem is Problem.EXTRA:
            return f"extra {self.kind} {self.found}"
        if self.problem is Problem.CHANGED:
            return f"{self.kind} {self.source} changed to {self.found}"
        return f"{self.kind} {self.source} missing"

    def without_span(self) -> QaFinding:
        """The same finding without offsets (for texts cut into parts, such as HTML runs)."""
        return QaFinding(self.kind, self.problem, self.source, None, None, self.found)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QaFinding:
        """A finding stored with `as_dict` (other keys, such as a job's `column`, ignored)."""
        return cls(
            Kind(data["kind"]),
            Problem(data["problem"]),
            data["source"],
            data["start"],
            data["end"],
            data["found"],
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "problem": str(self.problem),
            "severity": str(self.severity),
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "found": self.found,
        }
