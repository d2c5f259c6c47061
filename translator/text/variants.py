"""Regional variants of a target language: British or American English, Brazilian or European
Portuguese. The model is told the variant's spelling and words (`variant_rule`); afterwards
`apply_variant` puts the spelling right where the model slipped.

The post-check only changes spelling, never words: a spelling pair (colour/color,
econômico/económico) is the same word in either variant, so swapping it is safe anywhere,
while a vocabulary pair (trainers/sneakers, ônibus/autocarro) depends on the sense and stays
with the model. The spelling lists are common words of shop text, matched as whole words,
with their case kept; a word spelled alike in both variants but with another sense in one
(US "meter", a device in Britain too) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

__all__ = ["VARIANTS", "apply_variant", "variant_rule"]

_US_TO_GB = {
    "color": "colour",
    "colors": "colours",
    "colored": "coloured",
    "colorful": "colourful",
    "favorite": "favourite",
    "favorites": "favourites",
    "flavor": "flavour",
    "flavors": "flavours",
    "odor": "odour",
    "behavior": "behaviour",
    "neighbor": "neighbour",
    "humor": "humour",
    "center": "centre",
    "centers": "centres",
    "fiber": "fibre",
    "fibers": "fibres",
    "liter": "litre",
    "liters": "litres",
    "theater": "theatre",
    "gray": "grey",
    "jewelry": "jewellery",
    "aluminum": "aluminium",
    "catalog": "catalogue",
    "traveling": "travelling",
    "traveled": "travelled",
    "canceled": "cancelled",
    "labeled": "labelled",
    "modeling": "modelling",
    "organize": "organise",
    "organized": "organised",
    "organizer": "organiser",
    "realize": "realise",
    "realized": "realised",
    "recognize": "recognise",
    "apologize": "apologise",
    "customize": "customise",
    "customized": "customised",
    "moisturizer": "moisturiser",
    "moisturizing": "moisturising",
    "defense": "defence",
    "offense": "offence",
    "pajamas": "pyjamas",
    "mold": "mould",
    "cozy": "cosy",
    "skeptical": "sceptical",
}
_BR_TO_PT = {
    "econômico": "económico",
    "eletrônico": "eletrónico",
    "eletrônicos": "eletrónicos",
    "gênero": "género",
    "tênis": "ténis",
    "bebê": "bebé",
    "bebês": "bebés",
    "acadêmico": "académico",
    "fenômeno": "fenómeno",
    "polêmica": "polémica",
    "cômodo": "cómodo",
    "higiênico": "higiénico",
    "quilômetro": "quilómetro",
    "prêmio": "prémio",
    "registro": "registo",
    "contato": "contacto",
    "seção": "secção",
}


def _inverse(pairs: Mapping[str, str]) -> dict[str, str]:
    return {theirs: ours for ours, theirs in pairs.items()}


_SPELLING: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en-GB": _US_TO_GB,
        "en-US": _inverse(_US_TO_GB),
        "pt-PT": _BR_TO_PT,
        "pt-BR": _inverse(_BR_TO_PT),
    }
)

VARIANTS: Mapping[str, str] = MappingProxyType(
    {
        "en-GB": "British English: British spelling (colour, favourite, centre, organise, "
        "travelling, grey, jewellery) and British words (trainers, mobile phone, trousers, "
        "postcode, flat, parcel, holiday)",
        "en-US": "American English: American spelling (color, favorite, center, organize, "
        "traveling, gray, jewelry) and American words (sneakers, cell phone, pants, zip code, "
        "apartment, package, vacation)",
        "pt-BR": "Brazilian Portuguese: Brazilian spelling (econômico, eletrônico, registro, "
        "contato) and Brazilian words (celular, ônibus, tela, usuário, equipe, arquivo, "
        "geladeira)",
        "pt-PT": "European Portuguese (Portugal): its spelling (económico, eletrónico, registo, "
        "contacto) and its words (telemóvel, autocarro, ecrã, utilizador, equipa, ficheiro, "
        "frigorífico)",
    }
)
"""What the prompt tells the model for each variant."""


def variant_rule(variant: str | None) -> str:
    """The prompt's line for `variant` (empty without one)."""
    if variant is None or variant not in VARIANTS:
        return ""
    return f"- Write {VARIANTS[variant]}.\n"


@cache
def _pattern(variant: str) -> re.Pattern[str]:
    words = sorted(_SPELLING[variant], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def _same_case(found: str, replacement: str) -> str:
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def apply_variant(text: str, variant: str | None) -> str:
    """`text` with the other variant's spellings of the listed words put into `variant`'s."""
    spelling = _SPELLING.get(variant or "")
    if not spelling:
        return text
    return _pattern(variant or "").sub(lambda m: _same_case(m[0], spelling[m[0].lower()]), text)
