"""Language detection: accuracy per language before (a git revision's detector) and after, the
statistical detectors side by side on one-script text, and the cost of each.

    uv run python -m bench.detect                  # before = main's detector at --before
    uv run --with lingua-language-detector python -m bench.detect   # adds lingua to the table

Sets: our own titles and snippets (tests/data/detection_set.tsv); the WMT22 dev sources (zh,
ja) and English references from ../shared/eval, whole and cut to short snippets; and kanji-only
"titles" made of each source's Han words (runs of two or more Han characters), the case where
character forms and words must split Chinese from Japanese.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from bench.common import eval_file, write_result
from translator.errors import InvalidInput
from translator.text.detect import detect, load_detectors
from translator.text.statistical import guess_languages

Detector = Callable[[str], str]
Sample = tuple[str, str, str]
"""(set name, expected language, text)."""

ROOT = Path(__file__).resolve().parent.parent
OWN_SET = ROOT / "tests" / "data" / "detection_set.tsv"
_HAN_WORDS = re.compile(r"[\u4e00-\u9fff]{2,}")
_LINGUA_CODES = {"zh": "zh", "nb": "nb"}


def own_set() -> list[Sample]:
    lines = OWN_SET.read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return [("own", language, text) for language, text in rows]


def eval_sets() -> list[Sample]:
    """Dev sources and references, whole, as short snippets, and as kanji-only titles."""
    samples: list[Sample] = []
    for pair in ("zh-en", "ja-en"):
        source = pair[:2]
        for line in eval_file(pair).read_text("utf-8").splitlines():
            record = json.loads(line)
            src, ref = record["src"].strip(), record["ref"].strip()
            samples.append((f"wmt {source}", source, src))
            samples.append(("wmt en", "en", ref))
            samples.append((f"wmt {source} short", source, src[:8]))
            samples.append(("wmt en short", "en", " ".join(ref.split()[:3])))
            words = _HAN_WORDS.findall(src)
            if len(words) >= 2:
                samples.append((f"han-only {source}", source, " ".join(words[:5])))
    return [sample for sample in samples if any(char.isalpha() for char in sample[2])]


def load_before(revision: str) -> Detector:
    """`detect_language` from translator/text/detect.py as it was at `revision`."""
    code = subprocess.run(
        ["git", "show", f"{revision}:translator/text/detect.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = ModuleType("detect_before")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(code, f"{revision}:detect.py", "exec"), module.__dict__)

    def before(text: str) -> str:
        try:
            return str(module.detect_language(text).language)
        except InvalidInput as error:
            return f"error: {error.message[:40]}"

    return before


def after(text: str) -> str:
    return detect(text).best.language


def word_model(text: str) -> str:
    """Our statistical detector alone (words of every Latin-script language, then langdetect)."""
    guesses = guess_languages(text, "Latin")
    return guesses[0][0] if guesses else "none"


def langdetect_alone(text: str) -> str:
    from langdetect import LangDetectException, detect_langs

    try:
        best = str(detect_langs(text)[0].lang)
    except LangDetectException:
        return "none"
    return {"zh-cn": "zh", "zh-tw": "zh-Hant"}.get(best, best)


def lingua_detector() -> Detector | None:
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_all_languages().build()

    def lingua(text: str) -> str:
        found = detector.detect_language_of(text)
        return "none" if found is None else found.iso_code_639_1.name.lower()

    return lingua


def accuracy(detector: Detector, samples: list[Sample]) -> tuple[dict[str, float], float, float]:
    """Accuracy per (set, language), overall, and microseconds per text."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    started = time.perf_counter()
    for name, language, text in samples:
        key = f"{name} / {language}" if name == "own" else name
        total[key] += 1
        right[key] += detector(text) == language
    elapsed = time.perf_counter() - started
    per_key = {key: right[key] / total[key] for key in sorted(total)}
    return per_key, sum(right.values()) / len(samples), elapsed / len(samples) * 1e6


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", default="13d112a", help="git revision of the old detector")
    args = parser.parse_args()
    own, wmt = own_set(), eval_sets()
    latin_own = [s for s in own if s[1] in {"en", "de", "fr", "es"}]
    latin_wmt = [s for s in wmt if s[0].startswith("wmt en")]
    memory: dict[str, float] = {"start": rss_mib()}
    started = time.perf_counter()
    load_detectors()
    memory["word models loaded"] = rss_mib()
    load_seconds = time.perf_counter() - started
    detectors: dict[str, Detector] = {"before": load_before(args.before), "after": after}
    table: dict[str, dict[str, object]] = defaultdict(dict)
    for name, detector in detectors.items():
        for label, samples in (("own", own), ("wmt", wmt)):
            per_key, overall, micros = accuracy(detector, samples)
            table[name][label] = {"per": per_key, "all": overall, "us_per_text": micros}
    singles: dict[str, Detector] = {"word model": word_model, "langdetect": langdetect_alone}
    lingua = lingua_detector()
    if lingua is not None:
        singles["lingua"] = lingua
    for name, detector in singles.items():
        for label, samples in (("own latin", latin_own), ("wmt en", latin_wmt)):
            per_key, overall, micros = accuracy(detector, samples)
            table[name][label] = {"per": per_key, "all": overall, "us_per_text": micros}
        memory[f"after {name}"] = rss_mib()
    report(table, memory, load_seconds)
    write_result("detect", {"table": table, "rss_mib": memory, "load_seconds": load_seconds})


def report(table: dict[str, dict[str, object]], memory: dict[str, float], load: float) -> None:
    for name, results in table.items():
        for label, result in results.items():
            assert isinstance(result, dict)
            print(f"\n{name} on {label}: {result['all']:.1%} ({result['us_per_text']:.0f} µs/text)")
            for key, value in result["per"].items():
                print(f"  {key:<22} {value:.1%}")
    speed = {
        label: table["after"][label]["us_per_text"] / table["before"][label]["us_per_text"]  # type: ignore[index]
        for label in ("own", "wmt")
    }
    print(f"\nafter / before time per text: {speed}")
    print(f"word models: {load:.2f} s to load; peak RSS (MiB) {json.dumps(memory)}")


if __name__ == "__main__":
    main()
