"""SGLang backend over its native `/generate` API.

The native API (not the OpenAI port) takes a whole batch and `n` in one request, so the server
schedules the samples together and its radix cache reuses their shared prompt prefix; it also
returns token ids with the top-5 logprobs of every generated position.

A script ban (`SamplingParams.ban`) uses SGLang's constrained decoding: the answer is generated
under a `regex` that excludes the banned scripts. When the answer opens only after a reasoning,
the reasoning is generated first up to the answer's opening tag, and the answers then continue
those texts under the regex (the radix cache keeps that second call's prompts cheap).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import httpx
from pydantic import BaseModel

from translator.engines.errors import EngineUnsupported
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
    ScriptBan,
    TokenLogprob,
    Usage,
)
from translator.text.scripts import script_class

__all__ = ["SGLangEngine", "sglang_request", "sglang_score_request"]

_TOP_K_DISABLED = -1
"""SGLang's "no top-k"; our 0 means the same."""

_LogprobEntry = tuple[float | None, int, str | None]
"""SGLang's `[logprob, token_id, text]`; text is null unless `return_text_in_logprobs`."""


class _FinishReason(BaseModel):
    type: FinishReason
    matched: str | int | None = None


class _MetaInfo(BaseModel):
    finish_reason: _FinishReason | None
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int = 0
    output_token_logprobs: list[_LogprobEntry]
    output_top_logprobs: list[list[_LogprobEntry] | None]


class _Output(BaseModel):
    text: str
    meta_info: _MetaInfo


class _PromptMeta(BaseModel):
    input_token_logprobs: list[_LogprobEntry]


class _Scored(BaseModel):
    meta_info: _PromptMeta


class _ScoreAnswer(BaseModel):
    outputs: list[_Scored]


class _Answer(BaseModel):
    outputs: list[_Output]


