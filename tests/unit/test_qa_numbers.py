from decimal import Decimal

import pytest

from translator.text.qa.numbers import find_numbers


def _read(text: str, language: str) -> list[tuple[str, set[Decimal], bool | None, bool]]:
    return [(m.text, set(m.values), m.percent, m.exact) for m in find_numbers(text, language)]


def _values(*numbers: str) -> set[Decimal]:
    return {Decimal(number) for number in numbers}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("2,180円(税込)", "ja", [("2,180", _values("2180", "2.180"), False, True)]),
        ("2180 yen", "en", [("2180", _values("2180"), False, True)]),
        ("１２８０円", "ja", [("１２８０", _values("1280"), False, True)]),
        ("1,980,000", "en", [("1,980,000", _values("1980000"), False, True)]),
        ("2.180 Yen", "de", [("2.180", _values("2180", "2.180"), False, True)]),
        ("2 180 €", "fr", [("2 180", _values("2180", "2.180"), False, True)]),
        ("1,5 kg", "de", [("1,5", _values("1.5"), False, True)]),
        ("1.5 kg", "en", [("1.5", _values("1.5"), False, True)]),
        ("£1,234.50", "en", [("1,234.50", _values("1234.5"), False, True)]),
        ("٣٠ ريال", "ar", [("٣٠", _values("30"), False, True)]),
    ],
)
def test_digits_in_every_script_and_grouping(
    text: str, language: str, expected: list[tuple[str, set[Decimal], bool | None, bool]]
) -> None:
    assert _read(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("2千円", "ja", "2000"),
        ("100万円", "ja", "1000000"),
        ("1,000万円", "ja", "10000000"),
        ("1.5億", "ja", "150000000"),
        ("2万5千", "zh", "25000"),
        ("3千万", "zh", "30000000"),
        ("3만원", "ko", "30000"),
        ("1.5 million", "en", "1500000"),
        ("10 Million", "en", "10000000"),
        ("3k followers", "en", "3000"),
    ],
)
def test_multipliers_after_digits(text: str, language: str, value: str) -> None:
    (mention,) = find_numbers(text, language)
    assert mention.values == {Decimal(value)} and mention.exact


@pytest.mark.parametrize(
    ("text", "values", "exact"),
    [
        ("二千円", {"2000"}, True),
        ("三百人", {"300"}, True),
        ("三百零五", {"305"}, False),  # no counter after it: may be a word
        ("十五年", {"15"}, False),  # starts with a multiplier
        ("两年", {"2"}, False),
        ("七八十", {"70", "80"}, False),
        ("二〇二一年", {"2021"}, False),
        ("六四", {"6", "4", "64"}, False),
    ],
)
def test_chinese_and_japanese_numerals(text: str, values: set[str], exact: bool) -> None:
    (mention,) = find_numbers(text, "zh")
    assert mention.values == {Decimal(v) for v in values}
    assert mention.exact is exact


@pytest.mark.parametrize("text", ["千万不要买", "万一坏了", "十分好用", "几十年的老店"])
def test_numeral_words_are_never_exact(text: str) -> None:
    assert not any(mention.exact for mention in find_numbers(text, "zh"))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("two thousand and five", "2005"),
        ("twenty-one", "21"),
        ("a dozen eggs", "12"),
        ("a hundred times", "100"),
        ("the second edition", "2"),
        ("ordered twice", "2"),
    ],
)
def test_english_number_words_are_renderings_only(text: str, value: str) -> None:
    (mention,) = find_numbers(text, "en")
    assert mention.values == {Decimal(value)} and not mention.exact


@pytest.mark.parametrize(
    ("text", "language", "shown", "percent"),
    [
        ("最大18%OFF!", "ja", "18%", True),
        ("18 % off", "en", "18 %", True),
        ("１８％", "ja", "１８％", True),
        ("18 percent", "en", "18 percent", True),
        ("百分之十八", "zh", "十八", True),
        ("18 items", "en", "18", False),
    ],
)
def test_percentages(text: str, language: str, shown: str, percent: bool) -> None:
    (mention,) = find_numbers(text, language)
    assert (mention.text, mention.percent) == (shown, percent)
    assert Decimal(18) in mention.values


def test_discounts_read_as_the_price_paid_or_the_saving() -> None:
    (discount,) = find_numbers("全场8折", "zh")
    assert discount.values == {Decimal(8), Decimal(80), Decimal(20)}
    assert discount.percent is None
    (tenths,) = find_numbers("3割引", "ja")
    assert tenths.values == {Decimal(3), Decimal(30)}


def test_clock_hours_dates_and_months() -> None:
    (hour,) = find_numbers("15時まで", "ja")
    assert hour.values == {Decimal(15), Decimal(3)}
    assert [m.text for m in find_numbers("2021.6.11发售", "zh")] == ["2021", "6", "11"]
    june, day = find_numbers("June 11", "en")
    assert (set(june.values), june.exact, set(day.values)) == ({Decimal(6)}, False, {Decimal(11)})
    assert not find_numbers("3:00", "en")[1].exact  # zero minutes add nothing
    assert Decimal(1995) in find_numbers("95后", "zh")[0].values


def test_a_list_with_commas_is_separate_numbers_in_english() -> None:
    assert [m.text for m in find_numbers("sizes 12,34", "en")] == ["12", "34"]
