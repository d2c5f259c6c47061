import pytest

from glossary.entries import Entry
from glossary.matcher import TermMatcher
from translator.prompting.prompts import MAX_TERM_NOTES, PromptStyle, build_prompt, parse_answer


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


def test_glossary_terms_become_sentences_after_the_source() -> None:
    entry = Entry(
        forms=("踩屎感",),
        preferred=("cloud-like cushioning", "pillowy cushioning"),
        meaning="very soft, springy cushioning",
    )
    text = "这双鞋踩屎感十足"
    terms = TermMatcher([[entry]]).find(text)
    prompt = build_prompt(text, source="zh", target="en", style=PromptStyle.ANSWER, terms=terms)
    notes = prompt.split(f"text:\n{text}\n\n", 1)[1].split("<|im_end|>", 1)[0]
    assert notes.startswith('In this text, 踩屎感 means "cloud-like cushioning".\n')
    assert "pillowy" not in notes and "springy" not in notes  # only the first rendering
    assert notes.endswith("Now translate the whole Chinese (Simplified) text above.")


def test_prompt_without_terms_is_the_plain_prompt() -> None:
    plain = build_prompt("你好", source="zh", target="en", style=PromptStyle.ANSWER)
    assert "In this text" not in plain
    assert plain == build_prompt(
        "你好", source="zh", target="en", style=PromptStyle.ANSWER, terms=()
    )


def test_notes_are_capped() -> None:
    entries = [Entry(forms=(f"词{i}",), preferred=(f"word{i}",)) for i in range(20)]
    text = "".join(f"词{i}，" for i in range(20))
    terms = TermMatcher([entries]).find(text)
    prompt = build_prompt(text, source="zh", target="en", style=PromptStyle.ANSWER, terms=terms)
    assert prompt.count("\nIn this text, 词") == MAX_TERM_NOTES


@pytest.mark.parametrize(
    ("source", "target", "system"),
    [("zh", "en", "Hanyu Pinyin"), ("ja", "de", "Hepburn romanization"), ("ko", "fr", "Revised")],
)
def test_names_are_romanized_into_latin_script_languages(
    source: str, target: str, system: str
) -> None:
    prompt = build_prompt("池本刷子工業", source=source, target=target, style=PromptStyle.ANSWER)
    assert "Write names of people, shops and brands" in prompt and system in prompt


@pytest.mark.parametrize(("source", "target"), [("zh", "ja"), ("en", "de"), ("ja", "zh")])
def test_no_romanization_rule_where_names_keep_their_script(source: str, target: str) -> None:
    prompt = build_prompt("池本", source=source, target=target, style=PromptStyle.ANSWER)
    assert "Write names of people" not in prompt


def test_a_retry_prompt_names_what_to_keep_after_the_text() -> None:
    prompt = build_prompt(
        "#P1#2,180円", source="ja", target="en", style=PromptStyle.ANSWER, keep=["#P1#", "2,180"]
    )
    text_at = prompt.index("#P1#2,180円")
    note_at = prompt.index("must keep these from the Japanese text")
    assert text_at < note_at and prompt[note_at:].split("<|im_end|>")[0].endswith("#P1#, 2,180")
    assert build_prompt("x", source="ja", target="en", style=PromptStyle.ANSWER, keep=[]) == (
        build_prompt("x", source="ja", target="en", style=PromptStyle.ANSWER)
    )


def test_context_follows_the_text_as_background_not_to_translate() -> None:
    plain = build_prompt("它很软", source="zh", target="en", style=PromptStyle.ANSWER)
    with_context = build_prompt(
        "它很软", source="zh", target="en", style=PromptStyle.ANSWER, context=" 这双拖鞋 \n"
    )
    blank = build_prompt("它很软", source="zh", target="en", style=PromptStyle.ANSWER, context=" ")
    assert blank == plain
    note = (
        "\n\nContext (the Chinese (Simplified) text around it, only to understand it; do not "
        "translate the context):\n这双拖鞋\n\n"
        "Now translate only the Chinese (Simplified) text above, not the context."
    )
    text = "Chinese (Simplified) text:\n它很软"
    assert with_context == plain.replace(text, text + note)


def test_a_required_rendering_comes_before_the_reminder_that_ends_the_request() -> None:
    entry = Entry(forms=("踩屎感",), preferred=("cloud-like cushioning",))
    text = "这双鞋踩屎感十足"
    terms = TermMatcher([[entry]]).find(text)
    prompt = build_prompt(
        text, source="zh", target="en", style=PromptStyle.ANSWER, terms=terms, require=terms
    )
    request = prompt.split(f"text:\n{text}\n\n", 1)[1].split("<|im_end|>", 1)[0]
    assert request == (
        'In this text, 踩屎感 means "cloud-like cushioning".\n\n'
        "The English translation must render 踩屎感 as cloud-like cushioning.\n\n"
        "Now translate the whole Chinese (Simplified) text above."
    )
