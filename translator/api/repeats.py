"""Answers to repeated identical requests, kept while the cached rows they came from stand.

A review widget or the browser extension sends the same texts again and again. Once every
text of a request was a cache hit, planning it again (validation, language detection,
glossary matching, cache keys) and rebuilding the answer yields the same answer, so it is
kept by caller and request. Only the checks and counts that belong to each request are done
again: rate limit, quota, usage, hit counts and metrics.

An answer is dropped as soon as the service overwrites any cached row (`cache=false`), since
it may have been one of them. Requests naming user glossaries (which can be edited), asking
for traces, or skipping the cache are never kept.

Two kinds of key: `request_key` names the parsed request, for routes whose request depends on
more than its bytes (the compatible APIs fill in the key's default mode); `body_key` names the
bytes of a `/v1/translate` request, so that a repeat is answered before its body is parsed.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import msgspec

from translator.api.schemas import TranslateRequest, TranslationOut
from translator.translating.service import Served

__all__ = ["RepeatAnswers", "RepeatedAnswer", "body_key", "keepable", "request_key"]


@dataclass(frozen=True, slots=True)
class RepeatedAnswer:
    """An answer made only of cache hits, with what serving it again must count."""

    answers: list[TranslationOut]
    served: list[Served]
    characters: int
    replacements: int
    """The service's `replacements` when the answer was made."""


def keepable(data: TranslateRequest) -> bool:
    """Whether the answer to `data` may be reused for the same request."""
    return not (data.glossary or data.return_trace or not data.cache)


def request_key(owner: str, data: TranslateRequest) -> bytes:
    """Who asks what, exactly, as parsed."""
    return owner.encode() + b"\n" + msgspec.json.encode(data)


def body_key(owner: str, query: bytes, body: bytes) -> bytes:
    """Who sends which query and body (never equal to a `request_key`: the query comes first)."""
    return owner.encode() + b"\n?" + query + b"\n" + body


def _size(key: bytes) -> int:
    """Rough bytes an entry holds: its key, and an answer that repeats the texts with their
    translations and glossary notes."""
    return 3 * len(key) + 2048


class RepeatAnswers:
    """The most recently used answers, at most `capacity` of them and about `max_bytes` in all
    (least recently used ones are dropped first)."""

    def __init__(self, capacity: int = 2048, max_bytes: int = 32 * 1024 * 1024) -> None:
        self._capacity = capacity
        self._max_bytes = max_bytes
        self._bytes = 0
        self._answers: OrderedDict[bytes, RepeatedAnswer] = OrderedDict()

    def get(self, key: bytes, replacements: int) -> RepeatedAnswer | None:
        """The answer kept for `key`, if no cached row was overwritten since it was made."""
        answer = self._answers.get(key)
        if answer is None:
            return None
        if answer.replacements != replacements:
            self._drop(key)
            return None
        self._answers.move_to_end(key)
        return answer

    def put(self, key: bytes, answer: RepeatedAnswer) -> None:
        if _size(key) > self._max_bytes:
            return
        if key in self._answers:
            self._drop(key)
        self._answers[key] = answer
        self._bytes += _size(key)
        while len(self._answers) > self._capacity or self._bytes > self._max_bytes:
            self._drop(next(iter(self._answers)))

    def _drop(self, key: bytes) -> None:
        del self._answers[key]
        self._bytes -= _size(key)
