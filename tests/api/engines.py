"""Engines for route tests: one that answers any prompt, and ways to hold or fail its calls."""

from __future__ import annotations

import asyncio
import re
import zlib
from collections.abc import Sequence

from tests.scripted_engine import confident_tokens
from translator.engines.types import (
    Completion,
    EngineInfo,
    GenerationResult,
    SamplingParams,
    Usage,
)
from translator.prompting.prompts import OUTPUT_OPEN

_SOURCE = re.compile(r"text:\n(.*?)(?:\n\n(?:Glossary|Context) \(.*)?<\|im_end\|>", re.DOTALL)


def echo_translation(text: str) -> str:
    """What `EchoEngine` answers for `text`: ASCII only, so no verifier flags it."""
    return f"EN-{zlib.crc32(text.encode('utf-8')):08x}"


class EchoEngine:
    """Answers every prompt at once: a short thought where one is open, then the answer.

    `gate` holds every call until it is set (to make requests overlap); `error` fails them.
    """

    name = "echo"

    def __init__(
        self, *, gate: asyncio.Event | None = None, error: Exception | None = None
    ) -> None:
        self.gate = gate
        self.error = error
        self.calls = 0

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        completions: list[Completion] = []
        for index, prompt in enumerate(prompts):
            match = _SOURCE.search(prompt, prompt.rfind("<|im_start|>user"))
            answer = echo_translation(match.group(1) if match else "")
            if not prompt.rstrip().endswith(OUTPUT_OPEN):
                answer = f"The seller means it.\n</Thought>\n{OUTPUT_OPEN}{answer}"
            completions.extend(
                Completion(index, answer, confident_tokens(answer), "stop", prompt_tokens=10)
                for _ in range(params.n)
            )
        generated = sum(len(c.tokens) for c in completions)
        usage = Usage(1, 10 * len(prompts), 10 * len(prompts), generated, 0.001)
        return GenerationResult(completions, usage)

    async def info(self) -> EngineInfo:
        if self.error is not None:
            raise self.error
        return EngineInfo(engine=self.name, model_id="echo-model")

    async def aclose(self) -> None:
        return None


class RecordingEngine(EchoEngine):
    """The echo engine, keeping every prompt it was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.prompts: list[str] = []

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        self.prompts.extend(prompts)
        return await super().generate(prompts, params)
