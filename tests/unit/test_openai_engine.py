"""OpenAICompletionsEngine against a mocked `/v1/completions` server: wire format and errors."""

from __future__ import annotations

import itertools
import json
import math
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
from translator.engines.openai import OpenAICompletionsEngine
from translator.engines.types import EngineInfo, SamplingParams, ScoreRequest, TokenLogprob

BASE_URL = "http://vllm.test:8000"
MODEL = "AIDC-AI/Marco-o1"
Handler = Callable[[httpx.Request], httpx.Response]

# llama-cpp-python style: the chosen token is added to its position's top dict, so a token outside
# the top 5 gives 6 entries there.
LOGPROBS = {
    "tokens": [" Hello", "!"],
    "text_offset": [40, 46],
    "token_logprobs": [-0.05, -7.25],
    "top_logprobs": [
        {" Hello": -0.05, " Hi": -3.1, " Hey": -4.0, "#": -5.5, "I": -6.0},
        {".": -0.2, ",": -2.0, " and": -2.5, "\n": -3.0, " there": -3.5, "!": -7.25},
    ],
}


def make_completion(
    text: str,
    *,
    finish_reason: str | None = "stop",
    logprobs: dict[str, Any] | None = None,
    usage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A `/v1/completions` answer with one choice, shaped like vLLM / llama-cpp-python's."""
    return {
        "id": "cmpl-1",
        "object": "text_completion",
        "created": 1730000000,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "text": text,
                "logprobs": logprobs if logprobs is not None else LOGPROBS,
                "finish_reason": finish_reason,
            }
        ],
        "usage": usage or {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12},
    }


def models_listing() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL, "object": "model"}, {"id": "other"}]}


class Server:
    """A MockTransport handler: lists models, echoes prompt and seed as completion text."""

    def __init__(self, completion: Handler | None = None) -> None:
        self.completion = completion
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/v1/models":
            return httpx.Response(200, json=models_listing())
        assert (request.method, request.url.path) == ("POST", "/v1/completions")
        if self.completion is not None:
            return self.completion(request)
        body = json.loads(request.content)
        return httpx.Response(200, json=make_completion(f"{body['prompt']}-s{body.get('seed')}"))

    def completion_bodies(self) -> list[Any]:
        return [json.loads(r.content) for r in self.requests if r.url.path == "/v1/completions"]

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def make_engine(
    handler: Handler, *, model: str | None = MODEL, base_url: str = BASE_URL
) -> OpenAICompletionsEngine:
    return OpenAICompletionsEngine(
        base_url,
        model=model,
        timeout_s=5.0,
        max_connections=4,
        api_key="secret",
        transport=httpx.MockTransport(handler),
    )


def fixed(status: int, **kwargs: Any) -> Handler:
    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, **kwargs)

    return answer


def failing(error: type[httpx.TransportError]) -> Handler:
    def answer(request: httpx.Request) -> httpx.Response:
        raise error("simulated", request=request)

    return answer


async def test_one_request_per_sample_with_exact_bodies() -> None:
    server = Server()
    engine = make_engine(server)
    params = SamplingParams(
        max_new_tokens=32, temperature=0.8, top_p=0.9, top_k=20, stop=("\n\n",), n=2, seed=5
    )

    result = await engine.generate(["p0", "p1"], params)

    expected = [
        {
            "model": MODEL,
            "prompt": prompt,
            "max_tokens": 32,
            "temperature": 0.8,
            "top_p": 0.9,
            "n": 1,
            "logprobs": 5,
            "stop": ["\n\n"],
            "seed": seed,
            "top_k": 20,
        }
        for prompt in ("p0", "p1")
        for seed in (5, 6)
    ]
    bodies = server.completion_bodies()
    assert sorted(bodies, key=json.dumps) == sorted(expected, key=json.dumps)
    assert all(r.headers["Authorization"] == "Bearer secret" for r in server.requests)
    assert [c.text for c in result.completions] == ["p0-s5", "p0-s6", "p1-s5", "p1-s6"]
    assert [c.prompt_index for c in result.completions] == [0, 0, 1, 1]


async def test_greedy_body_omits_stop_seed_and_disabled_top_k() -> None:
    server = Server()

    await make_engine(server).generate(["p0"], SamplingParams(max_new_tokens=8))

    assert server.completion_bodies() == [
        {
            "model": MODEL,
            "prompt": "p0",
            "max_tokens": 8,
            "temperature": 0.0,
            "top_p": 1.0,
            "n": 1,
            "logprobs": 5,
        }
    ]


