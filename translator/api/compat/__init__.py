"""Routes that speak other services' APIs (LibreTranslate, DeepL v2, extensions' custom API),
so existing clients work unchanged; all of them translate through `translator.api.translating`.
"""

from __future__ import annotations

from litestar.handlers import HTTPRouteHandler

from translator.api.compat.custom import custom_routes
from translator.api.compat.deepl import deepl_routes
from translator.api.compat.deepl_glossaries import deepl_glossary_routes
from translator.api.compat.libre_files import libre_file_routes
from translator.api.compat.libretranslate import libretranslate_routes
from translator.settings import Settings

__all__ = ["compat_routes"]


def compat_routes(settings: Settings) -> list[HTTPRouteHandler]:
    """Every compatible route; the file upload's size limit comes from `settings`."""
    return [
        *libretranslate_routes,
        *libre_file_routes(settings),
        *deepl_routes,
        *deepl_glossary_routes,
        *custom_routes,
    ]
