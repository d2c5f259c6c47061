"""Finding approved pairs for a text (exact, then close ones), and how they reach the prompt and
the cache key."""

from __future__ import annotations

import unicodedata

from translator.memory.index import CANDIDATES, MemoryIndex
from translator.memory.selection import MemorySelection, SelectedMemory
from translator.prompting.prompts import PromptStyle, build_prompt
from translator.store.pairs import Pair
from translator.translating.memories import match_memories, memory_version
from translator.translating.translation import plan_segments

TITLE = "夏季新款显瘦阔腿裤女 黑色 M码"
PAIRS = [
    Pair(TITLE, "New summer slimming wide-leg trousers, black, M"),
    Pair("夏季新款显瘦连衣裙女 白色 S码", "New summer slimming dress, white, S"),
    Pair("包邮", "Free shipping"),
]


def selected(pairs: list[Pair], memory: str = "m", target: str = "en") -> SelectedMemory:
    return SelectedMemory(memory, memory, 1, "zh", target, MemoryIndex(memory, pairs))


def test_exact_matches_ignore_what_the_cache_key_normalises() -> None:
    index = MemoryIndex("m", PAIRS)
    decomposed = unicodedata.normalize("NFD", f"  {TITLE}\t")
    assert index.exact(decomposed) == PAIRS[0]
    assert index.exact("夏季新款显瘦阔腿裤女 黑色 L码") is None


def test_close_sources_score_best_first_above_the_threshold() -> None:
    index = MemoryIndex("m", PAIRS)
    found = index.similar("夏季新款显瘦阔腿裤女 白色 L码", threshold=0.75, limit=3)
    assert next(f.pair for f in found) == PAIRS[0]
    assert all(0.75 <= f.score < 1 for f in found)
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)
    assert index.similar("这家店发货很快", threshold=0.75, limit=3) == []
    assert MemoryIndex("empty", []).similar(TITLE, threshold=0.75, limit=3) == []


def test_the_index_finds_a_near_duplicate_among_many_sharing_common_trigrams() -> None:
    filler = [Pair(f"夏季新款女装 第{i}款 包邮", f"Item {i}") for i in range(CANDIDATES * 20)]
    index = MemoryIndex("m", [*filler, PAIRS[0]])
    found = index.similar("夏季新款显瘦阔腿裤女 灰色 M码", threshold=0.75, limit=1)
    assert [f.pair for f in found] == [PAIRS[0]]


def test_an_exact_match_wins_and_other_pairs_never_apply() -> None:
    selection = MemorySelection(
        [selected([Pair(TITLE, "ja")], "ja", target="ja"), selected(PAIRS, "m")]
    )
    match = selection.match(TITLE, "zh", "en", threshold=0.75, limit=3)
    assert match is not None and match.exact and match.pairs[0].memory == "m"
    assert selection.match(TITLE, "zh", "fr", threshold=0.75, limit=3) is None


def test_close_pairs_of_several_memories_are_merged_best_first() -> None:
    selection = MemorySelection([selected(PAIRS[1:], "a"), selected(PAIRS[:1], "b")])
    match = selection.match("夏季新款显瘦阔腿裤女 黑色 L码", "zh", "en", threshold=0.6, limit=2)
    assert match is not None and not match.exact
    assert [p.memory for p in match.pairs] == ["b", "a"]
    assert match.score == match.pairs[0].score


def test_examples_go_before_the_request_closest_last() -> None:
    plain = build_prompt("包邮吗", source="zh", target="en", style=PromptStyle.ANSWER)
    examples = [("包邮", "Free shipping"), ("包邮到家", "Free home delivery")]
    prompt = build_prompt(
        "包邮吗", source="zh", target="en", style=PromptStyle.ANSWER, examples=examples
    )
    assert prompt.endswith(plain[plain.index("<|im_start|>user") :])
    assert prompt.index("Free home delivery") < prompt.index("<Output>Free shipping</Output>")
    assert prompt.index("<Output>Free shipping</Output>") < prompt.rindex("<|im_start|>user")


def test_matched_plans_carry_examples_and_a_cache_key_part() -> None:
    selection = MemorySelection([selected(PAIRS)])
    texts = [TITLE, "夏季新款显瘦阔腿裤女 白色 L码", "这家店发货很快"]
    plans = plan_segments(texts, source="zh", target="en", max_text_chars=2000)
    exact, close, none = match_memories(plans, selection, threshold=0.75, examples=3)
    assert exact.segment.examples == () and exact.memory is not None and exact.memory.exact
    assert close.segment.examples[0] == (PAIRS[0].source, PAIRS[0].target)
    assert none.memory is None and memory_version(none) is None
    assert str(memory_version(exact)).startswith("exact-")
    edited = MemorySelection([selected([Pair(TITLE, "Black trousers"), *PAIRS[1:]])])
    (again,) = match_memories(plans[1:2], edited, threshold=0.75, examples=3)
    assert memory_version(again) != memory_version(close)
