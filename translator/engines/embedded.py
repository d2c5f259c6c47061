"""In-process llama.cpp engine: the default backend when no GPU server is configured."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import llama_cpp
import numpy as np
import numpy.typing as npt

from translator.engines.errors import EngineBadRequest, ModelFileError
from translator.engines.sampling import choose_token
from translator.engines.script_mask import banned_token_mask
from translator.engines.types import (
    TOP_LOGPROBS,
    Completion,
    EngineInfo,
    FinishReason,
    GenerationResult,
    SamplingParams,
    ScriptBan,
    TokenLogprob,
    Usage,
)

__all__ = ["EmbeddedEngine"]


class EmbeddedEngine:
    """Serves one GGUF model from this process.

    llama.cpp contexts are not thread-safe, so one lock serialises all generation; the work runs
    in a worker thread so the event loop stays free. The KV cache keeps the previous sequence and
    every new prompt reuses its longest shared token prefix, which makes sibling samples of one
    prompt (and later the search's shared reasoning prefixes) cheap.
    """

    name = "embedded"

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        n_batch: int = 256,
    ) -> None:
        if not model_path.is_file():
            raise ModelFileError(f"model file not found: {model_path}")
        self._model_id = model_path.stem
        self._lock = threading.Lock()
        self._llm = llama_cpp.Llama(
            model_path=str(model_path),
            n_ctx=n_ctx,
            n_threads=n_threads,
            n_batch=n_batch,
            logits_all=False,
            verbose=False,
        )
        self._vocab = llama_cpp.llama_model_get_vocab(self._llm.model)
        self._n_vocab = self._llm.n_vocab()
        self._token_texts: dict[int, str] = {}
        self._ban_masks: dict[tuple[str, ...], npt.NDArray[np.bool_]] = {}

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        cancelled = threading.Event()
        try:
            return await asyncio.to_thread(self._generate_locked, prompts, params, cancelled)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def info(self) -> EngineInfo:
        return EngineInfo(engine=self.name, model_id=self._model_id)

    async def aclose(self) -> None:
        with self._lock:
            self._llm.close()

    def _generate_locked(
        self, prompts: Sequence[str], params: SamplingParams, cancelled: threading.Event
    ) -> GenerationResult:
        with self._lock:
            started = time.perf_counter()
            rng = np.random.default_rng(params.seed)
            completions: list[Completion] = []
            usage = Usage()
            for prompt_index, prompt in enumerate(prompts):
                prompt_tokens = self._tokenize(prompt)
                computed = self._evaluate_prompt(prompt_tokens)
                prompt_logits = self._last_logits().copy()
                for sample in range(params.n):
                    # Every sample starts from the same prompt state and the same logits, so
                    # siblings cost no prompt work and differ only by the random draws.
                    self._llm.n_tokens = len(prompt_tokens)
                    completion = self._complete(
                        prompt_index,
                        prompt_logits,
                        len(prompt_tokens),
                        computed if sample == 0 else 0,
                        params,
                        rng,
                        cancelled,
                    )
                    completions.append(completion)
                    usage += Usage(
                        prompt_tokens=completion.prompt_tokens,
                        computed_prompt_tokens=completion.prompt_tokens
                        - completion.cached_prompt_tokens,
                        generated_tokens=len(completion.tokens),
                    )
            elapsed = time.perf_counter() - started
            return GenerationResult(
                completions=completions,
                usage=Usage(
                    calls=1,
                    prompt_tokens=usage.prompt_tokens,
                    computed_prompt_tokens=usage.computed_prompt_tokens,
                    generated_tokens=usage.generated_tokens,
                    wall_seconds=elapsed,
                ),
            )

    def _tokenize(self, prompt: str) -> list[int]:
        tokens = self._llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
        if not tokens:
            raise EngineBadRequest("prompt is empty")
        if len(tokens) >= self._llm.n_ctx():
            raise EngineBadRequest(
                f"prompt has {len(tokens)} tokens; the context window holds {self._llm.n_ctx()}"
            )
        return tokens

    def _complete(
        self,
        prompt_index: int,
        prompt_logits: npt.NDArray[np.float32],
        prompt_length: int,
        computed_prompt: int,
        params: SamplingParams,
        rng: np.random.Generator,
        cancelled: threading.Event,
    ) -> Completion:
        room = self._llm.n_ctx() - prompt_length
        logits = prompt_logits
        generated: list[TokenLogprob] = []
        output = bytearray()
        text = ""
        finish: FinishReason = "length"
        ban = params.ban
        banned = self._ban_mask(ban) if ban is not None else None
        in_answer = ban is not None and ban.after is None
        for _ in range(min(params.max_new_tokens, room)):
            if cancelled.is_set():
                finish = "abort"
                break
            if banned is not None and in_answer:
                logits = np.where(banned, -np.inf, logits).astype(np.float32)
            choice = choose_token(
                logits,
                temperature=params.temperature,
                top_p=params.top_p,
                top_k=params.top_k,
                rng=rng,
                n_top=TOP_LOGPROBS,
            )
            generated.append(
                TokenLogprob(
                    text=self._token_text(choice.token_id),
                    logprob=choice.logprob,
                    top=tuple(
                        (self._token_text(top_id), top_logprob)
                        for top_id, top_logprob in zip(
                            choice.top_ids, choice.top_logprobs, strict=True
                        )
                    ),
                    token_id=choice.token_id,
                )
            )
            if llama_cpp.llama_vocab_is_eog(self._vocab, choice.token_id):
                finish = "stop"
                break
            output += self._llm.detokenize([choice.token_id])
            text = output.decode("utf-8", errors="ignore")
            stop_at = _find_stop(text, params.stop)
            if stop_at is not None:
                text = text[:stop_at]
                finish = "stop"
                break
            if ban is not None and ban.after is not None and not in_answer:
                in_answer = ban.after in text
            self._llm.eval([choice.token_id])
            logits = self._last_logits()
        return Completion(
            prompt_index=prompt_index,
            text=text,
            tokens=tuple(generated),
            finish_reason=finish,
            prompt_tokens=prompt_length,
            cached_prompt_tokens=prompt_length - computed_prompt,
        )

    def _evaluate_prompt(self, prompt_tokens: list[int]) -> int:
        """Decode only the part of the prompt not already in the KV cache; return that count."""
        cached = self._llm.input_ids[: self._llm.n_tokens].tolist()
        shared = int(llama_cpp.Llama.longest_token_prefix(cached, prompt_tokens))
        # The last prompt token is always decoded again so its logits are fresh.
        reuse = min(shared, len(prompt_tokens) - 1)
        self._llm.n_tokens = reuse
        self._llm.eval(prompt_tokens[reuse:])
        return len(prompt_tokens) - reuse

    def _last_logits(self) -> npt.NDArray[np.float32]:
        pointer = llama_cpp.llama_get_logits_ith(self._llm.ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(self._n_vocab,))

    def _ban_mask(self, ban: ScriptBan) -> npt.NDArray[np.bool_]:
        """The tokens that would write one of `ban.scripts`, worked out once per script set.

        Banned tokens get a logit of -inf in the answer, so the logprobs reported there are the
        model's distribution over the tokens it may still write.
        """
        key = tuple(sorted(ban.scripts))
        mask = self._ban_masks.get(key)
        if mask is None:
            pieces = [self._llm.detokenize([i]) for i in range(self._n_vocab)]
            mask = self._ban_masks[key] = banned_token_mask(pieces, key)
        return mask

    def _token_text(self, token_id: int) -> str:
        text = self._token_texts.get(token_id)
        if text is None:
            raw = self._llm.detokenize([token_id], special=True)
            text = self._token_texts[token_id] = raw.decode("utf-8", errors="replace")
        return text


def _find_stop(text: str, stops: Sequence[str]) -> int | None:
    """Earliest position where any stop string starts, or None."""
    positions = [position for stop in stops if (position := text.find(stop)) >= 0]
    return min(positions) if positions else None
