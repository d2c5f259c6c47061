"""Translation modes: how a batch of segments becomes translations through an engine.

Each mode is a `ModeRunner`; the service looks runners up by `Mode`, so the search mode plugs in
as one more entry without touching callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

from glossary.matcher import TermMatch
from translator.engines.protocol import Engine
from translator.engines.types import Completion, SamplingParams, ScriptBan, Usage
from translator.prompting.answer_forcing import close_thought, force_answers
from translator.prompting.confidence import mean_confidence
from translator.prompting.prompts import (
    OUTPUT_CLOSE,
    OUTPUT_OPEN,
    PromptStyle,
    assistant_opening,
    build_prompt,
    parse_answer,
)
from translator.text.agreement import most_agreed
from translator.text.qa import (
    Kind,
    QaFinding,
    check_translation,
    count_errors,
    restore_list_marker,
)
from translator.text.scripts import foreign_scripts

__all__ = [
    "Alternative",
    "Mode",
    "ModeOutput",
    "ModeRunner",
    "Segment",
    "SinglePassRunner",
    "answer_ban",
    "answer_token_budget",
    "completion_usage",
    "qa_findings",
    "segment_prompt",
]

ANSWER_TOKENS_BASE = 48
ANSWER_TOKENS_PER_CHAR = 3
THOUGHT_TOKENS = 384
RETRY_SAMPLES = 4
"""Sampled answers for a segment whose greedy retry still lost something (0: none)."""
RETRY_TEMPERATURE = 0.7
RETRY_SEED = 0
"""Fixed, so a retried segment gets the same answer on every run (and cache entry)."""


@dataclass(frozen=True, slots=True)
class Draw:
    """How many answers to draw per prompt, and how."""

    n: int
    temperature: float
    seed: int | None = None


GREEDY = Draw(1, 0.0)


class Mode(StrEnum):
    """How hard to think: `direct` answers at once, `cot` reasons first, `mcts` searches."""

    DIRECT = "direct"
    COT = "cot"
    MCTS = "mcts"


@dataclass(frozen=True, slots=True)
class Segment:
    """One text to translate, with resolved language codes."""

    text: str
    source: str
    target: str
    terms: tuple[TermMatch, ...] = ()
    """Glossary terms found in the text, in text order."""
    examples: tuple[tuple[str, str], ...] = ()
    """Approved (source, translation) pairs of similar texts from a translation memory,
    closest first: the prompt shows them as earlier answers."""
    context: str = ""
    """Text from around this one (DeepL's `context`): told to the model, never translated."""
    variant: str | None = None
    """The target's regional variant (`en-GB`, `pt-BR`), when the caller asked for one."""


def segment_prompt(segment: Segment, style: PromptStyle, keep: Sequence[str] = ()) -> str:
    """The model prompt for a segment, with its glossary notes (and, for a retry, the source
    tokens an earlier answer lost)."""
    return build_prompt(
        segment.text,
        source=segment.source,
        target=segment.target,
        style=style,
        terms=segment.terms,
        examples=segment.examples,
        keep=keep,
        context=segment.context,
        variant=segment.variant,
    )


def qa_findings(segment: Segment, translation: str) -> tuple[QaFinding, ...]:
    """The localization QA findings for a translation of `segment` (see `translator.text.qa`)."""
    return check_translation(
        segment.text, translation, source_language=segment.source, target_language=segment.target
    )


def answer_ban(segment: Segment, *, answer_open: bool) -> ScriptBan | None:
    """The source scripts the target does not write, kept out of the answer while it is decoded.

    `answer_open` says the prompt already ends inside the answer (direct style, forced answers);
    otherwise the ban starts once the model opens its `<Output>`.
    """
    scripts = foreign_scripts(segment.source, segment.target)
    if not scripts:
        return None
    return ScriptBan(scripts, after=None if answer_open else OUTPUT_OPEN)


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another translation a mode considered, with its score (higher is better, 0 to 1)."""

    translation: str
    score: float


@dataclass(frozen=True, slots=True)
class ModeOutput:
    """A mode's answer for one segment; a search adds its n-best list and its trace."""

    translation: str
    thought: str
    confidence: float
    usage: Usage
    alternatives: tuple[Alternative, ...] = ()
    trace: dict[str, Any] | None = None


class ModeRunner(Protocol):
    """Turns segments into translations using an engine."""

    async def run(self, engine: Engine, segments: Sequence[Segment]) -> list[ModeOutput]: ...


def answer_token_budget(text: str, cap: int) -> int:
    """Tokens allowed for the translation itself: generous for CJK to Latin expansion."""
    return min(cap, ANSWER_TOKENS_BASE + ANSWER_TOKENS_PER_CHAR * len(text))


class SinglePassRunner:
    """One greedy generation per segment, all segments in one engine call so servers batch them.

    With `PromptStyle.THINK`, a segment whose thought ran out of tokens before any output gets a
    second, short call that closes the thought and forces the answer, reusing the cached prefix.

    With `qa_retry` (the default), a segment whose answer lost a placeholder, number, code or
    other token the QA checks look for is translated once more, its prompt naming what was
    lost (and, in `direct`, its answer starting with a lost token the source starts with);
    whichever answer has fewer findings (errors first) is kept. Cost: one more call for those
    segments only. A greedy retry often repeats the first answer's mistake, so a segment whose
    answers still carry an error gets `retry_samples` sampled answers to the same prompt (one
    engine call, siblings of one prompt); the answer with the fewest findings wins, ties going
    to the one that agrees most with the others (`most_agreed`), so a lucky but garbled sample
    does not.
    """

    def __init__(
        self,
        style: PromptStyle,
        *,
        max_new_tokens: int,
        qa_retry: bool = True,
        retry_samples: int = RETRY_SAMPLES,
    ) -> None:
        self._style = style
        self._max_new_tokens = max_new_tokens
        self._qa_retry = qa_retry
        self._retry_samples = retry_samples

    async def run(self, engine: Engine, segments: Sequence[Segment]) -> list[ModeOutput]:
        prompts = [segment_prompt(segment, self._style) for segment in segments]
        outputs = await self._generate(engine, segments, prompts)
        return await self.retry(engine, segments, outputs) if self._qa_retry else outputs

    async def retry(
        self, engine: Engine, segments: Sequence[Segment], outputs: Sequence[ModeOutput]
    ) -> list[ModeOutput]:
        """`outputs` with the answers that lost source tokens retried once (see the class)."""
        findings = [_unmendable(s, o) for s, o in zip(segments, outputs, strict=True)]
        lost = [[f.source for f in found if f.source is not None] for found in findings]
        failed = [i for i, tokens in enumerate(lost) if tokens]
        kept = list(outputs)
        if not failed:
            return kept
        prefills = [
            _leading_token(segments[i], findings[i]) if self._style is PromptStyle.ANSWER else ""
            for i in failed
        ]
        prompts = [
            segment_prompt(segments[i], self._style, keep=lost[i]) + prefill
            for i, prefill in zip(failed, prefills, strict=True)
        ]
        retried = [segments[i] for i in failed]
        retries = await self._generate(engine, retried, prompts, prefills)
        answers = {i: [outputs[i], second] for i, second in zip(failed, retries, strict=True)}
        costs = {i: tried[0].usage + tried[1].usage for i, tried in answers.items()}
        still = [
            n for n, i in enumerate(failed) if min(_error_count(segments[i], a) for a in answers[i])
        ]
        if still and self._retry_samples:
            draw = Draw(self._retry_samples, RETRY_TEMPERATURE, seed=RETRY_SEED)
            sampled = await self._generate(
                engine,
                [retried[n] for n in still],
                [prompts[n] for n in still],
                [prefills[n] for n in still],
                draw,
            )
            for k, n in enumerate(still):
                siblings = sampled[k * draw.n : (k + 1) * draw.n]
                answers[failed[n]] += siblings
                costs[failed[n]] += _siblings_usage(siblings)
        for i, tried in answers.items():
            kept[i] = replace(_fewest_findings(segments[i], tried), usage=costs[i])
        return kept

    async def _generate(
        self,
        engine: Engine,
        segments: Sequence[Segment],
        prompts: Sequence[str],
        prefills: Sequence[str] | None = None,
        draw: Draw = GREEDY,
    ) -> list[ModeOutput]:
        """`draw.n` answers per prompt, prompt by prompt; `prefills`: answer text each prompt
        already ends with.

        One call per group of segments that share their answer ban (usually all of them).
        """
        prefills = prefills or [""] * len(prompts)
        answer_open = self._style is PromptStyle.ANSWER
        groups: dict[ScriptBan | None, list[int]] = {}
        for i, segment in enumerate(segments):
            groups.setdefault(answer_ban(segment, answer_open=answer_open), []).append(i)
        outputs: dict[int, list[ModeOutput]] = {}
        for ban, indices in groups.items():
            answered = await self._generate_group(
                engine,
                [segments[i] for i in indices],
                [prompts[i] for i in indices],
                [prefills[i] for i in indices],
                ban,
                draw,
            )
            for k, i in enumerate(indices):
                outputs[i] = answered[k * draw.n : (k + 1) * draw.n]
        return [output for i in range(len(segments)) for output in outputs[i]]

    async def _generate_group(
        self,
        engine: Engine,
        segments: Sequence[Segment],
        prompts: Sequence[str],
        prefills: Sequence[str],
        ban: ScriptBan | None,
        draw: Draw,
    ) -> list[ModeOutput]:
        opening = assistant_opening(self._style)
        thinking = THOUGHT_TOKENS if self._style is PromptStyle.THINK else 0
        cap = max(answer_token_budget(s.text, self._max_new_tokens) for s in segments)
        params = SamplingParams(
            max_new_tokens=min(self._max_new_tokens, cap + thinking),
            stop=(OUTPUT_CLOSE,),
            ban=ban,
            n=draw.n,
            temperature=draw.temperature,
            seed=draw.seed,
        )
        result = await engine.generate(prompts, params)
        # One entry per completion from here on: a prompt's `draw.n` samples sit side by side.
        of = [completion.prompt_index for completion in result.completions]
        segments = [segments[p] for p in of]
        prompts = [prompts[p] for p in of]
        answers = [
            opening + prefills[p] + completion.text
            for p, completion in zip(of, result.completions, strict=True)
        ]
        tokens = [list(completion.tokens) for completion in result.completions]
        usages = [completion_usage(c, result.usage.wall_seconds) for c in result.completions]

        unanswered = [
            i
            for i, (answer, segment) in enumerate(zip(answers, segments, strict=True))
            if not parse_answer(answer, source=segment.text).answered
        ]
        if unanswered and self._style is PromptStyle.THINK:
            for i in unanswered:
                answers[i] = close_thought(answers[i])
            forced = await force_answers(
                engine,
                [prompts[i] + answers[i][len(opening) :] for i in unanswered],
                max(answer_token_budget(segments[i].text, cap) for i in unanswered),
                ban=_answer_open(ban),
            )
            for i, completion in zip(unanswered, forced.completions, strict=True):
                answers[i] += completion.text
                tokens[i] += completion.tokens
                usages[i] += completion_usage(completion, forced.usage.wall_seconds)

        outputs = []
        for answer, segment, generated, usage in zip(
            answers, segments, tokens, usages, strict=True
        ):
            parsed = parse_answer(answer, source=segment.text)
            outputs.append(
                ModeOutput(
                    translation=parsed.translation,
                    thought=parsed.thought,
                    confidence=mean_confidence(generated),
                    usage=usage,
                )
            )
        return outputs


def _answer_open(ban: ScriptBan | None) -> ScriptBan | None:
    """The same ban for a prompt that already opened the answer (a forced answer)."""
    return None if ban is None else ScriptBan(ban.scripts)


_PREFILLED = frozenset({Kind.PLACEHOLDER, Kind.TAG, Kind.CODE, Kind.URL})


def _leading_token(segment: Segment, findings: Sequence[QaFinding]) -> str:
    """A lost placeholder, tag, code or link the source starts with ("#Product1#の…"): a
    direct retry's answer is made to start with it too, since the model often ignores the
    note alone. Empty when there is none."""
    start = len(segment.text) - len(segment.text.lstrip())
    leading = (f.source for f in findings if f.kind in _PREFILLED and f.start == start)
    return next((token for token in leading if token), "")


def _siblings_usage(siblings: Sequence[ModeOutput]) -> Usage:
    """What samples of one prompt cost together: one call and one prompt, every token drawn."""
    drawn = sum(sibling.usage.generated_tokens for sibling in siblings[1:])
    return siblings[0].usage + Usage(generated_tokens=drawn)


def _unmendable(segment: Segment, output: ModeOutput) -> tuple[QaFinding, ...]:
    """The findings once a lost leading list number is put back, as it will be before the
    answer is served: a retry for that alone would cost a call to fix what needs none. (A lost
    placeholder is still retried: a retried answer built around it reads better, measured on
    ja-en, than one it is inserted into.)"""
    mended = restore_list_marker(
        segment.text,
        output.translation,
        source_language=segment.source,
        target_language=segment.target,
    )
    return qa_findings(segment, mended)


def _error_count(segment: Segment, output: ModeOutput) -> int:
    return count_errors(_unmendable(segment, output))


def _fewest_findings(segment: Segment, answers: Sequence[ModeOutput]) -> ModeOutput:
    """The answer with the fewest QA errors, then findings. The first answer (before any retry)
    stays unless another has fewer; among several that do, the one the others agree with most
    wins (two answers cannot outvote each other: then the earlier)."""
    ranks = [_qa_rank(_unmendable(segment, a)) for a in answers]
    best = min(ranks)
    tied = [a for a, rank in zip(answers, ranks, strict=True) if rank == best]
    if ranks[0] == best or len(tied) == 1 or len(answers) < 3:
        return tied[0]
    agreement = most_agreed([a.translation for a in tied], [a.translation for a in answers])
    return tied[agreement]


def _qa_rank(findings: Sequence[QaFinding]) -> tuple[int, int]:
    """Fewer errors first, then fewer findings of any kind."""
    return count_errors(findings), len(findings)


def completion_usage(completion: Completion, call_seconds: float) -> Usage:
    """What one sample cost; the wall time is the whole call's, the latency its text saw."""
    return Usage(
        calls=1,
        prompt_tokens=completion.prompt_tokens,
        computed_prompt_tokens=completion.prompt_tokens - completion.cached_prompt_tokens,
        generated_tokens=len(completion.tokens),
        wall_seconds=call_seconds,
    )
