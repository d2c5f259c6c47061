"""What the search's pool holds, and which signal finds its best translation.

    uv run python -m bench.pool run --limit 100        # one search + direct per segment (slow)
    uv run python -m bench.pool report                 # tables from what `run` wrote
    uv run python -m bench.pool run --parallel 2 --file bench/results/pool-parallel2.jsonl
    uv run python -m bench.forced                      # only for pools run without source scores
    uv run python -m bench.pool run --skip 100 --examples 2 --file bench/results/pool-heldout.jsonl

`run` translates WMT22 zh→en e-commerce dev segments with the direct mode and the search (the
small budget as the service runs it, `--selection` its way of choosing, every candidate kept)
and appends one JSON line per segment to bench/results/pool.jsonl, so an interrupted run resumes
where it stopped. The small budget seeds its pool with the direct and cot greedy answers, so the
cot row is the pool's cot seed. With `--selection consensus-source` (the default here) the search
scores every candidate's source likelihood itself, inside its measured time, and the pool keeps
those scores. `report` scores every candidate against both references and prints: the oracle
best-of-pool chrF, each selection method's corpus chrF next to direct, cot and Online-G, and the
Spearman correlation of each signal with sentence chrF (within each segment, averaged over
segments with three or more distinct candidates). For a pool run with another selection,
`bench.forced` adds the source likelihoods (bench/results/pool-forced.jsonl).

`--skip N` starts after the first N segments, for segments no selection was chosen on.
`--examples K` also answers each segment in the direct mode with the example bank's K closest
pairs shown (`translator.prompting.example_bank`), a third prompt's reading, and scores its
source likelihood; `report` then adds the rows with that answer in the search's pool.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

import numpy as np
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF

from bench.common import RESULTS_DIR, eval_file
from glossary.check import check_terms
from glossary.matcher import TermMatch
from glossary.selection import GlossarySelection
from translator.engines.factory import create_engine
from translator.evaluation.scores import EvalSegment, clear_losses, load_eval_set
from translator.prompting.modes import Segment, SinglePassRunner
from translator.prompting.prompts import PromptStyle
from translator.search.config import BudgetName, SearchConfig, Selection
from translator.search.greedy import examples_answer
from translator.search.mcts import MCTS
from translator.search.results import Candidate
from translator.search.selection import choose, consensus_scores, distinct
from translator.search.source_scores import source_scores
from translator.search.tree import SearchTree
from translator.search.verifiers import DEFAULT_VERIFIERS, run_verifiers
from translator.settings import load_settings
from translator.text.scripts import foreign_scripts, script_characters
from translator.translating.runners import search_config
from translator.translating.translation import find_terms, plan_segments

COMPARE_WITH = "Online-G"
POOL_FILE = RESULTS_DIR / "pool.jsonl"
FORCED_FILE = RESULTS_DIR / "pool-forced.jsonl"
_CHRF = CHRF()


async def run(
    limit: int,
    path: Path,
    selection: Selection,
    parallel: int | None,
    skip: int = 0,
    examples: int = 0,
) -> None:
    segments = load_eval_set(eval_file("zh-en"), domain="ecommerce", limit=skip + limit)[skip:]
    done = {json.loads(line)["id"] for line in path.open()} if path.exists() else set()
    settings = load_settings()
    engine = create_engine(settings)
    retune = {} if parallel is None else {"parallel": parallel}  # a budget retune's run
    config = search_config(settings, BudgetName.SMALL, selection=selection, **retune)
    direct = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=settings.max_new_tokens)
    glossaries = GlossarySelection()
    path.parent.mkdir(exist_ok=True)
    try:
        for number, item in enumerate(segments, start=1):
            if item.id in done:
                continue
            (plan,) = find_terms(
                plan_segments([item.src], source="zh", target="en", max_text_chars=10_000),
                glossaries,
            )
            row = await _study(engine, direct, config, plan.segment, item)
            if examples:
                row["examples"] = await _examples_answer(engine, plan.segment, examples)
            with path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{number}/{len(segments)} {row['search_seconds']:.0f}s", flush=True)
    finally:
        await engine.aclose()


async def _study(
    engine: Any,
    direct: SinglePassRunner,
    config: SearchConfig,
    segment: Segment,
    item: EvalSegment,
) -> dict[str, Any]:
    started = time.perf_counter()
    (greedy,) = await direct.run(engine, [segment])
    direct_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = await MCTS(engine, config).search(segment)
    search_seconds = time.perf_counter() - started
    return {
        "id": item.id,
        "src": item.src,
        "refs": list(item.refs),
        "online": item.systems.get(COMPARE_WITH, ""),
        "direct": greedy.translation,
        "direct_seconds": round(direct_seconds, 2),
        "selection": config.selection,
        "parallel": config.parallel,
        "search_seconds": round(search_seconds, 2),
        "search_tokens": result.usage.generated_tokens,
        "chosen": result.best.translation,
        "pool": [c.as_dict() for c in result.pool],
    }


async def _examples_answer(engine: Any, segment: Segment, shots: int) -> dict[str, Any]:
    """The search's examples answer on its own, with its source likelihood: the candidate a
    budget without `examples_candidate` leaves out of its pool."""
    started = time.perf_counter()
    config = SearchConfig(examples_candidate=shots)
    answer = await examples_answer(engine, segment, config, DEFAULT_VERIFIERS)
    if answer.candidate is None:
        return {"shots": shots, "seconds": round(time.perf_counter() - started, 2)}
    scores = await source_scores(engine, segment, [answer.candidate.translation]) or {}
    scored = replace(answer.candidate, source_logprob=scores.get(answer.candidate.translation))
    return {"shots": shots, "seconds": round(time.perf_counter() - started, 2)} | scored.as_dict()


def _forced_scores(path: Path) -> dict[str, dict[str, float]]:
    """`bench.forced`'s scores per segment id, when it has run."""
    if not path.exists():
        return {}
    rows = (json.loads(line) for line in path.open(encoding="utf-8"))
    return {row["id"]: row["forced"] for row in rows}


