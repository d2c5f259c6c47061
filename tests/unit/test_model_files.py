"""Assembling a model from part packages, with throwaway parts instead of the 1.1 GB ones."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from translator.engines.errors import ModelFileError
from translator.engines.model_files import BundledModel, bundled_model_path

PARTS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


def _install_parts(root: Path, prefix: str, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Write importable modules `<prefix><n>` whose get_part_path() returns a data file."""
    paths = []
    for index, data in enumerate(PARTS, start=1):
        package = root / f"{prefix}{index}"
        package.mkdir(parents=True)
        (package / "part.bin").write_bytes(data)
        (package / "__init__.py").write_text(
            "from pathlib import Path\n"
            "def get_part_path():\n"
            "    return str(Path(__file__).with_name('part.bin'))\n"
        )
        paths.append(package / "part.bin")
    monkeypatch.syspath_prepend(str(root))
    return paths


def _model(prefix: str, *, sha256: str | None = None, size: int | None = None) -> BundledModel:
    whole = b"".join(PARTS)
    model = BundledModel()
    model.name = f"{prefix}model"
    model.part_modules = tuple(f"{prefix}{i}" for i in range(1, len(PARTS) + 1))
    model.size = len(whole) if size is None else size
    model.sha256 = hashlib.sha256(whole).hexdigest() if sha256 is None else sha256
    return model


def test_assembles_once_then_reuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_parts(tmp_path / "site", "fakepart_ok_", monkeypatch)
    model = _model("fakepart_ok_")
    path = bundled_model_path(tmp_path / "cache", model)
    assert path.read_bytes() == b"".join(PARTS)
    first_mtime = path.stat().st_mtime_ns
    for name in model.part_modules:
        sys.modules.pop(name, None)
    monkeypatch.setattr(model, "part_modules", ("fakepart_missing_1",))
    assert bundled_model_path(tmp_path / "cache", model) == path
    assert path.stat().st_mtime_ns == first_mtime
    assert list(path.parent.glob("*.partial")) == []


def test_corrupt_parts_leave_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_parts(tmp_path / "site", "fakepart_bad_", monkeypatch)
    model = _model("fakepart_bad_", sha256="0" * 64)
    with pytest.raises(ModelFileError, match="does not match"):
        bundled_model_path(tmp_path / "cache", model)
    assert list((tmp_path / "cache" / "models").iterdir()) == []


def test_truncated_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_parts(tmp_path / "site", "fakepart_trunc_", monkeypatch)
    model = _model("fakepart_trunc_")
    path = bundled_model_path(tmp_path / "cache", model)
    path.write_bytes(b"GGUF")
    assert bundled_model_path(tmp_path / "cache", model).read_bytes() == b"".join(PARTS)


def test_missing_part_package_names_it(tmp_path: Path) -> None:
    model = _model("fakepart_absent_")
    with pytest.raises(ModelFileError, match="fakepart-absent-1 is not installed"):
        bundled_model_path(tmp_path / "cache", model)
