"""Catalog jobs end to end on the real model: a worker killed mid-job, and `translator batch`.

The kill test runs `translator serve` (API and job worker in one process), SIGKILLs it while
a job is half done, starts it again on the same database and checks that the job finishes
with every row once and that nothing translated before the kill was translated again.
"""

from __future__ import annotations

import csv
import io
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.serving import HAN, Served, run_translator, serve, spawn_translator

pytestmark = pytest.mark.e2e

# 14 rows; their titles and descriptions cut into 10 distinct sentences, most repeated.
SENTENCES = [
    "鞋子很舒服。",
    "质量很好！",
    "发货很快。",
    "包邮。",
    "这件衣服太炸了！",
    "颜色很正。",
    "尺码偏小，建议拍大一码。",
    "客服态度很好。",
    "性价比很高！",
    "会回购的。",
]


def catalog() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["sku", "title", "description"])
    for index in range(14):
        title = SENTENCES[index % 5] + SENTENCES[(index + 1) % 5]
        description = f"<p>{SENTENCES[5 + index % 5]}<b>{SENTENCES[(index * 3) % 10]}</b></p>"
        writer.writerow([f"SKU-{index:02d}", title, description])
    return buffer.getvalue().encode()


def job_segments(database: Path) -> dict[str, tuple[str, str | None, str | None, int]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT key, state, translation, origin, engine_runs FROM job_segments"
        ).fetchall()
    return {key: (state, text, origin, runs) for key, state, text, origin, runs in rows}


