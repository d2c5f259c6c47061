"""The service's engine wrapper passes prompt scoring through, so `consensus-source` works there."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.scripted_engine import ScriptedEngine
from translator.engines.errors import EngineUnsupported
from translator.engines.protocol import ContinuationScorer
from translator.engines.types import ScoreRequest
from translator.prompting.modes import Segment
from translator.search.source_scores import source_scores
from translator.translating.info_once import InfoOnce


class ScoringEngine(ScriptedEngine):
    """Scores each continuation by its length, so a longer candidate predicts the source worse."""

    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        return [(-float(len(request.context)),) for request in requests]


async def test_scoring_passes_through_to_an_engine_that_scores() -> None:
    wrapped = InfoOnce(ScoringEngine([]))
    assert isinstance(wrapped, ContinuationScorer)
    scores = await source_scores(wrapped, Segment("好", "zh", "en"), ["Good", "Very good indeed"])
    assert scores is not None and scores["Good"] > scores["Very good indeed"]


async def test_an_engine_that_cannot_score_leaves_the_selection_without_scores() -> None:
    wrapped = InfoOnce(ScriptedEngine([]))
    with pytest.raises(EngineUnsupported):
        await wrapped.score([])
    assert await source_scores(wrapped, Segment("好", "zh", "en"), ["Good"]) is None