def report(path: Path, forced_path: Path = FORCED_FILE) -> dict[str, Any]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    forced = _forced_scores(forced_path)
    methods: dict[str, list[str]] = {"direct": [], "cot": [], "search (as run)": []}
    online: list[str] = []
    refs: list[list[str]] = []
    found: list[tuple[TermMatch, ...]] = []
    checker = GlossarySelection()
    correlations: dict[str, list[float]] = {}
    with_examples = any(_examples_of(row) is not None for row in rows)
    for row in rows:
        segment = Segment(row["src"], "zh", "en")
        pool = [_candidate(p) for p in row["pool"]]
        scores = forced.get(row["id"]) or _pool_source_scores(pool)
        selections: list[Selection] = ["reward", "consensus"]
        if scores is not None:
            selections.append("consensus-source")
        for label, variant, variant_scores in _pool_variants(row, pool, scores):
            for selection in selections:
                chosen = choose(variant, selection, SearchTree(), variant_scores)[0]
                methods.setdefault(f"{label}, {selection}", []).append(chosen.translation)
            best = max(distinct(variant), key=lambda c: _sentence_chrf(c.translation, row["refs"]))
            methods.setdefault(f"{label}, oracle best of pool", []).append(best.translation)
        ranked = distinct(pool)
        sentence = {c.translation: _sentence_chrf(c.translation, row["refs"]) for c in ranked}
        methods["direct"].append(row["direct"])
        methods["cot"].append(next(c.translation for c in pool if "cot" in c.flags))
        methods["search (as run)"].append(row["chosen"])
        if with_examples:
            methods.setdefault("examples answer", []).append(_examples_of(row) or "")
        online.append(row["online"])
        found.append(checker.find(row["src"], "zh", "en"))
        refs.append(row["refs"])
        if len(ranked) >= 3:
            quality = [sentence[c.translation] for c in ranked]
            for name, values in _signals(ranked, pool, segment, scores).items():
                rho = _spearman(values, quality)
                if rho is not None:
                    correlations.setdefault(name, []).append(rho)
    table = {name: _corpus(outputs, refs, found) for name, outputs in methods.items()}
    table[COMPARE_WITH] = _corpus(online, refs, found)
    for name in [m for m in methods if m != "direct" and not m.endswith("of pool")]:
        losses = clear_losses(methods["direct"], methods[name], refs)
        table[name]["lose_10_vs_direct"] = f"{losses}/{len(rows)}"
    return {
        "segments": len(rows),
        "selection_as_run": sorted({row["selection"] for row in rows}),
        "parallel_as_run": sorted({row.get("parallel", 1) for row in rows}),
        "table": table,
        "seconds_per_segment": {
            name: round(float(np.mean([r[f"{name}_seconds"] for r in rows])), 1)
            for name in ("direct", "search")
        },
        "search_tokens_per_segment": round(float(np.mean([r["search_tokens"] for r in rows])), 1),
        "spearman": {k: round(float(np.mean(v)), 3) for k, v in correlations.items()},
        "spearman_segments": {k: len(v) for k, v in correlations.items()},
        "pool_size": round(float(np.mean([len(distinct_of(r)) for r in rows])), 2),
    }


