"""The REST API: `create_app(settings)` builds the Litestar app that `translator serve` runs."""

from __future__ import annotations

from translator.api.app import create_app

__all__ = ["create_app"]
