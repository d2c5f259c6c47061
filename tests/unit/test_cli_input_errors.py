"""Bad input is rejected before the model loads: clear message, exit code 2, no traceback."""

import pytest
from typer.testing import CliRunner

from translator.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["translate", "", "--to", "en"], None, "text: text is empty"),
        (["translate", "   \n\t", "--to", "en"], None, "text: text is empty"),
        (["translate", "好" * 2001, "--to", "en"], None, "limit is 2000"),
        (["translate", "好", "--to", "xx"], None, "target: unsupported language 'xx'"),
        (["translate", "好", "--from", "zh", "--to", "zh-CN"], None, "same"),
        (["translate", "--to", "en"], b"", "no text to translate"),
        (["translate", "--to", "en"], b"  \n \n", "no text to translate"),
        (["translate", "--to", "en"], b"\x89PNG\r\n\x1a\n\x00\x00\xff\xd8", "not valid UTF-8"),
        (["translate", "--to", "en"], b"The fit is great.\nbad\x00line\n", "line 2"),
        (["translate", "--to", "en"], b"12345\n", "line 1: cannot detect"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    args: list[str], stdin: bytes | None, message: str
) -> None:
    result = runner.invoke(app, args, input=stdin)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_invalid_settings_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATOR_MAX_TEXT_CHARS", "-5")
    result = runner.invoke(app, ["translate", "好", "--to", "en"])
    assert result.exit_code == 2
    assert "max_text_chars" in result.output
