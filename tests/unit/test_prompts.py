import pytest

from translator.prompts import PromptStyle, build_prompt, parse_answer


@pytest.mark.parametrize(
    "text", ["这件衣服太炸了", "  Mixed CASE\ttext\n第二行 😍  ", "<Output>x</Output>"]
)
def test_prompt_keeps_source_verbatim_and_names_languages(text: str) -> None:
    prompt = build_prompt(text, source="zh", target="en", style=PromptStyle.ANSWER)
    assert f"text:\n{text}<|im_end|>" in prompt
    assert "Chinese (Simplified)" in prompt
    assert "into English" in prompt
    assert prompt.endswith("<|im_start|>assistant\n<Output>")


def test_think_style_opens_a_thought() -> None:
    prompt = build_prompt("好", source="zh", target="ja", style=PromptStyle.THINK)
    assert prompt.endswith("<|im_start|>assistant\n<Thought>\n")
    assert "into Japanese" in prompt


@pytest.mark.parametrize(
    ("answer", "translation", "thought"),
    [
        ("<Thought>\nslang check</Thought>\n<Output>So cool</Output>", "So cool", "slang check"),
        ("<Output>So cool", "So cool", ""),
        ("<Output>So cool</Output>\nextra chatter", "So cool", ""),
        ("<Thought>\nreasoning</Thought>\nSo cool", "So cool", "reasoning"),
        ("<Output><Thought>oops</Thought>So cool</Output>", "So cool", ""),
        ('<Output>"So cool"</Output>', "So cool", ""),
        ("<Output>“So cool”</Output>", "So cool", ""),
        ("<Output>Translation: So cool</Output>", "So cool", ""),
        ("<Output>English translation: So cool</Output>", "So cool", ""),
        ("<Output>So cool<|im_end|>", "So cool", ""),
        ("<Thought>a</Thought><Output>draft</Output><Output>final</Output>", "final", "a\ndraft"),
    ],
)
def test_parse_answer_tolerates_model_quirks(answer: str, translation: str, thought: str) -> None:
    parsed = parse_answer(answer, source="太酷了")
    assert parsed.translation == translation
    assert parsed.thought == thought
    assert parsed.answered


def test_unfinished_thought_is_not_an_answer() -> None:
    parsed = parse_answer("<Thought>\nStill thinking about 太炸了 and", source="太炸了")
    assert parsed.translation == ""
    assert not parsed.answered
    assert parsed.thought.startswith("Still thinking")


def test_quotes_kept_when_source_is_quoted() -> None:
    parsed = parse_answer('<Output>"Buy it"</Output>', source="“买它”")
    assert parsed.translation == '"Buy it"'
