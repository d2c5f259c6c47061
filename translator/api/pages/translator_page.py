"""`GET /`: the translator page, rendered on the server from `templates/index.html`.

The pickers are filled here from the same table `/v1/languages` serves, so the page works
before any call (and without a key); the script (`static/translator.js`, built from `web/`)
then drives the forms, under a policy that lets it load only its own files and call only
its own API (`security.PAGE_HEADERS`).
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from litestar import MediaType, Response, get
from litestar.handlers import HTTPRouteHandler

from translator.api.pages.security import PAGE_HEADERS
from translator.search.config import BudgetName
from translator.text.languages import LANGUAGES

__all__ = ["render_translator_page", "translator_page_route"]

_TEMPLATE = Template((Path(__file__).parent / "templates" / "index.html").read_text("utf-8"))
DEFAULT_TARGET = "en"


def _options(choices: dict[str, str], selected: str | None) -> str:
    return "".join(
        f'<option value="{html.escape(value)}"{" selected" if value == selected else ""}>'
        f"{html.escape(label)}</option>"
        for value, label in choices.items()
    )


def render_translator_page(*, api_keys_required: bool, max_text_chars: int) -> str:
    """The page's HTML for these settings."""
    languages = {code: f"{name} ({code})" for code, name in LANGUAGES.items()}
    budgets = {"": "default", **{budget.value: budget.value for budget in BudgetName}}
    return _TEMPLATE.substitute(
        keys_required="true" if api_keys_required else "false",
        max_chars=str(max_text_chars),
        source_options=_options(languages, None),
        target_options=_options(languages, DEFAULT_TARGET),
        budget_options=_options(budgets, ""),
    )


def translator_page_route(api_keys_required: bool, max_text_chars: int) -> HTTPRouteHandler:
    """The `/` route, its page rendered once."""
    page = render_translator_page(
        api_keys_required=api_keys_required, max_text_chars=max_text_chars
    )

    @get("/", media_type=MediaType.HTML, include_in_schema=False)
    async def translator_page() -> Response[str]:
        """The translator: text and catalog tabs over the `/v1` API."""
        return Response(page, media_type=MediaType.HTML, headers=PAGE_HEADERS)

    return translator_page
