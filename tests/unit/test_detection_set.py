"""Accuracy on our own listing titles and review snippets (tests/data/detection_set.tsv)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from translator.text.detect import detect

SET = Path(__file__).parents[1] / "data" / "detection_set.tsv"
FLOOR = 0.97
LANGUAGE_FLOOR = 0.9
LANGUAGES = {"zh", "zh-Hant", "ja", "ko", "en", "de", "fr", "es"}


def load_set() -> list[tuple[str, str]]:
    lines = SET.read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return [(language, text) for language, text in rows]


def test_the_set_covers_every_language_with_titles_and_reviews() -> None:
    rows = load_set()
    per_language = Counter(language for language, _ in rows)
    assert len(rows) >= 120 and set(per_language) == LANGUAGES
    assert min(per_language.values()) >= 15


def test_detection_is_right_on_the_whole_set() -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong = []
    for language, text in load_set():
        found = detect(text).best.language
        total[language] += 1
        right[language] += found == language
        if found != language:
            wrong.append((text, language, found))
    assert sum(right.values()) / sum(total.values()) >= FLOOR, wrong
    assert all(right[code] / total[code] >= LANGUAGE_FLOOR for code in total), wrong
