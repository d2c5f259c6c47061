"""Numbers in a text, each with every value a faithful translation may write it as.

Forms read: digits of any script (ASCII, full-width, Arabic-Indic, ...), grouped the way the
text's language groups them ("2,180" in English or Japanese, "2.180" or "2 180" in German or
French; a lone group of three reads both ways); decimals; multipliers after digits ("2千",
"100万", "1.5億", "2万5千", "1.5 million", "3k"); Chinese and Japanese numerals ("二千",
"三百五十", "七八十": seventy or eighty); English number words in English ("twice");
percentages ("18%", "18 %", "18 percent", "百分之十八"); Chinese discounts ("8折": 8, 80 or 20
percent) and Japanese tenths ("3割": 30 percent); 24-hour clock hours ("15時" is also 3 p.m.);
two-digit years ("95后": born after 1995); English month names (June is 6).

A number written with digits must survive translation (`exact`). Numerals and number words
are everyday words as often as quantities ("一起", "one of"), so most of them only count as a
rendering of the other text's numbers; a Chinese or Japanese numeral with a multiplier followed
by a counter ("二千円", "三百人") is exact too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

__all__ = ["NumberMention", "find_numbers"]

_DECIMAL_COMMA = frozenset(
    {"cs", "de", "es", "fr", "id", "it", "nl", "pl", "pt", "ru", "sv", "tr", "uk", "vi"}
)
"""Languages that write 1.5 as "1,5" and group thousands with dots or spaces."""

_ANY_DIGIT = re.compile(r"[0-9]")
_NOT_PLAIN = re.compile(r"(?![0-9])\d|[％．]")
"""Digits of other scripts (full-width, Arabic-Indic, ...) and full-width signs of numbers."""
_CJK_NUMERAL_LANGUAGES = frozenset({"zh", "zh-Hant", "ja"})
_DIGIT_RUN = {
    False: re.compile(r"\d+(?:[.,']\d+)*"),
    True: re.compile(r"\d+(?:[.,\u00a0\u202f']\d+| \d{3}(?!\d))*"),
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000, "십": 10, "백": 100, "천": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
_BIG_UNITS |= {"만": 10**4, "억": 10**8, "조": 10**12}
_UNIT_CHARS = "".join((*_SMALL_UNITS, *_BIG_UNITS))
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MULTIPLIED = re.compile(rf"(?<![\d.,]){_AMOUNT}[{_UNIT_CHARS}]+(?:{_AMOUNT}[{_UNIT_CHARS}]+)*\d*")
_ANY_UNIT = re.compile(f"[{_UNIT_CHARS}]")
_PIECE = re.compile(rf"{_AMOUNT}|[{_UNIT_CHARS}]")

_CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5}
_CJK_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CJK_NUMERAL = re.compile(f"[{''.join(_CJK_DIGITS)}十百千万萬亿億]+")
_COUNTERS = frozenset(
    "円元块塊圆角人个個件年岁歳歲本枚台回次天日月时時小秒度米克斤号號倍本张張条條双雙瓶袋箱"
)
"""Counters and units after a numeral that make it a quantity ("二千円", "三百人")."""
_VAGUE = frozenset("几幾数數多")
"""Before a numeral, these make it a rough size: "几十年" (decades), "数百" (hundreds)."""

_SCALE_WORDS = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9}
_SCALE_WORDS |= {"trillion": 10**12}
_WORD_VALUES = {
    word: value
    for value, words in enumerate(
        [
            ("zero",),
            ("one", "first", "once"),
            ("two", "second", "twice", "both"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven", "eleventh"),
            ("twelve", "twelfth", "dozen"),
            ("thirteen",),
            ("fourteen",),
            ("fifteen",),
            ("sixteen",),
            ("seventeen",),
            ("eighteen",),
            ("nineteen",),
        ]
    )
    for word in words
}
_WORD_VALUES |= {
    word: 10 * tens
    for tens, word in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2
    )
}
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ARTICLE = re.compile(r"\ban?\s+$", re.IGNORECASE)
_WORD_GAP = re.compile(r"(?:\s+and\s+|[\s-]+)")
"""What may come between the words of one number: "two thousand and five", "twenty-one"."""
_MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)
_MONTHS = re.compile(
    r"\b(?:"
    + "|".join(
        sorted({*_MONTH_NAMES, *(m[:3] for m in _MONTH_NAMES), "Sept"}, key=len, reverse=True)
    )
    + r")\b\.?"
)

_SCALE_AFTER = re.compile(
    r"\s*(hundred|thousand|million|billion|trillion)\b|[kK](?![A-Za-z])", re.IGNORECASE
)
_PERCENT_AFTER = re.compile(r"\s?(?:%|percent\b|per\s+cent\b|pct\b|パーセント|퍼센트)", re.I)
_PERCENT_BEFORE = "百分之"
_DISCOUNT_AFTER = re.compile(r"\s?(折|割)")
_HOUR_AFTER = re.compile(r"\s?(?:時|时|点|點|시)|:\d{2}")
_GENERATION_AFTER = re.compile(r"\s?(?:后|後|年代)")
"""Two-digit years of a birth cohort or decade: "95后" (born after 1995), "八十年代" (the 80s)."""


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number at `start:end`; `percent` is None where either reading fits (8折, 3割)."""

    start: int
    end: int
    text: str
    values: frozenset[Decimal]
    percent: bool | None
    exact: bool


