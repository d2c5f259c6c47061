"""Source likelihood for the pool study: how well each candidate predicts its source.

    uv run python -m bench.forced              # scores every candidate of bench/results/pool.jsonl
    uv run python -m bench.pool report         # then shows the signal next to the others

For each distinct candidate of each segment that `bench.pool run` wrote (the search's pool, the
direct answer and the chain-of-thought answer), the embedded engine scores the source after a
request to translate the candidate back (`translator.search.source_scores`, the same call the
`consensus-source` selection makes): the length-normalised log p(source | candidate). The scores
go to bench/results/pool-forced.jsonl, one line per segment, resumable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from bench.pool import FORCED_FILE, POOL_FILE, distinct_of
from translator.engines.factory import create_engine
from translator.prompting.modes import Segment
from translator.search.source_scores import source_scores
from translator.settings import load_settings


async def run(pool: Path, out: Path) -> None:
    done = {json.loads(line)["id"] for line in out.open()} if out.exists() else set()
    engine = create_engine(load_settings())
    rows = [json.loads(line) for line in pool.open(encoding="utf-8")]
    try:
        for number, row in enumerate(rows, start=1):
            if row["id"] in done:
                continue
            candidates = sorted(distinct_of(row))
            scores = await source_scores(engine, Segment(row["src"], "zh", "en"), candidates)
            if scores is None:
                raise SystemExit("this engine cannot score prompts")
            with out.open("a", encoding="utf-8") as sink:
                line = {"id": row["id"], "forced": scores}
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
            print(f"{number}/{len(rows)}: {len(candidates)} candidates", flush=True)
    finally:
        await engine.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pool", type=Path, default=POOL_FILE)
    parser.add_argument("--out", type=Path, default=FORCED_FILE)
    args = parser.parse_args()
    asyncio.run(run(args.pool, args.out))


if __name__ == "__main__":
    main()
