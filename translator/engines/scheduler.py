"""Continuous batching: the samples of every caller decode together, a token each per step.

A worker thread owns the llama.cpp context. Each step it admits waiting samples into free
sequence slots, decodes one batch (a token for every running sample, plus a chunk of the prompt
being read) and hands each sample the logits of its own row. A caller arriving while others run
joins at the next step instead of waiting for them; a caller that goes away frees its slots at
the next step while the others go on; the event loop only waits on a future.

Admission is fair: among callers with samples waiting, the one with the fewest running samples
goes first, and on a tie the one admitted longest ago (a newcomer before anyone), so a caller
with many samples cannot starve a later one.

Deterministic mode (a deterministic `BatchContext`): with plain attention, llama.cpp's CPU
kernels compute a row the same way in any batch of 1 to 7 rows, and the same way in any batch
of 8 rows or more, but differently between the two (`bench/batch_regimes.py`). So in this
mode the running samples decode in a batch of their own (`max_sequences` rows at most),
prompt chunks in another, every prompt is read in batches of at least `LARGE_BATCH` rows (as
llama.cpp reads a whole prompt in one), and a prompt shares only cells that such a batch
wrote. With each sequence in a KV stream of its own and plain attention, a sample on plain
weights then gets the logprobs llama.cpp gives it alone from an empty cache, whoever else runs
and whatever the cache held before. The price is prompt work: a continuation re-reads the
tokens that were decoded, and every prompt its last 8.

Prompt reuse: every slot remembers the tokens its cells hold, also after its sample ended. A new
prompt starts from the slot holding its longest prefix and shares those cells; the sibling
samples of one prompt share all of it. Prompts are read one at a time, so that each finds the
ones before it in the cache.

Scoring: a call from `score()` reads its prompts like any other, keeping the logits of every
row from its `scored_from` position on; each such row gives the log-probability of the prompt's
next token, and the call ends once its prompts are read (nothing is generated).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, InvalidStateError
from contextlib import suppress
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from translator.engines.errors import EngineError, EngineUnavailable
from translator.engines.llama_batch import BatchContext, Row
from translator.engines.llama_model import LlamaModel
from translator.engines.sampling import token_logprob
from translator.engines.sequence import Sample
from translator.engines.types import (
    Completion,
    GenerationResult,
    SamplingParams,
    TokenLogprob,
    Usage,
)

__all__ = ["BatchScheduler"]

LARGE_BATCH = 8
"""Rows from which a prompt batch computes each row as any other batch that large does."""
_LAST_TOKEN = 1
"""What a prompt reads itself at least outside deterministic mode: its last token's logits."""


@dataclass(eq=False)
class _Job:
    """One `generate()` call: its prompts, the samples still to admit, and those made."""

    prompts: list[list[int]]
    params: SamplingParams
    future: Future[GenerationResult]
    order: int
    submitted: float
    waiting: deque[tuple[int, int]]
    samples: dict[int, Sample] = field(default_factory=dict)
    scored_from: list[int] | None = None
    """Per prompt, the first token whose log-probability a scoring call wants; None: generate."""
    scores: dict[int, Completion] = field(default_factory=dict)
    running: int = 0
    admitted: int = 0
    """Step clock of this job's latest admission; 0 before its first."""

    @property
    def total(self) -> int:
        return len(self.prompts) * self.params.n

    def rng(self, prompt_index: int, sample_index: int) -> np.random.Generator:
        """Each sample draws from its own stream, so batch company never changes its draws."""
        seed = self.params.seed
        return np.random.default_rng(None if seed is None else (seed, prompt_index, sample_index))


@dataclass(eq=False)
class _Slot:
    """A sequence id of the context and what its KV cells hold, from position 0."""

    sequence: int
    tokens: list[int] = field(default_factory=list)
    job: _Job | None = None
    sample: Sample | None = None
    settled: int = 0
    """Leading cells written by prompt batches of `LARGE_BATCH` rows or more: what a fresh read
    of those tokens computes, so the only cells another prompt may share."""
    pending: int | None = None
    """The token this slot's sample chose and the next step decodes."""
    released: int = 0


