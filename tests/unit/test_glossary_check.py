"""Checking renderings of matched terms, and how the search's verifier uses the result."""

from __future__ import annotations

import pytest

from glossary.check import Rendering, check_rendering, check_terms
from glossary.entries import Entry
from glossary.matcher import TermMatcher
from translator.prompting.modes import Segment
from translator.search.verifiers import DEFAULT_VERIFIERS, GlossaryVerifier, run_verifiers

CUSHION = Entry(
    forms=("踩屎感",),
    preferred=("cloud-like cushioning",),
    acceptable=("cushy", "pillowy soft"),
)
DEAR = Entry(forms=("亲",), preferred=("dear customer",), may_omit=True)
REBUY = Entry(forms=("回购",), preferred=("bought again",))


@pytest.mark.parametrize(
    ("translation", "status", "found"),
    [
        ("Cloud-like cushioning, love it", Rendering.PREFERRED, "cloud-like cushioning"),
        ("The cushioning feels like clouds", Rendering.PREFERRED, "cloud-like cushioning"),
        ("So CUSHY!", Rendering.ACCEPTABLE, "cushy"),
        ("Pillowy and soft", Rendering.ACCEPTABLE, "pillowy soft"),
        ("Feels like stepping on poop", Rendering.MISSED, None),
        ("", Rendering.MISSED, None),
    ],
)
def test_renderings_are_found_by_stems_in_any_order(
    translation: str, status: Rendering, found: str | None
) -> None:
    result = check_rendering(CUSHION, translation, "en-US")
    assert (result.status, result.found) == (status, found)


def test_inflections_count() -> None:
    assert check_rendering(REBUY, "I buy it again and again", "en").status is Rendering.PREFERRED


def test_droppable_terms_are_omitted_not_missed() -> None:
    assert check_rendering(DEAR, "Ships tomorrow", "en").status is Rendering.OMITTED
    assert not check_rendering(DEAR, "Ships tomorrow", "en").missed


def test_targets_without_a_stemmer_use_folded_substrings() -> None:
    entry = Entry(forms=("cushy",), preferred=("軟綿綿",))
    assert check_rendering(entry, "鞋子软绵绵的", "zh").status is Rendering.PREFERRED
    assert check_rendering(entry, "鞋子很硬", "zh").status is Rendering.MISSED


def test_check_terms_reports_every_match_with_offsets() -> None:
    text = "踩屎感，回购了"
    matches = tuple(TermMatcher([[CUSHION, REBUY]]).find(text))
    checks = check_terms(matches, "Cushy, and I bought it again", "en")
    assert [(c.match.surface, c.result.status) for c in checks] == [
        ("踩屎感", Rendering.ACCEPTABLE),
        ("回购", Rendering.PREFERRED),
    ]
    assert checks[0].as_dict()["start"] == 0 and checks[1].as_dict()["end"] == 6


def _segment(text: str) -> Segment:
    terms = tuple(TermMatcher([[CUSHION, REBUY]]).find(text))
    return Segment(text, "zh", "en", terms)


def test_verifier_scales_the_reward_by_the_share_missed() -> None:
    segment = _segment("踩屎感，回购了")
    verifier = GlossaryVerifier()
    assert verifier.check(segment, "Cushy and bought again") is None
    half = verifier.check(segment, "Cushy, I will buy more")
    assert half is not None and half.flag == "glossary-miss"
    assert half.factor == pytest.approx(0.8)
    assert half.detail == "回购"
    none = verifier.check(segment, "Stepping on poop")
    assert none is not None and none.factor == pytest.approx(0.6)


def test_default_verifiers_include_the_glossary_check() -> None:
    verdict = run_verifiers(DEFAULT_VERIFIERS, _segment("踩屎感"), "Feels like poop")
    assert "glossary-miss" in verdict.flags
    assert run_verifiers(DEFAULT_VERIFIERS, Segment("踩屎感", "zh", "en"), "poop").flags == ()
