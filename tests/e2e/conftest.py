"""Fixtures for end-to-end tests: a served API on the real model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import deepl
import httpx
import pytest

from tests.e2e.serving import REQUEST_TIMEOUT_S, Served, serve


@pytest.fixture
def served(tmp_path: Path, model_path: Path) -> Iterator[Served]:
    with serve(tmp_path, model_path) as running:
        yield running


@pytest.fixture
def server(served: Served) -> httpx.Client:
    """A client for the served API."""
    return served.client


@pytest.fixture
def patient_deepl(monkeypatch: pytest.MonkeyPatch) -> None:
    """DeepL's library gives a request 10 s, then sends it again; a first translation on the
    embedded model of a busy 2-core machine can take longer, and every resend is counted in
    the key's usage. Its own timeout setting is raised for the test."""
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", float(REQUEST_TIMEOUT_S))
