"""Cutting a sampled continuation into its first action, per granularity."""

from translator.engines.types import TokenLogprob
from translator.search.actions import action_token_count, thought_token_count, token_offsets
from translator.search.config import Granularity


def _tokens(*pieces: str) -> list[TokenLogprob]:
    return [TokenLogprob(text=piece, logprob=-0.1, top=((piece, -0.1),)) for piece in pieces]


def test_offsets_skip_characters_split_over_tokens() -> None:
    text = "踩屎 ok"
    tokens = _tokens("\ufffd", "\ufffd", "屎", " ok")
    assert token_offsets(text, tokens) == [None, None, 2, 5]


def test_step_ends_at_a_line_or_sentence_after_a_minimum_length() -> None:
    pieces = ["The", " slang", " 太", "炸", " means", " stunning", ".", " Next", " step", "\n"]
    tokens = _tokens(*pieces)
    text = "".join(pieces)
    count = action_token_count(
        tokens, token_offsets(text, tokens), Granularity.STEP, in_thought=True
    )
    assert count == 7


def test_step_never_runs_past_the_closing_thought() -> None:
    pieces = ["ok", "</", "Thought", ">", "\n<Output>", "Hi"]
    tokens = _tokens(*pieces)
    text = "".join(pieces)
    offsets = token_offsets(text, tokens)
    assert action_token_count(tokens, offsets, Granularity.MINI_STEP_32, in_thought=True) == 4
    assert thought_token_count(tokens) == 3


def test_mini_steps_cut_at_their_token_count_but_not_inside_a_character() -> None:
    pieces = ["a"] * 31 + ["\ufffd", "字", "b", "c"]
    tokens = _tokens(*pieces)
    text = "a" * 31 + "字bc"
    offsets = token_offsets(text, tokens)
    assert action_token_count(tokens, offsets, Granularity.MINI_STEP_32, in_thought=True) == 33
    assert action_token_count(tokens, offsets, Granularity.MINI_STEP_64, in_thought=True) == 35


def test_the_answer_is_one_action() -> None:
    tokens = _tokens("Cloud", "-like", "\n", "comfort")
    offsets = token_offsets("Cloud-like\ncomfort", tokens)
    assert action_token_count(tokens, offsets, Granularity.STEP, in_thought=False) == 4
