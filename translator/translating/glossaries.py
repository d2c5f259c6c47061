"""Which user glossaries a request uses: names and pairs checked, ids or names resolved.

Front ends (API routes, catalog jobs, the CLI) resolve a request's glossary references here, so
the rules (an unknown reference, a glossary for another language pair) read the same everywhere.

Requests repeat the same glossaries, so selections (with their built automata) are kept per
(glossary id, version) set: a request then costs one metadata query per glossary, and entries
are read again only after a glossary's entries were replaced (its version changed).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from glossary.formats import CONTROL_CHARACTERS
from glossary.selection import GlossarySelection, UserGlossary
from translator.errors import InvalidInput, UnknownGlossaryReference
from translator.store.glossaries import UnknownGlossary, find_glossary, load_entries
from translator.text.languages import AUTO, normalize_language, normalize_pair

__all__ = [
    "GlossaryResolver",
    "check_glossaries_apply",
    "check_glossary_languages",
    "check_glossary_name",
]

MAX_NAME_CHARS = 200

_Key = tuple[tuple[tuple[str, int], ...], bool]


class GlossaryResolver:
    """Remembers the last `capacity` selections."""

    def __init__(self, capacity: int = 256) -> None:
        self._capacity = capacity
        self._selections: OrderedDict[_Key, GlossarySelection] = OrderedDict()
        self._builtin_only = {True: GlossarySelection(), False: GlossarySelection(builtin=False)}

    def builtin_only(self, builtin: bool) -> GlossarySelection:
        """The selection of a request that names no glossary (no database needed)."""
        return self._builtin_only[builtin]

    async def for_request(
        self,
        session: AsyncSession,
        owner: str,
        references: Sequence[str],
        *,
        builtin: bool,
        source: str,
        target: str,
        field: str,
    ) -> GlossarySelection:
        """The selection a request names, checked against its languages.

        Raises `UnknownGlossaryReference` (naming `field`) for a reference the owner has no
        glossary for, and `InvalidInput` for a glossary made for another language pair.
        """
        try:
            selection = await self.resolve(session, owner, references, builtin=builtin)
        except UnknownGlossary as error:
            raise UnknownGlossaryReference(field, f"no glossary {error.reference!r}") from error
        check_glossaries_apply(selection, source, target, field=field)
        return selection

    async def resolve(
        self,
        session: AsyncSession,
        owner: str,
        references: Sequence[str],
        *,
        builtin: bool = True,
    ) -> GlossarySelection:
        """The selection for `references` (ids or names) in that order of precedence.

        Raises `UnknownGlossary` for a reference the owner has no glossary for.
        """
        if not references:
            return self.builtin_only(builtin)
        found = [await find_glossary(session, owner, r) for r in dict.fromkeys(references)]
        glossaries = list({g.id: g for g in found}.values())  # an id and a name may agree
        key: _Key = (tuple((g.id, g.version) for g in glossaries), builtin)
        selection = self._selections.get(key)
        if selection is not None:
            self._selections.move_to_end(key)
            return selection
        user = [
            UserGlossary(
                id=g.id,
                name=g.name,
                version=g.version,
                source=g.source_language,
                target=g.target_language,
                entries=await load_entries(session, g),
            )
            for g in glossaries
        ]
        selection = self._selections[key] = GlossarySelection(user, builtin=builtin)
        if len(self._selections) > self._capacity:
            self._selections.popitem(last=False)
        return selection


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