@dataclass(eq=False)
class _Reading:
    """A prompt being written into its first slot, whose siblings share it once it is read."""

    job: _Job
    prompt_index: int
    sample_indices: list[int]
    slots: list[_Slot]
    computed: int
    scored: list[TokenLogprob] = field(default_factory=list)


class BatchScheduler:
    """Runs every caller's samples on one context; see the module docstring."""

    def __init__(self, model: LlamaModel, context: BatchContext) -> None:
        self._model = model
        self._context = context
        self._slots = [_Slot(sequence) for sequence in range(context.sequences)]
        self._condition = threading.Condition()
        self._inbox: list[_Job] = []
        self._closed = False
        self._order = itertools.count()
        self._clock = itertools.count(1)
        # Owned by the worker thread from here on.
        self._jobs: list[_Job] = []
        self._reading: _Reading | None = None
        self._stopped: Future[None] = Future()
        self._worker = threading.Thread(target=self._run, name="embedded-engine", daemon=True)
        self._worker.start()

    def submit(
        self,
        prompts: list[list[int]],
        params: SamplingParams,
        *,
        scored_from: list[int] | None = None,
    ) -> Future[GenerationResult]:
        """Queue the samples of one call; cancelling the future drops them at the next step.

        With `scored_from` (one position of at least 1 per prompt), nothing is generated: each
        completion's tokens are the prompt's own tokens from that position on, with their
        log-probabilities given the tokens before them.
        """
        future: Future[GenerationResult] = Future()
        if scored_from is not None:
            params = SamplingParams(n=1)
            if len(scored_from) != len(prompts) or not all(
                1 <= start < len(tokens) for start, tokens in zip(scored_from, prompts, strict=True)
            ):
                raise ValueError("every scored prompt needs context before its scored tokens")
        waiting = deque(itertools.product(range(len(prompts)), range(params.n)))
        job = _Job(prompts, params, future, next(self._order), time.perf_counter(), waiting)
        job.scored_from = scored_from
        with self._condition:
            if self._closed:
                raise EngineUnavailable("the embedded engine is closed")
            self._inbox.append(job)
            self._condition.notify()
        return future

    def close(self) -> Future[None]:
        """Stop the worker; calls still queued or running fail as retryable.

        Returns a future that completes once the worker has let go of the context: awaiting it
        needs no executor thread, which may already be gone while an app shuts down.
        """
        with self._condition:
            self._closed = True
            self._condition.notify()
        return self._stopped

    def _run(self) -> None:
        while True:
            with self._condition:
                while not (self._closed or self._inbox or self._jobs):
                    self._condition.wait()
                self._jobs.extend(self._inbox)
                self._inbox.clear()
                if self._closed:
                    break
            try:
                self._step()
            except Exception as error:  # no caller may wait forever on a failed step
                failure = (
                    error
                    if isinstance(error, EngineError)
                    else EngineUnavailable(f"the embedded engine failed: {error!r}")
                )
                self._fail_all(failure)
        self._fail_all(EngineUnavailable("the embedded engine closed"))
        self._stopped.set_result(None)

    def _step(self) -> None:
        self._drop_cancelled()
        self._admit()
        decoding = [(slot, slot.pending) for slot in self._slots if slot.pending is not None]
        capacity = self._context.capacity
        if self._context.deterministic:
            self._decode(decoding, [])
            self._decode([], self._prompt_rows(capacity))
        else:
            self._decode(decoding, self._prompt_rows(capacity - len(decoding)))

    def _decode(self, decoding: list[tuple[_Slot, int]], prompt_rows: list[Row]) -> None:
        """One batch: a token for every slot in `decoding`, then a chunk of the prompt read."""
        rows = [
            Row(token, len(slot.tokens), slot.sequence, logits=True) for slot, token in decoding
        ]
        if not rows and not prompt_rows:
            return
        self._context.decode(rows + prompt_rows)
        for index, (slot, token) in enumerate(decoding):
            slot.tokens.append(token)
            self._advance(slot, self._context.logits(index))
        if prompt_rows:
            self._prompt_read(prompt_rows, first_row=len(rows))

    def _drop_cancelled(self) -> None:
        for job in [job for job in self._jobs if job.future.cancelled()]:
            for slot in self._slots:
                if slot.job is job:
                    self._release(slot)
            if self._reading is not None and self._reading.job is job:
                self._reading = None
            self._jobs.remove(job)

    def _admit(self) -> None:
        """Start reading the next prompt into free slots, for the caller running the fewest."""
        free = sorted((slot for slot in self._slots if slot.job is None), key=_released)
        candidates = [job for job in self._jobs if job.waiting]
        if self._reading is not None or not free or not candidates:
            return
        job = min(candidates, key=lambda job: (job.running, job.admitted, job.order))
        job.admitted = next(self._clock)
        prompt_index = job.waiting[0][0]
        sample_indices: list[int] = []
        while job.waiting and job.waiting[0][0] == prompt_index and len(sample_indices) < len(free):
            sample_indices.append(job.waiting.popleft()[1])
        tokens = job.prompts[prompt_index]
        source, shared = self._longest_prefix(tokens)
        own = LARGE_BATCH if self._context.deterministic else _LAST_TOKEN
        start = max(0, min(shared, len(tokens) - own))
        if job.scored_from is not None:  # scored tokens need their logits computed
            start = min(start, job.scored_from[prompt_index] - 1)
        first = source if source is not None and source.job is None else free[0]
        self._context.truncate(first.sequence, start if first is source else 0)
        if source is not None and first is not source and start:
            self._context.share(source.sequence, first.sequence, start)
        first.tokens, first.settled = tokens[:start], start
        slots = [first, *[slot for slot in free if slot is not first][: len(sample_indices) - 1]]
        for slot in slots:
            slot.job = job
        job.running += len(slots)
        self._reading = _Reading(job, prompt_index, sample_indices, slots, len(tokens) - start)

    def _longest_prefix(self, tokens: Sequence[int]) -> tuple[_Slot | None, int]:
        """The slot whose cells hold the longest prefix of `tokens` it may share (a free one on
        a tie): in deterministic mode, only cells a large prompt batch wrote."""
        best: _Slot | None = None
        best_key = (0, False)
        for slot in self._slots:
            common = _common_prefix(slot.tokens, tokens)
            if self._context.deterministic:
                common = min(common, slot.settled)
            key = (common, slot.job is None)
            if key[0] and key > best_key:
                best, best_key = slot, key
        return best, best_key[0]

    def _prompt_rows(self, room: int) -> list[Row]:
        reading = self._reading
        if reading is None or room <= 0:
            return []
        first = reading.slots[0]
        tokens = reading.job.prompts[reading.prompt_index]
        start = len(first.tokens)
        left = len(tokens) - start
        # The last batch of a prompt keeps LARGE_BATCH rows, where room allows.
        size = left if left <= room else min(room, max(left - LARGE_BATCH, LARGE_BATCH))
        scored_from = reading.job.scored_from
        if scored_from is None:
            wanted = range(len(tokens) - 1, len(tokens))
        else:
            wanted = range(scored_from[reading.prompt_index] - 1, len(tokens) - 1)
        return [
            Row(token, position, first.sequence, logits=position in wanted)
            for position, token in enumerate(tokens[start : start + size], start)
        ]

    def _prompt_read(self, rows: list[Row], first_row: int) -> None:
        """Record a decoded prompt chunk; once the prompt is whole, start its samples."""
        reading = self._reading
        if reading is None:
            return
        first = reading.slots[0]
        if len(rows) >= LARGE_BATCH and rows[0].position == first.settled:
            first.settled = rows[-1].position + 1
        first.tokens.extend(row.token for row in rows)
        tokens = reading.job.prompts[reading.prompt_index]
        if reading.job.scored_from is not None:
            self._score_rows(reading, rows, first_row, tokens)
        if len(first.tokens) < len(tokens):
            return
        self._reading = None
        if reading.job.scored_from is not None:
            self._scored(reading)
            return
        logits = self._context.logits(first_row + len(rows) - 1).copy()
        for sibling in reading.slots[1:]:
            self._context.truncate(sibling.sequence, 0)
            self._context.share(first.sequence, sibling.sequence, len(tokens))
            sibling.tokens, sibling.settled = list(tokens), first.settled
        job = reading.job
        for slot, sample_index in zip(reading.slots, reading.sample_indices, strict=True):
            sample = Sample(
                self._model,
                job.params,
                job.rng(reading.prompt_index, sample_index),
                prompt_index=reading.prompt_index,
                prompt_length=len(tokens),
                computed_prompt=reading.computed if slot is first else 0,
                room=self._context.n_ctx - len(tokens),
            )
            job.samples[reading.prompt_index * job.params.n + sample_index] = sample
            slot.sample = sample
            self._advance(slot, logits)

    def _score_rows(
        self, reading: _Reading, rows: list[Row], first_row: int, tokens: list[int]
    ) -> None:
        """The log-probability of the token after each row that kept its logits."""
        for index, row in enumerate(rows):
            if not row.logits:
                continue
            following = tokens[row.position + 1]
            logprob = token_logprob(self._context.logits(first_row + index), following)
            reading.scored.append(TokenLogprob(self._model.token_text(following), logprob, ()))

    def _scored(self, reading: _Reading) -> None:
        """A scored prompt is read: record its scores, free its slot, deliver a whole call."""
        job = reading.job
        length = len(job.prompts[reading.prompt_index])
        job.scores[reading.prompt_index] = Completion(
            prompt_index=reading.prompt_index,
            text="",
            tokens=tuple(reading.scored),
            finish_reason="stop",
            prompt_tokens=length,
            cached_prompt_tokens=length - reading.computed,
        )
        (slot,) = reading.slots
        self._release(slot)
        if len(job.scores) == len(job.prompts):
            self._deliver_scores(job)

    def _deliver_scores(self, job: _Job) -> None:
        completions = [job.scores[index] for index in range(len(job.prompts))]
        self._finish(job, GenerationResult(completions=completions, usage=_usage(job, completions)))

    def _advance(self, slot: _Slot, logits: npt.NDArray[np.float32]) -> None:
        job, sample = slot.job, slot.sample
        if job is None or sample is None:
            return
        slot.pending = sample.accept(logits)
        if slot.pending is None:
            self._release(slot)
            if len(job.samples) == job.total and all(s.finish for s in job.samples.values()):
                self._deliver(job)

    def _release(self, slot: _Slot) -> None:
        if slot.job is not None:
            slot.job.running -= 1
        if slot.sample is not None and slot.sample.finish is None:
            slot.sample.abort()
        slot.job, slot.sample, slot.pending = None, None, None
        slot.released = next(self._clock)

    def _deliver(self, job: _Job) -> None:
        completions = [job.samples[index].completion() for index in range(job.total)]
        self._finish(job, GenerationResult(completions=completions, usage=_usage(job, completions)))

    def _finish(self, job: _Job, result: GenerationResult) -> None:
        self._jobs.remove(job)
        with suppress(InvalidStateError):  # the caller cancelled meanwhile
            job.future.set_result(result)

    def _fail_all(self, error: EngineError) -> None:
        """Fail every call in hand and forget the cache: nothing half-made is answered."""
        for slot in self._slots:
            self._release(slot)
            slot.tokens, slot.settled = [], 0
        self._context.clear()
        self._reading = None
        for job in self._jobs:
            with suppress(InvalidStateError):
                job.future.set_exception(error)
        self._jobs.clear()


def _usage(job: _Job, completions: Sequence[Completion]) -> Usage:
    usage = Usage(calls=1, wall_seconds=time.perf_counter() - job.submitted)
    generated = job.scored_from is None  # a scoring call's tokens are its prompts' own
    for c in completions:
        usage += Usage(
            prompt_tokens=c.prompt_tokens,
            computed_prompt_tokens=c.prompt_tokens - c.cached_prompt_tokens,
            generated_tokens=len(c.tokens) if generated else 0,
        )
    return usage


def _released(slot: _Slot) -> int:
    return slot.released


def _common_prefix(left: Sequence[int], right: Sequence[int]) -> int:
    for index, (a, b) in enumerate(zip(left, right)):  # noqa: B905 -- lengths differ
        if a != b:
            return index
    return min(len(left), len(right))
