"""Monte Carlo tree search over the model's reasoning, rewarded by its own token confidence.

One iteration ("wave") selects up to `parallel` leaves by UCT with virtual loss, expands each with
one engine call that samples its missing children together (so a server batches them and reuses
their shared prefix), and lets every sample run on to the final `</Output>`: the sample's first
action becomes the child node, the rest is that child's rollout. A rollout's reward is its mean
token confidence times the verifiers' factors, backed up to the root. A poorly scoring or flagged
rollout earns a reflection child: its thought followed by Marco-o1's "Wait! ..." phrase, which UCT
visits next because it is unvisited.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace

from translator.engines.protocol import Engine
from translator.engines.types import Completion, SamplingParams, Usage
from translator.prompting.answer_forcing import close_thought, force_answers
from translator.prompting.confidence import mean_confidence, token_confidence
from translator.prompting.modes import (
    Segment,
    answer_ban,
    answer_token_budget,
    segment_prompt,
)
from translator.prompting.prompts import (
    OUTPUT_CLOSE,
    OUTPUT_OPEN,
    REFLECTION_PHRASE,
    THOUGHT_CLOSE,
    PromptStyle,
    assistant_opening,
    parse_answer,
)
from translator.search.actions import action_token_count, thought_token_count, token_offsets
from translator.search.budget import BudgetTracker
from translator.search.config import SearchConfig
from translator.search.greedy import (
    AnswerFunction,
    cot_answer,
    direct_answer,
    examples_answer,
    fallback_answer,
)
from translator.search.policy import add_virtual_loss, select_leaf
from translator.search.results import Candidate, ProgressCallback, SearchProgress, SearchResult
from translator.search.selection import ORIGIN_FLAGS, choose, distinct
from translator.search.source_scores import source_scores
from translator.search.trace import build_trace
from translator.search.tree import ActionKind, ConfidenceSummary, Node, SearchTree
from translator.search.verifiers import DEFAULT_VERIFIERS, Verifier, run_verifiers

__all__ = ["MCTS"]

_SEED_STRIDE = 100_003
_MIN_CALL_TOKENS = 16


@dataclass(frozen=True, slots=True)
class _Rollout:
    completion: Completion
    forced: Completion | None
    answer: str


@dataclass(frozen=True, slots=True)
class _Expansion:
    rollouts: list[_Rollout]
    usage: Usage


class MCTS:
    """Searches one segment at a time over an engine; holds no per-search state itself."""

    def __init__(
        self,
        engine: Engine,
        config: SearchConfig,
        verifiers: Sequence[Verifier] = DEFAULT_VERIFIERS,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self._engine = engine
        self._config = config
        self._verifiers = tuple(verifiers)
        self._on_progress = on_progress

    async def search(self, segment: Segment) -> SearchResult:
        run = _SearchRun(self._engine, self._config, self._verifiers, segment, self._on_progress)
        return await run.execute()


class _SearchRun:
    """The state of one search: tree, budget, candidates, engine usage."""

    def __init__(
        self,
        engine: Engine,
        config: SearchConfig,
        verifiers: tuple[Verifier, ...],
        segment: Segment,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.engine = engine
        self.config = config
        self.verifiers = verifiers
        self.segment = segment
        self.on_progress = on_progress
        self.opening = assistant_opening(PromptStyle.THINK)
        self.prompt = segment_prompt(segment, PromptStyle.THINK)
        self.tree = SearchTree()
        self.budget = BudgetTracker(config)
        self.candidates: list[Candidate] = []
        self.usage = Usage()
        self.calls = 0

    async def execute(self) -> SearchResult:
        seeds = [
            answer
            for answer, wanted in (
                (direct_answer, self.config.direct_candidate),
                (cot_answer, self.config.cot_candidate),
                (examples_answer, self.config.examples_candidate > 0),
            )
            if wanted
        ]
        seeding = asyncio.gather(*(self._add_greedy(answer) for answer in seeds))
        if self.config.cot_candidate or self.config.examples_candidate:
            self.budget.hold_deadline()
            seeding.add_done_callback(lambda _: self.budget.start_deadline())
        try:
            stop_reason = await self._grow(seeding)
        finally:
            if not seeding.done():
                seeding.cancel()
                await asyncio.gather(seeding, return_exceptions=True)
        if not self.candidates:
            await self._add_greedy(fallback_answer)
        scores = None
        if self.config.selection == "consensus-source":
            pool = self.candidates
            scores = await source_scores(self.engine, self.segment, [c.translation for c in pool])
            if scores is not None:
                self.candidates = [replace(c, source_logprob=scores[c.translation]) for c in pool]
        return self._result(stop_reason, scores)

    async def _grow(self, seeding: asyncio.Future[list[None]]) -> str:
        """Grow the tree wave by wave until the budget or the early stop ends it. The waves
        before the early stop may fire decode beside the greedy answers that seed the pool; the
        early stop waits for those answers, so it weighs the same pool as if they came first."""
        stop_reason: str | None = None
        while stop_reason is None:
            if self.budget.rollouts >= self.config.min_rollouts and not seeding.done():
                await seeding
            stop_reason = self.budget.exhausted() or self._early_stop()
            if stop_reason is not None:
                break
            wave = self._select_wave()
            if not wave:
                stop_reason = "tree-exhausted"
                break
            try:
                expansions = await self.budget.within_deadline(
                    asyncio.gather(*(self._expand(leaf, width, s) for leaf, width, s in wave))
                )
            except TimeoutError:
                stop_reason = "deadline"
                break
            finally:
                for leaf, width, _ in wave:
                    add_virtual_loss(self.tree, leaf, -1)
                    leaf.pending_children -= width
            for (leaf, _, _), expansion in zip(wave, expansions, strict=True):
                self._integrate(leaf, expansion)
            self._report_progress()
        await seeding
        return stop_reason

    def _report_progress(self) -> None:
        if self.on_progress is not None:
            spent, pool = self.budget, self.candidates
            cap = self.config.max_rollouts
            self.on_progress(SearchProgress.of(spent.rollouts, cap, spent.generated_tokens, pool))

    def _select_wave(self) -> list[tuple[Node, int, int | None]]:
        """Up to `parallel` leaves, each with the number of children to sample and a seed. The
        wave asks for no more rollouts than the cap has room for (a terminal leaf counts one)."""
        wave: list[tuple[Node, int, int | None]] = []
        room = self.config.max_rollouts - self.budget.rollouts
        while len(wave) < self.config.parallel and room > 0:
            leaf = select_leaf(self.tree, self.config.expansion_width, self.config.uct_c)
            if leaf is None:
                break
            width = 0 if leaf.terminal else min(self._missing_children(leaf), room)
            room -= max(width, 1)
            add_virtual_loss(self.tree, leaf, 1)
            leaf.pending_children += width
            wave.append((leaf, width, self._next_seed() if width else None))
        return wave

    def _missing_children(self, leaf: Node) -> int:
        """Children still to sample; a fresh reflection is tried with one rethink first."""
        if leaf.kind is ActionKind.REFLECTION and not leaf.children:
            return 1
        sampled = sum(
            1 for i in leaf.children if self.tree.nodes[i].kind is not ActionKind.REFLECTION
        )
        return max(1, self.config.expansion_width - sampled - leaf.pending_children)

    def _next_seed(self) -> int | None:
        self.calls += 1
        if self.config.seed is None:
            return None
        return self.config.seed * _SEED_STRIDE + self.calls

    async def _expand(self, leaf: Node, width: int, seed: int | None) -> _Expansion:
        """Sample `width` continuations of `leaf` in one call and finish each to an answer."""
        if width == 0:
            return _Expansion(rollouts=[], usage=Usage())
        state = self.tree.state_text(leaf)
        params = SamplingParams(
            max_new_tokens=self._token_allowance(leaf, width),
            temperature=self.config.temperature,
            top_p=self.config.top_p,
            stop=(OUTPUT_CLOSE,),
            n=width,
            seed=seed,
            ban=answer_ban(self.segment, answer_open=OUTPUT_OPEN in state),
        )
        result = await self.engine.generate([self.prompt + state], params)
        usage = result.usage
        answers = [self.opening + state + c.text for c in result.completions]
        unanswered = [
            i
            for i, answer in enumerate(answers)
            if not parse_answer(answer, source=self.segment.text).answered
        ]
        forced: dict[int, Completion] = {}
        if unanswered:
            closed = {i: close_thought(answers[i]) for i in unanswered}
            extra = await force_answers(
                self.engine,
                [self.prompt + closed[i][len(self.opening) :] for i in unanswered],
                answer_token_budget(self.segment.text, self.config.max_generated_tokens),
                ban=answer_ban(self.segment, answer_open=True),
            )
            usage += extra.usage
            for i, completion in zip(unanswered, extra.completions, strict=True):
                forced[i] = completion
                answers[i] = closed[i] + completion.text
        rollouts = [
            _Rollout(completion=c, forced=forced.get(i), answer=answers[i])
            for i, c in enumerate(result.completions)
        ]
        return _Expansion(rollouts=rollouts, usage=usage)

    def _token_allowance(self, leaf: Node, width: int) -> int:
        """Room for the rest of the thought and the answer, within the remaining token budget."""
        path = self.tree.path(leaf)
        thought_used = sum(node.tokens for node in path)
        in_thought = THOUGHT_CLOSE not in self.tree.state_text(leaf)
        thinking = max(0, self.config.max_thought_tokens - thought_used) if in_thought else 0
        wanted = thinking + answer_token_budget(self.segment.text, self.config.max_generated_tokens)
        affordable = self.budget.remaining_tokens // width
        return max(_MIN_CALL_TOKENS, min(wanted, affordable))

    def _integrate(self, leaf: Node, expansion: _Expansion) -> None:
        """Turn an expansion's samples into children, back their rewards up, maybe reflect."""
        self.usage += expansion.usage
        if not expansion.rollouts:
            self.tree.backup(leaf, leaf.value)
            self.budget.rollouts += 1
            return
        in_thought = THOUGHT_CLOSE not in self.tree.state_text(leaf)
        worst: tuple[float, _Rollout, tuple[str, ...]] | None = None
        for rollout in expansion.rollouts:
            reward, flags = self._add_child(leaf, rollout, in_thought)
            needs_reflection = flags or reward < self.config.reflection_threshold
            if in_thought and needs_reflection and (worst is None or reward < worst[0]):
                worst = (reward, rollout, flags)
        if worst is not None and self.budget.reflections < self.config.max_reflections:
            self._add_reflection(leaf, worst[1], worst[2] or ("low-confidence",))

    def _add_child(
        self, leaf: Node, rollout: _Rollout, in_thought: bool
    ) -> tuple[float, tuple[str, ...]]:
        completion = rollout.completion
        offsets = token_offsets(completion.text, completion.tokens)
        count = action_token_count(
            completion.tokens, offsets, self.config.granularity, in_thought=in_thought
        )
        whole = count >= len(completion.tokens)
        cut = offsets[count - 1] if count and not whole else None
        action_text = completion.text if cut is None else completion.text[:cut]
        tokens = list(completion.tokens) + list(rollout.forced.tokens if rollout.forced else ())
        confidence = mean_confidence(tokens)
        parsed = parse_answer(rollout.answer, source=self.segment.text)
        verdict = run_verifiers(self.verifiers, self.segment, parsed.translation)
        reward = confidence * verdict.factor
        child = self.tree.add_child(
            leaf,
            self._action_kind(in_thought),
            action_text,
            tokens=count,
            confidence=ConfidenceSummary.of(
                [token_confidence(token) for token in completion.tokens[:count]]
            ),
            terminal=whole and rollout.forced is None and completion.finish_reason == "stop",
        )
        child.flags.update(verdict.flags)
        child.rollout_reward = reward
        self.tree.backup(child, reward)
        self.budget.rollouts += 1
        self.budget.generated_tokens += len(tokens)
        if parsed.translation:
            self.candidates.append(
                Candidate(
                    translation=parsed.translation,
                    reward=reward,
                    confidence=confidence,
                    flags=verdict.flags,
                    node=child.id,
                    thought=parsed.thought,
                )
            )
        return reward, verdict.flags

    def _action_kind(self, in_thought: bool) -> ActionKind:
        if not in_thought:
            return ActionKind.ANSWER
        if self.config.granularity.token_count is None:
            return ActionKind.STEP
        return ActionKind.MINI_STEP

    def _add_reflection(self, leaf: Node, rollout: _Rollout, reasons: tuple[str, ...]) -> None:
        """A child that repeats the weak rollout's thought, then asks the model to rethink."""
        completion = rollout.completion
        thought = completion.text.split(THOUGHT_CLOSE)[0].rstrip()
        node = self.tree.add_child(
            leaf,
            ActionKind.REFLECTION,
            f"{thought}\n{REFLECTION_PHRASE}\n" if thought else f"{REFLECTION_PHRASE}\n",
            tokens=thought_token_count(completion.tokens),
        )
        node.flags.update(f"reflect:{reason}" for reason in reasons)
        self.budget.reflections += 1

    def _early_stop(self) -> str | None:
        """Stop once a clean translation leads every other one by the configured margin."""
        if self.budget.rollouts < self.config.min_rollouts or self._reflection_pending():
            return None
        ranked = distinct(self.candidates)
        if not ranked or set(ranked[0].flags) - set(ORIGIN_FLAGS):
            return None
        runner_up = ranked[1].reward if len(ranked) > 1 else 0.0
        if ranked[0].reward - runner_up >= self.config.early_stop_margin:
            return "clearly-ahead"
        return None

    def _reflection_pending(self) -> bool:
        return any(
            node.kind is ActionKind.REFLECTION and node.visits == 0 for node in self.tree.nodes
        )

    async def _add_greedy(self, answer: AnswerFunction) -> None:
        """A greedy answer (see `greedy`) joins the pool."""
        greedy = await answer(self.engine, self.segment, self.config, self.verifiers)
        self.usage += greedy.usage
        self.budget.generated_tokens += greedy.tree_tokens
        if greedy.candidate is not None:
            self.candidates.append(greedy.candidate)

    def _result(
        self, stop_reason: str | None, source_likelihoods: dict[str, float] | None
    ) -> SearchResult:
        chosen, alternatives = choose(
            self.candidates, self.config.selection, self.tree, source_likelihoods
        )
        trace = build_trace(
            segment=self.segment,
            config=self.config,
            tree=self.tree,
            chosen=chosen,
            alternatives=alternatives,
            pool=self.candidates,
            budget=self.budget,
            stop_reason=stop_reason or "done",
            usage=self.usage,
        )
        return SearchResult(
            best=chosen,
            alternatives=alternatives,
            trace=trace,
            usage=self.usage,
            pool=tuple(self.candidates),
        )
