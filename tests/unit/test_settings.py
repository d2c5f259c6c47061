from pathlib import Path

import pytest
from typer.testing import CliRunner

from translator.cli.main import app
from translator.engines.factory import create_engine
from translator.engines.openai import OpenAICompletionsEngine
from translator.engines.sglang import SGLangEngine
from translator.settings import EngineKind, load_settings

runner = CliRunner()


def test_env_then_file_then_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_file = tmp_path / "translator.toml"
    settings_file.write_text('engine = "sglang"\nengine_url = "http://gpu:30000"\nn_ctx = 2048\n')
    monkeypatch.setenv("TRANSLATOR_SETTINGS_FILE", str(settings_file))
    monkeypatch.setenv("TRANSLATOR_N_CTX", "1024")
    settings = load_settings()
    assert settings.engine is EngineKind.SGLANG
    assert str(settings.engine_url) == "http://gpu:30000/"
    assert settings.n_ctx == 1024
    assert load_settings(engine=EngineKind.EMBEDDED).engine is EngineKind.EMBEDDED


def test_settings_file_limits_apply_to_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file = tmp_path / "translator.toml"
    settings_file.write_text("max_text_chars = 5\n")
    monkeypatch.setenv("TRANSLATOR_SETTINGS_FILE", str(settings_file))
    result = runner.invoke(app, ["translate", "这件衣服太炸了", "--to", "en"])
    assert result.exit_code == 2
    assert "limit is 5" in result.output


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRANSLATOR_SETTINGS_FILE": "/nonexistent/translator.toml"}, "missing file"),
        ({"TRANSLATOR_ENGINE": "sglang"}, "engine_url is required"),
        ({"TRANSLATOR_DETERMINISTIC": "1", "TRANSLATOR_MAX_SEQUENCES": "8"}, "max_sequences"),
        ({"TRANSLATOR_DETERMINISTIC": "1", "TRANSLATOR_REPACK_WEIGHTS": "1"}, "repack_weights"),
        ({"TRANSLATOR_ENGINE": "tpu"}, "engine"),
        ({"TRANSLATOR_UNKNOWN_SETTING": "1", "TRANSLATOR_N_CTX": "ten"}, "n_ctx"),
    ],
)
def test_bad_settings_exit_2(
    env: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(app, ["translate", "好", "--to", "en"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


async def test_factory_builds_remote_engines_from_settings() -> None:
    sglang = create_engine(load_settings(engine="sglang", engine_url="http://gpu:30000"))
    openai = create_engine(load_settings(engine="openai", engine_url="http://vllm:8000/v1"))
    assert isinstance(sglang, SGLangEngine)
    assert isinstance(openai, OpenAICompletionsEngine)
    await sglang.aclose()
    await openai.aclose()


def test_compat_routes_default_to_direct_and_take_a_mode_and_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (load_settings().compat_mode, load_settings().compat_budget) == ("direct", None)
    monkeypatch.setenv("TRANSLATOR_COMPAT_MODE", "mcts")
    monkeypatch.setenv("TRANSLATOR_COMPAT_BUDGET", "medium")
    assert (load_settings().compat_mode, load_settings().compat_budget) == ("mcts", "medium")
    monkeypatch.setenv("TRANSLATOR_COMPAT_MODE", "fast")
    with pytest.raises(ValueError, match="compat_mode"):
        load_settings()
