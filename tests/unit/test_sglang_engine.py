"""SGLangEngine against a mocked SGLang 0.5.x `/generate` server: wire format and error types."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from translator.engines.errors import (
    EngineBadRequest,
    EngineError,
    EngineOverloaded,
    EngineTimeout,
    EngineUnavailable,
    EngineUnsupported,
)
from translator.engines.sglang import SGLangEngine
from translator.engines.types import (
    EngineInfo,
    SamplingParams,
    ScoreRequest,
    ScriptBan,
    TokenLogprob,
)

BASE_URL = "http://sglang.test:30000"
Handler = Callable[[httpx.Request], httpx.Response]

TOP5 = [
    [-0.05, 9707, " Hello"],
    [-3.1, 13048, " Hi"],
    [-4.0, 21927, " Hey"],
    [-5.5, 2, "#"],
    [-6.0, 40, "I"],
]


def make_output(
    text: str,
    *,
    finish: dict[str, Any] | None = None,
    prompt_tokens: int = 12,
    cached_tokens: int = 0,
) -> dict[str, Any]:
    """One output item shaped like SGLang 0.5.x `/generate` with logprobs requested."""
    return {
        "text": text,
        "output_ids": [9707, 0],
        "meta_info": {
            "id": "5d0b3f",
            "finish_reason": finish if finish is not None else {"type": "stop", "matched": 151645},
            "prompt_tokens": prompt_tokens,
            "weight_version": "default",
            "completion_tokens": 2,
            "cached_tokens": cached_tokens,
            "e2e_latency": 0.08,
            "output_token_logprobs": [[-0.05, 9707, " Hello"], [-7.25, 0, "!"]],
            "output_top_logprobs": [TOP5, None],
        },
    }


class Recorder:
    """A MockTransport handler that remembers every request and answers from a callback."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    def bodies(self) -> list[Any]:
        return [json.loads(request.content) for request in self.requests]


def make_engine(handler: Handler, *, api_key: str | None = None) -> SGLangEngine:
    return SGLangEngine(
        BASE_URL,
        timeout_s=5.0,
        max_connections=4,
        api_key=api_key,
        transport=httpx.MockTransport(handler),
    )


def answer_outputs(count: int) -> Handler:
    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[make_output(f"out{i}") for i in range(count)])

    return answer


def fixed(status: int, **kwargs: Any) -> Handler:
    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, **kwargs)

    return answer


def failing(error: type[httpx.TransportError]) -> Handler:
    def answer(request: httpx.Request) -> httpx.Response:
        raise error("simulated", request=request)

    return answer


async def test_request_body_is_exact_native_generate_call() -> None:
    recorder = Recorder(answer_outputs(4))
    engine = make_engine(recorder, api_key="secret")
    params = SamplingParams(
        max_new_tokens=32, temperature=0.7, top_p=0.9, top_k=0, stop=("\n\n",), n=2, seed=7
    )

    await engine.generate(["p0", "p1"], params)

    [request] = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == f"{BASE_URL}/generate"
    assert request.headers["Authorization"] == "Bearer secret"
    assert recorder.bodies() == [
        {
            "text": ["p0", "p1"],
            "sampling_params": {
                "max_new_tokens": 32,
                "temperature": 0.7,
                "top_p": 0.9,
                "top_k": -1,
                "stop": ["\n\n"],
                "n": 2,
                "sampling_seed": 7,
            },
            "return_logprob": True,
            "top_logprobs_num": 5,
            "logprob_start_len": -1,
            "return_text_in_logprobs": True,
        }
    ]


async def test_request_omits_empty_stop_and_missing_seed() -> None:
    recorder = Recorder(answer_outputs(1))
    engine = make_engine(recorder)

    await engine.generate(["p0"], SamplingParams(max_new_tokens=8, top_k=20))

    [body] = recorder.bodies()
    assert body["sampling_params"] == {
        "max_new_tokens": 8,
        "temperature": 0.0,
        "top_p": 1.0,
        "top_k": 20,
        "n": 1,
    }
    assert "Authorization" not in recorder.requests[0].headers


async def test_outputs_are_prompt_major() -> None:
    engine = make_engine(answer_outputs(4))

    result = await engine.generate(["p0", "p1"], SamplingParams(n=2, temperature=0.8))

    assert [c.prompt_index for c in result.completions] == [0, 0, 1, 1]
    assert [c.text for c in result.completions] == ["out0", "out1", "out2", "out3"]


async def test_tokens_keep_logprob_outside_top5_and_null_top_entries() -> None:
    engine = make_engine(answer_outputs(1))

    [completion] = (await engine.generate(["p0"], SamplingParams())).completions

    assert completion.tokens == (
        TokenLogprob(
            text=" Hello",
            logprob=-0.05,
            top=((" Hello", -0.05), (" Hi", -3.1), (" Hey", -4.0), ("#", -5.5), ("I", -6.0)),
            token_id=9707,
        ),
        TokenLogprob(text="!", logprob=-7.25, top=(), token_id=0),
    )