def find_numbers(text: str, language: str) -> list[NumberMention]:
    """Every number in `text` (written in `language`), in text order, none overlapping."""
    plain = _plain_digits(text)
    taken = [False] * len(text)
    found: list[NumberMention] = []

    def claim(start: int, end: int, values: set[Decimal], exact: bool) -> None:
        if not values or any(taken[start:end]):
            return
        taken[start:end] = [True] * (end - start)
        mention = _with_suffixes(
            plain, NumberMention(start, end, "", frozenset(values), False, exact)
        )
        found.append(replace(mention, text=text[mention.start : mention.end]))

    if _ANY_DIGIT.search(plain):
        multiplied = _MULTIPLIED.finditer(plain) if _ANY_UNIT.search(plain) else iter(())
        for match in multiplied:
            claim(match.start(), match.end(), {_multiplied_value(match.group())}, True)
        for match in _DIGIT_RUN[language in _DECIMAL_COMMA].finditer(plain):
            for start, end, values in _read_digits(match.group(), language in _DECIMAL_COMMA):
                base = match.start()
                scaled, end = _scaled(plain, base + end, values)
                claim(base + start, end, scaled, True)
    if language in _CJK_NUMERAL_LANGUAGES:
        for match in _CJK_NUMERAL.finditer(plain.replace(_PERCENT_BEFORE, "\x1f" * 3)):
            start, end = match.span()
            numeral = _read_numeral(match.group(), plain[start - 1 : start])
            if numeral is not None:
                values, exact = numeral
                claim(start, end, values, exact and plain[end : end + 1] in _COUNTERS)
    if language == "en":
        for start, end in _word_phrases(plain):
            claim(start, end, {_word_value(plain[start:end])}, False)
        for match in _MONTHS.finditer(plain):
            name = match.group()[:3]
            month = next(i for i, full in enumerate(_MONTH_NAMES, 1) if full.startswith(name))
            claim(match.start(), match.end(), {Decimal(month)}, False)
    return sorted(found, key=lambda mention: mention.start)


def _plain_digits(text: str) -> str:
    """`text` with every decimal digit in ASCII and full-width % and . as ASCII, same length."""
    return text if text.isascii() else _NOT_PLAIN.sub(_plain_char, text)