async def test_model_is_probed_once_when_not_configured() -> None:
    server = Server()
    engine = make_engine(server, model=None, base_url=f"{BASE_URL}/v1/")

    await engine.generate(["p0"], SamplingParams())
    await engine.generate(["p1"], SamplingParams())

    assert server.paths() == ["/v1/models", "/v1/completions", "/v1/completions"]
    assert {body["model"] for body in server.completion_bodies()} == {MODEL}


async def test_tokens_sorted_top5_including_token_outside_top5() -> None:
    engine = make_engine(Server(fixed(200, json=make_completion("Hello!"))))

    [completion] = (await engine.generate(["p0"], SamplingParams())).completions

    assert completion.tokens == (
        TokenLogprob(
            text=" Hello",
            logprob=-0.05,
            top=((" Hello", -0.05), (" Hi", -3.1), (" Hey", -4.0), ("#", -5.5), ("I", -6.0)),
        ),
        TokenLogprob(
            text="!",
            logprob=-7.25,
            top=((".", -0.2), (",", -2.0), (" and", -2.5), ("\n", -3.0), (" there", -3.5)),
        ),
    )


async def test_null_top_entry_and_null_logprob() -> None:
    logprobs = {"tokens": ["a"], "token_logprobs": [None], "top_logprobs": [None]}
    engine = make_engine(Server(fixed(200, json=make_completion("a", logprobs=logprobs))))

    [completion] = (await engine.generate(["p0"], SamplingParams())).completions

    assert completion.tokens == (TokenLogprob(text="a", logprob=-math.inf, top=()),)


@pytest.mark.parametrize(
    ("reason", "expected"), [("stop", "stop"), ("length", "length"), (None, "stop")]
)
async def test_finish_reasons(reason: str | None, expected: str) -> None:
    engine = make_engine(Server(fixed(200, json=make_completion("x", finish_reason=reason))))

    [completion] = (await engine.generate(["p0"], SamplingParams())).completions

    assert completion.finish_reason == expected


async def test_usage_sums_requests_and_reads_cached_tokens() -> None:
    usage = {
        "prompt_tokens": 10,
        "completion_tokens": 2,
        "total_tokens": 12,
        "prompt_tokens_details": {"cached_tokens": 8},
    }
    engine = make_engine(Server(fixed(200, json=make_completion("x", usage=usage))))

    result = await engine.generate(["p0", "p1"], SamplingParams(n=2, temperature=1.0))

    assert result.usage.calls == 1
    assert (result.usage.prompt_tokens, result.usage.computed_prompt_tokens) == (40, 8)
    assert result.usage.generated_tokens == 8


async def test_usage_without_details_counts_no_cache_hits() -> None:
    engine = make_engine(Server())

    usage = (await engine.generate(["p0"], SamplingParams())).usage

    assert usage.prompt_tokens == usage.computed_prompt_tokens == 10
    assert usage.generated_tokens == 2


async def test_info_reports_first_listed_model_when_unset() -> None:
    engine = make_engine(Server(), model=None)

    assert await engine.info() == EngineInfo(engine="openai", model_id=MODEL)
    await engine.aclose()


async def test_info_reports_configured_model_after_checking_the_server() -> None:
    server = Server()

    info = await make_engine(server, model="my-alias").info()

    assert info.model_id == "my-alias"
    assert server.paths() == ["/v1/models"]


@pytest.mark.parametrize(
    ("handler", "error"),
    [
        (failing(httpx.ConnectError), EngineUnavailable),
        (fixed(503, text="Loading model"), EngineUnavailable),
        (fixed(200, json={"object": "list", "data": []}), EngineError),
    ],
)
async def test_info_failures(handler: Handler, error: type[EngineError]) -> None:
    with pytest.raises(EngineError) as caught:
        await make_engine(handler, model=None).info()

    assert type(caught.value) is error


@pytest.mark.parametrize(
    ("handler", "error"),
    [
        (failing(httpx.ConnectError), EngineUnavailable),
        (failing(httpx.ReadTimeout), EngineTimeout),
        (fixed(503), EngineOverloaded),
        (
            fixed(500, json={"error": {"message": "boom", "type": "internal_server_error"}}),
            EngineError,
        ),
    ],
)
async def test_failures_map_to_typed_errors(handler: Handler, error: type[EngineError]) -> None:
    with pytest.raises(EngineError) as caught:
        await make_engine(Server(handler)).generate(["p0"], SamplingParams())

    assert type(caught.value) is error


