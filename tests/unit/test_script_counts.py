"""Scripts and their weight as evidence; Han character forms from OpenCC's tables."""

import pytest

from translator.text.han_forms import incompatible_with, to_japanese_forms, to_simplified
from translator.text.script_counts import count_scripts, script_of


@pytest.mark.parametrize(
    ("char", "script"),
    [
        ("a", "Latin"),
        ("é", "Latin"),
        ("Ａ", "Latin"),
        ("电", "Han"),
        ("々", "Han"),
        ("あ", "Kana"),
        ("ー", "Kana"),
        ("ｱ", "Kana"),
        ("한", "Hangul"),
        ("ж", "Cyrillic"),
        ("ก", "Thai"),
        ("1", None),
        ("!", None),
        ("😀", None),
    ],
)
def test_script_of_a_character(char: str, script: str | None) -> None:
    assert script_of(char) == script


def test_latin_names_codes_and_units_weigh_nothing_beside_another_script() -> None:
    counts = count_scripts("Clinique Moisture Surge 75ml SPF50 保湿霜")
    assert counts.weights == {"Han": 3.0}
    assert counts.letters["Latin"] > counts.letters["Han"]
    assert counts.dominant() == "Han" and counts.scripts == ["Latin", "Han"]


def test_lower_case_latin_words_are_prose_and_weigh() -> None:
    counts = count_scripts("this case is great 很好")
    assert counts.weights == {"Latin": 8.0, "Han": 2.0}
    assert counts.latin_prose == "this case is great"
    assert counts.dominant() == "Latin"


def test_latin_alone_keeps_its_words_but_not_its_codes() -> None:
    counts = count_scripts('Samsung 65" QLED 4K Smart TV QN65Q80C')
    assert counts.latin_prose == "Samsung Smart"
    assert counts.dominant() == "Latin"


@pytest.mark.parametrize(
    ("char", "ruled_out"),
    [
        ("电", {"zh-Hant", "ja"}),
        ("電", {"zh"}),
        ("国", {"zh-Hant"}),
        ("國", {"zh", "ja"}),
        ("産", {"zh", "zh-Hant"}),
        ("込", {"zh", "zh-Hant"}),
        ("器", set()),
    ],
)
def test_character_forms_rule_orthographies_out(char: str, ruled_out: set[str]) -> None:
    assert incompatible_with(char) == ruled_out


def test_conversion_to_each_vocabulary_forms_keeps_the_length() -> None:
    assert to_simplified("國產 電器 台灣") == "国产 电器 台湾"
    assert to_japanese_forms("卖 国产 电器") == "売 国産 電器"