def _plain_char(match: re.Match[str]) -> str:
    char = match.group()
    return unicodedata.normalize("NFKC", char) if char in "％．" else str(unicodedata.decimal(char))


def _read_digits(run: str, decimal_comma: bool) -> list[tuple[int, int, set[Decimal]]]:
    """The numbers in a run of digits and separators, as (start, end, values) within it."""
    parts = re.split(r"(\D)", run)
    groups, separators = parts[0::2], parts[1::2]
    if not separators:
        return [(0, len(run), {Decimal(run)})]
    point = "," if decimal_comma else "."
    grouping = {".", " ", "\u00a0", "\u202f", "'"} if decimal_comma else {",", "'"}
    fraction = separators[-1] == point and len(separators) > 1
    body = separators[:-1] if fraction else separators
    if (
        len(set(body)) == 1
        and body[0] in grouping
        and len(groups[0]) <= 3
        and all(len(group) == 3 for group in groups[1 : len(body) + 1])
    ):
        whole = "".join(groups[: len(body) + 1])
        values = {Decimal(whole + ("." + groups[-1] if fraction else ""))}
        if len(separators) == 1:  # "1,234" or "1.234": a decimal in the other convention
            values.add(Decimal(f"{groups[0]}.{groups[1]}"))
        return [(0, len(run), values)]
    if len(separators) == 1 and separators[0] == point:
        values = {Decimal(f"{groups[0]}.{groups[1]}")}
        if len(groups[1]) == 3:
            values.add(Decimal(groups[0] + groups[1]))
        return [(0, len(run), values)]
    pieces, offset = [], 0
    for group in groups:  # a date, a version, a list: each number on its own
        pieces.append((offset, offset + len(group), {Decimal(group)}))
        offset += len(group) + 1
    return pieces


def _multiplied_value(text: str) -> Decimal:
    """ "2万5千" → 25000, "1.5億" → 150000000, "3千万" → 30000000."""
    total = section = number = Decimal(0)
    for piece in _PIECE.findall(text):
        if piece in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[piece]
            number = Decimal(0)
        elif piece in _BIG_UNITS:
            total += (section + number or 1) * _BIG_UNITS[piece]
            section = number = Decimal(0)
        else:
            number = Decimal(piece.replace(",", ""))
    return total + section + number


def _scaled(plain: str, end: int, values: set[Decimal]) -> tuple[set[Decimal], int]:
    """Digits followed by an English scale ("1.5 million", "3k") are worth that much more;
    the values and where the number ends."""
    match = _SCALE_AFTER.match(plain, end)
    if match is None:
        return values, end
    scale = _SCALE_WORDS.get((match.group(1) or "").lower(), 1000)
    return {value * scale for value in values}, match.end()


def _read_numeral(run: str, before: str) -> tuple[set[Decimal], bool] | None:
    """A Chinese or Japanese numeral's values and whether it is exact, or None.

    Only a numeral that starts with a digit is exact: one that starts with a multiplier is
    often a word ("千万": by all means, "万一": in case), and so is one after "几" or "数"
    ("几十年": decades). Two digits in a row are an estimate ("七八十": 70 or 80); three or
    more, digits by position ("二〇二一": 2021).
    """
    if all(char in _CJK_DIGITS for char in run) and len(run) >= 3:
        return {Decimal("".join(str(_CJK_DIGITS[char]) for char in run))}, False
    pairs = [
        i
        for i in range(len(run) - 1)
        if run[i] in _CJK_DIGITS and run[i] not in "〇零" and run[i + 1] in _CJK_DIGITS
    ]
    if pairs:
        i = pairs[0]
        readings = (run[: i + 1] + run[i + 2 :], run[:i] + run[i + 1 :])
        values = {value for reading in readings if (value := _numeral_value(reading)) is not None}
        if len(run) == 2:  # "六四" may also be a date or a name read digit by digit: 64
            values.add(Decimal(10 * _CJK_DIGITS[run[0]] + _CJK_DIGITS[run[1]]))
        return (values, False) if values else None
    value = _numeral_value(run)
    if value is None:
        return None
    exact = run[0] in _CJK_DIGITS and before not in _VAGUE and any(c in _UNIT_CHARS for c in run)
    return {value}, exact


