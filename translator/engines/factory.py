"""Build the configured engine from settings."""

from __future__ import annotations

from pathlib import Path

from translator.engines.protocol import Engine
from translator.settings import EngineKind, Settings

__all__ = ["create_engine", "embedded_model_path"]


def embedded_model_path(settings: Settings) -> Path:
    """The GGUF the embedded engine loads: the configured path, else the bundled model."""
    from translator.engines.model_files import bundled_model_path

    if settings.model_path is not None:
        return settings.model_path
    return bundled_model_path(settings.cache_dir)


def create_engine(settings: Settings) -> Engine:
    """Instantiate the backend `settings.engine` names; imports stay lazy as llama.cpp is heavy."""
    if settings.engine is EngineKind.EMBEDDED:
        from translator.engines.embedded import EmbeddedEngine

        return EmbeddedEngine(
            embedded_model_path(settings),
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads,
            n_batch=settings.n_batch,
            max_sequences=settings.max_sequences,
            repack_weights=settings.repack_weights,
            deterministic=settings.deterministic,
        )
    url = str(settings.engine_url)
    if settings.engine is EngineKind.SGLANG:
        from translator.engines.sglang import SGLangEngine

        return SGLangEngine(
            url,
            timeout_s=settings.engine_timeout_s,
            max_connections=settings.engine_max_connections,
            api_key=settings.engine_api_key,
        )
    from translator.engines.openai import OpenAICompletionsEngine

    return OpenAICompletionsEngine(
        url,
        model=settings.engine_model,
        timeout_s=settings.engine_timeout_s,
        max_connections=settings.engine_max_connections,
        api_key=settings.engine_api_key,
    )
