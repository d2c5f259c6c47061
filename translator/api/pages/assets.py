"""Static assets: the translator page's script, style and icon, and Swagger UI's files.

Swagger UI (5.x, which reads OpenAPI 3.1) comes from the `swagger-ui-bundle-v2` package, whose
wheel ships its files, so the docs page needs no CDN. Only the three files the docs page loads
are served from it: the package's own demo `index.html` points at a petstore on another host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from litestar import Router, get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import PathParameter
from litestar.response import File
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler
from swagger_ui_bundle import swagger_ui_path

__all__ = ["STATIC_DIR", "SWAGGER_FILES", "docs_render_plugin", "static_routes"]

STATIC_DIR = Path(__file__).parent / "static"
SWAGGER_PREFIX = "/static/swagger-ui"
SWAGGER_FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
_CACHE = CacheControlHeader(max_age=3600, public=True)


@get(f"{SWAGGER_PREFIX}/{{name:str}}", include_in_schema=False, cache_control=_CACHE)
async def swagger_asset(
    name: Annotated[str, PathParameter(max_length=64, description="A Swagger UI file.")],
) -> File:
    media_type = SWAGGER_FILES.get(name)
    if media_type is None:
        raise NotFoundException(f"no docs asset {name!r}")
    return File(
        Path(swagger_ui_path) / name, media_type=media_type, content_disposition_type="inline"
    )


def static_routes() -> list[ControllerRouterHandler]:
    """`/static/…` (the page's files) and `/static/swagger-ui/…` (the docs UI's files)."""
    own: Router = create_static_files_router(
        path="/static", directories=[STATIC_DIR], cache_control=_CACHE
    )
    return [own, swagger_asset]


def docs_render_plugin() -> SwaggerRenderPlugin:
    """Swagger UI loading its script, preset and style from this server, with our icon."""
    return SwaggerRenderPlugin(
        js_url=f"{SWAGGER_PREFIX}/swagger-ui-bundle.js",
        css_url=f"{SWAGGER_PREFIX}/swagger-ui.css",
        standalone_preset_js_url=f"{SWAGGER_PREFIX}/swagger-ui-standalone-preset.js",
        favicon='<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">',
    )