def _numeral_value(text: str) -> Decimal | None:
    """ "三百五十" → 350, "十五" → 15, "两万" → 20000; None when the characters do not read as
    one number ("一五一十")."""
    total = section = 0
    number: int | None = None
    for char in text:
        if char in "〇零" and number is None:
            continue  # a zero between places: "三百零五"
        if char in _CJK_DIGITS:
            if number is not None:
                return None
            number = _CJK_DIGITS[char]
        elif char in "十百千":
            section += (1 if number is None else number) * _SMALL_UNITS[char]
            number = None
        else:
            total += (section + (number or 0) or 1) * _BIG_UNITS[char]
            section, number = 0, None
    return Decimal(total + section + (number or 0))


def _word_phrases(text: str) -> Iterator[tuple[int, int]]:
    """Spans of English number words in a row ("a hundred", "twenty-one"); "and" joins words
    after a scale word ("two thousand and five"), not a list ("one and two")."""
    span: list[int] = []
    scaled = False
    for match in _LATIN_WORD.finditer(text):
        word = match.group().lower()
        if word not in _WORD_VALUES and word not in _SCALE_WORDS:
            if word != "and" and span:
                yield span[0], span[1]
                span = []
            continue
        gap = text[span[1] : match.start()] if span else ""
        if span and _WORD_GAP.fullmatch(gap) and (scaled or "and" not in gap):
            span[1] = match.end()
        else:
            if span:
                yield span[0], span[1]
            article = _ARTICLE.search(text, max(0, match.start() - 3), match.start())
            measured = word in _SCALE_WORDS or word == "dozen"
            span = [article.start() if article and measured else match.start(), match.end()]
            scaled = False
        scaled = scaled or word in _SCALE_WORDS
    if span:
        yield span[0], span[1]


def _word_value(phrase: str) -> Decimal:
    """ "two thousand and five" → 2005, "a dozen" → 12, "twenty-one" → 21."""
    total = current = 0
    for word in re.findall(r"[a-z]+", phrase.lower()):
        if word in ("a", "an", "and"):
            continue
        if word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALE_WORDS:
            total += (current or 1) * _SCALE_WORDS[word]
            current = 0
        elif word == "dozen":
            current = (current or 1) * 12
        else:
            current += _WORD_VALUES[word]
    return Decimal(total + current)


def _with_suffixes(plain: str, mention: NumberMention) -> NumberMention:
    """The readings what comes around a number adds: percent (its sign then belongs to the
    mention), discount, 24-hour clock, two-digit years."""
    values = set(mention.values)
    sign = _PERCENT_AFTER.match(plain, mention.end)
    percent: bool | None = sign is not None or plain.endswith(_PERCENT_BEFORE, 0, mention.start)
    discount = _DISCOUNT_AFTER.match(plain, mention.end)
    if discount is not None:
        percent = None
        for value in mention.values:
            tenths = value * 10
            values.add(tenths)
            if discount.group(1) == "折" and value < 10:
                values.add(100 - tenths)
    if _GENERATION_AFTER.match(plain, mention.end):
        values |= {
            century + value for value in mention.values if value < 100 for century in (1900, 2000)
        }
    if _HOUR_AFTER.match(plain, mention.end):
        values |= {value - 12 for value in mention.values if 13 <= value <= 23}
        values |= {Decimal(12) for value in mention.values if value == 0}
    exact = mention.exact and not (plain[: mention.start].rstrip().endswith(":") and values == {0})
    end = mention.end if sign is None else sign.end()
    return replace(mention, end=end, values=frozenset(values), percent=percent, exact=exact)
