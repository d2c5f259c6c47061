"""Regional variants: which tags ask for one, the prompt's rule, and the spelling post-check."""

from __future__ import annotations

import pytest

from translator.prompting.prompts import PromptStyle, build_prompt
from translator.text.languages import target_variant
from translator.text.variants import apply_variant, variant_rule


@pytest.mark.parametrize(
    ("tag", "variant"),
    [
        ("EN-GB", "en-GB"),
        ("en_uk", "en-GB"),
        ("en-US", "en-US"),
        ("PT-BR", "pt-BR"),
        ("pt-PT", "pt-PT"),
        ("EN", None),
        ("en-AU", None),
        ("de-DE", None),
        ("zh-Hant-TW", None),
    ],
)
def test_target_tags_name_the_variants_we_tell_apart(tag: str, variant: str | None) -> None:
    assert target_variant(tag) == variant


def test_spelling_follows_the_variant_as_whole_words_in_their_case() -> None:
    american = "Color: Gray. My favorite COLORS, traveling light; discolored? a gas meter"
    british = apply_variant(american, "en-GB")
    assert (
        british == "Colour: Grey. My favourite COLOURS, travelling light; discolored? a gas meter"
    )
    assert apply_variant(british, "en-US") == american
    assert apply_variant(american, None) == american
    brazilian = "Produto econômico, bom para bebês. Contato pelo registro."
    portuguese = "Produto económico, bom para bebés. Contacto pelo registo."
    assert apply_variant(brazilian, "pt-PT") == portuguese
    assert apply_variant(portuguese, "pt-BR") == brazilian


def test_the_prompt_names_the_variants_spelling_and_words() -> None:
    plain = build_prompt("运动鞋", source="zh", target="en", style=PromptStyle.ANSWER)
    british = build_prompt(
        "运动鞋", source="zh", target="en", style=PromptStyle.ANSWER, variant="en-GB"
    )
    assert "British" not in plain and "American" not in plain
    assert variant_rule("en-GB") in british and "trainers" in british
    assert "sneakers" in variant_rule("en-US") and "telemóvel" in variant_rule("pt-PT")
    assert variant_rule(None) == variant_rule("en-AU") == ""
