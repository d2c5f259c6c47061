"""Marco-o1's ChatML prompt for translation, and robust parsing of <Thought>/<Output> answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from glossary.matcher import TermMatch
from translator.text.languages import LATIN_SCRIPT, language_name
from translator.text.variants import variant_rule

__all__ = [
    "MAX_KEEP_NOTES",
    "MAX_TERM_NOTES",
    "OUTPUT_CLOSE",
    "OUTPUT_OPEN",
    "PROMPT_VERSION",
    "REFLECTION_PHRASE",
    "TERM_NOTE",
    "THOUGHT_CLOSE",
    "ParsedAnswer",
    "PromptStyle",
    "assistant_opening",
    "build_prompt",
    "echoed_term_notes",
    "instructions",
    "parse_answer",
]

PROMPT_VERSION = "2026-12-7c"
"""Bumped whenever the wording changes, so cached translations from older prompts are not reused."""

THOUGHT_OPEN, THOUGHT_CLOSE = "<Thought>", "</Thought>"
REFLECTION_PHRASE = "Wait! Maybe I made some mistakes! I need to rethink from scratch."
"""Marco-o1's reflection prompt, appended after a thought to make the model re-check it."""
OUTPUT_OPEN, OUTPUT_CLOSE = "<Output>", "</Output>"

SYSTEM_PROMPT = (
    "You are a careful translator of e-commerce text: product reviews, listing titles and "
    "descriptions, customer messages and shopping slang. When you reason, you do it inside "
    f"{THOUGHT_OPEN}{THOUGHT_CLOSE}, mostly in English. The final answer always goes inside "
    f"{OUTPUT_OPEN}{OUTPUT_CLOSE} and contains only the translation, written in the target "
    "language the user names, never in the language of the request."
)


MAX_TERM_NOTES = 8
"""Glossary notes one prompt carries at most (the first terms in the text), to bound its length."""
MAX_KEEP_NOTES = 12
"""Source tokens a retry prompt names at most (see `build_prompt`'s `keep`)."""

_ROMANIZATION = {
    "zh": "Hanyu Pinyin",
    "zh-Hant": "Hanyu Pinyin",
    "ja": "Hepburn romanization",
    "ko": "Revised Romanization",
}
"""How names are written in Latin letters when a text in these languages is translated into
a Latin-script language."""


class PromptStyle(StrEnum):
    """Whether the assistant turn starts with a thought or goes straight to the output."""

    ANSWER = "answer"
    THINK = "think"


