"""What the app holds for its lifetime, typed: settings, database sessions and writes, the
engine, metrics.

The engine loads in the background (the embedded model takes seconds, a first start minutes to
assemble), so the server answers `/health` at once and `/ready` once the model is there;
translation requests before then get 503 with `Retry-After`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from translator.api.metrics import Metrics
from translator.api.rate_limit import RateLimiter
from translator.api.repeats import RepeatAnswers
from translator.engines.errors import EngineError, EngineUnavailable, ModelFileError
from translator.engines.factory import create_engine
from translator.engines.protocol import Engine
from translator.settings import Settings
from translator.store.writes import Writes
from translator.translating.glossaries import GlossaryResolver
from translator.translating.memories import MemoryResolver
from translator.translating.service import TranslationService

__all__ = ["STATE_KEY", "AppState", "AppStateDependency", "EngineSlot"]

STATE_KEY = "translator"
logger = logging.getLogger(__name__)


@dataclass
class EngineSlot:
    """The translation service once its engine is loaded, or why it is not (yet)."""

    service: TranslationService | None = None
    error: EngineError | None = None
    owned: Engine | None = None
    """An engine this app created, and so closes on shutdown."""

    def require(self) -> TranslationService:
        """The service; raises the load failure, or `EngineUnavailable` while still loading."""
        if self.service is not None:
            return self.service
        if self.error is not None:
            raise self.error
        raise EngineUnavailable("the model is still loading")

    async def wait(self) -> TranslationService:
        """The service once the engine has loaded (for jobs recovered while it loads)."""
        while self.service is None:
            if self.error is not None:
                raise self.error
            await asyncio.sleep(0.2)
        return self.service

    def serve(
        self, engine: Engine, sessions: async_sessionmaker[AsyncSession], settings: Settings
    ) -> None:
        self.service = TranslationService(engine, sessions, settings)

    async def load(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Create the configured engine off the event loop, then serve it."""
        try:
            self.owned = await asyncio.to_thread(create_engine, settings)
        except Exception as error:  # any load failure is reported, not raised
            logger.error("the engine failed to load: %s", error)
            self.error = (
                error if isinstance(error, EngineError) else ModelFileError(f"cannot load: {error}")
            )
            return
        self.serve(self.owned, sessions, settings)

    async def aclose(self) -> None:
        if self.service is not None:
            await self.service.aclose()
        if self.owned is not None:
            await self.owned.aclose()


@dataclass
class AppState:
    """Everything handlers need, injected as the `state` dependency."""

    settings: Settings
    database: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    writes: Writes
    """Write transactions that run in one call (`translator.store.writes`)."""
    metrics: Metrics = field(default_factory=Metrics)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    engine: EngineSlot = field(default_factory=EngineSlot)
    glossaries: GlossaryResolver = field(default_factory=GlossaryResolver)
    memories: MemoryResolver = field(default_factory=MemoryResolver)
    repeats: RepeatAnswers = field(default_factory=RepeatAnswers)


AppStateDependency = NamedDependency[AppState]
"""How handlers ask for the state: `app_state: AppStateDependency`."""
