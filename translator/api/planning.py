"""From a translate request to the segments to translate, and from results back to answers.

A plain text is one segment. An HTML text becomes one segment per text run between its tags
(each cached on its own, so a page's repeated labels are translated once); its source language
is detected once from all of its text, since a run may be a single word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from glossary.check import TermCheck
from glossary.selection import GlossarySelection
from translator.api.schemas import (
    AlternativeOut,
    MemoryMatchOut,
    MemoryPairOut,
    QaFindingOut,
    TermOut,
    TextFormat,
    TranslateRequest,
    TranslationOut,
    UsageOut,
)
from translator.engines.types import Usage
from translator.errors import InvalidInput
from translator.memory.index import ScoredPair
from translator.memory.selection import MemoryMatch, MemorySelection
from translator.prompting.modes import Segment
from translator.settings import Settings
from translator.text.html_text import HtmlTemplate, parse_html
from translator.text.qa import QaFinding
from translator.translating.memories import match_memories
from translator.translating.service import Served, TranslateOptions
from translator.translating.translation import PlannedSegment, find_terms, plan_segments

__all__ = ["MAX_HTML_RUNS", "Item", "RequestPlan", "answers", "plan_request", "request_texts"]

MAX_HTML_RUNS = 256
"""Text runs one HTML text may have: each is a segment to translate."""


@dataclass(frozen=True, slots=True)
class Item:
    """One text of the request and the segments (`units`) it was cut into."""

    text: str
    units: range
    template: HtmlTemplate | None = None
    detection_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class RequestPlan:
    items: list[Item]
    segments: list[PlannedSegment]
    options: TranslateOptions

    @property
    def characters(self) -> int:
        return sum(len(item.text) for item in self.items)

    def item_of(self, segment: int) -> int:
        """The index of the request text that segment `segment` belongs to."""
        return next(i for i, item in enumerate(self.items) if segment in item.units)


def request_texts(
    text: str | None, texts: list[str] | None, max_texts: int
) -> list[tuple[str, str]]:
    """The request's texts with the field naming each; exactly one of `text`/`texts` is given."""
    if text is not None and texts is not None:
        raise InvalidInput("texts", "give either text or texts, not both")
    if text is not None:
        return [("text", text)]
    if texts is None:
        raise InvalidInput("text", "give the text to translate (text, or texts for several)")
    if not texts:
        raise InvalidInput("texts", "the list of texts is empty")
    if len(texts) > max_texts:
        raise InvalidInput("texts", f"{len(texts)} texts; at most {max_texts} per request")
    return [(f"texts[{i}]", value) for i, value in enumerate(texts)]


def plan_request(
    request: TranslateRequest,
    settings: Settings,
    glossaries: GlossarySelection,
    memories: MemorySelection | None = None,
) -> RequestPlan:
    """Validate everything, detect languages, find glossary terms and memory matches before
    any engine work."""
    labelled = request_texts(request.text, request.texts, settings.max_texts)
    context = _context(request.context, settings.max_text_chars)  # checked even when unused
    if not settings.use_context:
        context = ""
    options = TranslateOptions(
        mode=request.mode,
        budget=request.budget,
        rollouts=request.rollouts,
        use_cache=request.cache,
        with_trace=request.return_trace,
    )
    if request.format is TextFormat.TEXT:
        segments = [
            _plan_text(text, request.source, request.target, settings.max_text_chars, label)
            for label, text in labelled
        ]
        items = [
            Item(text, range(i, i + 1), detection_confidence=segments[i].detection_confidence)
            for i, (_, text) in enumerate(labelled)
        ]
        segments = _with_context(segments, context)
        return RequestPlan(items, _matched(segments, glossaries, memories, settings), options)
    items, segments = [], []
    for label, markup in labelled:
        item, planned = _plan_html(label, markup, request, settings, start=len(segments))
        items.append(item)
        segments.extend(planned)
    segments = _with_context(segments, context)
    return RequestPlan(items, _matched(segments, glossaries, memories, settings), options)


def _context(context: str | None, max_chars: int) -> str:
    """The request's context, held to the length of a text (it is sent with every one)."""
    if context is None:
        return ""
    if len(context) > max_chars:
        raise InvalidInput(
            "context", f"context has {len(context)} characters; the limit is {max_chars}"
        )
    return context.strip()


def _with_context(plans: list[PlannedSegment], context: str) -> list[PlannedSegment]:
    if not context:
        return plans
    return [replace(p, segment=replace(p.segment, context=context)) for p in plans]


def _matched(
    plans: list[PlannedSegment],
    glossaries: GlossarySelection,
    memories: MemorySelection | None,
    settings: Settings,
) -> list[PlannedSegment]:
    with_terms = find_terms(plans, glossaries)
    if not memories:
        return with_terms
    return match_memories(
        with_terms,
        memories,
        threshold=settings.memory_fuzzy_threshold,
        examples=settings.memory_examples,
    )


