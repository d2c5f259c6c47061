"""Finding glossary terms: folding, longest match, blockers, precedence between glossaries."""

from __future__ import annotations

from glossary.entries import Entry
from glossary.folding import fold
from glossary.matcher import TermMatcher
from glossary.selection import GlossarySelection, UserGlossary

CUSHION = Entry(forms=("踩屎感",), preferred=("cloud-like cushioning",))
DEAR = Entry(forms=("亲", "親"), preferred=("dear",), not_in=("父亲", "亲自"), may_omit=True)
SLIM = Entry(forms=("显瘦",), preferred=("slimming",))
SLIM_FIT = Entry(forms=("显瘦款",), preferred=("slim-fit style",))
GOAT = Entry(forms=("yyds",), preferred=("the best",))


def test_folding_keeps_length_and_unifies_variants() -> None:
    text = "顯瘦寶貝 ＹＹＤＳ Good"
    assert fold(text) == "显瘦宝贝 yyds good"
    assert len(fold(text)) == len(text)


def test_longest_match_wins_and_offsets_point_into_the_original() -> None:
    matcher = TermMatcher([[SLIM, SLIM_FIT, CUSHION]])
    text = "這條褲子是顯瘦款，踩屎感也有"
    found = matcher.find(text)
    assert [(m.entry, m.surface) for m in found] == [(SLIM_FIT, "顯瘦款"), (CUSHION, "踩屎感")]
    assert all(text[m.start : m.end] == m.surface for m in found)


def test_traditional_text_matches_simplified_entries_and_back() -> None:
    assert [m.surface for m in TermMatcher([[SLIM]]).find("超級顯瘦")] == ["顯瘦"]
    traditional = Entry(forms=("顯瘦",), preferred=("slimming",))
    assert [m.surface for m in TermMatcher([[traditional]]).find("超级显瘦")] == ["显瘦"]


def test_not_in_words_block_a_short_term() -> None:
    matcher = TermMatcher([[DEAR]])
    assert matcher.find("我父亲亲自买的") == ()
    found = matcher.find("親，我父亲说好")
    assert [(m.surface, m.start) for m in found] == [("親", 0)]


def test_each_entry_is_reported_once_at_its_first_place() -> None:
    found = TermMatcher([[SLIM]]).find("显瘦显瘦，真的显瘦")
    assert [(m.start, m.end) for m in found] == [(0, 2)]


def test_latin_terms_match_whole_words_only() -> None:
    matcher = TermMatcher([[GOAT]])
    assert [m.surface for m in matcher.find("这款YYDS！")] == ["YYDS"]
    assert matcher.find("xyyds") == ()
    assert matcher.find("yydsx") == ()


def test_empty_matcher_finds_nothing() -> None:
    assert TermMatcher([]).find("踩屎感") == ()


def _user(entries: tuple[Entry, ...], *, source: str = "zh", name: str = "mine") -> UserGlossary:
    return UserGlossary(
        id=f"id-{name}", name=name, version=1, source=source, target="en", entries=entries
    )


def test_user_entries_take_precedence_over_builtin_ones() -> None:
    own = Entry(forms=("踩屎感",), preferred=("marshmallow feel",), origin="id-mine")
    found = GlossarySelection([_user((own,))]).find("踩屎感很强", "zh", "en")
    assert [m.entry for m in found] == [own]
    builtin = GlossarySelection().find("踩屎感很强", "zh", "en")
    assert builtin[0].entry.origin == "builtin"
    assert "cloud-like cushioning" in builtin[0].entry.preferred


def test_earlier_user_glossaries_win_and_pairs_must_apply() -> None:
    first = Entry(forms=("爆款",), preferred=("bestseller",), origin="id-a")
    second = Entry(forms=("爆款",), preferred=("hit item",), origin="id-b")
    selection = GlossarySelection(
        [_user((first,), name="a"), _user((second,), name="b")], builtin=False
    )
    assert [m.entry for m in selection.find("今年爆款", "zh", "en")] == [first]
    assert [m.entry for m in selection.find("今年爆款", "zh-Hant", "en")] == [first]
    assert selection.find("今年爆款", "ja", "en") == ()


def test_builtin_glossary_can_be_switched_off() -> None:
    assert GlossarySelection(builtin=False).find("踩屎感", "zh", "en") == ()
    assert GlossarySelection().find("踩屎感", "zh", "de") == ()


def test_a_builtin_term_inside_a_longer_common_word_is_not_matched() -> None:
    """国行 (the China retail version) is not read into 共和国行政 or 全国行动."""
    builtin = GlossarySelection()
    assert builtin.find("依照《中华人民共和国行政许可法》办理", "zh", "en") == ()
    assert builtin.find("全国行动计划", "zh", "en") == ()
    (found,) = builtin.find("买国行主要是为了保修方便", "zh", "en")
    assert found.surface == "国行"
