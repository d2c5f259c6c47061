"""The runner for every mode, built from settings and the caller's search options."""

from __future__ import annotations

from collections.abc import Mapping

from translator.engines.protocol import Engine
from translator.prompting.modes import Mode, ModeRunner, SinglePassRunner
from translator.prompting.prompts import PromptStyle
from translator.search.config import BudgetName, SearchConfig, config_for, default_budget
from translator.search.runner import SearchRunner
from translator.settings import Settings
from translator.translating.hint_fallback import HintFallbackRunner
from translator.translating.translation import Translator

__all__ = ["build_runners", "build_translator", "search_config"]


def build_runners(max_new_tokens: int, search: SearchConfig) -> Mapping[Mode, ModeRunner]:
    """`direct` and `cot` capped at `max_new_tokens` (redone without glossary hints where the
    hints broke the answer); `mcts` with the given search config."""
    return {
        Mode.DIRECT: HintFallbackRunner(
            SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=max_new_tokens)
        ),
        Mode.COT: HintFallbackRunner(
            SinglePassRunner(PromptStyle.THINK, max_new_tokens=max_new_tokens)
        ),
        Mode.MCTS: SearchRunner(search),
    }


def search_config(settings: Settings, budget: BudgetName, **overrides: object) -> SearchConfig:
    """A named budget with the settings' seed and selection, then `overrides` on top."""
    return config_for(
        budget,
        **{"seed": settings.seed, "selection": settings.search_selection, **overrides},
    )


def build_translator(
    engine: Engine, settings: Settings, search: SearchConfig | None = None
) -> Translator:
    """A translator over `engine`; without `search`, the engine's default budget and our seed."""
    if search is None:
        search = search_config(settings, default_budget(engine.name))
    return Translator(
        engine,
        build_runners(settings.max_new_tokens, search),
        max_text_chars=settings.max_text_chars,
    )
