"""A GGUF model loaded once through llama.cpp's C API, with its vocabulary.

The embedded engine makes its own batched context on these weights (`llama_init_from_model`
shares them), so the high-level `llama_cpp.Llama` and the context it always creates are not
needed.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import llama_cpp
import numpy as np
import numpy.typing as npt

from translator.engines.errors import ModelFileError
from translator.engines.script_mask import banned_token_mask

__all__ = ["LlamaModel"]

_PIECE_BYTES = 64


class LlamaModel:
    """Weights, tokenizer and per-token texts of one GGUF file."""

    def __init__(self, path: Path, *, repack_weights: bool = False) -> None:
        if not path.is_file():
            raise ModelFileError(f"model file not found: {path}")
        llama_cpp.llama_backend_init()
        # llama-cpp-python prints llama.cpp's load and context reports unless told otherwise,
        # and some harmless load notes come at error level; a failed load still raises below.
        logging.getLogger("llama-cpp-python").setLevel(logging.CRITICAL)
        params = llama_cpp.llama_model_default_params()
        # Repacked weights (llama.cpp's extra buffer types) run batches of rows through other
        # kernels than single rows, so a sequence's logits change with its batch's size; plain
        # weights give every row exactly what it would get alone. The AMX buffers of the
        # llama.cpp that llama-cpp-python builds also crash on CPUs with AMX.
        params.use_extra_bufts = repack_weights and not _cpu_has_amx()
        pointer = llama_cpp.llama_model_load_from_file(str(path).encode(), params)
        if not pointer:
            raise ModelFileError(f"llama.cpp could not load the model file {path}")
        self.pointer = pointer
        self._vocab = llama_cpp.llama_model_get_vocab(pointer)
        self.n_vocab: int = llama_cpp.llama_vocab_n_tokens(self._vocab)
        self._texts: dict[int, str] = {}
        self._ban_masks: dict[tuple[str, ...], npt.NDArray[np.bool_]] = {}

    def tokenize(self, text: str, *, special: bool = True) -> list[int]:
        """Token ids of a raw prompt, special tokens such as `<|im_start|>` parsed; with
        `special` off, of plain text that continues a prompt (no BOS, nothing parsed)."""
        data = text.encode("utf-8")
        capacity = len(data) + 2  # a token holds at least one byte, plus BOS and EOS
        buffer = (llama_cpp.llama_token * capacity)()
        count = llama_cpp.llama_tokenize(
            self._vocab, data, len(data), buffer, capacity, special, special
        )
        return list(buffer[:count])

    def piece(self, token_id: int, *, special: bool = False) -> bytes:
        """The bytes a token writes; special tokens write nothing unless `special`."""
        buffer = ctypes.create_string_buffer(_PIECE_BYTES)
        size = llama_cpp.llama_token_to_piece(
            self._vocab, token_id, buffer, _PIECE_BYTES, 0, special
        )
        if size < 0:  # longer than the buffer: llama.cpp reports the size it needs
            buffer = ctypes.create_string_buffer(-size)
            size = llama_cpp.llama_token_to_piece(self._vocab, token_id, buffer, -size, 0, special)
        return buffer.raw[:size]

    def token_text(self, token_id: int) -> str:
        """How a token reads in logprob reports, special tokens spelled out."""
        text = self._texts.get(token_id)
        if text is None:
            raw = self.piece(token_id, special=True)
            text = self._texts[token_id] = raw.decode("utf-8", errors="replace")
        return text

    def ends_generation(self, token_id: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self._vocab, token_id))

    def ban_mask(self, scripts: Sequence[str]) -> npt.NDArray[np.bool_]:
        """The tokens that would write one of `scripts`, worked out once per script set.

        Banned tokens get a logit of -inf in the answer, so the logprobs reported there are the
        model's distribution over the tokens it may still write.
        """
        key = tuple(sorted(scripts))
        mask = self._ban_masks.get(key)
        if mask is None:
            pieces = [self.piece(i) for i in range(self.n_vocab)]
            mask = self._ban_masks[key] = banned_token_mask(pieces, key)
        return mask

    def close(self) -> None:
        if self.pointer:
            llama_cpp.llama_model_free(self.pointer)
            self.pointer = None


@cache
def _cpu_has_amx() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_int8" in flags
