"""The translation use case: validate, detect, run the chosen mode, and report what it cost."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from glossary.check import TermCheck, check_terms
from glossary.selection import GlossarySelection
from translator.engines.protocol import Engine
from translator.engines.types import EngineInfo, Usage
from translator.memory.selection import MemoryMatch
from translator.prompting.modes import (
    Alternative,
    Mode,
    ModeOutput,
    ModeRunner,
    Segment,
    qa_findings,
)
from translator.text.detect import detect_language
from translator.text.languages import AUTO, normalize_pair, target_variant
from translator.text.qa import QaFinding, repair_translation
from translator.text.validation import validate_text
from translator.text.variants import apply_variant

__all__ = [
    "PlannedSegment",
    "TranslationResult",
    "Translator",
    "find_terms",
    "plan_segments",
]


@dataclass(frozen=True, slots=True)
class TranslationResult:
    """One translated text with everything a caller may want to show or store."""

    text: str
    translation: str
    source_language: str
    detection_confidence: float | None
    target_language: str
    mode: Mode
    engine: str
    model: str
    confidence: float
    thought: str
    usage: Usage
    batch_seconds: float
    """Wall time of the whole `translate` call this text was part of, detection included."""
    alternatives: tuple[Alternative, ...] = ()
    trace: dict[str, Any] | None = None
    terms: tuple[TermCheck, ...] = ()
    """Glossary terms in the text and how the translation rendered each."""
    qa: tuple[QaFinding, ...] = ()
    """What the localization QA checks found lost, changed or added (empty when clean)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "translation": self.translation,
            "source_language": self.source_language,
            "detection_confidence": self.detection_confidence,
            "target_language": self.target_language,
            "mode": str(self.mode),
            "engine": self.engine,
            "model": self.model,
            "confidence": round(self.confidence, 4),
            "thought": self.thought,
            "alternatives": [
                {"translation": a.translation, "score": a.score} for a in self.alternatives
            ],
            "terms": [term.as_dict() for term in self.terms],
            "qa": [finding.as_dict() for finding in self.qa],
            "usage": self.usage.as_dict(),
            "timing": {
                "engine_seconds": round(self.usage.wall_seconds, 3),
                "batch_seconds": round(self.batch_seconds, 3),
            },
        }


@dataclass(frozen=True, slots=True)
class PlannedSegment:
    """A validated input with its resolved languages, ready for a mode runner."""

    segment: Segment
    detection_confidence: float | None
    memory: MemoryMatch | None = None
    """What the request's translation memories hold for the text (see `match_memories`)."""


def plan_segments(
    texts: Sequence[str],
    *,
    source: str,
    target: str,
    max_text_chars: int,
    labels: Sequence[str] | None = None,
    glossaries: GlossarySelection | None = None,
) -> list[PlannedSegment]:
    """Check every input and resolve its languages before any engine work starts.

    `labels` name each text in error messages (defaults: `text`, or `texts[i]` for several). A
    text whose detected language already is the target needs no translation and is returned
    unchanged later; an explicit source equal to the target is a caller error. With
    `glossaries`, each segment carries the terms found in it.
    """
    source_code, target_code = normalize_pair(source, target)
    variant = target_variant(target)
    if labels is None:
        labels = ["text"] if len(texts) == 1 else [f"texts[{i}]" for i in range(len(texts))]
    plans = []
    for text, field in zip(texts, labels, strict=True):
        validate_text(text, max_chars=max_text_chars, field=field)
        confidence = None
        language = source_code
        if source_code == AUTO:
            detection = detect_language(text, field=field)
            language, confidence = detection.language, detection.confidence
        segment = Segment(text, language, target_code, variant=variant)
        plans.append(PlannedSegment(segment, confidence))
    return plans if glossaries is None else find_terms(plans, glossaries)


def find_terms(
    plans: Sequence[PlannedSegment], glossaries: GlossarySelection
) -> list[PlannedSegment]:
    """The plans with the glossary terms found in each segment (none when nothing is to do)."""
    found = []
    for plan in plans:
        segment = plan.segment
        if segment.source != segment.target:
            terms = glossaries.find(segment.text, segment.source, segment.target)
            plan = replace(plan, segment=replace(segment, terms=terms))
        found.append(plan)
    return found


class Translator:
    """Translates batches of texts through one engine with the registered mode runners."""

    def __init__(
        self, engine: Engine, runners: Mapping[Mode, ModeRunner], *, max_text_chars: int
    ) -> None:
        self._engine = engine
        self._runners = runners
        self._max_text_chars = max_text_chars
        self._engine_info: EngineInfo | None = None

    async def translate(
        self,
        texts: Sequence[str],
        *,
        source: str,
        target: str,
        mode: Mode,
        glossaries: GlossarySelection | None = None,
    ) -> list[TranslationResult]:
        """Translate `texts` (all validated first, so bad input costs no engine time)."""
        started = time.perf_counter()
        plans = plan_segments(
            texts,
            source=source,
            target=target,
            max_text_chars=self._max_text_chars,
            glossaries=glossaries,
        )
        return await self.run(plans, mode, started=started)

    async def run(
        self, plans: Sequence[PlannedSegment], mode: Mode, *, started: float | None = None
    ) -> list[TranslationResult]:
        """Translate segments planned already (`plan_segments`); `started`: when the call began."""
        started = time.perf_counter() if started is None else started
        info = await self._info()
        to_run = [plan.segment for plan in plans if plan.segment.source != plan.segment.target]
        outputs = iter(await self._runners[mode].run(self._engine, to_run) if to_run else [])
        elapsed = time.perf_counter() - started
        results = []
        for plan in plans:
            segment = plan.segment
            output = (
                next(outputs)
                if segment.source != segment.target
                else ModeOutput(segment.text, thought="", confidence=1.0, usage=Usage())
            )
            translation = repair_translation(
                segment.text,
                output.translation,
                source_language=segment.source,
                target_language=segment.target,
            )
            if segment.source != segment.target:  # a text already in the target stays as sent
                translation = apply_variant(translation, segment.variant)
            results.append(
                TranslationResult(
                    text=segment.text,
                    translation=translation,
                    source_language=segment.source,
                    detection_confidence=plan.detection_confidence,
                    target_language=segment.target,
                    mode=mode,
                    engine=info.engine,
                    model=info.model_id,
                    confidence=output.confidence,
                    thought=output.thought,
                    usage=output.usage,
                    batch_seconds=elapsed,
                    alternatives=output.alternatives,
                    trace=output.trace,
                    terms=check_terms(segment.terms, translation, segment.target),
                    qa=qa_findings(segment, translation),
                )
            )
        return results

    async def _info(self) -> EngineInfo:
        if self._engine_info is None:
            self._engine_info = await self._engine.info()
        return self._engine_info
