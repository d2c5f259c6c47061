"""compose.yaml and the Dockerfile stay valid and only run commands the CLI really has.

No container engine runs here (`scripts/container-check` builds and runs the image with
buildah); these checks are the part that is cheap enough for every test run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import msgspec
import pytest
from typer.testing import CliRunner

from translator.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
TRANSLATOR_IMAGE = "translator:api"


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = msgspec.yaml.decode(COMPOSE.read_bytes())
    return document


def _validate_compose(path: Path) -> subprocess.CompletedProcess[str]:
    checker = shutil.which("check-jsonschema")
    assert checker is not None, "check-jsonschema is a dev dependency"
    return subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_compose_file_follows_the_compose_specification() -> None:
    checked = _validate_compose(COMPOSE)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_compose_check_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = _compose()
    broken["services"]["api"]["depends_on"] = {"postgres": {"condition": "when-it-feels-like-it"}}
    path = tmp_path / "compose.yaml"
    path.write_text(json.dumps(broken))
    assert _validate_compose(path).returncode != 0


def _image_commands() -> list[list[str]]:
    """Every command line the image is started with: its CMD and the compose services'."""
    cmd = next(line for line in DOCKERFILE.read_text().splitlines() if line.startswith("CMD "))
    commands = [json.loads(cmd.removeprefix("CMD "))]
    services = _compose()["services"]
    commands += [
        service["command"]
        for service in services.values()
        if service.get("image") == TRANSLATOR_IMAGE and "command" in service
    ]
    return commands


@pytest.mark.parametrize("command", _image_commands(), ids=" ".join)
def test_the_image_is_started_with_real_cli_options(command: list[str]) -> None:
    # --help parses every option first: an unknown one fails before any help is shown.
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output


def test_a_wrong_option_would_be_caught() -> None:
    assert CliRunner().invoke(app, ["serve", "--no-such-option", "--help"]).exit_code != 0


def test_everything_the_dockerfile_copies_is_in_the_repository() -> None:
    sources = [
        part
        for line in DOCKERFILE.read_text().splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for part in line.split()[1:-1]
    ]
    assert sources and all((ROOT / source).exists() for source in sources), sources


def test_sglang_returns_logprobs_before_temperature_scaling() -> None:
    """The confidence reward must mean the same on SGLang as on the embedded engine."""
    environment = _compose()["services"]["sglang"]["environment"]
    assert environment["SGLANG_RETURN_ORIGINAL_LOGPROB"] == "1"
    launches = [
        line
        for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
        for line in page.read_text().splitlines()
        if "sglang.launch_server" in line
    ]
    assert launches, "the docs no longer show how to launch SGLang"
    for line in launches:
        assert "SGLANG_RETURN_ORIGINAL_LOGPROB=1" in line, line
