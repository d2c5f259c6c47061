import math

import pytest

from translator.engines.types import TokenLogprob
from translator.prompting.confidence import mean_confidence, token_confidence


def test_confidence_is_share_of_top5_mass() -> None:
    top = (("a", math.log(0.5)), ("b", math.log(0.2)), ("c", math.log(0.1)))
    token = TokenLogprob(text="a", logprob=math.log(0.5), top=top)
    assert token_confidence(token) == pytest.approx(0.5 / 0.8)


def test_token_outside_top5_joins_the_denominator() -> None:
    top = tuple((str(i), math.log(0.15)) for i in range(5))
    token = TokenLogprob(text="rare", logprob=math.log(0.05), top=top)
    assert token_confidence(token) == pytest.approx(0.05 / 0.8)


def test_certain_token_scores_one_and_mean_of_nothing_is_zero() -> None:
    token = TokenLogprob(text="a", logprob=0.0, top=(("a", 0.0),))
    assert token_confidence(token) == 1.0
    assert mean_confidence([]) == 0.0
    assert mean_confidence([token, token]) == 1.0
