"""Where one action ends inside a sampled continuation, for each granularity."""

from __future__ import annotations

from collections.abc import Sequence

from translator.engines.types import TokenLogprob
from translator.prompting.prompts import THOUGHT_CLOSE
from translator.search.config import Granularity

__all__ = ["MIN_STEP_TOKENS", "action_token_count", "thought_token_count", "token_offsets"]

MIN_STEP_TOKENS = 6
"""A reasoning step is at least this long, so a stray full stop does not make a step."""

_STEP_ENDINGS = (".", "!", "?", "。", "！", "？", ";", "；")
_BROKEN = "\ufffd"


def token_offsets(text: str, tokens: Sequence[TokenLogprob]) -> list[int | None]:
    """Character offset in `text` after each token, or None inside a multi-byte character.

    Engines report each token's text decoded on its own, so a character split over two tokens
    shows up as replacement characters; we only ever cut the text at clean token boundaries.
    """
    offsets: list[int | None] = []
    offset = 0
    pending = False
    for token in tokens:
        piece = token.text
        if _BROKEN in piece:
            pending = True
            offsets.append(None)
            continue
        if pending:
            found = text.find(piece, offset)
            offset = found + len(piece) if found >= 0 else offset
            pending = False
        elif text.startswith(piece, offset):
            offset += len(piece)
        else:
            offset = min(len(text), offset + len(piece))
        offsets.append(min(offset, len(text)))
    return offsets


def action_token_count(
    tokens: Sequence[TokenLogprob],
    offsets: Sequence[int | None],
    granularity: Granularity,
    *,
    in_thought: bool,
) -> int:
    """How many leading tokens of a continuation form the first action.

    Inside the thought an action is one reasoning step (a line or sentence) or a mini-step of
    fixed size; it never runs past the thought's closing tag. Once the thought is closed, the
    answer is one action.
    """
    if not in_thought:
        return len(tokens)
    limit = granularity.token_count or len(tokens)
    written = ""
    for index, token in enumerate(tokens):
        written += token.text
        count = index + 1
        if offsets[index] is None:
            continue
        if THOUGHT_CLOSE in written:
            return count
        if count >= limit:
            return count
        if granularity.token_count is None and count >= MIN_STEP_TOKENS and _ends_step(token.text):
            return count
    return len(tokens)


def _ends_step(piece: str) -> bool:
    return "\n" in piece or piece.rstrip().endswith(_STEP_ENDINGS)


def thought_token_count(tokens: Sequence[TokenLogprob]) -> int:
    """Tokens before the thought's closing tag (all of them if the thought never closed)."""
    written = ""
    for index, token in enumerate(tokens):
        written += token.text
        if THOUGHT_CLOSE in written:
            return index
    return len(tokens)