def _examples_of(row: dict[str, Any]) -> str | None:
    """The examples answer, whether `--examples` kept it apart or the search seeded it."""
    pooled = (p["translation"] for p in row["pool"] if "examples" in p["flags"])
    return row.get("examples", {}).get("translation") or next(pooled, None)


def _pool_variants(
    row: dict[str, Any], pool: list[Candidate], scores: dict[str, float] | None
) -> list[tuple[str, list[Candidate], dict[str, float] | None]]:
    """The search's pool, and the pool with the examples answer added (kept apart by
    `--examples`) or taken out (a budget that seeds it), to re-choose from."""
    variants = [("search", pool, scores)]
    stored = row.get("examples", {})
    if "translation" in stored:
        extra = _candidate(stored)
        if scores is not None and extra.source_logprob is not None:
            scores = scores | {extra.translation: extra.source_logprob}
        variants.append(("search + examples answer", [*pool, extra], scores))
    without = [c for c in pool if "examples" not in c.flags]
    if 0 < len(without) < len(pool):
        variants.append(("search without the examples answer", without, scores))
    return variants


def _candidate(stored: dict[str, Any]) -> Candidate:
    return Candidate(
        stored["translation"],
        stored["reward"],
        stored["confidence"],
        tuple(stored["flags"]),
        stored["node"],
        "",
        stored.get("source_logprob"),
    )


def _pool_source_scores(pool: Sequence[Candidate]) -> dict[str, float] | None:
    """The source likelihoods the search itself scored, when it ran `consensus-source`."""
    if any(c.source_logprob is None for c in pool):
        return None
    return {c.translation: c.source_logprob for c in pool if c.source_logprob is not None}


def distinct_of(row: dict[str, Any]) -> set[str]:
    """Every distinct translation of a segment: the search's pool and the direct mode's answer."""
    return {p["translation"] for p in row["pool"]} | {row["direct"]}


def _signals(
    ranked: Sequence[Candidate],
    pool: Sequence[Candidate],
    segment: Segment,
    forced: dict[str, float] | None = None,
) -> dict[str, list[float]]:
    factors = [run_verifiers(DEFAULT_VERIFIERS, segment, c.translation).factor for c in ranked]
    extra = (
        {"forced log p(source | candidate)": [forced[c.translation] for c in ranked]}
        if forced is not None
        else {}
    )
    return extra | {
        "reward (confidence x verifiers)": [c.reward for c in ranked],
        "confidence": [c.confidence for c in ranked],
        "verifier factor": factors,
        "consensus": consensus_scores(ranked, pool),
        "length (chars)": [float(len(c.translation)) for c in ranked],
    }


def _spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    ra, rb = _ranks(a), _ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return None
    return float(np.corrcoef(ra, rb)[0, 1])


def _ranks(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    order = array.argsort()
    ranks = np.empty(len(array))
    ranks[order] = np.arange(len(array))
    for value in np.unique(array):  # ties share their mean rank
        ranks[array == value] = ranks[array == value].mean()
    return ranks


def _sentence_chrf(hypothesis: str, refs: Sequence[str]) -> float:
    return float(_CHRF.sentence_score(hypothesis, list(refs)).score)


def _corpus(
    outputs: list[str], refs: list[list[str]], found: list[tuple[TermMatch, ...]]
) -> dict[str, Any]:
    streams = [[r[i] if i < len(r) else r[0] for r in refs] for i in range(2)]
    left = sum(1 for o in outputs if script_characters(o, foreign_scripts("zh", "en")))
    pairs = zip(found, outputs, strict=True)
    checks = [check for terms, output in pairs for check in check_terms(terms, output, "en")]
    return {
        "chrf": round(CHRF().corpus_score(outputs, streams).score, 2),
        "bleu": round(BLEU().corpus_score(outputs, streams).score, 2),
        "source_script_left": left,
        "terms_rendered": f"{sum(1 for c in checks if not c.result.missed)}/{len(checks)}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["run", "report"])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--file", type=Path, default=POOL_FILE)
    parser.add_argument("--selection", choices=get_args(Selection), default="consensus-source")
    parser.add_argument("--parallel", type=int, help="leaves per wave (budget override)")
    parser.add_argument("--skip", type=int, default=0, help="segments to pass over first")
    parser.add_argument("--examples", type=int, default=0, help="bank examples for a 3rd answer")
    args = parser.parse_args()
    if args.action == "run":
        run_args = (args.limit, args.file, args.selection, args.parallel, args.skip, args.examples)
        asyncio.run(run(*run_args))
    else:
        print(json.dumps(report(args.file), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