def build_prompt(
    text: str,
    *,
    source: str,
    target: str,
    style: PromptStyle,
    terms: Sequence[TermMatch] = (),
    examples: Sequence[tuple[str, str]] = (),
    keep: Sequence[str] = (),
    require: Sequence[TermMatch] = (),
    echoed: bool = False,
    context: str = "",
    variant: str | None = None,
) -> str:
    """Render the full ChatML prompt, ending inside the assistant turn.

    The assistant turn is opened with `<Output>` or `<Thought>` so that even a small model keeps the
    format; the source text is inserted verbatim. Glossary `terms` found in the text become
    notes after it (a sentence per term with its first preferred rendering) and a reminder to
    translate the text: hints, never a replacement done behind its back. Measured on the
    embedded model, notes placed before the text, or carrying each entry's meaning and every
    rendering, were copied into the output or left the text untranslated. Without terms the
    prompt is exactly the plain one.

    `examples` (source, approved translation) from a translation memory, closest first, go
    before the request as earlier turns of the conversation, each answered with its approved
    translation, the closest one last (next to the text); the request itself stays as it is.
    `keep` names source tokens (placeholders, numbers, codes) an earlier answer lost, for a
    retry: a note after the text asks for each of them. `require` names glossary terms an
    earlier answer rendered by none of their accepted forms: a retry's note asks for each
    term's preferred rendering by name. `echoed`, for the retry of an answer that repeated
    the rules, leaves out all but the request and the variant's line (measured on zh-en cot:
    a note saying not to repeat them was itself repeated as the answer). Names of people and
    shops are to be romanized rather than translated word by word when the target uses Latin
    letters and the source does not (a glossary note still wins).

    `context` is text from around this one (the rest of a page or a review, as DeepL's
    `context` field sends it): it follows the text, marked as background that is not to be
    translated, with a reminder to translate only the text, so that the model can resolve what
    the text alone leaves open (an omitted subject, a product named earlier). Placed before the
    text, the embedded model translated the context instead of the text (bench/context.py).
    Without context the prompt is exactly the plain one.
    A regional `variant` of the target (`en-GB`, `pt-BR`) adds a rule naming its spelling and
    words (`translator.text.variants`).
    """
    source_name, target_name = language_name(source), language_name(target)
    request = (
        f"{_rules(source, target, variant, brief=echoed)}\n"
        f"{source_name} text:\n{text}"
        f"{_term_notes(terms, source_name, _require_notes(require, target_name))}"
        f"{_context_note(context, source_name)}"
        f"{_keep_notes(keep, source_name)}"
    )
    opening = assistant_opening(style)
    shown = "".join(
        f"<|im_start|>user\nTranslate the following {source_name} text into {target_name}.\n\n"
        f"{source_name} text:\n{example}<|im_end|>\n"
        f"<|im_start|>assistant\n{OUTPUT_OPEN}{approved}{OUTPUT_CLOSE}<|im_end|>\n"
        for example, approved in reversed(examples)
    )
    return (
        f"<|im_start|>system\n{SYSTEM_PROMPT}<|im_end|>\n{shown}"
        f"<|im_start|>user\n{request}<|im_end|>\n"
        f"<|im_start|>assistant\n{opening}"
    )


def instructions(source: str, target: str, variant: str | None = None) -> str:
    """What every prompt from `source` to `target` tells the model besides the text: the system
    prompt and the rules, to spot an answer that repeats them (`translator.text.echo`)."""
    return f"{SYSTEM_PROMPT}\n{_rules(source, target, variant)}"


def _rules(source: str, target: str, variant: str | None, *, brief: bool = False) -> str:
    source_name, target_name = language_name(source), language_name(target)
    request = f"Translate the following {source_name} text into {target_name}.\n"
    if brief:
        return request + variant_rule(variant)
    return (
        f"{request}"
        f"- Render slang, idioms and platform jargon by their meaning, the way a native "
        f"{target_name}-speaking shopper would say it, not word for word.\n"
        "- Keep product names, model numbers, quantities, emoji and line breaks.\n"
        f"{variant_rule(variant)}"
        f"{_name_rule(source, target)}"
        f"- Put only the {target_name} translation inside {OUTPUT_OPEN}{OUTPUT_CLOSE}.\n"
    )


def _context_note(context: str, source_name: str) -> str:
    context = context.strip()
    if not context:
        return ""
    return (
        f"\n\nContext (the {source_name} text around it, only to understand it; do not "
        f"translate the context):\n{context}\n\n"
        f"Now translate only the {source_name} text above, not the context."
    )


TERM_NOTE = 'In this text, {term} means "{rendering}".'
"""The sentence that tells the model what a glossary term means here."""
_ECHOED_TERM_NOTE = re.compile(r"\bin this text\s*,?\s*\S.{0,60}?\smeans\s*[\"“‘'«]", re.IGNORECASE)
"""`TERM_NOTE`'s shape in an answer, whatever term, rendering and quotes the model put in it."""


def echoed_term_notes(translation: str, source: str) -> list[str]:
    """The `TERM_NOTE` sentences an answer repeats, unless its source has one too: a small
    model once ended its answer with `In this text, "texture" means "feel".`"""
    if _ECHOED_TERM_NOTE.search(source):
        return []
    return [match.group(0) for match in _ECHOED_TERM_NOTE.finditer(translation)]


