"""Which orthographies a Han character belongs to: simplified Chinese, traditional Chinese and
Japanese write many characters differently (电 / 電 / 電, 国 / 國 / 国, 产 / 產 / 産).

The forms come from OpenCC's character tables, which ship with opencc-python-reimplemented:
simplified → traditional (`STCharacters`), traditional → simplified (`TSCharacters`) and
traditional → Japanese shinjitai (`JPVariants`). Characters coined in Japan (kokuji such as 込 and
畑) are in none of them and are listed here. A character found in no table is written alike in
all three and says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = ["ORTHOGRAPHIES", "incompatible_with", "to_japanese_forms", "to_simplified"]

ORTHOGRAPHIES = ("zh", "zh-Hant", "ja")
"""Our language codes for simplified Chinese, traditional Chinese and Japanese."""

_KOKUJI = frozenset(
    "込畑畠峠働枠匂凪辻栃笹榊樫枡杢柾栂椛糀籾粁糎粍瓩噺凧俣躾雫鰯鱈鰹鯵鯱麿匁搾〆々"
)
"""Characters coined in Japan, or (々, the iteration mark) used in Japanese far more than in
Chinese; none of them is in OpenCC's tables."""


@cache
def _dictionary(name: str) -> dict[str, list[str]]:
    """The single-character lines of an OpenCC dictionary: character → its conversions."""
    text = files("opencc").joinpath("dictionary", name).read_text("utf-8")
    table = {}
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        if len(source) == 1:
            table[source] = [t for t in targets.split(" ") if len(t) == 1]
    return table


@dataclass(frozen=True, slots=True)
class _Forms:
    to_simplified: dict[int, str]
    """A `str.translate` table."""
    to_japanese: dict[int, str]
    incompatible: dict[str, frozenset[str]]


@cache
def _forms() -> _Forms:
    simplified_to = _dictionary("STCharacters.txt")
    traditional_to = _dictionary("TSCharacters.txt")
    japanese_to = _dictionary("JPVariants.txt")
    standard_traditional = {t for targets in simplified_to.values() for t in targets}
    japanese_forms = {t for c, targets in japanese_to.items() for t in targets if t != c}
    against: dict[str, set[str]] = {}
    to_japanese: dict[str, str] = {}

    def rule_out(char: str, orthography: str) -> None:
        against.setdefault(char, set()).add(orthography)

    for char, targets in simplified_to.items():
        if char not in targets:  # a simplified form: 电, 国
            rule_out(char, "zh-Hant")
            if char not in japanese_forms:
                rule_out(char, "ja")
                to_japanese[char] = targets[0]
    for char, targets in traditional_to.items():
        if char not in targets:  # a traditional (or variant) form: 電, 國, 産
            rule_out(char, "zh")
    for char, targets in japanese_to.items():
        if char not in targets:  # an old form that Japanese replaced: 國, 賣
            rule_out(char, "ja")
    for char in japanese_forms:
        if char not in simplified_to:
            rule_out(char, "zh")
        if char not in standard_traditional:
            rule_out(char, "zh-Hant")
    for char in _KOKUJI:
        rule_out(char, "zh")
        rule_out(char, "zh-Hant")
    for char, traditional in list(to_japanese.items()):  # 卖 → 賣 → 売
        to_japanese[char] = japanese_to.get(traditional, [traditional])[0]
    for char, targets in japanese_to.items():
        to_japanese.setdefault(char, targets[0])
    return _Forms(
        to_simplified={ord(c): targets[0] for c, targets in traditional_to.items() if targets},
        to_japanese={ord(c): form for c, form in to_japanese.items()},
        incompatible={char: frozenset(found) for char, found in against.items()},
    )


def incompatible_with(char: str) -> frozenset[str]:
    """The orthographies (of `ORTHOGRAPHIES`) that never write `char` this way."""
    return _forms().incompatible.get(char, frozenset())


def to_simplified(text: str) -> str:
    """`text` with traditional and Japanese forms replaced by simplified ones, character for
    character, to look it up in a Chinese vocabulary whatever its orthography."""
    return text.translate(_forms().to_simplified)


def to_japanese_forms(text: str) -> str:
    """`text` with Chinese forms replaced by Japanese ones where the tables know them (电 → 電,
    國 → 国, 卖 → 売), to look it up in a Japanese vocabulary whatever its orthography."""
    return text.translate(_forms().to_japanese)