@lru_cache(maxsize=4096)
def _plan_text(
    text: str, source: str, target: str, max_text_chars: int, label: str
) -> PlannedSegment:
    """One text planned (validated, language detected), remembered: repeats are common."""
    (planned,) = plan_segments(
        [text], source=source, target=target, max_text_chars=max_text_chars, labels=[label]
    )
    return planned


def _plan_html(
    label: str, markup: str, request: TranslateRequest, settings: Settings, *, start: int
) -> tuple[Item, list[PlannedSegment]]:
    template = parse_html(markup)
    runs = template.texts
    if not runs:
        raise InvalidInput(label, "the HTML has no text to translate")
    if len(runs) > MAX_HTML_RUNS:
        raise InvalidInput(
            label, f"the HTML has {len(runs)} text runs; the limit is {MAX_HTML_RUNS}"
        )
    # The whole text decides the language (and is held to the length limit).
    (whole,) = plan_segments(
        ["\n".join(runs)],
        source=request.source,
        target=request.target,
        max_text_chars=settings.max_text_chars,
        labels=[label],
    )
    source, target = whole.segment.source, whole.segment.target
    if source == target:
        planned = [PlannedSegment(Segment(run, source, target), None) for run in runs]
    else:
        planned = plan_segments(
            runs,
            source=source,
            target=request.target,  # as sent: a regional variant (en-GB) is kept
            max_text_chars=settings.max_text_chars,
            labels=[label] * len(runs),
        )
    item = Item(markup, range(start, start + len(runs)), template, whole.detection_confidence)
    return item, planned


def answers(
    plan: RequestPlan, served: Sequence[Served], *, alternatives: int, with_trace: bool
) -> list[TranslationOut]:
    """One answer per request text, in order."""
    return [
        _html_answer(item, [served[i] for i in item.units])
        if item.template is not None
        else _text_answer(
            item,
            served[item.units[0]],
            plan.segments[item.units[0]].memory,
            alternatives=alternatives,
            with_trace=with_trace,
        )
        for item in plan.items
    ]


def _usage(usage: Usage) -> UsageOut:
    return UsageOut(
        calls=usage.calls,
        prompt_tokens=usage.prompt_tokens,
        cached_prompt_tokens=usage.cached_prompt_tokens,
        generated_tokens=usage.generated_tokens,
        wall_seconds=round(usage.wall_seconds, 3),
    )


def _pair_out(scored: ScoredPair) -> MemoryPairOut:
    return MemoryPairOut(scored.pair.source, scored.pair.target, scored.memory, scored.score)


def _memory_out(match: MemoryMatch | None) -> MemoryMatchOut | None:
    if match is None:
        return None
    if match.exact:
        return MemoryMatchOut("exact", 1.0, entry=_pair_out(match.pairs[0]))
    return MemoryMatchOut("fuzzy", match.score, examples=[_pair_out(p) for p in match.pairs])


def _text_answer(
    item: Item,
    served: Served,
    memory: MemoryMatch | None,
    *,
    alternatives: int,
    with_trace: bool,
) -> TranslationOut:
    result = served.result
    return TranslationOut(
        id=served.id,
        text=item.text,
        translation=result.translation,
        source_language=result.source_language,
        detection_confidence=item.detection_confidence,
        target_language=result.target_language,
        mode=result.mode,
        engine=result.engine,
        model=result.model,
        confidence=round(result.confidence, 4),
        cached=served.cached,
        thought=result.thought,
        alternatives=[
            AlternativeOut(a.translation, a.score) for a in result.alternatives[:alternatives]
        ],
        usage=_usage(result.usage),
        terms=[_term(check, with_offsets=True) for check in result.terms],
        qa=[_qa(finding) for finding in result.qa],
        trace=result.trace if with_trace else None,
        memory=_memory_out(memory),
    )


def _html_answer(item: Item, served: list[Served]) -> TranslationOut:
    assert item.template is not None
    first = served[0].result
    usage = Usage()
    for part in served:
        usage += part.result.usage
    return TranslationOut(
        id=None,
        text=item.text,
        translation=item.template.fill([part.result.translation for part in served]),
        source_language=first.source_language,
        detection_confidence=item.detection_confidence,
        target_language=first.target_language,
        mode=first.mode,
        engine=first.engine,
        model=first.model,
        confidence=round(sum(p.result.confidence for p in served) / len(served), 4),
        cached=all(part.cached for part in served),
        thought="",
        alternatives=[],
        usage=_usage(usage),
        terms=[_term(check, with_offsets=False) for part in served for check in part.result.terms],
        qa=[_qa(finding.without_span()) for part in served for finding in part.result.qa],
        segments=[part.id for part in served],
    )


def _term(check: TermCheck, *, with_offsets: bool) -> TermOut:
    entry, match = check.match.entry, check.match
    return TermOut(
        term=match.surface,
        start=match.start if with_offsets else None,
        end=match.end if with_offsets else None,
        meaning=entry.meaning,
        preferred=list(entry.preferred),
        acceptable=list(entry.acceptable),
        origin=entry.origin,
        status=check.result.status.value,
        found=check.result.found,
    )


def _qa(finding: QaFinding) -> QaFindingOut:
    return QaFindingOut(**finding.as_dict())
