"""Which vocabulary tokens would write a banned script: a mask to apply to answer logits.

Byte-level vocabularies split a CJK character over several tokens, so a token is banned when it
holds a whole banned character, or when it ends in the first bytes of a character that can only
(or may) turn out banned. Tokens that only continue a character begun earlier stay allowed:
the token that began it decided already.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from translator.text.scripts import script_ranges

__all__ = ["banned_token_mask", "writes_banned"]

_Ranges = tuple[tuple[int, int], ...]


def banned_token_mask(pieces: Sequence[bytes], scripts: Sequence[str]) -> npt.NDArray[np.bool_]:
    """True for every token (by id) whose bytes could write a character of `scripts`."""
    ranges = script_ranges(scripts)
    return np.fromiter((writes_banned(piece, ranges) for piece in pieces), bool, len(pieces))


def writes_banned(piece: bytes, ranges: _Ranges) -> bool:
    """Whether `piece` holds, or begins, a character inside `ranges`."""
    i = 0
    while i < len(piece) and 0x80 <= piece[i] < 0xC0:
        i += 1  # continues a character an earlier token began
    while i < len(piece):
        length = _sequence_length(piece[i])
        if length == 0:  # a stray continuation byte or an invalid lead
            i += 1
            continue
        chunk = piece[i : i + length]
        low, high = _possible_code_points(chunk, length)
        if any(low <= r_high and r_low <= high for r_low, r_high in ranges):
            return True
        i += length
    return False


def _sequence_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead < 0xE0:
        return 2
    if 0xE0 <= lead < 0xF0:
        return 3
    if 0xF0 <= lead < 0xF5:
        return 4
    return 0


def _possible_code_points(chunk: bytes, length: int) -> tuple[int, int]:
    """The code points a UTF-8 sequence can stand for: one if whole, an interval if cut short."""
    lead_bits = {1: 0x7F, 2: 0x1F, 3: 0x0F, 4: 0x07}[length]
    value = chunk[0] & lead_bits
    for byte in chunk[1:]:
        value = (value << 6) | (byte & 0x3F)
    missing = length - len(chunk)
    return value << (6 * missing), ((value + 1) << (6 * missing)) - 1
