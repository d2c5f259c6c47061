"""The source likelihood of each candidate, for the `consensus-source` selection.

One engine call reads every distinct candidate's back-translation request followed by the source
(`translator.prompting.source_likelihood`) and averages the source tokens' logprobs. An engine
that cannot report prompt logprobs yields no scores, and the selection falls back to consensus.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from translator.engines.errors import EngineUnsupported
from translator.engines.protocol import ContinuationScorer, Engine
from translator.prompting.modes import Segment
from translator.prompting.source_likelihood import source_likelihood_request

__all__ = ["source_scores"]

_log = logging.getLogger(__name__)


async def source_scores(
    engine: Engine, segment: Segment, translations: Sequence[str]
) -> dict[str, float] | None:
    """Mean log p(source | translation) per distinct translation; None when the engine can't."""
    distinct = list(dict.fromkeys(translations))
    if not isinstance(engine, ContinuationScorer) or not distinct:
        return None
    try:
        scored = await engine.score([source_likelihood_request(segment, t) for t in distinct])
    except EngineUnsupported as error:
        _log.info("choosing without source scores: %s", error)
        return None
    return {
        translation: sum(logprobs) / len(logprobs) if logprobs else float("-inf")
        for translation, logprobs in zip(distinct, scored, strict=True)
    }
