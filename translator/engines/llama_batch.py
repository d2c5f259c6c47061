"""A llama.cpp context that decodes many sequences per call.

Every row of a `llama_decode` batch carries its own sequence id and position, so one call
advances all running sequences by a token (and may carry a chunk of a new prompt besides).

The KV cache is unified by default: a prompt written once is shared by other sequences, since
`llama_memory_seq_cp` only tags the same cells with another id. But there a sequence's
attention runs over cells of other sequences sitting between its own, which changes the
rounding of its logits with whatever else is cached. A `deterministic` context gives each
sequence a KV stream of its own instead, so it attends over its own cells only, and a prompt is
shared by copying its stream. It also turns flash attention off: llama.cpp's CPU kernel for it
rounds differently with the layout of the cells it runs over, the plain attention does not.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import llama_cpp
import numpy as np
import numpy.typing as npt

from translator.engines.errors import EngineUnavailable
from translator.engines.llama_model import LlamaModel

__all__ = ["BatchContext", "Row", "available_cores"]


@dataclass(frozen=True, slots=True)
class Row:
    """One token to decode: where it goes, and whether its next-token logits are wanted."""

    token: int
    position: int
    sequence: int
    logits: bool


class BatchContext:
    """Decoding state for up to `sequences` sequences of up to `n_ctx` tokens each.

    The KV cache holds `n_ctx * sequences` cells, so every sequence can reach its full context
    even when none shares anything.
    """

    def __init__(
        self,
        model: LlamaModel,
        *,
        n_ctx: int,
        sequences: int,
        n_batch: int,
        threads: int,
        deterministic: bool = False,
    ) -> None:
        self.n_ctx = n_ctx
        self.sequences = sequences
        self.capacity = max(n_batch, sequences)
        self._n_vocab = model.n_vocab
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = n_ctx * sequences
        params.n_batch = params.n_ubatch = self.capacity
        params.n_seq_max = sequences
        params.kv_unified = not deterministic
        if deterministic:
            params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        self.deterministic = deterministic
        """A KV stream per sequence and plain attention (see the module docstring)."""
        params.n_threads = params.n_threads_batch = threads
        params.no_perf = True
        context = llama_cpp.llama_init_from_model(model.pointer, params)
        if not context:
            raise EngineUnavailable("llama.cpp could not create a context (out of memory?)")
        self._context = context
        self._memory = llama_cpp.llama_get_memory(context)
        self._batch = llama_cpp.llama_batch_init(self.capacity, 0, 1)
        self.threads = (
            llama_cpp.llama_n_threads(context),
            llama_cpp.llama_n_threads_batch(context),
        )
        """CPU threads for generation and for prompt batches, as llama.cpp took them."""

    def decode(self, rows: Sequence[Row]) -> None:
        """Run the model over `rows` (at most `capacity`), writing them into the KV cache."""
        batch = self._batch
        for index, row in enumerate(rows):
            batch.token[index] = row.token
            batch.pos[index] = row.position
            batch.n_seq_id[index] = 1
            batch.seq_id[index][0] = row.sequence
            batch.logits[index] = row.logits
        batch.n_tokens = len(rows)
        status = llama_cpp.llama_decode(self._context, batch)
        if status != 0:
            raise EngineUnavailable(f"llama_decode failed (status {status})")

    def logits(self, row: int) -> npt.NDArray[np.float32]:
        """Next-token logits of a row of the last batch; a view valid until the next decode."""
        pointer = llama_cpp.llama_get_logits_ith(self._context, row)
        return np.ctypeslib.as_array(pointer, shape=(self._n_vocab,))

    def share(self, source: int, target: int, length: int) -> None:
        """Give `target` the first `length` positions of `source` without computing them.

        llama.cpp copies another stream only whole, so that copy is cut back to `length` after.
        """
        if not self.deterministic:
            llama_cpp.llama_memory_seq_cp(self._memory, source, target, 0, length)
            return
        llama_cpp.llama_memory_seq_cp(self._memory, source, target, -1, -1)
        llama_cpp.llama_memory_seq_rm(self._memory, target, length, -1)

    def truncate(self, sequence: int, length: int) -> None:
        """Drop a sequence's cells from position `length` on."""
        llama_cpp.llama_memory_seq_rm(self._memory, sequence, length, -1)

    def clear(self) -> None:
        llama_cpp.llama_memory_clear(self._memory, True)

    def close(self) -> None:
        if self._context:
            llama_cpp.llama_batch_free(self._batch)
            llama_cpp.llama_free(self._context)
            self._context = None


def available_cores() -> int:
    """The cores this process may run on: the default thread count.

    llama-cpp-python would take half of `cpu_count()` (one thread on a 2-core machine), which
    leaves half the CPU idle while every token is decoded.
    """
    return len(os.sched_getaffinity(0))
