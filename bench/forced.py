"""Forced decoding for the pool study: how likely the model finds the source given each candidate.

    uv run python -m bench.forced              # scores every candidate of bench/results/pool.jsonl
    uv run python -m bench.pool report         # then shows the signal next to the others

For each distinct candidate of each segment that `bench.pool run` wrote, the model reads a
short request for the reverse direction (translate the candidate into the source language; no
system prompt, to keep each pass short) and then the real source, and we average the
log-probability of the source's tokens: the length-normalised log p(source | candidate). A
candidate that dropped or invented something makes the source less predictable. The scores go
to bench/results/pool-forced.jsonl, one line per segment, resumable. The model is the
embedded one (`translator model path`), read with llama-cpp-python directly because the
engine protocol only generates.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np
from llama_cpp import Llama

from bench.pool import FORCED_FILE, POOL_FILE
from translator.engines.factory import embedded_model_path
from translator.settings import load_settings
from translator.text.languages import language_name


def source_logprob(model: Llama, candidate: str, source: str, source_language: str) -> float:
    """Mean log p of `source`'s tokens after a prompt asking to translate `candidate` (English)."""
    prompt = (
        f"<|im_start|>user\nTranslate into {language_name(source_language)}:\n{candidate}"
        "<|im_end|>\n<|im_start|>assistant\n"
    )
    context = model.tokenize(prompt.encode(), add_bos=False, special=True)
    forced = model.tokenize(source.encode(), add_bos=False, special=False)
    model.reset()  # type: ignore[no-untyped-call]
    model.eval(context + forced)
    logits = np.asarray(model.scores[len(context) - 1 : len(context) + len(forced) - 1])
    shifted = logits - logits.max(axis=1, keepdims=True)
    logprobs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(np.mean(logprobs[np.arange(len(forced)), forced]))


def run(pool: Path, out: Path) -> None:
    done = {json.loads(line)["id"] for line in out.open()} if out.exists() else set()
    settings = load_settings()
    model = Llama(
        model_path=str(embedded_model_path(settings)),
        n_ctx=2048,
        logits_all=True,
        n_threads=os.cpu_count() or 1,
        verbose=False,
    )
    rows = [json.loads(line) for line in pool.open(encoding="utf-8")]
    for number, row in enumerate(rows, start=1):
        if row["id"] in done:
            continue
        candidates = sorted({p["translation"] for p in row["pool"]} | {row["direct"]})
        scores = {c: source_logprob(model, c, row["src"], "zh") for c in candidates}
        with out.open("a", encoding="utf-8") as sink:
            sink.write(json.dumps({"id": row["id"], "forced": scores}, ensure_ascii=False) + "\n")
        print(f"{number}/{len(rows)}: {len(candidates)} candidates", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pool", type=Path, default=POOL_FILE)
    parser.add_argument("--out", type=Path, default=FORCED_FILE)
    args = parser.parse_args()
    run(args.pool, args.out)


if __name__ == "__main__":
    main()
