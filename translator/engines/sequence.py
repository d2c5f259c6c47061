"""One generated sample: its own sampler, stop strings, token limit, script ban and logprobs.

The batched decoder hands every running sample the logits of its own batch row; the sample
chooses its next token from them and says whether it goes on. Nothing here depends on which
other samples share the batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from translator.engines.llama_model import LlamaModel
from translator.engines.sampling import choose_token
from translator.engines.types import (
    TOP_LOGPROBS,
    Completion,
    FinishReason,
    SamplingParams,
    TokenLogprob,
)

__all__ = ["Sample"]


class Sample:
    """The state of one sequence from its first generated token to its finish."""

    def __init__(
        self,
        model: LlamaModel,
        params: SamplingParams,
        rng: np.random.Generator,
        *,
        prompt_index: int,
        prompt_length: int,
        computed_prompt: int,
        room: int,
    ) -> None:
        self._model = model
        self._params = params
        self._rng = rng
        self._prompt_index = prompt_index
        self._prompt_length = prompt_length
        self._computed_prompt = computed_prompt
        self._limit = min(params.max_new_tokens, room)
        ban = params.ban
        self._banned = model.ban_mask(ban.scripts) if ban is not None else None
        self._in_answer = ban is not None and ban.after is None
        self._generated: list[TokenLogprob] = []
        self._output = bytearray()
        self._text = ""
        self.finish: FinishReason | None = None

    def accept(self, logits: npt.NDArray[np.float32]) -> int | None:
        """Choose the next token; return it when it must be decoded, None when the sample ends."""
        if self._banned is not None and self._in_answer:
            logits = np.where(self._banned, -np.inf, logits).astype(np.float32)
        params = self._params
        choice = choose_token(
            logits,
            temperature=params.temperature,
            top_p=params.top_p,
            top_k=params.top_k,
            rng=self._rng,
            n_top=TOP_LOGPROBS,
        )
        text_of = self._model.token_text
        self._generated.append(
            TokenLogprob(
                text=text_of(choice.token_id),
                logprob=choice.logprob,
                top=tuple(
                    (text_of(top_id), top_logprob)
                    for top_id, top_logprob in zip(choice.top_ids, choice.top_logprobs, strict=True)
                ),
                token_id=choice.token_id,
            )
        )
        if self._model.ends_generation(choice.token_id):
            self.finish = "stop"
            return None
        self._output += self._model.piece(choice.token_id)
        self._text = self._output.decode("utf-8", errors="ignore")
        stop_at = _find_stop(self._text, params.stop)
        if stop_at is not None:
            self._text = self._text[:stop_at]
            self.finish = "stop"
            return None
        if params.ban is not None and params.ban.after is not None and not self._in_answer:
            self._in_answer = params.ban.after in self._text
        if len(self._generated) >= self._limit:
            self.finish = "length"
            return None
        return choice.token_id

    def abort(self) -> None:
        """End the sample where it is (its caller went away or the engine failed)."""
        self.finish = "abort"

    def completion(self) -> Completion:
        if self.finish is None:
            raise RuntimeError("the sample is still running")
        return Completion(
            prompt_index=self._prompt_index,
            text=self._text,
            tokens=tuple(self._generated),
            finish_reason=self.finish,
            prompt_tokens=self._prompt_length,
            cached_prompt_tokens=self._prompt_length - self._computed_prompt,
        )


def _find_stop(text: str, stops: Sequence[str]) -> int | None:
    """Earliest position where any stop string starts, or None."""
    positions = [position for stop in stops if (position := text.find(stop)) >= 0]
    return min(positions) if positions else None
