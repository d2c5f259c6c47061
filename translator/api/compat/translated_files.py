"""Translated files kept for download: LibreTranslate's `/translate_file` answers a URL.

Each file is written under `cache_dir/translated-files/<token>`, where the token is 128 random
bits (whoever has the URL may download the file, as with LibreTranslate), and is removed
`KEEP_SECONDS` after it was written: old files are swept whenever a new one is kept. The files
live on this server's disk, so behind a load balancer the download must reach the same
instance (or `cache_dir` must be shared).
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from pathlib import Path

__all__ = ["KEEP_SECONDS", "TranslatedFiles"]

KEEP_SECONDS = 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class TranslatedFiles:
    """Files kept by token in one folder, for `KEEP_SECONDS`."""

    def __init__(self, folder: Path, keep_seconds: float = KEEP_SECONDS) -> None:
        self._folder = folder
        self._keep_seconds = keep_seconds

    async def keep(self, content: bytes) -> str:
        """Write `content`; its token."""
        token = secrets.token_hex(16)
        await asyncio.to_thread(self._write, token, content)
        return token

    async def read(self, token: str) -> bytes | None:
        """The file kept under `token`, or None (unknown, malformed or expired)."""
        if not _TOKEN.match(token):
            return None
        return await asyncio.to_thread(self._read, token)

    def _write(self, token: str, content: bytes) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        self._sweep()
        partial = self._folder / f"{token}.part"
        partial.write_bytes(content)
        partial.rename(self._folder / token)

    def _read(self, token: str) -> bytes | None:
        path = self._folder / token
        try:
            if time.time() - path.stat().st_mtime > self._keep_seconds:
                return None
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def _sweep(self) -> None:
        deadline = time.time() - self._keep_seconds
        for path in self._folder.iterdir():
            try:
                if path.stat().st_mtime < deadline:
                    path.unlink()
            except FileNotFoundError:
                pass  # another request swept it first
