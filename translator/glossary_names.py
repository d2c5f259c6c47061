"""Checks on glossary names and language pairs, shared by the API and the CLI."""

from __future__ import annotations

from glossary.formats import CONTROL_CHARACTERS
from glossary.selection import GlossarySelection
from translator.errors import InvalidInput
from translator.text.languages import AUTO, normalize_language, normalize_pair

__all__ = ["check_glossaries_apply", "check_glossary_languages", "check_glossary_name"]

MAX_NAME_CHARS = 200


def check_glossary_name(name: str) -> str:
    """The name without outer spaces; raises `InvalidInput` naming `name`."""
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput("name", "the glossary name is empty")
    if len(cleaned) > MAX_NAME_CHARS:
        raise InvalidInput("name", f"the glossary name is longer than {MAX_NAME_CHARS} characters")
    if CONTROL_CHARACTERS.search(cleaned):
        raise InvalidInput("name", "the glossary name contains a control character")
    return cleaned


def check_glossary_languages(source: str, target: str) -> tuple[str, str]:
    """Our codes for a glossary's pair (no `auto`: a glossary is for one source language)."""
    return normalize_pair(source, target, allow_auto=False)


def check_glossaries_apply(
    selection: GlossarySelection, source: str, target: str, *, field: str
) -> None:
    """Refuse a user glossary made for another pair than the request's (`auto`: target only)."""
    source_code = normalize_language(source, field="source", allow_auto=True)
    target_code = normalize_language(target, field="target")
    for glossary in selection.user:
        pair_source = glossary.source if source_code == AUTO else source_code
        if not glossary.applies_to(pair_source, target_code):
            raise InvalidInput(
                field,
                f"glossary {glossary.name!r} is for {glossary.source} to {glossary.target}, "
                f"not {source_code} to {target_code}",
            )
