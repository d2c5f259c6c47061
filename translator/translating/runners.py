"""The runner for every mode, built from settings and the caller's search options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from translator.engines.protocol import Engine
from translator.prompting.modes import Mode, ModeRunner, SinglePassRunner
from translator.prompting.prompts import PromptStyle
from translator.search.config import BUDGETS, SearchConfig, default_budget
from translator.search.runner import SearchRunner
from translator.settings import Settings
from translator.translating.hint_fallback import HintFallbackRunner
from translator.translating.translation import Translator

__all__ = ["build_runners", "build_translator"]


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


def build_translator(
    engine: Engine, settings: Settings, search: SearchConfig | None = None
) -> Translator:
    """A translator over `engine`; without `search`, the engine's default budget and our seed."""
    if search is None:
        search = replace(BUDGETS[default_budget(engine.name)], seed=settings.seed)
    return Translator(
        engine,
        build_runners(settings.max_new_tokens, search),
        max_text_chars=settings.max_text_chars,
    )