async def test_top_list_is_sorted_and_truncated_and_null_values_read_as_minus_inf() -> None:
    output = make_output("x")
    meta = output["meta_info"]
    meta["output_token_logprobs"] = [[None, 5, None]]
    meta["output_top_logprobs"] = [[*reversed(TOP5), [None, 5, None]]]
    engine = make_engine(fixed(200, json=[output]))

    [completion] = (await engine.generate(["p0"], SamplingParams())).completions

    [token] = completion.tokens
    assert token.text == ""
    assert token.logprob == -math.inf
    assert [text for text, _ in token.top] == [" Hello", " Hi", " Hey", "#", "I"]


@pytest.mark.parametrize(
    ("finish", "expected"),
    [
        ({"type": "stop", "matched": "\n\n"}, "stop"),
        ({"type": "length", "length": 2}, "length"),
        ({"type": "abort", "message": "client disconnected"}, "abort"),
    ],
)
async def test_finish_reason_types(finish: dict[str, Any], expected: str) -> None:
    engine = make_engine(fixed(200, json=[make_output("x", finish=finish)]))

    [completion] = (await engine.generate(["p0"], SamplingParams())).completions

    assert completion.finish_reason == expected


async def test_null_finish_reason_means_stop() -> None:
    output = make_output("x")
    output["meta_info"]["finish_reason"] = None
    engine = make_engine(fixed(200, json=[output]))

    [completion] = (await engine.generate(["p0"], SamplingParams())).completions

    assert completion.finish_reason == "stop"


async def test_single_dict_answer_is_accepted() -> None:
    engine = make_engine(fixed(200, json=make_output("solo")))

    result = await engine.generate(["p0"], SamplingParams())

    assert [c.text for c in result.completions] == ["solo"]


async def test_usage_sums_outputs_and_counts_cache_hits() -> None:
    outputs = [
        make_output("a", prompt_tokens=12, cached_tokens=0),
        make_output("b", prompt_tokens=12, cached_tokens=10),
    ]
    engine = make_engine(fixed(200, json=outputs))

    usage = (await engine.generate(["p0"], SamplingParams(n=2, temperature=1.0))).usage

    assert (usage.calls, usage.prompt_tokens, usage.computed_prompt_tokens) == (1, 24, 14)
    assert usage.generated_tokens == 4
    assert usage.cached_prompt_tokens == 10
    assert usage.wall_seconds >= 0


async def test_empty_batch_sends_nothing() -> None:
    recorder = Recorder(answer_outputs(0))

    result = await make_engine(recorder).generate([], SamplingParams())

    assert result.completions == []
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("handler", "error"),
    [
        (failing(httpx.ConnectError), EngineUnavailable),
        (failing(httpx.ReadTimeout), EngineTimeout),
        (failing(httpx.ConnectTimeout), EngineTimeout),
        (fixed(503, text="overloaded"), EngineOverloaded),
        (fixed(500, json={"error": {"message": "CUDA out of memory"}}), EngineError),
        (fixed(404, text="Not Found"), EngineBadRequest),
    ],
)
async def test_failures_map_to_typed_errors(handler: Handler, error: type[EngineError]) -> None:
    with pytest.raises(EngineError) as caught:
        await make_engine(handler).generate(["p0"], SamplingParams())

    assert type(caught.value) is error


async def test_429_carries_retry_after_seconds() -> None:
    engine = make_engine(fixed(429, headers={"Retry-After": "3"}, json={"error": "busy"}))

    with pytest.raises(EngineOverloaded) as caught:
        await engine.generate(["p0"], SamplingParams())

    assert caught.value.retry_after == 3.0
    assert caught.value.retryable


async def test_retry_after_as_http_date_in_the_past_is_zero() -> None:
    engine = make_engine(fixed(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))

    with pytest.raises(EngineOverloaded) as caught:
        await engine.generate(["p0"], SamplingParams())

    assert caught.value.retry_after == 0.0


async def test_503_without_retry_after() -> None:
    with pytest.raises(EngineOverloaded) as caught:
        await make_engine(fixed(503)).generate(["p0"], SamplingParams())

    assert caught.value.retry_after is None


async def test_400_reports_the_server_message() -> None:
    body = {"error": {"message": "Unknown sampling parameter: foo"}}
    engine = make_engine(fixed(400, json=body))

    with pytest.raises(EngineBadRequest, match="Unknown sampling parameter: foo") as caught:
        await engine.generate(["p0"], SamplingParams())

    assert not caught.value.retryable


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([make_output("only one")], "1 outputs, expected 2"),
        ([{"text": "no meta"}, {"text": "no meta"}], "meta_info"),
        ({"error": "not a generation"}, "text"),
    ],
)
async def test_malformed_answers_are_engine_errors(body: Any, problem: str) -> None:
    engine = make_engine(fixed(200, json=body))

    with pytest.raises(EngineError, match="malformed") as caught:
        await engine.generate(["p0", "p1"], SamplingParams())

    assert problem in str(caught.value)
    assert type(caught.value) is EngineError


