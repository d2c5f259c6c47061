"""Cross-origin access for browser extensions, and for nothing else.

The in-page translation extension calls the API from its background worker, whose origin is
`chrome-extension://<id>` or `moz-extension://<uuid>`. Web pages (http/https origins) get no
CORS headers, so a site a user visits cannot use their server or key. Preflight requests are
answered before routing, so they pass without the API key that the real request then carries
(`Authorization` or `X-API-Key`); `Retry-After` is exposed so the extension can honour 429/503.
"""

from __future__ import annotations

from litestar.config.cors import CORSConfig

__all__ = ["EXTENSION_ORIGINS", "extension_cors"]

EXTENSION_ORIGINS = r"chrome-extension://[a-p]{32}|moz-extension://[0-9a-fA-F-]{36}"
"""Chrome extension ids are 32 letters a–p; Firefox gives each install a UUID."""


def extension_cors() -> CORSConfig:
    """CORS for the extension origins: the API's methods and the headers its calls send."""
    return CORSConfig(
        allow_origins=[],
        allow_origin_regex=EXTENSION_ORIGINS,
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["authorization", "x-api-key", "content-type"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
