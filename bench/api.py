"""Cached `POST /v1/translate` against a hello-world route in the same app, under load.

The app (with `GET /hello` added) runs under uvicorn in its own process on a fresh SQLite
database, as `translator serve` runs it, with an instant stand-in engine: every measured request
is a cache hit, so this measures the service's own overhead, not a model. Two cached loads:
`translate_cached` repeats one request (answered again from memory after the first hit), and
`translate_cached_distinct` cycles through more distinct cached texts than the repeated-answer
memory keeps, so every request is planned again (validation, detection, glossary terms, cache
key, in-memory row lookup, answer). Two more loads go to the database for every text:
`translate_stored` cycles single texts through more cached translations than the recent-row
memory keeps, and `translate_stored_page` sends pages of 20 of them per request (a product
page from the browser extension). A minimal keep-alive HTTP/1.1 client drives
`--concurrency` connections so that the load generator costs little next to the server on a
small machine. Reported: requests/s, p50/p99 latency and the server's CPU per request for each
load, and their ratios to the hello-world route (target >= 0.6).

With `--minutes M`, M minutes of mixed traffic follow (in 10 s slices): per 100 operations,
45 repeats of one cached request, 43 distinct cached texts, 10 hostile bodies (the test corpus
of `tests/api/hostile.py`, on every route that reads a body) and 2 glossaries created and
deleted. Reported: requests, statuses by kind, p50/p99, server errors (5xx or a dropped
connection: target 0) and the server's resident memory at start (after a warm-up slice), end
and every slice (target: flat within 5%).

    uv run python -m bench.api [--seconds 10] [--rounds 5] [--concurrency 64] [--minutes 10]
    uv run python -m bench.api --only-soak --minutes 10
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litestar import Litestar, get

from bench.common import InstantEngine, write_result
from tests.api.hostile import bodies as hostile_bodies
from translator.api import create_app
from translator.settings import Settings
from translator.store.migrate import upgrade

REVIEW = "这件衣服太炸了，穿上显瘦"


def _body(**fields: Any) -> bytes:
    return json.dumps({"target": "en", "mode": "direct", **fields}, ensure_ascii=False).encode()


BODY = _body(text=REVIEW)
DATABASE_ENV = "BENCH_API_DATABASE_URL"
DISTINCT_TEXTS = 2500
"""More than the repeated-answer memory holds (2048), fewer than the recent-row memory (4096)."""
STORED_TEXTS = 6000
"""More than the recent-row memory holds: cycled in order, every lookup reaches the database."""
PAGE_TEXTS = 20
SOAK_MIX = {"cached": 45, "distinct": 43, "hostile": 10, "glossary": 2}
"""Operations of each kind per 100 in the soak (a glossary operation is a create and a delete)."""
EXPECTED = {"cached": {200}, "distinct": {200}, "glossary": {201, 204}}
"""Statuses each kind should get; hostile requests any 4xx."""
HOSTILE_ROUTES = (
    "/v1/translate",
    "/v1/glossaries",
    "/v1/detect",
    "/translate",
    "/detect",
    "/v2/translate",
    "/custom/translate",
)
SLICE_S = 10.0
CONNECTION_LOST = 0
"""The status recorded when the server closed a connection instead of answering."""


@get("/hello", sync_to_thread=False)
def hello() -> dict[str, str]:
    return {"hello": "world"}


def bench_app() -> Litestar:
    """The API on the instant engine, plus the hello-world baseline (a uvicorn factory)."""
    app = create_app(Settings(database_url=os.environ[DATABASE_ENV]), InstantEngine())
    app.register(hello)
    return app


@dataclass
class _Load:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        """Answers other than 200 (the compared loads expect nothing else)."""
        return sum(count for status, count in self.statuses.items() if status != 200)

    def add(self, other: _Load) -> None:
        self.latencies += other.latencies
        self.statuses += other.statuses


@dataclass(frozen=True, slots=True)
class _Op:
    """Requests sent back to back on one connection, counted under `kind`."""

    kind: str
    requests: tuple[bytes, ...]


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """Send one request on an open connection and read the whole response; its status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def _connection(
    port: int, ops: Iterator[_Op], deadline: float, loads: dict[str, _Load]
) -> None:
    """One keep-alive connection sending the next of `ops` until `deadline`; opened again
    when the server closes it (counted as `CONNECTION_LOST`)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline:
            op = next(ops)
            load = loads.setdefault(op.kind, _Load())
            for request in op.requests:
                started = time.perf_counter()
                try:
                    status = await _exchange(reader, writer, request)
                except (ConnectionError, asyncio.IncompleteReadError):
                    status = CONNECTION_LOST
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                load.latencies.append(time.perf_counter() - started)
                load.statuses[status] += 1
    finally:
        writer.close()


async def _status(port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await _exchange(reader, writer, request)
    finally:
        writer.close()


def _round_robin(requests: bytes | list[bytes], kind: str = "load") -> Iterator[_Op]:
    """`requests` over and over; one iterator per load, so that a load taken in slices goes on
    where its last slice stopped (the stored loads must keep reaching past the row memory)."""
    listed = [requests] if isinstance(requests, bytes) else requests
    return itertools.cycle([_Op(kind, (request,)) for request in listed])


async def _drive(
    port: int, shared: Iterator[_Op], seconds: float, concurrency: int
) -> dict[str, _Load]:
    """Load from `concurrency` connections taking their operations from one `shared` iterator;
    what each kind of operation got."""
    loads: dict[str, _Load] = {}
    deadline = time.perf_counter() + seconds
    await asyncio.gather(*(_connection(port, shared, deadline, loads) for _ in range(concurrency)))
    return loads


def _request(
    method: str, path: str, body: bytes = b"", content_type: str | None = "application/json"
) -> bytes:
    headers = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n"
    if body:
        headers += f"Content-Length: {len(body)}\r\n"
        if content_type:
            headers += f"Content-Type: {content_type}\r\n"
    return headers.encode() + b"\r\n" + body


def _summary(load: _Load, seconds: float) -> dict[str, Any]:
    ordered = sorted(load.latencies)
    return {
        "requests": len(ordered),
        "errors": load.errors,
        "requests_per_s": round(len(ordered) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 2),
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _hostile_requests() -> list[bytes]:
    """Each body of the test corpus once, on the routes that read a body in turn."""
    return [
        _request("POST", HOSTILE_ROUTES[i % len(HOSTILE_ROUTES)], body.content, body.content_type)
        for i, body in enumerate(hostile_bodies())
    ]


def _mixed(translate: bytes, distinct: list[bytes]) -> Iterator[_Op]:
    """The soak's operations in `SOAK_MIX` proportions, in one shuffled order repeated; each
    glossary is created and deleted (by its name) on one connection."""
    schedule = [kind for kind, count in SOAK_MIX.items() for _ in range(count)]
    random.Random(0).shuffle(schedule)
    texts = itertools.cycle(distinct)
    hostile = itertools.cycle(_hostile_requests())
    names = itertools.count()
    for kind in itertools.cycle(schedule):
        if kind == "cached":
            yield _Op(kind, (translate,))
        elif kind == "distinct":
            yield _Op(kind, (next(texts),))
        elif kind == "hostile":
            yield _Op(kind, (next(hostile),))
        else:
            name = f"soak-{next(names)}"
            entries = [{"source": "太炸了", "target": "awesome"}]
            created = {"name": name, "source": "zh", "target": "en", "entries": entries}
            body = json.dumps(created, ensure_ascii=False).encode()
            yield _Op(
                kind,
                (
                    _request("POST", "/v1/glossaries", body),
                    _request("DELETE", f"/v1/glossaries/{name}"),
                ),
            )


def _unexpected(kind: str, status: int) -> bool:
    if kind == "hostile":
        return not 400 <= status < 500
    return status not in EXPECTED[kind]


async def _soak(
    port: int, pid: int, minutes: float, concurrency: int, translate: bytes, distinct: list[bytes]
) -> dict[str, Any]:
    """`minutes` of mixed traffic in slices of `SLICE_S`, after one warm-up slice; the
    server's memory after each slice."""
    operations = _mixed(translate, distinct)
    await _drive(port, operations, SLICE_S, concurrency)
    memory = [_rss_mib(pid)]
    totals: dict[str, _Load] = {}
    slices = max(1, round(minutes * 60 / SLICE_S))
    for _ in range(slices):
        for kind, load in (await _drive(port, operations, SLICE_S, concurrency)).items():
            totals.setdefault(kind, _Load()).add(load)
        memory.append(_rss_mib(pid))
    seconds = slices * SLICE_S
    everything = _Load()
    for load in totals.values():
        everything.add(load)
    statuses = everything.statuses
    return {
        "minutes": round(seconds / 60, 1),
        "requests": len(everything.latencies),
        "requests_per_s": round(len(everything.latencies) / seconds, 1),
        "p50_ms": round(statistics.median(everything.latencies) * 1000, 2),
        "p99_ms": _summary(everything, seconds)["p99_ms"],
        "server_errors": sum(n for s, n in statuses.items() if s >= 500 or s == CONNECTION_LOST),
        "unexpected": sum(
            n
            for kind, load in totals.items()
            for s, n in load.statuses.items()
            if _unexpected(kind, s)
        ),
        "statuses": dict(sorted(statuses.items())),
        "by_kind": {
            kind: {
                "requests": len(load.latencies),
                "share_percent": round(100 * len(load.latencies) / len(everything.latencies), 1),
                "p99_ms": _summary(load, seconds)["p99_ms"],
                "statuses": dict(sorted(load.statuses.items())),
            }
            for kind, load in sorted(totals.items())
        },
        "rss_mib_start": memory[0],
        "rss_mib_end": memory[-1],
        "rss_mib_max": max(memory),
        "rss_change_percent": round(100 * (memory[-1] - memory[0]) / memory[0], 1),
        "rss_mib": memory,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            if await _status(port, _request("GET", "/ready")) == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the server did not become ready")


async def _cache_texts(port: int) -> list[str]:
    """Translate `STORED_TEXTS` different reviews once (32 per request)."""
    texts = [f"{REVIEW}，第{n}次回购" for n in range(STORED_TEXTS)]
    for start in range(0, len(texts), 32):
        batch = _request("POST", "/v1/translate", _body(texts=texts[start : start + 32]))
        assert await _status(port, batch) == 200
    return texts


def _pages(texts: list[str]) -> list[bytes]:
    """Every run of `PAGE_TEXTS` texts at every offset: as many distinct pages as texts, more
    than the repeated-answer memory holds, each text in turn."""
    return [
        _request("POST", "/v1/translate", _body(texts=texts[start : start + PAGE_TEXTS]))
        for shift in range(PAGE_TEXTS)
        for start in range(shift, len(texts) - PAGE_TEXTS + 1, PAGE_TEXTS)
    ]


async def _warm(
    port: int, requests: bytes | list[bytes], args: argparse.Namespace, warm_all: bool
) -> None:
    """A second of load, and with `warm_all` every distinct request once (so that each has
    been answered before it is measured)."""
    await _drive(port, _round_robin(requests), 1.0, args.concurrency)
    for request in requests if warm_all and isinstance(requests, list) else []:
        assert await _status(port, request) == 200


async def _measure(
    port: int,
    pid: int,
    loads: dict[str, bytes | list[bytes]],
    args: argparse.Namespace,
    *,
    warm_all: bool = False,
) -> dict[str, dict[str, Any]]:
    """Each of `loads` for `--seconds` in all, taken in turn in `--rounds` slices, so that a
    slow spell of a shared machine falls on every load alike rather than on one of them."""
    totals = {name: _Load() for name in loads}
    cpu = dict.fromkeys(loads, 0.0)
    for requests in loads.values():
        await _warm(port, requests, args, warm_all)
    shared = {name: _round_robin(requests, name) for name, requests in loads.items()}
    for _ in range(args.rounds):
        for name, turn in shared.items():
            before = _cpu_seconds(pid)
            driven = await _drive(port, turn, args.seconds / args.rounds, args.concurrency)
            cpu[name] += _cpu_seconds(pid) - before
            totals[name].add(driven.get(name, _Load()))
    # Near 100% the server is the bottleneck; well below, the load generator is.
    return {
        name: {
            **_summary(load, args.seconds),
            "server_cpu_percent": round(cpu[name] / args.seconds * 100, 1),
            "server_cpu_us_per_request": round(cpu[name] / max(1, len(load.latencies)) * 1e6, 1),
        }
        for name, load in totals.items()
    }


async def _run(args: argparse.Namespace, port: int, pid: int) -> dict[str, Any]:
    translate = _request("POST", "/v1/translate", BODY)
    assert await _status(port, translate) == 200  # the one engine run; the rest are hits
    texts = await _cache_texts(port)
    singles = [_request("POST", "/v1/translate", _body(text=text)) for text in texts]
    distinct = singles[:DISTINCT_TEXTS]
    results: dict[str, Any] = {"concurrency": args.concurrency}
    if not args.only_soak:
        results |= await _compare(args, port, pid, translate, distinct, singles, texts)
    if args.minutes:
        results["soak"] = await _soak(
            port, pid, args.minutes, args.concurrency, translate, distinct
        )
    return results


async def _compare(
    args: argparse.Namespace,
    port: int,
    pid: int,
    translate: bytes,
    distinct: list[bytes],
    singles: list[bytes],
    texts: list[str],
) -> dict[str, Any]:
    """The loads compared with the hello-world route, and the stored-hit loads."""
    results: dict[str, Any] = {"seconds": args.seconds, "rounds": args.rounds}
    compared: dict[str, bytes | list[bytes]] = {
        "hello": _request("GET", "/hello"),
        "translate_cached": translate,
        "translate_cached_distinct": distinct,
    }
    results |= await _measure(port, pid, compared, args, warm_all=True)
    results |= await _measure(port, pid, {"translate_stored": singles}, args)
    results |= await _measure(port, pid, {"translate_stored_page": _pages(texts)}, args)
    results["translate_stored_page"]["texts_per_s"] = round(
        results["translate_stored_page"]["requests_per_s"] * PAGE_TEXTS, 1
    )
    hello = results["hello"]
    for name in ("translate_cached", "translate_cached_distinct"):
        results[f"{name}_ratio"] = round(
            results[name]["requests_per_s"] / hello["requests_per_s"], 3
        )
        results[f"{name}_server_cpu_ratio"] = round(
            hello["server_cpu_us_per_request"] / results[name]["server_cpu_us_per_request"], 3
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="Measured seconds per route.")
    parser.add_argument("--rounds", type=int, default=5, help="Slices each load is taken in.")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--minutes", type=float, default=0.0, help="Minutes of mixed soak after.")
    parser.add_argument(
        "--only-soak", action="store_true", help="Skip the compared loads; only the soak."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.db'}"
        upgrade(url)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bench.api:bench_app", "--factory",
             "--port", str(port), "--no-access-log", "--log-level", "warning"],
            env={**os.environ, DATABASE_ENV: url},
        )  # fmt: skip
        try:
            asyncio.run(_wait_ready(port, server))
            results = asyncio.run(_run(args, port, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(results, indent=2))
    print(f"written to {write_result('api', results)}")


if __name__ == "__main__":
    main()
