"""Which prompt batch sizes give a row the same logits as reading the whole prompt at once.

The deterministic engine (`TRANSLATOR_DETERMINISTIC`) rests on llama.cpp's CPU kernels computing
a row alike in every batch from some size on. This reads one real review prompt whole, then
again with its last k tokens in a batch of their own (the rest before it in one batch), for
several k, and reports the largest difference of the last row's logits from the whole read
(0: the same arithmetic), with plain attention (the deterministic context) and with llama.cpp's
default flash attention.

    uv run python -m bench.batch_regimes [--sizes 1,4,7,8,16,32,63,64,65,128]
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import numpy.typing as npt

from bench.common import write_result
from bench.engine import review_prompts
from translator.engines.llama_batch import BatchContext, Row, available_cores
from translator.engines.llama_model import LlamaModel
from translator.engines.model_files import bundled_model_path
from translator.settings import default_cache_dir


def last_logits(
    model: LlamaModel, prompt: list[int], batches: list[int], *, plain_attention: bool
) -> npt.NDArray[np.float64]:
    """The last row's logits after reading `prompt` in batches of the given sizes, in order."""
    context = BatchContext(
        model,
        n_ctx=1024,
        sequences=1,
        n_batch=1024,
        threads=available_cores(),
        deterministic=plain_attention,
    )
    try:
        start = 0
        for size in batches:
            context.decode(
                [
                    Row(token, position, 0, logits=position == len(prompt) - 1)
                    for position, token in enumerate(prompt[start : start + size], start)
                ]
            )
            start += size
        return context.logits(batches[-1] - 1).astype(np.float64)
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,4,7,8,16,32,63,64,65,128")
    args = parser.parse_args()
    model = LlamaModel(bundled_model_path(default_cache_dir()))
    try:
        (text,) = review_prompts(1)
        prompt = model.tokenize(text)
        summary: dict[str, object] = {"prompt_tokens": len(prompt)}
        for name, plain in (("plain_attention", True), ("flash_attention", False)):
            whole = last_logits(model, prompt, [len(prompt)], plain_attention=plain)
            differences = {}
            for size in (int(value) for value in args.sizes.split(",")):
                split = last_logits(
                    model, prompt, [len(prompt) - size, size], plain_attention=plain
                )
                differences[str(size)] = float(np.abs(split - whole).max())
            summary[name] = differences
    finally:
        model.close()
    print(json.dumps(summary, indent=2))
    print(f"written to {write_result('batch-regimes', summary)}")


if __name__ == "__main__":
    main()
