"""Engine failures reach the user as one clear line and exit code 3."""

from typer.testing import CliRunner

from tests.ports import free_port
from translator.cli.main import app


def test_unreachable_sglang_server_exits_3_and_says_retry() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(
        app, ["translate", "太炸了", "--to", "en", "--engine", "sglang", "--engine-url", url]
    )
    assert result.exit_code == 3
    assert "engine failed" in result.output
    assert "try again" in result.output
    assert "Traceback" not in result.output
