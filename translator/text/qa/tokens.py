"""Tokens a translation must carry over: placeholders, tags, links, codes, emoji, quoted names.

`find_tokens` reads them in priority order (a URL's digits are not a model code, a
`#Product1#` placeholder is not a hashtag), so no two tokens overlap. Each token has a `key`:
the form two tokens are compared by (case and spacing that do not matter removed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from translator.text.languages import LATIN_SCRIPT
from translator.text.qa.findings import Kind

__all__ = [
    "Token",
    "find_tokens",
    "loose_pattern",
    "mask",
]

_TRAILING = ".,;:!?)]}'\"”’>"
_DOMAINS = r"(?:com|net|org|info|shop|store|io|co|jp|cn|tw|hk|kr|de|fr|uk|us|me|tv)\b"
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'「」『』【】（），。、！？]+"
    rf"|(?<![\w.@-])(?:[A-Za-z0-9-]+\.)+{_DOMAINS}(?:/[^\s<>\"'「」『』【】（），。、！？]*)?",
    re.IGNORECASE,
)
_URL_MARKER = re.compile(rf"://|www\.|\.{_DOMAINS}", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s+[^<>]*?)?\s*/?>")
_PLACEHOLDER = re.compile(
    r"#[A-Za-z_][A-Za-z0-9_]*#"  # #Product1#
    r"|\{\{\s*[A-Za-z_][\w.]*\s*\}\}"  # {{count}}
    r"|\$?\{[A-Za-z_0-9][\w.]*\}"  # {name} {0} ${var}
    r"|(?<![\d.%])%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?(?:l{0,2}[diuxX]|[sfeEgGc@])(?![A-Za-z])"  # %s
    r"|(?<![\d%])%[A-Za-z_][A-Za-z0-9_]*%"  # %NAME%
    r"|\[[A-Z][A-Z0-9_]+\]"  # [SKU]
)
_HANDLE = re.compile(r"(?<![A-Za-z0-9_.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_HASHTAG = re.compile(r"(?<![\w#&])#(?![0-9]+\b)[^\s#.,!?;:，。！？、()（）\[\]【】「」『』]+#?")
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*(?![A-Za-z0-9])")
_LETTER_THEN_DIGIT = re.compile(r"[A-Za-z][-_./]?\d")
_LABELLED_NUMBER = re.compile(
    r"(?:am|pm|no|x|rm|rmb|cny|us|usd|hk|hkd|nt|twd|jpy|eur|gbp|krw|sgd|aud|cad|myr|thb|rp)"
    r"\.?\d+(?:[.,]\d+)*",
    re.IGNORECASE,
)
"""A code has a letter before a digit ("A2", "CN1", "GT-710", "B07XJ8C8F3"); digits before
letters are a number with its unit ("5kg", "1080p", "2nd", "3D"), and a time, a numero, a
multiplication sign or a currency before digits labels a number ("AM10", "No.1", "x2",
"RM10")."""
_QUOTED = re.compile(r"([\"“「『《〈‘＂])([^\"”」』》〉’＂\n]{2,60}?)([\"”」』》〉’＂])")
_CLOSING = {
    '"': '"',
    "“": "”",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "‘": "’",
    "＂": "＂",
}
_LATIN_NAME = re.compile(r"[A-Za-z0-9&'+. -]+")
_EMOJI = re.compile(
    "(?:[\U0001f1e6-\U0001f1ff]{2}"  # flags
    "|(?:[\U0001f000-\U0001faff]|[\u2600-\u27bf]\ufe0f|[\u231a\u231b\u23e9-\u23ec\u23f0\u23f3"
    "\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4"
    "\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c"
    "\u274e\u2753-\u2755\u2757\u2764\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55])"
    "\ufe0f?[\U0001f3fb-\U0001f3ff]?(?:\u200d(?:[\U0001f000-\U0001faff]|[\u2600-\u27bf])"
    "\ufe0f?[\U0001f3fb-\U0001f3ff]?)*)"
)
"""Emoji: pictographs, flags, and symbols with emoji presentation, with their modifiers and
zero-width-joined sequences (one family emoji is one token)."""
_EMOJI_CHAR = re.compile("[\U0001f000-\U0001faff\u2300-\u27bf\u2b1b\u2b1c\u2b50\u2b55]")
_SEPARATORS = r"[\s\-_./·・]?"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    start: int
    end: int
    text: str
    key: str


def find_tokens(text: str, *, language: str, other_language: str) -> list[Token]:
    """The tokens in `text` (written in `language`, translated from or into `other_language`),
    in text order."""
    taken = [False] * len(text)
    tokens: list[Token] = []
    latin_here = language in LATIN_SCRIPT
    readers = [reader for reader in _READERS if reader.may_occur(text)]
    if not (latin_here and other_language in LATIN_SCRIPT) and _QUOTE.search(text):
        readers.append(_Reader(Kind.BRAND, _QUOTE, _quoted_names(capitalised_only=latin_here)))
    for kind, _, read in readers:
        for start, end in read(text):
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            tokens.append(Token(kind, start, end, text[start:end], _key(kind, text[start:end])))
    return sorted(tokens, key=lambda token: token.start)


class _Reader(NamedTuple):
    """A kind of token, a quick test for a character it cannot do without, and its reader."""

    kind: Kind
    marker: re.Pattern[str]
    read: Callable[[str], Iterator[tuple[int, int]]]

    def may_occur(self, text: str) -> bool:
        return self.marker.search(text) is not None


def mask(text: str, tokens: Sequence[Token]) -> str:
    """`text` with every token blanked out (same length), so its digits are not numbers."""
    chars = list(text)
    for token in tokens:
        chars[token.start : token.end] = "\x1f" * (token.end - token.start)
    return "".join(chars)


def loose_pattern(text: str) -> re.Pattern[str]:
    """`text`'s letters and digits in order, any case, with optional separators between them,
    not run on into more letters or digits of its ends' kind ("USB3" is in "USB3x1", "A2" is
    not in "A20"): how a code or name may legitimately be re-spaced."""
    chars = [char for char in text if char.isalnum()]
    before = "(?<![0-9])" if chars[0].isdigit() else "(?<![A-Za-z])"
    after = "(?![0-9])" if chars[-1].isdigit() else "(?![A-Za-z])"
    body = _SEPARATORS.join(re.escape(char) for char in chars)
    return re.compile(before + body + after, re.IGNORECASE)


def _spans(pattern: re.Pattern[str]) -> Callable[[str], Iterator[tuple[int, int]]]:
    def read(text: str) -> Iterator[tuple[int, int]]:
        for match in pattern.finditer(text):
            yield match.span()

    return read


def _urls(text: str) -> Iterator[tuple[int, int]]:
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        yield match.start(), match.start() + len(url)


def _codes(text: str) -> Iterator[tuple[int, int]]:
    for match in _CODE.finditer(text):
        code = match.group()
        if not _LETTER_THEN_DIGIT.search(code) or _LABELLED_NUMBER.fullmatch(code):
            continue
        if text.startswith(("%", "％"), match.end()):
            continue  # "MAX60%": a percentage with a label
        yield match.span()


def _quoted_names(*, capitalised_only: bool) -> Callable[[str], Iterator[tuple[int, int]]]:
    """Names in quotes written in Latin letters ("『GORE-TEX』", "“vintage”"); in Latin-script
    text only capitalised ones, since any quoted phrase there is Latin."""

    def read(text: str) -> Iterator[tuple[int, int]]:
        for match in _QUOTED.finditer(text):
            opening, name, closing = match.groups()
            if _CLOSING[opening] != closing or not _LATIN_NAME.fullmatch(name):
                continue
            if len(name.split()) > 4 or sum(c.isalpha() for c in name) < 2:
                continue
            if capitalised_only and not any(c.isupper() for c in name):
                continue
            yield match.start(2), match.end(2)

    return read


def _key(kind: Kind, text: str) -> str:
    if kind is Kind.PLACEHOLDER or kind is Kind.TAG:
        return re.sub(r"\s+", " ", re.sub(r"(?<=[{<])\s+|\s+(?=[}>])", "", text))
    if kind is Kind.EMOJI:
        return text.replace("\ufe0f", "")
    if kind is Kind.URL:
        return text
    if kind is Kind.HASHTAG:
        body = text.strip("#")
        return "#" + body.casefold() if body.isascii() else "#"
    return "".join(char for char in text if char.isalnum()).casefold()


_QUOTE = re.compile('["“「『《〈‘＂]')
_READERS = (
    _Reader(Kind.URL, _URL_MARKER, _urls),
    _Reader(Kind.EMAIL, re.compile("@"), _spans(_EMAIL)),
    _Reader(Kind.TAG, re.compile("<"), _spans(_TAG)),
    _Reader(Kind.PLACEHOLDER, re.compile(r"[#{%\[]"), _spans(_PLACEHOLDER)),
    _Reader(Kind.HANDLE, re.compile("@"), _spans(_HANDLE)),
    _Reader(Kind.HASHTAG, re.compile("#"), _spans(_HASHTAG)),
    _Reader(Kind.CODE, _LETTER_THEN_DIGIT, _codes),
    _Reader(Kind.EMOJI, _EMOJI_CHAR, _spans(_EMOJI)),
)
"""In priority order: an earlier kind's token is not read again as a later kind."""
