"""Response headers for the service's pages: what each page may load, and nothing else.

A content security policy is the second line behind inserting model text only as text: even
a slip could not run a script from elsewhere or send data to another host.
"""

from __future__ import annotations

__all__ = ["PAGE_HEADERS", "TRACE_PAGE_HEADERS"]

_COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    **_COMMON,
}
"""The translator page: its own script, style and API only."""

TRACE_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    **_COMMON,
}
"""A trace page: self-contained HTML with its style inline, and no script at all."""
