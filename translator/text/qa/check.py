"""Compare a source text with its translation: what was lost, changed or added on the way."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from translator.text.qa.findings import Kind, Problem, QaFinding, Severity
from translator.text.qa.numbers import NumberMention, find_numbers
from translator.text.qa.tokens import Token, find_tokens, loose_pattern, mask

__all__ = ["check_translation", "count_errors"]

_VERBATIM = (Kind.PLACEHOLDER, Kind.TAG, Kind.URL, Kind.EMAIL, Kind.HANDLE, Kind.EMOJI)
"""Kinds compared token for token, whose additions are reported too."""
_DELIMITER = re.compile(r"[#{}\[\]%$]")
_RESPELLABLE = (Kind.CODE, Kind.BRAND)
"""Kinds that may come back re-spaced or in another case ("iPhone13" as "iPhone 13")."""


@lru_cache(maxsize=4096)
def check_translation(
    source: str, translation: str, *, source_language: str, target_language: str
) -> tuple[QaFinding, ...]:
    """Everything in `source` that `translation` lost or changed, and what it added, in source
    order (additions last). Empty when the translation is clean. Remembered for repeated
    answers (a cached translation is checked each time it is served)."""
    source_tokens = find_tokens(source, language=source_language, other_language=target_language)
    output_tokens = find_tokens(
        translation, language=target_language, other_language=source_language
    )
    findings: list[QaFinding] = []
    for kind in _VERBATIM:
        findings += _compare_verbatim(kind, source_tokens, output_tokens, translation)
    for kind in _RESPELLABLE:
        findings += _compare_respellable(kind, source_tokens, translation)
    findings += _compare_hashtags(source_tokens, output_tokens)
    findings += _compare_numbers(
        find_numbers(mask(source, source_tokens), source_language),
        _output_numbers(translation, output_tokens, target_language),
        source,
        _token_values(source_tokens, source_language),
    )
    return tuple(sorted(findings, key=lambda f: (f.start is None, f.start or 0)))


def count_errors(findings: Iterable[QaFinding]) -> int:
    return sum(1 for finding in findings if finding.severity is Severity.ERROR)


def _missing(token: Token, found: str | None = None) -> QaFinding:
    problem = Problem.MISSING if found is None else Problem.CHANGED
    return QaFinding(token.kind, problem, token.text, token.start, token.end, found)


def _extra(kind: Kind, found: str) -> QaFinding:
    return QaFinding(kind, Problem.EXTRA, None, None, None, found)


def _compare_verbatim(
    kind: Kind, source: Sequence[Token], output: Sequence[Token], translation: str
) -> list[QaFinding]:
    """Token for token: each source token must come back once; leftovers on both sides pair
    up as changed (a placeholder re-spelled "#Product2 #" counts as changed too). A bracketed
    word the source did not have is not an addition: "[NEW]" is a label as often as a
    variable."""
    unmatched = [token for token in output if token.kind is kind]
    lost = []
    for token in (t for t in source if t.kind is kind):
        twin = next((t for t in unmatched if t.key == token.key), None)
        if twin is None:
            lost.append(token)
        else:
            unmatched.remove(twin)
    findings = []
    for token in lost:
        respelled = _respelled_placeholder(token, translation) if kind is Kind.PLACEHOLDER else None
        if respelled is not None:
            unmatched = [t for t in unmatched if not _overlaps(t, respelled)]
            findings.append(_missing(token, respelled.group()))
        elif unmatched:
            findings.append(_missing(token, unmatched.pop(0).text))
        else:
            findings.append(_missing(token))
    added = [token for token in unmatched if not token.text.startswith("[")]
    return findings + [_extra(kind, token.text) for token in added]


def _respelled_placeholder(token: Token, translation: str) -> re.Match[str] | None:
    """The placeholder's name in the translation with broken or missing delimiters. Without
    any delimiter left, only a name no prose word looks like counts (`Product1`, `user_id`):
    "order" in "your order shipped" is the word, not a lost `{order}`."""
    name = [re.escape(char) for char in token.text if char.isalnum() or char == "_"]
    if not name:
        return None
    spaced = r"\s?".join(name)
    pattern = rf"[#{{\[%$]*\s?(?<![A-Za-z0-9_]){spaced}(?![A-Za-z0-9_])\s?[#}}\]%]*"
    for match in re.finditer(pattern, translation, re.IGNORECASE):
        if _DELIMITER.search(match.group()) or not match.group().strip().isalpha():
            return match
    return None


def _overlaps(token: Token, match: re.Match[str]) -> bool:
    return token.start < match.end() and match.start() < token.end


def _compare_respellable(kind: Kind, source: Sequence[Token], translation: str) -> list[QaFinding]:
    """Each distinct source code or name must be in the translation, spacing and case aside."""
    findings, seen = [], set()
    for token in (t for t in source if t.kind is kind):
        if token.key in seen:
            continue
        seen.add(token.key)
        if loose_pattern(token.text).search(translation) is None:
            findings.append(_missing(token))
    return findings


def _compare_hashtags(source: Sequence[Token], output: Sequence[Token]) -> list[QaFinding]:
    """A Latin hashtag comes back as it is; one in another script may be translated, but must
    still be a hashtag."""
    available = [token.key for token in output if token.kind is Kind.HASHTAG]
    tags = [token for token in source if token.kind is Kind.HASHTAG]
    findings = []
    for token in sorted(tags, key=lambda t: t.key == "#"):  # exact keys claim theirs first
        if token.key in available:
            available.remove(token.key)
        elif token.key == "#" and available:
            available.pop()
        else:
            findings.append(_missing(token))
    return findings


def _output_numbers(
    translation: str, tokens: Sequence[Token], language: str
) -> list[NumberMention]:
    """The translation's numbers; the digits inside its codes count only as renderings."""
    numbers = find_numbers(mask(translation, tokens), language)
    for token in (t for t in tokens if t.kind is Kind.CODE):
        for mention in find_numbers(token.text, language):
            start = token.start + mention.start
            numbers.append(
                replace(mention, start=start, end=start + len(mention.text), exact=False)
            )
    return numbers


