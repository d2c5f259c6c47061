"""The languages we translate between, and normalisation of the codes callers send."""

from __future__ import annotations

from types import MappingProxyType

from translator.errors import InvalidInput, UnsupportedLanguage

__all__ = [
    "AUTO",
    "LANGUAGES",
    "LATIN_SCRIPT",
    "language_name",
    "normalize_language",
    "normalize_pair",
    "target_variant",
]

AUTO = "auto"

LANGUAGES = MappingProxyType(
    {
        "ar": "Arabic",
        "cs": "Czech",
        "de": "German",
        "en": "English",
        "es": "Spanish",
        "fr": "French",
        "hi": "Hindi",
        "id": "Indonesian",
        "it": "Italian",
        "ja": "Japanese",
        "ko": "Korean",
        "ms": "Malay",
        "nl": "Dutch",
        "pl": "Polish",
        "pt": "Portuguese",
        "ru": "Russian",
        "sv": "Swedish",
        "th": "Thai",
        "tr": "Turkish",
        "uk": "Ukrainian",
        "vi": "Vietnamese",
        "zh": "Chinese (Simplified)",
        "zh-Hant": "Chinese (Traditional)",
    }
)

LATIN_SCRIPT = frozenset(
    {"cs", "de", "en", "es", "fr", "id", "it", "ms", "nl", "pl", "pt", "sv", "tr", "vi"}
)
"""The languages above that are written in the Latin alphabet."""

_TRADITIONAL_CHINESE_TAGS = frozenset({"hant", "tw", "hk", "mo"})
_VARIANTS = {
    ("en", "gb"): "en-GB",
    ("en", "uk"): "en-GB",
    ("en", "us"): "en-US",
    ("pt", "br"): "pt-BR",
    ("pt", "pt"): "pt-PT",
}
"""Regional variants whose spelling and words we tell apart (DeepL's EN-GB, EN-US, PT-BR, PT-PT)."""


def normalize_language(code: str, *, field: str, allow_auto: bool = False) -> str:
    """Map a BCP 47-ish tag (`en-US`, `zh_CN`, `zh-Hant-TW`, `PT-br`) to one of our codes.

    Raises:
        UnsupportedLanguage: naming `field` and listing the supported codes.
    """
    cleaned = code.strip().replace("_", "-")
    if allow_auto and cleaned.lower() == AUTO:
        return AUTO
    subtags = [part.lower() for part in cleaned.split("-") if part]
    if subtags and subtags[0] == "zh" and _TRADITIONAL_CHINESE_TAGS.intersection(subtags[1:]):
        return "zh-Hant"
    if subtags and subtags[0] in LANGUAGES:
        return subtags[0]
    choices = ", ".join(([AUTO] if allow_auto else []) + list(LANGUAGES))
    raise UnsupportedLanguage(field, f"unsupported language {code!r}; supported: {choices}")


def normalize_pair(source: str, target: str, *, allow_auto: bool = True) -> tuple[str, str]:
    """Our codes for a source (`auto` where allowed) and a target; refuses the same language
    on both sides, naming `target`."""
    source_code = normalize_language(source, field="source", allow_auto=allow_auto)
    target_code = normalize_language(target, field="target")
    if source_code == target_code:
        raise InvalidInput("target", "source and target languages are the same")
    return source_code, target_code


def language_name(code: str) -> str:
    """English name of a normalised code, as the prompt names it."""
    return LANGUAGES[code]


def target_variant(code: str) -> str | None:
    """The regional variant a target tag asks for (`EN-GB` → `en-GB`, `pt_BR` → `pt-BR`), or
    None for a plain language or a region we do not tell apart."""
    subtags = [part.lower() for part in code.strip().replace("_", "-").split("-") if part]
    if len(subtags) < 2:
        return None
    return _VARIANTS.get((subtags[0], subtags[-1]))
