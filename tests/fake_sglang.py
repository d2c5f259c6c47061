"""A tiny SGLang server on loopback: the native `/generate` wire protocol over real HTTP, with
faults to order (a dropped connection, malformed JSON, a 5xx, a 503 with `Retry-After`) and a
gate that holds calls, for fault tests of the remote engine path.

The answers are the echo engine's (`tests.api.engines.EchoEngine`), written as SGLang 0.5.x
writes them: `text`, and `meta_info` with the finish reason, token counts and every generated
token's logprob with its top alternatives.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.api.engines import EchoEngine
from tests.ports import free_port
from translator.engines.types import Completion, SamplingParams

__all__ = ["FakeSGLang", "Fault"]

MODEL_PATH = "fake/Marco-o1"
HOLD_TIMEOUT_S = 60


class Fault(Enum):
    DROP = "drop"
    """Close the connection without an answer."""
    MALFORMED = "malformed"
    """A 200 whose body is not JSON."""
    SERVER_ERROR = "server error"
    """500, as a crashed worker answers."""
    OVERLOADED = "overloaded"
    """503 with `Retry-After: 7`."""


def _wire(completion: Completion) -> dict[str, Any]:
    tokens = completion.tokens
    return {
        "text": completion.text,
        "meta_info": {
            "finish_reason": {"type": completion.finish_reason},
            "prompt_tokens": completion.prompt_tokens,
            "completion_tokens": len(tokens),
            "cached_tokens": 0,
            "output_token_logprobs": [[t.logprob, i, t.text] for i, t in enumerate(tokens)],
            "output_top_logprobs": [[[lp, 0, text] for text, lp in t.top] for t in tokens],
        },
    }


def _read(text: str) -> dict[str, Any]:
    """SGLang's answer to reading `text`: one character per token, each at logprob -0.5 (the
    first, which nothing predicts, at null), with its text."""
    logprobs = [[None if i == 0 else -0.5, i, char] for i, char in enumerate(text)]
    return {"text": "", "meta_info": {"input_token_logprobs": logprobs}}


class FakeSGLang:
    """Serves `/health`, `/model_info` and `/generate` until the `serve` block ends."""

    def __init__(self) -> None:
        self.generate_calls = 0
        self.failed_calls = 0
        self._fault: Fault | None = None
        self._healthy_calls = 0
        self._open = threading.Event()
        self._open.set()
        self._held = threading.Semaphore(0)
        self._lock = threading.Lock()

    def fail(self, fault: Fault, *, after: int = 0) -> None:
        """Answer the next `after` generate calls, then fail every one with `fault`."""
        with self._lock:
            self._fault, self._healthy_calls = fault, after

    def heal(self) -> None:
        with self._lock:
            self._fault = None

    def hold(self) -> None:
        """Hold every generate call from now until `release`."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def wait_until_held(self, timeout: float = HOLD_TIMEOUT_S) -> None:
        """Block until a generate call is being held."""
        assert self._held.acquire(timeout=timeout), "no generate call arrived"

    def _next_fault(self) -> Fault | None:
        with self._lock:
            self.generate_calls += 1
            if self._fault is None:
                return None
            if self._healthy_calls > 0:
                self._healthy_calls -= 1
                return None
            self.failed_calls += 1
            return self._fault

    def generate(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        sampling = body["sampling_params"]
        texts = body["text"] if isinstance(body["text"], list) else [body["text"]]
        if sampling["max_new_tokens"] == 0:  # a scoring call: prompt logprobs, nothing generated
            return [_read(text) for text in texts]
        params = SamplingParams(
            max_new_tokens=sampling["max_new_tokens"],
            temperature=sampling["temperature"],
            n=sampling.get("n", 1),
        )
        result = asyncio.run(EchoEngine().generate(texts, params))
        return [_wire(completion) for completion in result.completions]

    @contextmanager
    def serve(self) -> Iterator[str]:
        """The server's base URL while the block runs."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 (quiet)
                return None

            def _send(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/health":
                    self._send(200, b"")
                elif self.path == "/model_info":
                    self._send(200, json.dumps({"model_path": MODEL_PATH}).encode())
                else:
                    self._send(404, b'{"detail":"Not Found"}')

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path != "/generate":
                    self._send(404, b'{"detail":"Not Found"}')
                    return
                if not fake._open.is_set():
                    fake._held.release()
                    fake._open.wait(HOLD_TIMEOUT_S)
                fault = fake._next_fault()
                if fault is Fault.DROP:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                elif fault is Fault.MALFORMED:
                    self._send(200, b'{"text": "cut short", "meta_info": {"prompt_tok')
                elif fault is Fault.SERVER_ERROR:
                    self._send(500, b'{"object":"error","message":"worker crashed","code":500}')
                elif fault is Fault.OVERLOADED:
                    self._send(503, b'{"message":"busy"}', {"Retry-After": "7"})
                else:
                    self._send(200, json.dumps(fake.generate(body)).encode())

        server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            self.release()
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