def _token_values(tokens: Sequence[Token], language: str) -> frozenset[Decimal]:
    """The numbers inside the source's tokens: "A2" may come back as "A 2", and a broken
    "#Product1#" as "# Product 1 #" (reported as such, not as an extra number)."""
    return frozenset(
        value
        for token in tokens
        for mention in find_numbers(token.text, language)
        for value in mention.values
    )


def _compare_numbers(
    source: Sequence[NumberMention],
    output: Sequence[NumberMention],
    source_text: str,
    code_values: frozenset[Decimal],
) -> list[QaFinding]:
    """Each number written with digits must come back with one of its values; numerals and
    words in the source explain the translation's digits ("两年" as "2 years"); what is left
    pairs up as changed, then counts as missing or extra."""
    free = sorted(output, key=lambda mention: mention.start)
    lost: list[NumberMention] = []
    findings = []
    for mention in (m for m in source if m.exact):
        match = _best_match(mention, free)
        if match is None:
            lost.append(mention)
            continue
        free.remove(match)
        if match.exact and _percent_differs(mention, match):
            findings.append(_number_finding(mention, source_text, match.text))
    for mention in (m for m in source if not m.exact):
        values = mention.values  # an estimate ("七八十") may come back as both its numbers
        while values and (
            match := _best_match(replace(mention, values=values), free, digits_only=True)
        ):
            free.remove(match)
            values -= match.values
    extras = [m for m in free if m.exact and not m.values & code_values]
    for mention in lost:
        found = extras.pop(0).text if extras else None
        findings.append(_number_finding(mention, source_text, found))
    return findings + [_extra(Kind.NUMBER, mention.text) for mention in extras]


def _best_match(
    mention: NumberMention, candidates: Sequence[NumberMention], *, digits_only: bool = False
) -> NumberMention | None:
    """The first candidate sharing a value, preferring the same percent reading, then digits."""
    sharing = [c for c in candidates if c.values & mention.values and (c.exact or not digits_only)]

    return min(
        sharing,
        key=lambda c: (_percent_differs(mention, c), not c.exact),
        default=None,
    )


def _percent_differs(one: NumberMention, other: NumberMention) -> bool:
    """ "18%" against "18": one is a percentage and the other is not."""
    return None not in (one.percent, other.percent) and one.percent != other.percent


def _number_finding(mention: NumberMention, source_text: str, found: str | None) -> QaFinding:
    problem = Problem.MISSING if found is None else Problem.CHANGED
    text = source_text[mention.start : mention.end]
    return QaFinding(Kind.NUMBER, problem, text, mention.start, mention.end, found)
