"""Backend for OpenAI-compatible `/v1/completions` servers: vLLM, SGLang's OpenAI port, llama.cpp.

These servers disagree on batching: llama-cpp-python's server accepts a list `prompt` of at most
one item and silently ignores `n`; llama.cpp's own server rejects `n != 1`. So every sample is
its own request with `n = 1`, all sent concurrently. Servers that batch (vLLM, SGLang) schedule
the concurrent requests together and reuse the shared prompt prefix through their prefix cache;
serialising servers simply queue them. With a seed, sample `k` of a prompt uses `seed + k`, so
samples differ from each other yet repeat across runs on every server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Sequence
from typing import TypeVar

import httpx
from pydantic import BaseModel

from translator.engines.errors import EngineBadRequest, EngineUnsupported
from translator.engines.http import (
    HttpEngineClient,
    JSONObject,
    continuation_logprobs,
    logprob_or_neg_inf,
    malformed,
    parse_model,
    top_alternatives,
)
from translator.engines.types import (
    TOP_LOGPROBS,
    Completion,
    EngineInfo,
    FinishReason,
    GenerationResult,
    SamplingParams,
    ScoreRequest,
    TokenLogprob,
    Usage,
)

__all__ = ["OpenAICompletionsEngine", "completion_request"]

_COMPLETIONS = "/v1/completions"
_MODELS = "/v1/models"
_FINISH_REASONS: dict[str | None, FinishReason] = {
    None: "stop",
    "stop": "stop",
    "length": "length",
    "abort": "abort",
}
_T = TypeVar("_T")


class _Logprobs(BaseModel):
    tokens: list[str]
    token_logprobs: list[float | None]
    top_logprobs: list[dict[str, float | None] | None]


class _EchoedLogprobs(BaseModel):
    tokens: list[str]
    token_logprobs: list[float | None]
    text_offset: list[int] | None = None

    def prompt_tokens(self, prompt: str, generated: int) -> list[tuple[str, float | None]]:
        """The (text, logprob) pairs of the echoed prompt alone.

        Where the server reports each token's character offset, the prompt's tokens are those
        that start inside it; that holds however many generated tokens the server listed
        (llama-cpp-python counts one it never scored). Otherwise the last `generated` go.
        """
        read = list(zip(self.tokens, self.token_logprobs, strict=False))
        if self.text_offset is not None and len(self.text_offset) == len(read):
            return [
                pair for pair, at in zip(read, self.text_offset, strict=True) if at < len(prompt)
            ]
        return read[: len(read) - generated]


class _EchoedChoice(BaseModel):
    logprobs: _EchoedLogprobs | None = None


class _EchoUsage(BaseModel):
    completion_tokens: int = 0


class _EchoAnswer(BaseModel):
    choices: list[_EchoedChoice]
    usage: _EchoUsage | None = None


class _Choice(BaseModel):
    text: str
    finish_reason: str | None
    logprobs: _Logprobs


class _PromptTokensDetails(BaseModel):
    cached_tokens: int | None = None


class _Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    prompt_tokens_details: _PromptTokensDetails | None = None


class _Answer(BaseModel):
    choices: list[_Choice]
    usage: _Usage


class _ModelEntry(BaseModel):
    id: str


class _ModelList(BaseModel):
    data: list[_ModelEntry]


class OpenAICompletionsEngine:
    """Talks to an OpenAI-compatible completions server; the model is probed when not given."""

    name = "openai"

    def __init__(
        self,
        base_url: str,
        *,
        model: str | None = None,
        timeout_s: float,
        max_connections: int,
        api_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._model = model
        self._http = HttpEngineClient(
            _server_root(base_url),
            timeout_s=timeout_s,
            max_connections=max_connections,
            api_key=api_key,
            transport=transport,
        )

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        """Sample `params.n` continuations per prompt, one concurrent request per sample."""
        if not prompts:
            return GenerationResult(completions=[])
        started = time.perf_counter()
        model = self._model or await self._first_model()
        bodies = [
            completion_request(model, prompt, params, sample=k)
            for prompt in prompts
            for k in range(params.n)
        ]
        answers = await _all_or_nothing([self._complete(body) for body in bodies])
        completions = [
            _completion(answer, prompt_index=i // params.n) for i, answer in enumerate(answers)
        ]
        usage = _usage(answers, time.perf_counter() - started)
        return GenerationResult(completions=completions, usage=usage)

    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        """Prompt logprobs through `echo`, one concurrent request per text (vLLM has it).

        Servers without echoed prompt logprobs (llama.cpp's) refuse the request or leave them
        out; either raises `EngineUnsupported`, and the search then chooses without them.
        """
        if not requests:
            return []
        model = self._model or await self._first_model()
        return await _all_or_nothing([self._score(model, request) for request in requests])

    async def _score(self, model: str, request: ScoreRequest) -> tuple[float, ...]:
        body: JSONObject = {
            "model": model,
            "prompt": request.context + request.continuation,
            "max_tokens": 1,  # 0 means "no limit" to llama-cpp-python's server
            "echo": True,
            "logprobs": 1,
            "temperature": 1.0,  # servers that scale logprobs by it then report them unscaled
        }
        where = self._http.where(_COMPLETIONS)
        try:
            data = await self._http.post_json(_COMPLETIONS, body)
        except EngineBadRequest as error:
            raise EngineUnsupported(f"{where} does not score prompts: {error}") from error
        answer = parse_model(_EchoAnswer, data, where)
        echoed = answer.choices[0].logprobs if answer.choices else None
        logprobs = None
        if echoed is not None:
            generated = answer.usage.completion_tokens if answer.usage is not None else 0
            prompt = echoed.prompt_tokens(request.context + request.continuation, generated)
            logprobs = continuation_logprobs(prompt, request.continuation)
        if logprobs is None:
            raise EngineUnsupported(f"{where} does not echo the prompt's logprobs")
        return logprobs

    async def info(self) -> EngineInfo:
        """Check that `/v1/models` answers; report the configured or the first listed model."""
        served = self._parse_models(self._http.decode_json(await self._http.probe(_MODELS)))
        if self._model is None:
            self._model = served
        return EngineInfo(engine=self.name, model_id=self._model)

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._http.aclose()

    async def _first_model(self) -> str:
        """Probe the served model once; servers need a `model` even when they serve just one."""
        self._model = self._parse_models(await self._http.get_json(_MODELS))
        return self._model

    def _parse_models(self, data: object) -> str:
        listing = parse_model(_ModelList, data, self._http.where(_MODELS))
        if not listing.data:
            raise malformed(self._http.where(_MODELS), "the server lists no model")
        return listing.data[0].id

    async def _complete(self, body: JSONObject) -> _Answer:
        where = self._http.where(_COMPLETIONS)
        answer = parse_model(_Answer, await self._http.post_json(_COMPLETIONS, body), where)
        if len(answer.choices) != 1:
            raise malformed(where, f"{len(answer.choices)} choices for n=1")
        choice = answer.choices[0]
        if choice.finish_reason not in _FINISH_REASONS:
            raise malformed(where, f"unknown finish_reason {choice.finish_reason!r}")
        logprobs = choice.logprobs
        if not len(logprobs.tokens) == len(logprobs.token_logprobs) == len(logprobs.top_logprobs):
            raise malformed(where, "logprobs lists differ in length")
        return answer


def completion_request(
    model: str, prompt: str, params: SamplingParams, *, sample: int = 0
) -> JSONObject:
    """The `/v1/completions` body for sample number `sample` of one prompt."""
    body: JSONObject = {
        "model": model,
        "prompt": prompt,
        "max_tokens": params.max_new_tokens,
        "temperature": params.temperature,
        "top_p": params.top_p,
        "n": 1,
        "logprobs": TOP_LOGPROBS,
    }
    if params.stop:
        body["stop"] = list(params.stop)
    if params.seed is not None:
        body["seed"] = params.seed + sample
    if params.top_k > 0:
        body["top_k"] = params.top_k
    return body


def _server_root(base_url: str) -> str:
    """Accept the usual OpenAI base URL (ending in `/v1`) as well as the bare server URL."""
    return base_url.rstrip("/").removesuffix("/v1")


async def _all_or_nothing(calls: Sequence[Awaitable[_T]]) -> list[_T]:
    """Await all calls concurrently; on the first failure cancel the rest instead of orphaning."""
    tasks = [asyncio.ensure_future(call) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        raise


def _completion(answer: _Answer, *, prompt_index: int) -> Completion:
    """The answer to a one-sample request; its whole usage belongs to that sample."""
    choice = answer.choices[0]
    return Completion(
        prompt_index=prompt_index,
        text=choice.text,
        tokens=_tokens(choice.logprobs),
        finish_reason=_FINISH_REASONS[choice.finish_reason],
        prompt_tokens=answer.usage.prompt_tokens,
        cached_prompt_tokens=_cached_tokens(answer.usage),
    )


def _tokens(logprobs: _Logprobs) -> tuple[TokenLogprob, ...]:
    return tuple(
        TokenLogprob(
            text=text,
            logprob=logprob_or_neg_inf(value),
            top=top_alternatives(list((top or {}).items())),
        )
        for text, value, top in zip(
            logprobs.tokens, logprobs.token_logprobs, logprobs.top_logprobs, strict=True
        )
    )


def _usage(answers: Sequence[_Answer], wall_seconds: float) -> Usage:
    prompt = sum(answer.usage.prompt_tokens for answer in answers)
    cached = sum(_cached_tokens(answer.usage) for answer in answers)
    return Usage(
        calls=1,
        prompt_tokens=prompt,
        computed_prompt_tokens=prompt - cached,
        generated_tokens=sum(answer.usage.completion_tokens for answer in answers),
        wall_seconds=wall_seconds,
    )


def _cached_tokens(usage: _Usage) -> int:
    details = usage.prompt_tokens_details
    if details is None or details.cached_tokens is None:
        return 0
    return details.cached_tokens
