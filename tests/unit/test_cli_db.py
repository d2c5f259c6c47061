"""`translator db` and `translator keys` on a real SQLite file; the database URL setting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translator.cli.main import app
from translator.settings import load_settings
from translator.store import migrate
from translator.store.models import Base

runner = CliRunner()

TABLES = set(Base.metadata.tables)


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows} - {"alembic_version"}


def test_upgrade_current_downgrade(tmp_path: Path) -> None:
    path = tmp_path / "db" / "translator.db"
    url = f"sqlite+aiosqlite:///{path}"
    result = runner.invoke(app, ["db", "upgrade", "--url", url])
    assert result.exit_code == 0, result.output
    assert "(head)" in result.output
    assert tables(path) == TABLES
    current = runner.invoke(app, ["db", "current", "--url", url])
    assert current.exit_code == 0 and f"{migrate.head()} (head)" in current.output
    down = runner.invoke(app, ["db", "downgrade", "base", "--url", url])
    assert down.exit_code == 0, down.output
    assert tables(path) == set()
    assert "base" in runner.invoke(app, ["db", "current", "--url", url]).output


def test_upgrade_uses_the_configured_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("TRANSLATOR_DATABASE_URL", f"sqlite:///{path}")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert tables(path) == TABLES


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["db", "upgrade", "--url", "nope://x"], "unsupported database 'nope'"),
        (["db", "upgrade", "--url", "not a url"], "Could not parse"),
        (["db", "current", "--url", "mysql://u@h/db"], "unsupported database 'mysql'"),
        (["db", "current", "--url", "postgresql+pg8000://u@h/db"], "is not installed"),
        (["db", "upgrade", "--url", "postgresql://u@127.0.0.1:1/x"], "error: database:"),
        (["db", "upgrade", "9999", "--url", "sqlite://"], "Can't locate revision"),
    ],
)
def test_bad_urls_and_revisions_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.count("error:") == 1
    assert "Traceback" not in result.output


def test_keys_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--url", url]).exit_code == 0
    created = runner.invoke(app, ["keys", "create", "shop", "--rpm", "60", "--url", url])
    assert created.exit_code == 0, created.output
    plaintext = created.stdout.strip()
    assert plaintext.startswith("tr_") and "\n" not in plaintext
    listed = runner.invoke(app, ["keys", "list", "--url", url])
    assert listed.exit_code == 0
    assert "shop" in listed.output and plaintext[:8] in listed.output
    assert plaintext not in listed.output
    assert "active" in listed.output and "60" in listed.output

    compat = ["keys", "create", "plugin", "--mode", "mcts", "--budget", "medium"]
    quota = ["--chars-per-month", "5000", "--url", url]
    assert runner.invoke(app, [*compat, *quota]).exit_code == 0
    lines = runner.invoke(app, ["keys", "list", "--url", url]).output.splitlines()
    (row,) = [line for line in lines if line.startswith("plugin")]
    assert row.split()[2:6] == ["-", "mcts", "medium", "5000"]
    bad_mode = runner.invoke(app, ["keys", "create", "x", "--mode", "fast", "--url", url])
    assert bad_mode.exit_code == 2 and "fast" in bad_mode.output

    again = runner.invoke(app, ["keys", "create", "shop", "--url", url])
    assert again.exit_code == 2 and "exists already" in again.output
    assert runner.invoke(app, ["keys", "revoke", "shop", "--url", url]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["keys", "list", "--url", url]).output
    unknown = runner.invoke(app, ["keys", "revoke", "shop", "--url", url])
    assert unknown.exit_code == 2 and "no active key named 'shop'" in unknown.output


def test_keys_on_an_unmigrated_database_say_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["keys", "list", "--url", f"sqlite:///{tmp_path / 'empty.db'}"])
    assert result.exit_code == 2
    assert "no such table" in result.output and "translator db upgrade" in result.output


def test_database_url_defaults_to_sqlite_in_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRANSLATOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRANSLATOR_CACHE_DIR", str(tmp_path / "cache"))
    assert load_settings().database_url == (
        f"sqlite+aiosqlite:///{tmp_path / 'cache' / 'translator.db'}"
    )
    monkeypatch.setenv("TRANSLATOR_DATABASE_URL", "postgresql+asyncpg://u@db/translator")
    assert load_settings().database_url == "postgresql+asyncpg://u@db/translator"
