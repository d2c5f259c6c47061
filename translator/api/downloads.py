"""File downloads (glossary exports, job results) with a file name any browser can read.

Header values are Latin-1 on the wire, and glossary and catalog names are often Chinese or
Japanese, so the name goes twice: an ASCII fallback in `filename`, and the real name
percent-encoded as UTF-8 in `filename*` (RFC 6266 / RFC 5987), which clients prefer.
"""

from __future__ import annotations

from urllib.parse import quote

from litestar import Response

__all__ = ["attachment"]


def attachment(content: bytes, media_type: str, file_name: str) -> Response[bytes]:
    """`content` as a download named `file_name`."""
    name = file_name[:200]
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in name)
    encoded = quote(name, safe="")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
