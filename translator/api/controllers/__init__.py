"""Route handlers, one module per concern."""

from __future__ import annotations

__all__: list[str] = []
