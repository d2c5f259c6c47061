"""Fixtures for end-to-end tests: a served API on the real model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.serving import Served, serve


@pytest.fixture
def served(tmp_path: Path, model_path: Path) -> Iterator[Served]:
    with serve(tmp_path, model_path) as running:
        yield running


@pytest.fixture
def server(served: Served) -> httpx.Client:
    """A client for the served API."""
    return served.client
