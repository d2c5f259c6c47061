"""Engines for route tests: one that answers any prompt, and ways to hold or fail its calls."""

from __future__ import annotations

import asyncio
import re
import zlib
from collections.abc import Sequence

from glossary.selection import GlossarySelection
from tests.scripted_engine import confident_tokens
from translator.engines.types import (
    Completion,
    EngineInfo,
    GenerationResult,
    SamplingParams,
    Usage,
)
from translator.prompting.prompts import OUTPUT_OPEN

_SOURCE = re.compile(r"text:\n(.*?)(?:\n\n(?:In this text, |Context \().*)?<\|im_end\|>", re.DOTALL)
_GLOSSARY_NOTE = re.compile(r'^In this text, .+? means "(.+)"\.$', re.MULTILINE)


def echo_translation(text: str, *renderings: str) -> str:
    """What `EchoEngine` answers for `text` whose prompt notes these glossary `renderings`:
    ASCII only (so no verifier flags it), every noted rendering used (so no term retry runs)."""
    return " ".join([f"EN-{zlib.crc32(text.encode('utf-8')):08x}", *renderings])


def rendering_terms(answer: str, text: str, source: str = "zh", target: str = "en") -> str:
    """`answer` followed by the preferred rendering of every built-in glossary term in `text`:
    a scripted answer that renders the terms, so no term retry follows it."""
    terms = GlossarySelection().find(text, source, target)
    return " ".join([answer, *(match.entry.preferred[0] for match in terms)])


def heeded_translation(text: str) -> str:
    """What `EchoEngine(follows_glossary=True)` answers for a zh→en `text` when only the
    built-in glossary applies."""
    return rendering_terms(echo_translation(text), text)


def _noted_renderings(prompt: str) -> list[str]:
    """The renderings of the glossary notes in the prompt's request, in order."""
    notes = prompt.rfind("\n\nIn this text, ") + 2
    if notes < prompt.rfind("<|im_start|>user"):
        return []
    return _GLOSSARY_NOTE.findall(prompt[notes : prompt.find("\n\n", notes)])


class EchoEngine:
    """Answers every prompt at once: a short thought where one is open, then the answer.

    `gate` holds every call until it is set (to make requests overlap); `error` fails them.
    With `follows_glossary`, the answer also uses every glossary note's rendering, as a model
    heeding the notes would, so that no term retry adds calls to those a test counts.
    """

    name = "echo"

    def __init__(
        self,
        *,
        gate: asyncio.Event | None = None,
        error: Exception | None = None,
        follows_glossary: bool = False,
    ) -> None:
        self.gate = gate
        self.error = error
        self.follows_glossary = follows_glossary
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
            noted = _noted_renderings(prompt) if self.follows_glossary else []
            answer = echo_translation(match.group(1) if match else "", *noted)
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

    def __init__(self, *, follows_glossary: bool = False) -> None:
        super().__init__(follows_glossary=follows_glossary)
        self.prompts: list[str] = []

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        self.prompts.extend(prompts)
        return await super().generate(prompts, params)
