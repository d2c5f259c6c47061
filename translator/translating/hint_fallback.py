"""A single-pass answer that the glossary hints broke is redone without them.

On a small model, hints sometimes derail a single greedy pass: it answers nothing, leaves the
source untranslated, or answers with a fragment (the hinted term alone: "After-sales service"
for a whole line of shop policy). The search recovers from that by itself (such rollouts score
low); a single pass has no second chance, so segments whose hinted answer fails those checks
are translated again without hints, and the better-scoring answer is kept. Cost: one more call
for the failed segments only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from translator.engines.protocol import Engine
from translator.prompting.modes import ModeOutput, ModeRunner, Segment
from translator.search.verifiers import LengthRatioVerifier, SourceScriptVerifier, run_verifiers

__all__ = ["HintFallbackRunner"]

_CHECKS = (SourceScriptVerifier(), LengthRatioVerifier())
"""With `run_verifiers`' own empty-answer check: what a broken answer fails (factor 0 to 0.8)."""


class HintFallbackRunner:
    """Wraps a single-pass runner (see the module docstring)."""

    def __init__(self, inner: ModeRunner) -> None:
        self._inner = inner

    async def run(self, engine: Engine, segments: Sequence[Segment]) -> list[ModeOutput]:
        outputs = await self._inner.run(engine, segments)
        broken = [
            i
            for i, (segment, output) in enumerate(zip(segments, outputs, strict=True))
            if segment.terms and _factor(segment, output) < 1
        ]
        if not broken:
            return outputs
        plain = [replace(segments[i], terms=()) for i in broken]
        retries = await self._inner.run(engine, plain)
        for i, retry in zip(broken, retries, strict=True):
            first = outputs[i]
            usage = first.usage + retry.usage
            better = retry if _factor(segments[i], retry) > _factor(segments[i], first) else first
            outputs[i] = replace(better, usage=usage)
        return outputs


def _factor(segment: Segment, output: ModeOutput) -> float:
    return run_verifiers(_CHECKS, segment, output.translation).factor
