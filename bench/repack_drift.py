"""How far llama.cpp's repacked weights move a sequence's logprobs, alone and in batches.

Repacking (`TRANSLATOR_REPACK_WEIGHTS`) decodes batches faster, but through other kernels than
plain weights. This decodes the same greedy continuation of a few real translation prompts
token by token, with 0, 3 and 7 other rows in each batch (what continuous batching adds), on
plain and on repacked weights, and reports the top-5 logprob differences: against plain
weights decoding alone (llama.cpp's own values), and against the same weights alone.

    uv run python -m bench.repack_drift [--prompts 3] [--steps 24]
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

COMPANIONS = (0, 3, 7)
"""Other rows decoded beside the measured sequence: alone, a batch of 4, a batch of 8."""
TOP = 5

Steps = npt.NDArray[np.float64]
"""Log-softmax of the measured sequence's logits, one row per decoded step."""


def decode(
    model: LlamaModel, prompt: list[int], companions: int, steps: int, tokens: list[int] | None
) -> tuple[list[int], Steps]:
    """Decode `steps` tokens after `prompt` on sequence 0, each step with `companions` other
    rows: the given `tokens`, or (None) the greedy ones."""
    context = BatchContext(
        model, n_ctx=1024, sequences=1 + companions, n_batch=64, threads=available_cores()
    )
    try:
        for start in range(0, len(prompt), context.capacity):
            chunk = prompt[start : start + context.capacity]
            context.decode(
                [
                    Row(token, position, 0, logits=position == len(prompt) - 1)
                    for position, token in enumerate(chunk, start)
                ]
            )
        rows = [_log_softmax(context.logits(len(chunk) - 1))]
        chosen: list[int] = []
        for position in range(len(prompt), len(prompt) + steps):
            chosen.append(int(np.argmax(rows[-1])) if tokens is None else tokens[len(chosen)])
            if position == len(prompt) + steps - 1:
                break
            extra = [Row(prompt[k], k, 1 + k, logits=False) for k in range(companions)]
            context.decode([Row(chosen[-1], position, 0, logits=True), *extra])
            rows.append(_log_softmax(context.logits(0)))
            for k in range(companions):
                context.truncate(1 + k, 0)
        return chosen, np.array(rows)
    finally:
        context.close()


def _log_softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    values = logits.astype(np.float64)
    shifted: npt.NDArray[np.float64] = values - values.max()
    return shifted - float(np.log(np.exp(shifted).sum()))


def _top_difference(measured: Steps, reference: Steps) -> npt.NDArray[np.float64]:
    """|difference| at each step's top-5 tokens of the reference."""
    top = np.argsort(-reference, axis=1)[:, :TOP]
    return np.take_along_axis(np.abs(measured - reference), top, axis=1)


def measure(prompts: int, steps: int) -> dict[str, object]:
    path = bundled_model_path(default_cache_dir())
    plain = LlamaModel(path)
    repacked = LlamaModel(path, repack_weights=True)
    rows: dict[str, dict[str, list[float]]] = {}
    for text in review_prompts(prompts):
        prompt = plain.tokenize(text)
        tokens, reference = decode(plain, prompt, 0, steps, None)
        for name, model in (("plain", plain), ("repacked", repacked)):
            alone = (
                decode(repacked, prompt, 0, steps, tokens)[1] if model is repacked else reference
            )
            for companions in COMPANIONS:
                run = (
                    alone
                    if companions == 0
                    else decode(model, prompt, companions, steps, tokens)[1]
                )
                row = rows.setdefault(f"{name}, {companions + 1} rows", {})
                for key, against in (("vs_plain_alone", reference), ("vs_itself_alone", alone)):
                    row.setdefault(key, []).extend(_top_difference(run, against).ravel())
    return {
        "prompts": prompts,
        "steps": steps,
        "rows": {
            name: {
                key: {"mean": round(float(np.mean(v)), 5), "max": round(float(np.max(v)), 5)}
                for key, v in columns.items()
            }
            for name, columns in rows.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prompts", type=int, default=3)
    parser.add_argument("--steps", type=int, default=24)
    args = parser.parse_args()
    result = measure(args.prompts, args.steps)
    print(json.dumps(result, indent=2))
    print(f"written to {write_result('repack-drift', result)}")


if __name__ == "__main__":
    main()
