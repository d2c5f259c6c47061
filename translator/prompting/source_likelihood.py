"""How well a translation predicts its source: the model reads the translation and is asked to
translate it back, and the source's own tokens are scored after that request.

A candidate that dropped, invented or garbled something leaves the source less predictable, so
the length-normalised log p(source | candidate) ranks a segment's candidates by adequacy, which
the candidates' agreement (consensus) alone misses (bench/README.md, "The search's pool").
The request is the bare user turn, with no system prompt, to keep each read short.
"""

from __future__ import annotations

from translator.engines.types import ScoreRequest
from translator.prompting.modes import Segment
from translator.text.languages import language_name

__all__ = ["source_likelihood_request"]


def source_likelihood_request(segment: Segment, translation: str) -> ScoreRequest:
    """Score `segment`'s source text after a request to translate `translation` back into it."""
    context = (
        f"<|im_start|>user\nTranslate into {language_name(segment.source)}:\n{translation}"
        "<|im_end|>\n<|im_start|>assistant\n"
    )
    return ScoreRequest(context=context, continuation=segment.text)
