"""In-process llama.cpp engine: the default backend when no GPU server is configured."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from translator.engines.errors import EngineBadRequest
from translator.engines.llama_batch import BatchContext, available_cores
from translator.engines.llama_model import LlamaModel
from translator.engines.scheduler import BatchScheduler
from translator.engines.types import (
    EngineInfo,
    GenerationResult,
    SamplingParams,
    ScoreRequest,
    Usage,
)

__all__ = ["EmbeddedEngine"]


class EmbeddedEngine:
    """Serves one GGUF model from this process on every core, many sequences at once.

    The sibling samples of a call, the prompts of a list and concurrent callers all decode as
    parallel sequences of one batch (`translator.engines.scheduler`), which on a CPU gives
    several times the tokens per second of one sequence. Prompts reuse the longest prefix any
    sequence left in the KV cache, so siblings and the search's shared reasoning prefixes cost
    no prompt work.

    Args:
        model_path: The GGUF file.
        n_ctx: Context window of each sequence, in tokens.
        n_threads: CPU threads for generation and prompt batches; None: every core.
        n_batch: Most tokens one decode step carries (running sequences plus a prompt chunk).
        max_sequences: Sequences decoded at once; the KV cache holds `n_ctx` tokens for each.
            1 decodes one sample after another.
        repack_weights: Use llama.cpp's repacked weights (see `LlamaModel`).
        deterministic: Make each call's logprobs independent of what else runs or is cached,
            at the cost of more prompt work (see `translator.engines.scheduler`).
    """

    name = "embedded"

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        n_batch: int = 256,
        max_sequences: int = 4,
        repack_weights: bool = False,
        deterministic: bool = False,
    ) -> None:
        self._model_id = model_path.stem
        self._model = LlamaModel(model_path, repack_weights=repack_weights)
        try:
            self._context = BatchContext(
                self._model,
                n_ctx=n_ctx,
                sequences=max_sequences,
                n_batch=n_batch,
                threads=n_threads or available_cores(),
                deterministic=deterministic,
            )
        except BaseException:
            self._model.close()
            raise
        self._n_ctx = n_ctx
        self._scheduler = BatchScheduler(self._model, self._context)

    @property
    def threads(self) -> tuple[int, int]:
        """The CPU threads llama.cpp decodes with: (generation, prompt batches)."""
        return self._context.threads

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        if not prompts:
            return GenerationResult(completions=[], usage=Usage(calls=1))
        tokens = [self._tokenize(prompt) for prompt in prompts]
        # Cancelling this await cancels the future, and the scheduler drops the call's samples.
        return await asyncio.wrap_future(self._scheduler.submit(tokens, params))

    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        """Each continuation's token logprobs, read in one batch call like a prompt list.

        Context and continuation are tokenized apart, so the scored tokens are exactly the
        continuation's own.
        """
        if not requests:
            return []
        prompts, starts = [], []
        for request in requests:
            context = self._tokenize(request.context)
            continuation = self._model.tokenize(request.continuation, special=False)
            if not continuation:
                raise EngineBadRequest("the text to score is empty")
            prompts.append(self._checked(context + continuation))
            starts.append(len(context))
        result = await asyncio.wrap_future(
            self._scheduler.submit(prompts, SamplingParams(), scored_from=starts)
        )
        return [tuple(token.logprob for token in c.tokens) for c in result.completions]

    async def info(self) -> EngineInfo:
        return EngineInfo(engine=self.name, model_id=self._model_id)

    async def aclose(self) -> None:
        await asyncio.wrap_future(self._scheduler.close())
        self._context.close()
        self._model.close()

    def _tokenize(self, prompt: str) -> list[int]:
        return self._checked(self._model.tokenize(prompt))

    def _checked(self, tokens: list[int]) -> list[int]:
        if not tokens:
            raise EngineBadRequest("prompt is empty")
        if len(tokens) >= self._n_ctx:
            raise EngineBadRequest(
                f"prompt has {len(tokens)} tokens; the context window holds {self._n_ctx}"
            )
        return tokens
