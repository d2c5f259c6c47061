"""From the glossary ids or names a request gives to the `GlossarySelection` that applies them.

Requests repeat the same glossaries, so selections (with their built automata) are kept per
(glossary id, version) set: a request then costs one metadata query per glossary, and entries
are read again only after a glossary's entries were replaced (its version changed).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from glossary.selection import GlossarySelection, UserGlossary
from translator.store.glossaries import find_glossary, load_entries

__all__ = ["GlossaryResolver"]

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
