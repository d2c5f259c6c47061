"""The cache key: two requests share a cached translation exactly when their keys are equal.

The key covers everything that changes the output (text, languages, mode, budget, engine, model,
prompt and glossary versions, the memory examples a prompt showed). The text is normalised
first so that copy-paste noise (outer whitespace, doubled spaces, NFC vs NFD forms of the same
characters) does not miss the cache; case is kept because it can change a translation ("Apple"
vs "apple").
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

__all__ = ["CACHE_KEY_VERSION", "cache_key", "normalize_source"]

CACHE_KEY_VERSION = 1
"""Part of every key: bump it when normalisation or the key's fields change, so old rows miss."""

_INLINE_SPACE = re.compile(r"[ \t]+")


def normalize_source(text: str) -> str:
    """NFC, outer whitespace stripped, runs of spaces/tabs inside each line made one space.

    Line breaks are kept: they separate sentences and list items in reviews.
    """
    text = unicodedata.normalize("NFC", text)
    lines = (_INLINE_SPACE.sub(" ", line) for line in text.split("\n"))
    return "\n".join(lines).strip()


def cache_key(
    *,
    text: str,
    source: str,
    target: str,
    mode: str,
    budget_class: str | None,
    engine: str,
    model_id: str,
    prompt_version: str,
    glossary_version: str | None,
    memory_version: str | None = None,
    context: str | None = None,
    variant: str | None = None,
) -> str:
    """SHA-256 hex over a canonical JSON (sorted keys, no spaces) of the normalised request.

    `memory_version`, `context` and `variant` join the fields only when set, so keys made
    without them are the same as before they existed. Each changes the prompt, so a translation
    made with one is never served for the text without it, nor the reverse.
    """
    fields = {
        "version": CACHE_KEY_VERSION,
        "text": normalize_source(text),
        "source": source,
        "target": target,
        "mode": mode,
        "budget_class": budget_class,
        "engine": engine,
        "model_id": model_id,
        "prompt_version": prompt_version,
        "glossary_version": glossary_version,
    }
    if memory_version is not None:
        fields["memory_version"] = memory_version
    if context:
        fields["context"] = normalize_source(context)
    if variant is not None:
        fields["variant"] = variant
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
