"""What the benchmark scripts share: the evaluation data location and result files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVAL_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def eval_file(pair: str) -> Path:
    """The dev half of the WMT22 set for a language pair such as `zh-en`."""
    return EVAL_DIR / f"wmt22.{pair}.dev.jsonl"


def write_result(name: str, payload: dict[str, Any]) -> Path:
    """Save a benchmark's numbers as JSON next to the scripts."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    return path
