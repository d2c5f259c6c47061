"""SingleFlight: one run per key; joiners share its result or its error."""

from __future__ import annotations

import asyncio

import pytest

from translator.translating.single_flight import SingleFlight


async def test_concurrent_callers_of_one_key_share_one_run() -> None:
    flights: SingleFlight[str, int] = SingleFlight()
    release = asyncio.Event()
    runs = 0

    async def work() -> int:
        nonlocal runs
        runs += 1
        await release.wait()
        return 42

    callers = [asyncio.create_task(flights.run("k", work)) for _ in range(3)]
    other = asyncio.create_task(flights.run("other", work))
    await asyncio.sleep(0)
    assert len(flights) == 2
    release.set()
    results = [await caller for caller in callers]
    assert results == [(42, False), (42, True), (42, True)]
    assert await other == (42, False)
    assert runs == 2 and len(flights) == 0


async def test_an_error_reaches_every_caller_and_the_key_is_free_again() -> None:
    flights: SingleFlight[str, int] = SingleFlight()

    async def fail() -> int:
        await asyncio.sleep(0)
        raise RuntimeError("engine down")

    callers = [asyncio.create_task(flights.run("k", fail)) for _ in range(2)]
    for caller in callers:
        with pytest.raises(RuntimeError, match="engine down"):
            await caller

    async def succeed() -> int:
        return 1

    assert await flights.run("k", succeed) == (1, False)


async def test_cancelling_a_caller_does_not_cancel_the_run() -> None:
    flights: SingleFlight[str, str] = SingleFlight()
    release = asyncio.Event()

    async def work() -> str:
        await release.wait()
        return "done"

    first = asyncio.create_task(flights.run("k", work))
    await asyncio.sleep(0)
    second = asyncio.create_task(flights.run("k", work))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    assert await second == ("done", True)


async def test_aclose_cancels_runs_in_progress() -> None:
    flights: SingleFlight[str, None] = SingleFlight()
    caller = asyncio.create_task(flights.run("k", asyncio.Event().wait))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    await flights.aclose()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert len(flights) == 0
