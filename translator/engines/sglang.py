"""SGLang backend over its native `/generate` API.

The native API (not the OpenAI port) takes a whole batch and `n` in one request, so the server
schedules the samples together and its radix cache reuses their shared prompt prefix; it also
returns token ids with the top-5 logprobs of every generated position.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import httpx
from pydantic import BaseModel

from translator.engines.http import (
    HttpEngineClient,
    JSONObject,
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
    TokenLogprob,
    Usage,
)

__all__ = ["SGLangEngine", "sglang_request"]

_TOP_K_DISABLED = -1
"""SGLang's "no top-k"; our 0 means the same."""

_LogprobEntry = tuple[float | None, int, str | None]
"""SGLang's `[logprob, token_id, text]`; text is null unless `return_text_in_logprobs`."""


class _FinishReason(BaseModel):
    type: FinishReason


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
        """Sample `params.n` continuations per prompt in one `/generate` request."""
        if not prompts:
            return GenerationResult(completions=[])
        started = time.perf_counter()
        data = await self._http.post_json("/generate", sglang_request(prompts, params))
        outputs = self._parse(data, expected=len(prompts) * params.n)
        completions = [_completion(out, i // params.n) for i, out in enumerate(outputs)]
        usage = _usage(outputs, time.perf_counter() - started)
        return GenerationResult(completions=completions, usage=usage)

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
    return {
        "text": list(prompts),
        "sampling_params": sampling,
        "return_logprob": True,
        "top_logprobs_num": TOP_LOGPROBS,
        "logprob_start_len": -1,
        "return_text_in_logprobs": True,
    }


def _completion(output: _Output, prompt_index: int) -> Completion:
    meta = output.meta_info
    reason: FinishReason = meta.finish_reason.type if meta.finish_reason is not None else "stop"
    tokens = tuple(
        _token(chosen, top)
        for chosen, top in zip(meta.output_token_logprobs, meta.output_top_logprobs, strict=True)
    )
    return Completion(
        prompt_index=prompt_index,
        text=output.text,
        tokens=tokens,
        finish_reason=reason,
        prompt_tokens=meta.prompt_tokens,
        cached_prompt_tokens=meta.cached_tokens,
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