def cached_keys(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        return {key for (key,) in connection.execute("SELECT cache_key FROM translations")}


def status(client: httpx.Client, job_id: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/v1/jobs/{job_id}").json()
    return body


def test_a_job_survives_a_killed_worker(tmp_path: Path, model_path: Path) -> None:
    settings = {"TRANSLATOR_JOBS_CHUNK_ROWS": "3"}
    with serve(tmp_path, model_path, name="first", **settings) as first:
        response = first.client.post(
            "/v1/jobs",
            files={"file": ("shoes.csv", catalog())},
            data={
                "columns": "title,description",
                "html_columns": "description",
                "id_column": "sku",
                "source": "zh",
                "target": "en",
                "mode": "direct",
            },
        )
        assert response.status_code == 202, response.text
        job_id = response.json()["id"]
        deadline = time.monotonic() + 300
        while status(first.client, job_id)["counts"]["translated"] < 3:
            assert time.monotonic() < deadline, "the job made no progress"
            time.sleep(0.2)
        first.process.send_signal(signal.SIGKILL)
        first.process.wait()
        at_kill = job_segments(first.database)
        cached_at_kill = cached_keys(first.database)
    done_at_kill = {key: value for key, value in at_kill.items() if value[0] == "done"}
    assert 3 <= len(done_at_kill) < 10, "the kill should land mid-job"

    with serve(tmp_path, model_path, name="second", **settings) as second:
        deadline = time.monotonic() + 600
        while (job := status(second.client, job_id))["state"] not in ("completed", "failed"):
            assert time.monotonic() < deadline, f"the job did not finish: {job}"
            time.sleep(0.5)
        results = second.client.get(f"/v1/jobs/{job_id}/results")
        final = job_segments(second.database)

    assert job["state"] == "completed", job
    rows = list(csv.DictReader(io.StringIO(results.text)))
    assert [row["sku"] for row in rows] == [f"SKU-{i:02d}" for i in range(14)]
    for row in rows:
        assert row["translation_error"] == ""
        assert row["title_en"].strip() and row["title_en"] != row["title"]
        assert row["description_en"].startswith("<p>") and "<b>" in row["description_en"]
    # The 1.5B stand-in model leaves a word of Chinese now and then; most rows must be clean.
    assert sum(not HAN.search(row["title_en"]) for row in rows) >= 11
    assert job["counts"]["unique_segments"] == len(final) == 10
    assert job["counts"]["rows_done"] == 14
    # What was translated before the kill is kept as it was, not translated again.
    for key, (_, text, origin, runs) in done_at_kill.items():
        assert final[key][1:] == (text, origin, runs)
    assert all(runs <= 1 for _, _, _, runs in final.values())
    assert sum(runs for *_, runs in final.values()) == job["counts"]["translated"]
    # A segment whose translation reached the cache before the kill came from the cache.
    for key, (_, _, origin, _) in final.items():
        if key in cached_at_kill and key not in done_at_kill:
            assert origin == "cache"


def test_batch_runs_a_catalog_locally_and_resumes(tmp_path: Path) -> None:
    source = tmp_path / "reviews.jsonl"
    source.write_text(
        '{"id": "r1", "review": "鞋子很舒服。质量很好！", "stars": 5}\n'
        '{"id": "r2", "review": "质量很好！", "stars": 4}\n'
        '{"id": "r3", "review": "", "stars": 3}\n'
    )
    database = tmp_path / "local.db"
    args = ["batch", str(source), "--columns", "review", "--id-column", "id", "--to", "en"]
    first = run_translator(database, *args)
    assert first.returncode == 0, first.stderr
    assert "completed: 3 rows translated, 0 failed" in first.stdout
    assert "2 distinct segments: 2 by the engine, 0 from the cache, 1 repeats free" in first.stdout
    output = tmp_path / "reviews.en.jsonl"
    lines = output.read_text().splitlines()
    assert len(lines) == 3
    assert '"review_en": ""' in lines[2] and '"stars": 3' in lines[2]
    assert not HAN.search(lines[0].split('"review_en"')[1])

    again = run_translator(database, *args, "-o", str(tmp_path / "again.jsonl"))
    assert again.returncode == 0, again.stderr
    assert "0 by the engine, 2 from the cache" in again.stdout

    bad = run_translator(database, *args, "--columns", "colour")
    assert bad.returncode == 2
    assert "columns: no column 'colour'" in bad.stderr


def test_an_interrupted_batch_needs_resume(tmp_path: Path) -> None:
    source = tmp_path / "titles.csv"
    source.write_text("sku,title\n" + "".join(f"T{i},{s}\n" for i, s in enumerate(SENTENCES)))
    database = tmp_path / "local.db"
    args = ["batch", str(source), "--columns", "title", "--to", "en"]
    process = spawn_translator(database, *args)
    deadline = time.monotonic() + 300
    while _translated(database) < 2:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = _translated(database)
    assert done_before < len(SENTENCES)

    refused = run_translator(database, *args)
    assert refused.returncode == 2
    assert "pass --resume" in refused.stderr
    resumed = run_translator(database, *args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(SENTENCES)} rows translated" in resumed.stdout
    rows = list(csv.DictReader((tmp_path / "titles.en.csv").open()))
    assert len(rows) == len(SENTENCES)
    assert all(row["title_en"] and row["title_en"] != row["title"] for row in rows)
    assert sum(not HAN.search(row["title_en"]) for row in rows) >= len(rows) - 2
    # Each sentence was translated once: by the engine, or (when the kill fell between caching
    # a translation and marking its segment done) found in the cache, with no engine run.
    runs = _segment_runs(database)
    assert len(runs) == len(SENTENCES)
    assert all(run in {("engine", 1), ("cache", 0)} for run in runs), runs


def test_batch_submits_to_a_server(served: Served, tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("sku,title\nA,包邮\nB,包邮\n")
    output = tmp_path / "list.out.csv"
    local = tmp_path / "client.db"  # a run that ignored --server would create and use this
    result = run_translator(
        local, "batch", str(source), "--columns", "title", "--to", "en",
        "--server", served.url, "-o", str(output),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1 distinct segments: 1 by the engine" in result.stdout
    rows = list(csv.DictReader(output.open()))
    assert rows[0]["title_en"] == rows[1]["title_en"] != ""
    assert not (tmp_path / "list.out.csv.job").exists()
    assert not local.exists()
    jobs = served.client.get("/v1/jobs").json()["jobs"]
    assert [(job["file_name"], job["state"]) for job in jobs] == [("list.csv", "completed")]


def _translated(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(database) as connection:
            (count,) = connection.execute(
                "SELECT count(*) FROM job_segments WHERE state = 'done'"
            ).fetchone()
    except sqlite3.OperationalError:
        return 0  # not migrated yet
    return int(count)


def _segment_runs(database: Path) -> list[tuple[str, int]]:
    """Each job segment's origin and the engine runs it took."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT origin, engine_runs FROM job_segments").fetchall()
    return [(str(origin), int(runs)) for origin, runs in rows]
