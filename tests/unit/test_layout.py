"""The house rules a newcomer relies on: few loose modules, small modules, packages by job."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 450
MAX_LOOSE_MODULES = 8


def test_translator_keeps_only_shared_modules_at_its_top() -> None:
    loose = sorted(p.stem for p in (ROOT / "translator").glob("*.py"))
    assert len(loose) <= MAX_LOOSE_MODULES, loose
    prefixes = [name.split("_")[0] for name in loose if not name.startswith("__")]
    assert len(prefixes) == len(set(prefixes)), f"name prefixes are folders never made: {loose}"


def test_every_package_says_what_lives_in_it() -> None:
    for package in (ROOT / "translator").rglob("__init__.py"):
        if "_migrations" in package.parts:
            continue
        assert package.read_text().lstrip().startswith('"""'), package


def test_no_module_outgrows_one_job() -> None:
    sources = [*(ROOT / "translator").rglob("*.py"), *(ROOT / "glossary").rglob("*.py")]
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sources
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, too_long
