"""The example bank: its files load, and a text gets its closest pairs."""

from __future__ import annotations

from glossary.selection import GlossarySelection
from translator.prompting.example_bank import BankPair, ExampleBank, example_bank
from translator.text.scripts import script_characters
from translator.translating.translation import find_terms, plan_segments

BANK = ExampleBank(
    [
        BankPair("物流很快，包装完好。", "Fast shipping, and it arrived well packed."),
        BankPair("这双鞋踩屎感很强。", "These shoes have cloud-like cushioning."),
        BankPair("口红颜色很正。", "The lipstick's color is true to the photos."),
    ]
)


def test_every_bank_file_loads_with_translations_in_the_target_script() -> None:
    for source in ("zh", "ja"):
        bank = example_bank(source, "en")
        assert len(bank) >= 15
        for text, translation in bank.closest("好", len(bank)):
            assert text and translation
            assert not script_characters(translation, ["han", "kana"])


def test_a_pair_without_a_bank_gets_no_examples() -> None:
    assert example_bank("de", "fr").closest("Tolle Schuhe", 3) == ()


def test_the_closest_pairs_come_first_and_the_count_is_kept() -> None:
    shown = BANK.closest("这双拖鞋踩屎感超强", 2)
    assert [source for source, _ in shown] == ["这双鞋踩屎感很强。", "物流很快，包装完好。"]
    assert BANK.closest("这双拖鞋踩屎感超强", 0) == ()


def test_a_shared_glossary_term_outranks_shared_characters() -> None:
    text = "颜色很正，踩屎感"
    (plan,) = find_terms(
        plan_segments([text], source="zh", target="en", max_text_chars=100), GlossarySelection()
    )
    assert "踩屎感" in {match.surface for match in plan.segment.terms}
    (closest,) = BANK.closest(text, 1, plan.segment.terms)
    assert closest[0] == "这双鞋踩屎感很强。"
    (by_characters,) = BANK.closest(text, 1)
    assert by_characters[0] == "口红颜色很正。"


def test_the_text_itself_is_never_its_own_example() -> None:
    shown = BANK.closest("物流很快， 包装完好。", 3)
    assert "物流很快，包装完好。" not in [source for source, _ in shown]
    assert len(shown) == 2
