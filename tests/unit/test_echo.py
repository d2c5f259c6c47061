"""Spotting an answer that repeats the prompt's rules (`translator.text.echo`)."""

from translator.prompting.prompts import TERM_NOTE, echoed_term_notes, instructions
from translator.prompting.segment import Segment, prompt_echo
from translator.text.echo import echoed_runs

RULES = instructions("zh", "en")
ECHO = (
    "Great shoes. Slang and platform jargon are rendered by their meaning, the way a native "
    "English-speaking shopper would say it, not word for word."
)


def test_an_answer_that_goes_on_with_the_rules_is_an_echo() -> None:
    runs = echoed_runs(ECHO, RULES, "鞋子很好。")
    assert "a native english-speaking shopper would" in runs
    assert len(runs) >= 2


def test_one_shared_run_is_chance_not_an_echo() -> None:
    answer = "Say it the way a native speaker does."  # five words in a row, once
    assert echoed_runs(answer, "Write it in the way a native speaker would.", "x") == []
    assert echoed_runs("Great shoes, comfortable and light.", RULES, "鞋子很好。") == []


def test_runs_the_source_itself_has_are_not_an_echo() -> None:
    source = "Render slang, idioms and platform jargon by their meaning, the way a native speaker"
    assert echoed_runs(source, RULES, source) == []


def test_a_segment_checks_its_answer_against_the_rules_and_its_own_text() -> None:
    assert prompt_echo(Segment("鞋子很好。", "zh", "en"), ECHO)
    assert not prompt_echo(Segment(ECHO, "en", "de"), ECHO)  # the text said it first


def test_an_answer_that_repeats_a_glossary_note_is_an_echo() -> None:
    segment = Segment("面条口感很好。", "zh", "en")
    leaked = 'The noodles feel great. In this text, "texture" means "feel".'
    assert prompt_echo(segment, leaked) == ('In this text, "texture" means "',)
    note = TERM_NOTE.format(term="口感", rendering="texture")
    assert echoed_term_notes(f"Great noodles. {note}", "面条口感很好。")
    assert not prompt_echo(segment, "The noodles have a great texture; this text means well.")


def test_a_source_with_such_a_sentence_may_keep_it() -> None:
    source = 'In this text, "SKU" means "stock keeping unit".'
    assert echoed_term_notes('In this text, "SKU" means "Artikelnummer".', source) == []
