"""Runtime configuration from environment variables (TRANSLATOR_*) and an optional TOML file."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, HttpUrl, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

__all__ = ["EngineKind", "Settings", "default_cache_dir", "load_settings"]

SETTINGS_FILE_ENV = "TRANSLATOR_SETTINGS_FILE"
DATABASE_FILE = "translator.db"
MAX_DETERMINISTIC_SEQUENCES = 7
"""llama.cpp computes a decoding row alike in every batch of up to this many rows, not beyond."""


class EngineKind(StrEnum):
    """Which backend serves the model."""

    EMBEDDED = "embedded"
    SGLANG = "sglang"
    OPENAI = "openai"


def default_cache_dir() -> Path:
    """Where assembled model files live: shared by all checkouts, so 1.1 GB is assembled once."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "translator"


class Settings(BaseSettings):
    """Every setting has a working default for the embedded CPU model."""

    model_config = SettingsConfigDict(env_prefix="TRANSLATOR_", extra="forbid")

    engine: EngineKind = EngineKind.EMBEDDED
    engine_url: HttpUrl | None = Field(
        default=None, description="Base URL of an SGLang or OpenAI-compatible server."
    )
    engine_api_key: str | None = Field(
        default=None, description="Bearer token sent to the remote engine, if it needs one."
    )
    engine_model: str | None = Field(
        default=None, description="Model name for OpenAI-compatible servers; probed when unset."
    )
    engine_timeout_s: float = Field(default=120.0, gt=0)
    engine_max_connections: int = Field(default=64, ge=1)

    model_path: Path | None = Field(
        default=None,
        description="GGUF file for the embedded engine; unset: the bundled Qwen2.5 1.5B model.",
    )
    cache_dir: Path = Field(default_factory=default_cache_dir)
    n_ctx: int = Field(default=4096, ge=256)
    n_threads: int | None = Field(
        default=None,
        ge=1,
        description="CPU threads of the embedded engine, for generation and prompt batches; "
        "unset: every core this process may use.",
    )
    n_batch: int = Field(default=256, ge=8)
    max_sequences: int = Field(
        default=4,
        ge=1,
        le=64,
        description="Sequences the embedded engine decodes at once (sibling samples, prompts of "
        "a list, concurrent callers); its KV cache holds n_ctx tokens for each. 1: one after "
        "another.",
    )
    deterministic: bool = Field(
        default=False,
        description="Give every embedded-engine call the logprobs llama.cpp gives it alone "
        "from an empty cache, whatever else runs or is cached, so seeded calls and searches "
        "repeat exactly on a busy, warm service. Costs prompt work (a default search read "
        "3.2 times the prompt tokens); needs max_sequences of 7 or less and repack_weights off.",
    )
    repack_weights: bool = Field(
        default=False,
        description="Let llama.cpp repack the embedded model's weights for its batched CPU "
        "kernels: more tokens/s with several sequences (about 13% at 4 on AVX2), but each "
        "sequence's logprobs then depend on what else shares its batch (up to 0.18 nats), so "
        "confidences and search rewards shift with load. Never on CPUs with AMX.",
    )

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the translation cache; unset: SQLite in cache_dir.",
    )

    max_text_chars: int = Field(default=2000, ge=1)
    max_new_tokens: int = Field(default=768, ge=16)
    seed: int = 0
    search_selection: Literal["reward", "visits", "consensus", "consensus-source"] = Field(
        default="consensus-source",
        description="How the search picks its answer from its pool (docs/search.md): the best "
        "confidence reward, the most-visited path, the candidates' consensus (MBR with chrF), "
        "or consensus together with how well each candidate predicts the source (the default).",
    )

    api_keys_required: bool = Field(
        default=False, description="Refuse API requests without a valid key (keys: `keys create`)."
    )
    rate_limit_per_minute: int = Field(
        default=120, ge=1, description="Requests per minute per API key, unless the key sets one."
    )
    max_texts: int = Field(default=32, ge=1, description="Most texts in one API request.")
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest API request body, in bytes."
    )
    max_json_depth: int = Field(
        default=16, ge=4, description="Deepest nesting of arrays and objects in a JSON body."
    )
    max_json_number_chars: int = Field(
        default=40, ge=24, description="Longest number in a JSON body, in characters."
    )
    max_json_keys: int = Field(
        default=100_000,
        ge=100,
        description="Most object keys in a JSON body, all objects together.",
    )
    max_json_values: int = Field(
        default=200_000,
        ge=1000,
        description="Most values (array items and object members) in a JSON body, in all.",
    )
    max_form_fields: int = Field(
        default=2000,
        ge=16,
        description="Most fields in a URL-encoded form, or parts in a multipart one.",
    )
    max_form_field_bytes: int = Field(
        default=512 * 1024,
        ge=1024,
        description="Largest form field or multipart part, in bytes (an uploaded catalog file: "
        "jobs_max_upload_bytes).",
    )
    compat_mode: Literal["direct", "cot", "mcts"] = Field(
        default="direct",
        description="Mode of the LibreTranslate, DeepL and custom routes, unless the API key "
        "sets one: their clients expect answers within seconds.",
    )
    use_context: bool = Field(
        default=True,
        description="Tell the model the `context` a request sends (DeepL's, or /v1's) with each "
        "text; false: the context is checked and left out of the prompt (bench/README.md: on "
        "the embedded 1.5B model it cost 2 chrF points).",
    )
    max_file_bytes: int = Field(
        default=10 * 1_048_576,
        ge=1024,
        description="Largest file LibreTranslate's /translate_file takes, in bytes.",
    )
    max_file_chars: int = Field(
        default=100_000,
        ge=1,
        description="Most characters of text in one file for /translate_file (its lines, HTML "
        "text runs or Word paragraphs together); each one is also held to max_text_chars.",
    )
    compat_budget: Literal["small", "medium", "large"] | None = Field(
        default=None,
        description="Search budget there when the mode is mcts; unset: the engine's default.",
    )

    memory_fuzzy_threshold: float = Field(
        default=0.75,
        ge=0.5,
        le=1.0,
        description="Similarity (0 to 1) from which a translation memory's pairs are shown to "
        "the model as examples (docs/memory.md).",
    )
    memory_examples: int = Field(
        default=3, ge=0, le=8, description="Most memory pairs one prompt shows as examples."
    )
    default_memory: str | None = Field(
        default=None,
        description="Name of the local translation memory used by callers without an API key "
        "when a request names none (and where their LibreTranslate suggestions go).",
    )

    jobs_worker: bool = Field(
        default=True, description="Run queued catalog jobs in this process (`serve`, `worker`)."
    )
    jobs_database_url: str = Field(
        default="",
        description="Database of the job queue's durable state (DBOS); unset: the cache's "
        "PostgreSQL database, or a SQLite file beside the cache's SQLite file.",
    )
    jobs_executor_id: str | None = Field(
        default=None,
        description="This worker's name in the job queue (unique per host, kept across "
        "restarts so a restarted worker resumes its own jobs); unset: `local`.",
    )
    jobs_per_worker: int = Field(default=1, ge=1, description="Jobs one worker runs at once.")
    jobs_concurrency: int | None = Field(
        default=None,
        ge=1,
        description="Segments one job translates at once; unset: max_sequences on the embedded "
        "engine, 32 on a remote server.",
    )
    jobs_retry_attempts: int = Field(
        default=6,
        ge=1,
        description="Tries of a chunk whose engine calls fail; then the job fails.",
    )
    jobs_retry_seconds: float = Field(
        default=2.0, ge=0, description="Wait before the first retry; doubled each time."
    )
    jobs_chunk_rows: int = Field(default=500, ge=1, description="Rows per unit of job work.")
    jobs_max_rows: int = Field(default=2_000_000, ge=1)
    jobs_max_cell_chars: int = Field(default=20_000, ge=1)
    jobs_max_upload_bytes: int = Field(default=512 * 1_048_576, ge=1024)

    @field_validator("model_path", "cache_dir", mode="after")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @model_validator(mode="after")
    def _remote_engines_need_a_url(self) -> Settings:
        if self.engine is not EngineKind.EMBEDDED and self.engine_url is None:
            raise ValueError(f"engine_url is required when engine is {self.engine.value}")
        return self

    @model_validator(mode="after")
    def _deterministic_needs_exact_kernels(self) -> Settings:
        if self.deterministic and (
            self.max_sequences > MAX_DETERMINISTIC_SEQUENCES or self.repack_weights
        ):
            raise ValueError(
                "deterministic needs max_sequences of "
                f"{MAX_DETERMINISTIC_SEQUENCES} or less and repack_weights off: llama.cpp "
                "rounds larger decoding batches and repacked weights differently"
            )
        return self

    @model_validator(mode="after")
    def _default_database_url(self) -> Settings:
        if not self.database_url:
            database = self.cache_dir.absolute() / DATABASE_FILE
            self.database_url = f"sqlite+aiosqlite:///{database}"
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        settings_file = os.environ.get(SETTINGS_FILE_ENV)
        if settings_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(settings_file)))
        return tuple(sources)


def load_settings(**overrides: Any) -> Settings:
    """Build settings; explicit overrides (from CLI flags) win over env vars and the file."""
    settings_file = os.environ.get(SETTINGS_FILE_ENV)
    if settings_file and not Path(settings_file).is_file():
        raise FileNotFoundError(f"{SETTINGS_FILE_ENV} points to a missing file: {settings_file}")
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
