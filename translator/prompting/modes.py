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
from translator.prompting.answer_checks import faults, fewest_faults, leading_token
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
from translator.prompting.segment import Segment, prompt_echo, qa_findings
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
    "prompt_echo",
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


def segment_prompt(
    segment: Segment,
    style: PromptStyle,
    keep: Sequence[str] = (),
    require: Sequence[TermMatch] = (),
    echoed: bool = False,
) -> str:
    """The model prompt for a segment, with its glossary notes (and, for a retry, the source
    tokens an earlier answer lost, the glossary terms it missed and whether it repeated the
    prompt's rules)."""
    return build_prompt(
        segment.text,
        source=segment.source,
        target=segment.target,
        style=style,
        terms=segment.terms,
        examples=segment.examples,
        keep=keep,
        require=require,
        echoed=echoed,
        context=segment.context,
        variant=segment.variant,
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
    other token the QA checks look for, rendered none of the accepted forms of a glossary term
    in its text, or repeated the prompt's rules, is translated once more, its prompt naming
    what was lost, missed or repeated (and, in `direct`, its answer starting with a lost token
    the source starts with); whichever answer has fewer faults (errors, then missed terms,
    then findings) is kept. Cost: one
    more call for those segments only. A greedy retry often repeats the first answer's mistake,
    so a segment whose answers all still carry an error or a missed term gets `retry_samples`
    sampled answers to the same prompt (one engine call, siblings of one prompt); the answer
    with the fewest faults wins, ties going to the one that agrees most with the others
    (`most_agreed`), so a lucky but garbled sample does not.
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
        """`outputs` with the answers that lost source tokens or missed glossary terms retried
        once (see the class)."""
        found = [faults(s, o.translation) for s, o in zip(segments, outputs, strict=True)]
        failed = [i for i, fault in enumerate(found) if fault.worth_a_retry]
        kept = list(outputs)
        if not failed:
            return kept
        prefills = [
            leading_token(segments[i], found[i].findings)
            if self._style is PromptStyle.ANSWER
            else ""
            for i in failed
        ]
        prompts = [
            segment_prompt(
                segments[i],
                self._style,
                keep=found[i].lost,
                require=found[i].missed,
                echoed=bool(found[i].echo),
            )
            + prefill
            for i, prefill in zip(failed, prefills, strict=True)
        ]
        retried = [segments[i] for i in failed]
        retries = await self._generate(engine, retried, prompts, prefills)
        answers = {i: [outputs[i], second] for i, second in zip(failed, retries, strict=True)}
        costs = {i: tried[0].usage + tried[1].usage for i, tried in answers.items()}
        still = [
            n
            for n, i in enumerate(failed)
            if all(faults(segments[i], a.translation).broken for a in answers[i])
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
            best = fewest_faults(segments[i], [answer.translation for answer in tried])
            kept[i] = replace(tried[best], usage=costs[i])
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


def _siblings_usage(siblings: Sequence[ModeOutput]) -> Usage:
    """What samples of one prompt cost together: one call and one prompt, every token drawn."""
    drawn = sum(sibling.usage.generated_tokens for sibling in siblings[1:])
    return siblings[0].usage + Usage(generated_tokens=drawn)


def completion_usage(completion: Completion, call_seconds: float) -> Usage:
    """What one sample cost; the wall time is the whole call's, the latency its text saw."""
    return Usage(
        calls=1,
        prompt_tokens=completion.prompt_tokens,
        computed_prompt_tokens=completion.prompt_tokens - completion.cached_prompt_tokens,
        generated_tokens=len(completion.tokens),
        wall_seconds=call_seconds,
    )
