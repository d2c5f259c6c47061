"""The service's own web pages: the translator at `/`, its assets under `/static`, and the
Swagger UI at `/docs` drawn from assets served here, so that no page loads anything from
another host (air-gapped installs keep working docs)."""

from litestar.types import ControllerRouterHandler

from translator.api.pages.assets import docs_render_plugin, static_routes
from translator.api.pages.security import PAGE_HEADERS, TRACE_PAGE_HEADERS
from translator.api.pages.translator_page import translator_page_route
from translator.settings import Settings

__all__ = ["PAGE_HEADERS", "TRACE_PAGE_HEADERS", "docs_render_plugin", "page_routes"]


def page_routes(settings: Settings) -> list[ControllerRouterHandler]:
    """The page routes: `/`, rendered once for `settings`, and the static assets."""
    page = translator_page_route(settings.api_keys_required, settings.max_text_chars)
    return [page, *static_routes()]