async def test_non_json_answer_is_malformed() -> None:
    engine = make_engine(fixed(200, text="<html>proxy page</html>"))

    with pytest.raises(EngineError, match="not JSON"):
        await engine.generate(["p0"], SamplingParams())


async def test_mismatched_logprob_lists_are_malformed() -> None:
    output = make_output("x")
    output["meta_info"]["output_top_logprobs"] = [TOP5]
    engine = make_engine(fixed(200, json=[output]))

    with pytest.raises(EngineError, match="malformed"):
        await engine.generate(["p0"], SamplingParams())


def health_and_model_info(health_status: int) -> Handler:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/health":
            return httpx.Response(health_status)
        assert request.url.path == "/model_info"
        return httpx.Response(200, json={"model_path": "AIDC-AI/Marco-o1", "is_generation": True})

    return answer


async def test_info_reads_model_path_once_healthy() -> None:
    recorder = Recorder(health_and_model_info(200))
    engine = make_engine(recorder)

    assert await engine.info() == EngineInfo(engine="sglang", model_id="AIDC-AI/Marco-o1")
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("GET", "/health"),
        ("GET", "/model_info"),
    ]
    await engine.aclose()


@pytest.mark.parametrize("handler", [health_and_model_info(503), failing(httpx.ConnectError)])
async def test_info_while_starting_or_unreachable_is_unavailable(handler: Handler) -> None:
    with pytest.raises(EngineUnavailable):
        await make_engine(handler).info()


async def test_a_ban_from_the_first_token_sends_a_regex_without_the_scripts() -> None:
    recorder = Recorder(answer_outputs(1))
    engine = make_engine(recorder)
    await engine.generate(["p"], SamplingParams(ban=ScriptBan(("han", "kana"))))
    regex = recorder.bodies()[0]["sampling_params"]["regex"]
    allowed = re.compile(regex)
    assert allowed.fullmatch("Cloud-like cushioning, 2,180 yen! </Output>")
    assert not allowed.fullmatch("Follow 苏宁 now")
    assert not allowed.fullmatch("ありがとう")


async def test_a_ban_after_the_reasoning_answers_under_the_regex_in_a_second_call() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if "regex" not in body["sampling_params"]:
            opened = make_output(
                "<Thought>think</Thought>\n", finish={"type": "stop", "matched": "<Output>"}
            )
            capped = make_output("<Thought>long", finish={"type": "length"})
            return httpx.Response(200, json=[opened, capped])
        return httpx.Response(200, json=[make_output("Hello!")])

    recorder = Recorder(answer)
    engine = make_engine(recorder)
    params = SamplingParams(stop=("</Output>",), n=2, ban=ScriptBan(("han",), after="<Output>"))
    result = await engine.generate(["prompt:"], params)

    free, constrained = recorder.bodies()
    assert free["sampling_params"]["stop"] == ["</Output>", "<Output>"]
    assert "regex" not in free["sampling_params"]
    assert constrained["text"] == ["prompt:<Thought>think</Thought>\n<Output>"]
    assert constrained["sampling_params"]["n"] == 1
    assert constrained["sampling_params"]["stop"] == ["</Output>"]
    texts = [c.text for c in result.completions]
    assert texts == ["<Thought>think</Thought>\n<Output>Hello!", "<Thought>long"]
    assert len(result.completions[0].tokens) == 4  # both calls' tokens
    assert result.completions[1].finish_reason == "length"
    assert result.usage.calls == 2


def scored_output(entries: list[list[Any]]) -> dict[str, Any]:
    """An output of a `max_new_tokens: 0` request with prompt logprobs from position 0."""
    return {
        "text": "",
        "meta_info": {
            "finish_reason": {"type": "length"},
            "prompt_tokens": len(entries),
            "completion_tokens": 0,
            "input_token_logprobs": entries,
        },
    }


async def test_score_body_and_the_continuations_logprobs() -> None:
    outputs = [
        scored_output([[None, 1, "Say"], [-1.5, 2, ":"], [-2.0, 3, "踩"], [-0.3, 4, "屎感"]]),
        scored_output([[None, 1, "Say"], [-1.5, 2, ":"], [-0.7, 5, "好"]]),
    ]
    recorder = Recorder(lambda _request: httpx.Response(200, json=outputs))
    engine = make_engine(recorder)

    scores = await engine.score([ScoreRequest("Say:", "踩屎感"), ScoreRequest("Say:", "好")])

    assert scores == [(-2.0, -0.3), (-0.7,)]
    assert recorder.bodies() == [
        {
            "text": ["Say:踩屎感", "Say:好"],
            "sampling_params": {"max_new_tokens": 0, "temperature": 1.0},
            "return_logprob": True,
            "logprob_start_len": 0,
            "return_text_in_logprobs": True,
        }
    ]


async def test_score_that_does_not_spell_the_text_is_malformed() -> None:
    output = scored_output([[None, 1, "Say"], [-1.5, 2, ":"], [-0.7, 5, None]])
    engine = make_engine(lambda _request: httpx.Response(200, json=output))
    with pytest.raises(EngineUnsupported, match="do not spell"):
        await engine.score([ScoreRequest("Say:", "好")])
