"""Routes that speak other services' APIs (LibreTranslate, DeepL v2, extensions' custom API),
so existing clients work unchanged; all of them translate through `translator.api.translating`.
"""

from __future__ import annotations

from translator.api.compat.custom import custom_routes
from translator.api.compat.deepl import deepl_routes
from translator.api.compat.deepl_glossaries import deepl_glossary_routes
from translator.api.compat.libretranslate import libretranslate_routes

__all__ = ["compat_routes"]

compat_routes = [*libretranslate_routes, *deepl_routes, *deepl_glossary_routes, *custom_routes]
