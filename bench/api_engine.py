"""Direct-mode API requests on the embedded engine: four at once against four one after another.

One app under uvicorn on loopback, in this process (a fresh migrated SQLite database), on the
real bundled model with the engine's default settings; every request sets `cache: false`, so
each one reaches the engine. (Litestar's AsyncTestClient answers one request at a time, so it
cannot show concurrency.) The same four e-commerce reviews are sent one after another and then
all at once, and each round repeats that in the other order, so warm-up and machine noise hit
both sides alike.
Target: four at once in <= 0.6x the time of four one after another.

    uv run python -m bench.api_engine [--rounds 2] [--n-threads N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import httpx
import uvicorn

from bench.common import eval_file, write_result
from translator.api import create_app
from translator.evaluation.scores import load_eval_set
from translator.settings import Settings
from translator.store.migrate import upgrade

REQUESTS = 4


async def measure(
    texts: list[str], rounds: int, directory: Path, n_threads: int | None
) -> dict[str, float]:
    database = f"sqlite+aiosqlite:///{directory / 'bench.db'}"
    await asyncio.to_thread(upgrade, database)
    settings = Settings(database_url=database, jobs_worker=False, n_threads=n_threads)
    seconds = {"one_after_another": 0.0, "at_once": 0.0}
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.1)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:

            async def translate(text: str) -> None:
                body = {"text": text, "target": "en", "mode": "direct", "cache": False}
                response = await client.post("/v1/translate", json=body)
                response.raise_for_status()

            async def one_after_another() -> None:
                for text in texts:
                    await translate(text)

            async def at_once() -> None:
                await asyncio.gather(*(translate(text) for text in texts))

            while (await client.get("/ready")).status_code != 200:
                await asyncio.sleep(0.2)
            await translate(texts[0])  # warm-up: the model's first call
            for round_number in range(rounds):
                sides = [("one_after_another", one_after_another), ("at_once", at_once)]
                for name, run in sides if round_number % 2 == 0 else sides[::-1]:
                    started = time.perf_counter()
                    await run()
                    seconds[name] += time.perf_counter() - started
    finally:
        server.should_exit = True
        await serving
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--n-threads", type=int, help="engine threads; unset: all cores")
    args = parser.parse_args()

    texts = [s.src for s in load_eval_set(eval_file("zh-en"), domain="ecommerce", limit=REQUESTS)]
    with tempfile.TemporaryDirectory() as directory:
        seconds = asyncio.run(measure(texts, args.rounds, Path(directory), args.n_threads))
    summary = {
        "requests": REQUESTS,
        "rounds": args.rounds,
        "one_after_another_s": round(seconds["one_after_another"] / args.rounds, 2),
        "at_once_s": round(seconds["at_once"] / args.rounds, 2),
        "ratio": round(seconds["at_once"] / seconds["one_after_another"], 3),
    }
    print(json.dumps(summary, indent=2))
    print(f"written to {write_result('api-engine', summary)}")


if __name__ == "__main__":
    main()