def _term_notes(terms: Sequence[TermMatch], source_name: str, requirement: str = "") -> str:
    """One sentence per term saying what it means in this text, a retry's `requirement`, then
    the reminder to translate the whole text, last: with the requirement after the reminder, the
    embedded model answered a retry with the term alone. Measured against a titled list of
    `term: rendering` lines (bench/terms.py, 55 zh→en dev segments): terms rendered 77.8% →
    79.4%, chrF 40.31 → 40.89 (40.66 without hints)."""
    if not terms:
        return requirement
    lines = [
        TERM_NOTE.format(term=match.surface, rendering=match.entry.preferred[0])
        for match in terms[:MAX_TERM_NOTES]
    ]
    reminder = f"Now translate the whole {source_name} text above."
    return "\n\n" + "\n".join(lines) + requirement + "\n\n" + reminder


def _name_rule(source: str, target: str) -> str:
    system = _ROMANIZATION.get(source)
    if system is None or target not in LATIN_SCRIPT:
        return ""
    target_name = language_name(target)
    return (
        f"- Write names of people, shops and brands that have no established {target_name} name "
        f"in {system}, not translated word by word.\n"
    )


def _keep_notes(keep: Sequence[str], source_name: str) -> str:
    if not keep:
        return ""
    tokens = ", ".join(dict.fromkeys(keep[:MAX_KEEP_NOTES]))
    return (
        f"\n\nThe translation must keep these from the {source_name} text, unchanged or, for "
        f"numbers, with the same value: {tokens}"
    )


def _require_notes(require: Sequence[TermMatch], target_name: str) -> str:
    if not require:
        return ""
    renderings = "; ".join(
        f"{match.surface} as {match.entry.preferred[0]}" for match in require[:MAX_TERM_NOTES]
    )
    return f"\n\nThe {target_name} translation must render {renderings}."


def assistant_opening(style: PromptStyle) -> str:
    """The text `build_prompt` already wrote into the assistant turn for this style."""
    return THOUGHT_OPEN + "\n" if style is PromptStyle.THINK else OUTPUT_OPEN


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    """What the model said: the translation (empty if it never answered) and its reasoning."""

    translation: str
    thought: str
    answered: bool


_TAG = re.compile(r"</?(?:Thought|Output)>|<\|im_(?:start|end)\|>|<\|endoftext\|>", re.IGNORECASE)
_THOUGHT_BLOCK = re.compile(r"<Thought>.*?(?:</Thought>|$)", re.IGNORECASE | re.DOTALL)
_BLANK_LINES = re.compile(r"\n\s*\n")
_LABEL = re.compile(r"^\s*(?:[A-Za-z]+\s+)?translation\s*:\s*", re.IGNORECASE)
_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "「": "」", "『": "』", "«": "»"}


def parse_answer(answer: str, *, source: str = "") -> ParsedAnswer:
    """Split a model answer (assistant turn including its opening tag) into thought and translation.

    Tolerates missing or unclosed tags, a second thought inside the output, a leading
    "Translation:" label, and quotes the model wrapped around the whole translation when the
    source was not quoted itself.
    """
    output_start = answer.rfind(OUTPUT_OPEN)
    if output_start >= 0:
        before, output = answer[:output_start], answer[output_start + len(OUTPUT_OPEN) :]
    elif (thought_end := answer.find(THOUGHT_CLOSE)) >= 0:
        before, output = answer[:thought_end], answer[thought_end + len(THOUGHT_CLOSE) :]
    else:
        before, output = answer, ""
    output = output.split(OUTPUT_CLOSE, 1)[0]
    output = _TAG.sub("", _THOUGHT_BLOCK.sub("", output))
    translation = _strip_wrapping_quotes(_LABEL.sub("", output).strip(), source)
    thought = _BLANK_LINES.sub("\n", _TAG.sub("\n", before)).strip()
    return ParsedAnswer(translation=translation, thought=thought, answered=bool(translation))


def _strip_wrapping_quotes(text: str, source: str) -> str:
    source = source.strip()
    while len(text) >= 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        if source[:1] in _QUOTE_PAIRS and _QUOTE_PAIRS[source[0]] == source[-1:]:
            break
        text = text[1:-1].strip()
    return text
