"""HTML text runs: only text between tags is translated; every other byte comes back as is."""

from __future__ import annotations

import pytest

from translator.text.html_text import parse_html


def _upper(markup: str) -> tuple[list[str], str]:
    template = parse_html(markup)
    return template.texts, template.fill([text.upper() for text in template.texts])


def test_tags_attributes_comments_and_doctype_are_kept_verbatim() -> None:
    markup = (
        "<!DOCTYPE html>\n<p class='a b' data-x=\"1 &amp; 2\" hidden>good &amp; cheap</p>"
        "<!-- keep me --><img src=x.png alt='photo'/><br>"
    )
    texts, filled = _upper(markup)
    assert texts == ["good & cheap"]
    assert filled == markup.replace("good &amp; cheap", "GOOD &amp; CHEAP")


def test_outer_whitespace_stays_and_translations_are_escaped() -> None:
    template = parse_html("<li>\n   nice shoes  \n</li>")
    assert template.texts == ["nice shoes"]
    assert (
        template.fill(["<b>fake</b> & co"]) == "<li>\n   &lt;b&gt;fake&lt;/b&gt; &amp; co  \n</li>"
    )


@pytest.mark.parametrize(
    "markup",
    [
        "<script>var a = '中文';</script>",
        "<style>p::after { content: '中文'; }</style>",
        "<textarea>中文</textarea>",
        "<code>print('中文')</code>",
        '<span translate="no">品牌 <b>名</b></span>',
        '<div class="x notranslate"><p>品牌</p></div>',
        "<p>¥99 · 12/24 😀</p>",
    ],
)
def test_code_marked_and_letterless_text_is_left_alone(markup: str) -> None:
    texts, filled = _upper(markup)
    assert texts == []
    assert filled == markup


def test_nested_skipped_elements_end_at_their_own_closing_tag() -> None:
    texts, _ = _upper('<div translate="no"><div>不翻</div>还是不翻</div><p>翻译我</p>')
    assert texts == ["翻译我"]


def test_text_split_by_a_stray_angle_bracket_is_one_run() -> None:
    texts, filled = _upper("<p>a < b and c</p>")
    assert texts == ["a < b and c"]
    assert filled == "<p>A &lt; B AND C</p>"


def test_plain_text_and_broken_markup_survive() -> None:
    assert _upper("just text") == (["just text"], "JUST TEXT")
    texts, filled = _upper("<p>unclosed <b>bold")
    assert texts == ["unclosed", "bold"]
    assert filled == "<p>UNCLOSED <b>BOLD"


def test_fill_needs_one_translation_per_run() -> None:
    with pytest.raises(ValueError, match="1 translations for 2 text runs"):
        parse_html("<p>one</p><p>two</p>").fill(["only one"])
