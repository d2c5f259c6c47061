"""Glossary matching speed: the automaton against a plain `str.find` loop, in the same run.

Both scan every segment of the zh→en dev set for every form of every built-in zh→en entry. The
baseline only asks "does this form occur" (no longest match, no traditional forms folded, no
`not_in` blockers), so it does less than the matcher; the ratio is what the automaton buys.
Also reports how many e-commerce segments contain a built-in term.

    uv run python -m bench.glossary [--repeat 20]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from bench.common import eval_file, write_result
from glossary.builtin import builtin_entries
from glossary.matcher import TermMatcher
from translator.evaluation.scores import load_eval_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="Passes over the dev set.")
    args = parser.parse_args()

    segments = [s.src for s in load_eval_set(eval_file("zh-en"))]
    entries = builtin_entries("zh", "en")
    forms = [form for entry in entries for form in entry.forms]

    started = time.perf_counter()
    matcher = TermMatcher([entries])
    build_seconds = time.perf_counter() - started

    def automaton() -> int:
        return sum(len(matcher.find(text)) for text in segments)

    def find_loop() -> int:
        return sum(1 for text in segments for form in forms if text.find(form) >= 0)

    timings: dict[str, list[float]] = {"automaton": [], "str.find": []}
    found = {"automaton": automaton(), "str.find": find_loop()}
    for _ in range(args.repeat):  # interleaved, so both see the same machine state
        for name, run in (("automaton", automaton), ("str.find", find_loop)):
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)

    characters = sum(len(text) for text in segments)
    report: dict[str, object] = {
        "segments": len(segments),
        "characters": characters,
        "entries": len(entries),
        "forms": len(forms),
        "patterns": matcher.size,
        "build_ms": round(build_seconds * 1000, 2),
    }
    for name, seconds in timings.items():
        best = min(seconds)
        report[name] = {
            "matches": found[name],
            "seconds_per_pass": round(best, 5),
            "segments_per_s": round(len(segments) / best),
            "entry_checks_per_s": round(len(segments) * len(entries) / best),
            "chars_per_s": round(characters / best),
        }
    report["speedup"] = round(min(timings["str.find"]) / min(timings["automaton"]), 1)

    ecommerce = [s.src for s in load_eval_set(eval_file("zh-en"), domain="ecommerce")]
    hits = [matcher.find(text) for text in ecommerce]
    report["ecommerce_segments"] = len(ecommerce)
    report["ecommerce_with_terms"] = sum(1 for h in hits if h)
    report["top_terms"] = Counter(m.entry.term for h in hits for m in h).most_common(15)

    path = write_result("glossary", report)
    for key, value in report.items():
        print(f"{key}: {value}")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