class SGLangEngine:
    """Talks to one SGLang server (or a gateway in front of several) over HTTP."""

    name = "sglang"

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float,
        max_connections: int,
        api_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = HttpEngineClient(
            base_url,
            timeout_s=timeout_s,
            max_connections=max_connections,
            api_key=api_key,
            transport=transport,
        )

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        """Sample `params.n` continuations per prompt in one `/generate` request (two when a
        ban starts at an answer the model has yet to open)."""
        if not prompts:
            return GenerationResult(completions=[])
        ban = params.ban
        if ban is not None and ban.after is not None:
            return await self._reason_then_answer(prompts, params, ban.scripts, ban.after)
        return await self._generate(prompts, params)

    async def _generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        started = time.perf_counter()
        data = await self._http.post_json("/generate", sglang_request(prompts, params))
        outputs = self._parse(data, expected=len(prompts) * params.n)
        completions = [_completion(out, i // params.n) for i, out in enumerate(outputs)]
        usage = _usage(outputs, time.perf_counter() - started)
        return GenerationResult(completions=completions, usage=usage)

    async def _reason_then_answer(
        self, prompts: Sequence[str], params: SamplingParams, scripts: tuple[str, ...], opening: str
    ) -> GenerationResult:
        """Reason freely up to `opening`, then answer with `scripts` banned from there."""
        free = replace(params, stop=(*params.stop, opening), ban=None)
        first = await self._generate(prompts, free)
        opened = [i for i, c in enumerate(first.completions) if c.stopped_at == opening]
        if not opened:
            return first
        used = min(len(first.completions[i].tokens) for i in opened)
        answer_params = replace(
            params,
            n=1,
            max_new_tokens=max(1, params.max_new_tokens - used),
            ban=ScriptBan(scripts),
        )
        continued = [
            prompts[first.completions[i].prompt_index] + first.completions[i].text + opening
            for i in opened
        ]
        second = await self._generate(continued, answer_params)
        completions = list(first.completions)
        for i, answer in zip(opened, second.completions, strict=True):
            completions[i] = _joined(completions[i], opening, answer)
        return GenerationResult(completions=completions, usage=first.usage + second.usage)

    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        """Prompt logprobs of each context + continuation in one `/generate` request.

        Nothing is generated (`max_new_tokens` 0); every prompt token's logprob comes back with
        its text, and the continuation is the tail those texts spell (SGLang does not tell
        where a text boundary fell among the tokens).
        """
        if not requests:
            return []
        where = self._http.where("/generate")
        data = await self._http.post_json("/generate", sglang_score_request(requests))
        answer = parse_model(
            _ScoreAnswer, {"outputs": data if isinstance(data, list) else [data]}, where
        )
        if len(answer.outputs) != len(requests):
            raise malformed(where, f"{len(answer.outputs)} outputs, expected {len(requests)}")
        scores = []
        for request, output in zip(requests, answer.outputs, strict=True):
            entries = [
                (text or "", value) for value, _, text in output.meta_info.input_token_logprobs
            ]
            logprobs = continuation_logprobs(entries, request.continuation)
            if logprobs is None:  # an SGLang that leaves out token texts or prompt logprobs
                raise EngineUnsupported(f"{where}: the prompt logprobs do not spell the text")
            scores.append(logprobs)
        return scores

    async def info(self) -> EngineInfo:
        """Check `/health`, then read the served model from `/model_info`."""
        await self._http.probe("/health")
        data = await self._http.get_json("/model_info")
        if not isinstance(data, dict) or not isinstance(data.get("model_path"), str):
            raise malformed(self._http.where("/model_info"), "no model_path")
        return EngineInfo(engine=self.name, model_id=data["model_path"])

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._http.aclose()

    def _parse(self, data: object, *, expected: int) -> list[_Output]:
        where = self._http.where("/generate")
        answer = parse_model(
            _Answer, {"outputs": data if isinstance(data, list) else [data]}, where
        )
        if len(answer.outputs) != expected:
            raise malformed(where, f"{len(answer.outputs)} outputs, expected {expected}")
        for output in answer.outputs:
            meta = output.meta_info
            if len(meta.output_top_logprobs) != len(meta.output_token_logprobs):
                raise malformed(where, "output_top_logprobs and output_token_logprobs differ")
        return answer.outputs


def sglang_request(prompts: Sequence[str], params: SamplingParams) -> JSONObject:
    """The `/generate` body; `sampling_params` holds only keys SGLang knows (others are a 400)."""
    sampling: JSONObject = {
        "max_new_tokens": params.max_new_tokens,
        "temperature": params.temperature,
        "top_p": params.top_p,
        "top_k": params.top_k or _TOP_K_DISABLED,
        "n": params.n,
    }
    if params.stop:
        sampling["stop"] = list(params.stop)
    if params.seed is not None:
        sampling["sampling_seed"] = params.seed
    if params.ban is not None:
        sampling["regex"] = f"[^{script_class(params.ban.scripts)}]*"
    return {
        "text": list(prompts),
        "sampling_params": sampling,
        "return_logprob": True,
        "top_logprobs_num": TOP_LOGPROBS,
        "logprob_start_len": -1,
        "return_text_in_logprobs": True,
    }


def sglang_score_request(requests: Sequence[ScoreRequest]) -> JSONObject:
    """The `/generate` body that reads each context + continuation and generates nothing."""
    return {
        "text": [request.context + request.continuation for request in requests],
        "sampling_params": {"max_new_tokens": 0, "temperature": 1.0},
        "return_logprob": True,
        "logprob_start_len": 0,
        "return_text_in_logprobs": True,
    }


def _completion(output: _Output, prompt_index: int) -> Completion:
    meta = output.meta_info
    reason: FinishReason = meta.finish_reason.type if meta.finish_reason is not None else "stop"
    tokens = tuple(
        _token(chosen, top)
        for chosen, top in zip(meta.output_token_logprobs, meta.output_top_logprobs, strict=True)
    )
    matched = meta.finish_reason.matched if meta.finish_reason is not None else None
    return Completion(
        prompt_index=prompt_index,
        text=output.text,
        tokens=tokens,
        finish_reason=reason,
        prompt_tokens=meta.prompt_tokens,
        cached_prompt_tokens=meta.cached_tokens,
        stopped_at=matched if isinstance(matched, str) else None,
    )


def _joined(reasoning: Completion, opening: str, answer: Completion) -> Completion:
    """One sample from its free reasoning and its constrained answer (the opening tag was the
    first call's stop string, so it is written back between them)."""
    return replace(
        reasoning,
        text=reasoning.text + opening + answer.text,
        tokens=reasoning.tokens + answer.tokens,
        finish_reason=answer.finish_reason,
        stopped_at=answer.stopped_at,
    )


def _token(chosen: _LogprobEntry, top: list[_LogprobEntry] | None) -> TokenLogprob:
    value, token_id, text = chosen
    alternatives = [(alt_text or "", alt_value) for alt_value, _, alt_text in top or []]
    return TokenLogprob(
        text=text or "",
        logprob=logprob_or_neg_inf(value),
        top=top_alternatives(alternatives),
        token_id=token_id,
    )


def _usage(outputs: list[_Output], wall_seconds: float) -> Usage:
    metas = [output.meta_info for output in outputs]
    return Usage(
        calls=1,
        prompt_tokens=sum(meta.prompt_tokens for meta in metas),
        computed_prompt_tokens=sum(meta.prompt_tokens - meta.cached_tokens for meta in metas),
        generated_tokens=sum(meta.completion_tokens for meta in metas),
        wall_seconds=wall_seconds,
    )
