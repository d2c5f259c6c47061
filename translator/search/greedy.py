"""Greedy answers beside the tree: the direct and cot modes' answers and the direct answer with
example-bank pairs shown, which seed the pool, and the fallback answer when no rollout finished
in time.

No tree node holds them: their candidates sit at the root. Only the direct answer's tokens count
against the tree's token budget; the cot and examples answers are other prompts' own work, and
the fallback comes once the budget is spent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from translator.engines.protocol import Engine
from translator.engines.types import Completion, SamplingParams, Usage
from translator.prompting.answer_forcing import close_thought, force_answers
from translator.prompting.confidence import mean_confidence
from translator.prompting.example_bank import example_bank
from translator.prompting.modes import (
    Segment,
    SinglePassRunner,
    answer_ban,
    answer_token_budget,
    segment_prompt,
)
from translator.prompting.prompts import (
    OUTPUT_CLOSE,
    OUTPUT_OPEN,
    PromptStyle,
    assistant_opening,
    parse_answer,
)
from translator.search.config import SearchConfig
from translator.search.results import Candidate
from translator.search.verifiers import QaVerifier, Verifier, run_verifiers

__all__ = [
    "AnswerFunction",
    "GreedyAnswer",
    "cot_answer",
    "direct_answer",
    "examples_answer",
    "fallback_answer",
]

ROOT = 0
"""The tree's root node, where every greedy candidate sits."""


@dataclass(frozen=True, slots=True)
class GreedyAnswer:
    """A greedy answer's candidate (None when it has no translation) and what it cost."""

    candidate: Candidate | None
    usage: Usage
    tree_tokens: int = 0
    """Generated tokens that count against the tree's budget."""


AnswerFunction = Callable[
    [Engine, Segment, SearchConfig, Sequence[Verifier]], Awaitable[GreedyAnswer]
]


async def direct_answer(
    engine: Engine, segment: Segment, config: SearchConfig, verifiers: Sequence[Verifier]
) -> GreedyAnswer:
    """The direct mode's answer: with it in the pool, the search can only add to it."""
    params = SamplingParams(
        max_new_tokens=answer_token_budget(segment.text, config.max_generated_tokens),
        stop=(OUTPUT_CLOSE,),
        ban=answer_ban(segment, answer_open=True),
    )
    result = await engine.generate([segment_prompt(segment, PromptStyle.ANSWER)], params)
    (completion,) = result.completions
    candidate = _candidate(segment, verifiers, OUTPUT_OPEN, completion, "direct")
    return GreedyAnswer(candidate, result.usage, tree_tokens=len(completion.tokens))


async def cot_answer(
    engine: Engine, segment: Segment, config: SearchConfig, verifiers: Sequence[Verifier]
) -> GreedyAnswer:
    """The cot mode's answer, retried on QA faults when a `QaVerifier` says the search checks
    QA at all."""
    return await _mode_answer(engine, segment, segment, PromptStyle.THINK, config, verifiers)


async def examples_answer(
    engine: Engine, segment: Segment, config: SearchConfig, verifiers: Sequence[Verifier]
) -> GreedyAnswer:
    """The direct mode's answer with the example bank's closest pairs shown as earlier answers,
    retried like the cot answer: a third prompt's reading, which the samples rarely reach. None
    when the language pair has no bank, or when the text already shows a translation memory's
    examples (the direct answer is then that reading)."""
    bank = example_bank(segment.source, segment.target)
    if segment.examples or not len(bank):
        return GreedyAnswer(None, Usage())
    pairs = bank.closest(segment.text, config.examples_candidate, segment.terms)
    shown = replace(segment, examples=pairs)
    return await _mode_answer(engine, segment, shown, PromptStyle.ANSWER, config, verifiers)


async def _mode_answer(
    engine: Engine,
    segment: Segment,
    shown: Segment,
    style: PromptStyle,
    config: SearchConfig,
    verifiers: Sequence[Verifier],
) -> GreedyAnswer:
    """A single-pass mode's answer to the prompt for `shown`, checked against `segment` and
    flagged with its origin (`cot`, or `examples` when the prompt shows examples)."""
    runner = SinglePassRunner(
        style,
        max_new_tokens=config.max_generated_tokens,
        qa_retry=any(isinstance(verifier, QaVerifier) for verifier in verifiers),
    )
    (output,) = await runner.run(engine, [shown])
    if not output.translation:
        return GreedyAnswer(None, output.usage)
    verdict = run_verifiers(verifiers, segment, output.translation)
    candidate = Candidate(
        translation=output.translation,
        reward=output.confidence * verdict.factor,
        confidence=output.confidence,
        flags=(*verdict.flags, "cot" if style is PromptStyle.THINK else "examples"),
        node=ROOT,
        thought=output.thought,
    )
    return GreedyAnswer(candidate, output.usage)


async def fallback_answer(
    engine: Engine, segment: Segment, config: SearchConfig, verifiers: Sequence[Verifier]
) -> GreedyAnswer:
    """No rollout finished in time: answer greedily after an empty thought, so callers get
    text (kept even when empty)."""
    opening = assistant_opening(PromptStyle.THINK)
    closed = close_thought(opening)
    result = await force_answers(
        engine,
        [segment_prompt(segment, PromptStyle.THINK) + closed[len(opening) :]],
        answer_token_budget(segment.text, config.max_generated_tokens),
        ban=answer_ban(segment, answer_open=True),
    )
    (completion,) = result.completions
    return GreedyAnswer(
        _candidate(segment, verifiers, closed, completion, "fallback"), result.usage
    )


def _candidate(
    segment: Segment,
    verifiers: Sequence[Verifier],
    opening: str,
    completion: Completion,
    flag: str,
) -> Candidate | None:
    parsed = parse_answer(opening + completion.text, source=segment.text)
    if not parsed.translation and flag == "direct":
        return None  # the search may still find one; the fallback's empty answer is kept
    verdict = run_verifiers(verifiers, segment, parsed.translation)
    confidence = mean_confidence(completion.tokens)
    return Candidate(
        translation=parsed.translation,
        reward=confidence * verdict.factor,
        confidence=confidence,
        flags=(*verdict.flags, flag),
        node=ROOT,
        thought="",
    )
