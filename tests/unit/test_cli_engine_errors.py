"""Engine failures reach the user as one clear line and exit code 3."""

import socket

from typer.testing import CliRunner

from translator.cli import app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_sglang_server_exits_3_and_says_retry() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    result = CliRunner().invoke(
        app, ["translate", "太炸了", "--to", "en", "--engine", "sglang", "--engine-url", url]
    )
    assert result.exit_code == 3
    assert "engine failed" in result.output
    assert "try again" in result.output
    assert "Traceback" not in result.output
