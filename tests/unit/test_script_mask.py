"""Which vocabulary pieces may write a banned script, and which scripts a pair bans."""

from __future__ import annotations

import pytest

from translator.engines.script_mask import banned_token_mask, writes_banned
from translator.text.scripts import foreign_scripts, script_characters, script_ranges

HAN = script_ranges(["han"])
HANGUL = script_ranges(["hangul"])


@pytest.mark.parametrize(
    ("piece", "banned"),
    [
        ("好".encode(), True),
        (" 好的".encode(), True),
        (b"hello", False),
        ("。".encode(), False),  # CJK punctuation is not Han
        ("é".encode(), False),
        ("—".encode(), False),
        ("😀".encode(), False),
        ("𠀀".encode(), True),  # Han beyond the basic plane
        ("好".encode()[:1], True),  # a lead byte that can only begin CJK
        ("好".encode()[:2], True),
        ("好".encode()[1:], False),  # only continues a character begun earlier
        ("—".encode()[:1], False),  # a lead byte of general punctuation
        (b"\xff", False),
    ],
)
def test_han_pieces(piece: bytes, banned: bool) -> None:
    assert writes_banned(piece, HAN) is banned


def test_hangul_pieces() -> None:
    assert writes_banned("한".encode(), HANGUL)
    assert not writes_banned("好".encode(), HANGUL)
    assert not writes_banned(b"Galaxy", HANGUL)


def test_mask_is_per_token_id() -> None:
    mask = banned_token_mask([b"a", "好".encode(), b" the", "ア".encode()], ["han", "kana"])
    assert mask.tolist() == [False, True, False, True]


@pytest.mark.parametrize(
    ("source", "target", "scripts"),
    [
        ("zh", "en", ("han",)),
        ("ja", "en", ("han", "kana")),
        ("ja", "zh", ("kana",)),
        ("zh", "ja", ()),
        ("ko", "de", ("han", "hangul")),
        ("en", "de", ()),
        ("ru", "en", ("cyrillic",)),
    ],
)
def test_foreign_scripts(source: str, target: str, scripts: tuple[str, ...]) -> None:
    assert foreign_scripts(source, target) == scripts


def test_script_characters_in_text_order() -> None:
    assert script_characters("Follow苏宁 Pusher", ["han"]) == ["苏", "宁"]
    assert script_characters("plain", []) == []
