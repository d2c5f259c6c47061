"""What the benchmark scripts share: the evaluation data location and result files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

from translator.engines.types import (
    Completion,
    EngineInfo,
    GenerationResult,
    SamplingParams,
    TokenLogprob,
    Usage,
)
from translator.prompting import prompts

EVAL_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def eval_file(pair: str) -> Path:
    """The dev half of the WMT22 set for a language pair such as `zh-en`."""
    return EVAL_DIR / f"wmt22.{pair}.dev.jsonl"


def write_result(name: str, payload: dict[str, Any]) -> Path:
    """Save a benchmark's numbers as JSON next to the scripts."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    return path


def prompt_swapped(name: str, value: object | None) -> AbstractContextManager[object]:
    """`translator.prompting.prompts.<name>` replaced by `value` while the block runs (nothing
    changes for None): how a lever benchmark measures another prompt against the product's."""
    return nullcontext() if value is None else mock.patch.object(prompts, name, value)


class InstantEngine:
    """Answers every prompt at once with the same confident text: the engine left out of a
    measurement of everything around it."""

    name = "bench"

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        token = TokenLogprob(text="Fits great", logprob=-0.1, top=(("Fits great", -0.1),))
        completions = [
            Completion(i // params.n, "Fits great", (token,), "stop", prompt_tokens=1)
            for i in range(len(prompts) * params.n)
        ]
        return GenerationResult(completions, Usage(calls=1, generated_tokens=len(completions)))

    async def info(self) -> EngineInfo:
        return EngineInfo(engine=self.name, model_id="instant")

    async def aclose(self) -> None:
        return None