async def test_429_retry_after() -> None:
    engine = make_engine(Server(fixed(429, headers={"Retry-After": "1.5"})))

    with pytest.raises(EngineOverloaded) as caught:
        await engine.generate(["p0"], SamplingParams())

    assert caught.value.retry_after == 1.5


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            400,
            {"error": {"message": "Requested tokens (5000) exceed context window of 2048"}},
            "5000",
        ),
        (422, {"detail": [{"loc": ["body", "max_tokens"], "msg": "must be >= 0"}]}, "must be >= 0"),
        (404, {"object": "error", "message": "The model `x` does not exist.", "code": 404}, "`x`"),
    ],
)
async def test_client_errors_report_the_server_message(
    status: int, body: dict[str, Any], message: str
) -> None:
    engine = make_engine(Server(fixed(status, json=body)))

    with pytest.raises(EngineBadRequest, match=message):
        await engine.generate(["p0"], SamplingParams())


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({**make_completion("x"), "choices": []}, "0 choices"),
        (make_completion("x", finish_reason="content_filter"), "content_filter"),
        ({**make_completion("x"), "usage": None}, "usage"),
        (
            make_completion(
                "x", logprobs={"tokens": ["a"], "token_logprobs": [], "top_logprobs": []}
            ),
            "differ",
        ),
    ],
)
async def test_malformed_answers(body: dict[str, Any], problem: str) -> None:
    engine = make_engine(Server(fixed(200, json=body)))

    with pytest.raises(EngineError, match="malformed") as caught:
        await engine.generate(["p0"], SamplingParams())

    assert problem in str(caught.value)


async def test_missing_logprobs_is_malformed() -> None:
    body = make_completion("x")
    body["choices"][0]["logprobs"] = None
    engine = make_engine(Server(fixed(200, json=body)))

    with pytest.raises(EngineError, match="logprobs"):
        await engine.generate(["p0"], SamplingParams())


def echoed(
    tokens: list[tuple[str, float | None]], generated: int = 1, *, offsets: bool = False
) -> Handler:
    """An answer to an `echo` request: the prompt's tokens (the first without a logprob), then
    `generated` new ones; with `offsets`, each token's character offset too."""

    def answer(_request: httpx.Request) -> httpx.Response:
        logprobs: dict[str, Any] = {
            "tokens": [text for text, _ in tokens],
            "token_logprobs": [value for _, value in tokens],
            "top_logprobs": [None] * len(tokens),
        }
        if offsets:
            starts = itertools.accumulate((len(text) for text, _ in tokens[:-1]), initial=0)
            logprobs["text_offset"] = list(starts)
        usage = {"prompt_tokens": len(tokens) - generated, "completion_tokens": generated}
        return httpx.Response(
            200, json=make_completion("", logprobs=logprobs, usage=usage | {"total_tokens": 1})
        )

    return answer


async def test_score_reads_the_echoed_prompt_logprobs_of_the_continuation() -> None:
    server = Server(
        echoed([("Say", None), (":", -1.5), (" 踩", -2.0), ("屎感", -0.3), ("!", -4.0)])
    )
    engine = make_engine(server)

    (scores,) = await engine.score([ScoreRequest("Say:", " 踩屎感")])

    assert scores == (-2.0, -0.3)
    (body,) = server.completion_bodies()
    assert body == {
        "model": MODEL,
        "prompt": "Say: 踩屎感",
        "max_tokens": 1,
        "echo": True,
        "logprobs": 1,
        "temperature": 1.0,
    }


async def test_score_finds_the_prompt_by_offsets_when_the_generated_count_misleads() -> None:
    """llama-cpp-python counts a sampled token that it neither scores nor lists."""
    tokens = [("Say", None), (":", -1.5), (" 踩", -2.0), ("屎感", -0.3)]
    engine = make_engine(Server(echoed(tokens, generated=1, offsets=True)))
    (scores,) = await engine.score([ScoreRequest("Say:", " 踩屎感")])
    assert scores == (-2.0, -0.3)

    listed = [*tokens, (" yes", -0.7)]  # a server that lists the sampled token as well
    engine = make_engine(Server(echoed(listed, generated=1, offsets=True)))
    (scores,) = await engine.score([ScoreRequest("Say:", " 踩屎感")])
    assert scores == (-2.0, -0.3)


@pytest.mark.parametrize(
    "handler",
    [
        fixed(400, json={"error": {"message": "echo is not supported"}}),
        echoed([("Say", None), (":", -1.5)]),  # the prompt's tokens are not echoed
        lambda _request: httpx.Response(200, json={"choices": [{"text": "", "logprobs": None}]}),
    ],
)
async def test_servers_that_cannot_score_say_so(handler: Handler) -> None:
    engine = make_engine(Server(handler))
    with pytest.raises(EngineUnsupported):
        await engine.score([ScoreRequest("Say:", " 踩屎感")])
