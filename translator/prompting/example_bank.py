"""Few-shot examples from a small bank of colloquial shopping texts we translated by hand.

A small model may render slang and a review's tone better once it has seen it done: a text's
closest bank pairs can go into its prompt as earlier answers (see `build_prompt`'s
`examples`). As every prompt's examples they did not pay for their longer prompts
(`bench/levers.py`); as one more greedy reading in the search's pool they do
(`translator.search.greedy.examples_answer`; bench/README.md, "The search's pool").
Closeness counts the glossary terms a pair's source shares with the text first, then the share
of character bigrams they have in common, so a review about shoes sees shoe reviews. The bank
files are `bank/<source>-<target>.yaml`; a pair without one gets no examples.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import msgspec

from glossary.matcher import TermMatch
from glossary.selection import primary_language

__all__ = ["BankPair", "ExampleBank", "example_bank"]


class BankPair(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A source text and our translation of it."""

    source: str
    target: str


class _BankFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    source: str
    target: str
    pairs: list[BankPair]


BANK_DIR = Path(__file__).resolve().parent / "bank"


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _bigrams(folded: str) -> frozenset[str]:
    return frozenset(folded[i : i + 2] for i in range(len(folded) - 1)) or frozenset({folded})


@dataclass(frozen=True, slots=True)
class _Entry:
    pair: BankPair
    folded: str
    bigrams: frozenset[str]

    @classmethod
    def of(cls, pair: BankPair) -> _Entry:
        folded = _folded(pair.source)
        return cls(pair, folded, _bigrams(folded))


class ExampleBank:
    """The bank pairs of one language pair, ready to rank against a text."""

    def __init__(self, pairs: Sequence[BankPair]) -> None:
        self._entries = tuple(_Entry.of(pair) for pair in pairs)

    def __len__(self) -> int:
        return len(self._entries)

    def closest(
        self, text: str, count: int, terms: Sequence[TermMatch] = ()
    ) -> tuple[tuple[str, str], ...]:
        """Up to `count` (source, translation) pairs, closest first; never the text itself."""
        if count <= 0:
            return ()
        folded = _folded(text)
        grams = _bigrams(folded)
        surfaces = {match.surface for match in terms}

        def closeness(entry: _Entry) -> tuple[int, float]:
            shared_terms = sum(1 for surface in surfaces if surface in entry.pair.source)
            union = len(grams | entry.bigrams)
            return shared_terms, len(grams & entry.bigrams) / union if union else 0.0

        ranked = sorted(
            (e for e in self._entries if e.folded != folded),
            key=closeness,
            reverse=True,
        )
        return tuple((e.pair.source, e.pair.target) for e in ranked[:count])


@cache
def example_bank(source: str, target: str) -> ExampleBank:
    """The shipped bank for a language pair (empty when there is none)."""
    path = BANK_DIR / f"{primary_language(source)}-{primary_language(target)}.yaml"
    if not path.is_file():
        return ExampleBank(())
    data = msgspec.yaml.decode(path.read_text(encoding="utf-8"), type=_BankFile)
    return ExampleBank(data.pairs)
