"""Extraction speed (prints figures; not a timed test).

usage: .venv/bin/python bench/extract.py [CORPUS.jsonl] [--limit N] [--warmup N]

Prints: gazetteer-ready time (Gazetteer.load + recogniser index), extractor-ready time, then
for the articles after the warm-up: articles/s and characters/s by wall clock and by CPU time,
observations, the CPU milliseconds per article of each stage of ``Extractor.extract``
(sentences, recognise, geocode, references, observations: statuses, sources, event dates and the
records), and the peak RSS of the process. The stages are timed in the same pass (six
``time.process_time`` calls per article, a few microseconds, are in the totals). Runs on one
core (one process, one thread). Default corpus: ../shared/corpus/news_2022.jsonl.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT = ROOT.parent / "shared" / "corpus" / "news_2022.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=None, help="at most N articles")
    ap.add_argument("--warmup", type=int, default=50, help="articles extracted before timing (default 50)")
    args = ap.parse_args()

    from geo.articles import read_paths

    t0 = time.perf_counter()
    from geo.gazetteer import Gazetteer
    from geo.recognize import name_index

    gazetteer = Gazetteer.load()
    t1 = time.perf_counter()
    name_index(gazetteer)
    t2 = time.perf_counter()
    from geo.pipeline import STAGES, Extractor

    extractor = Extractor()
    t3 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = list(read_paths([args.corpus]))
    if args.limit:
        articles = articles[: args.limit]
    warm, timed = articles[: args.warmup], articles[args.warmup:]
    for a in warm:
        extractor.extract(a)
    observations = 0
    stages: dict[str, float] = {}
    start, cpu_start = time.perf_counter(), time.process_time()
    for a in timed:
        observations += len(extractor.extract(a, stages))
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    chars = sum(len(a.text) for a in timed)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"gazetteer ready {t1 - t0:.2f} s (Gazetteer.load), recogniser index {t2 - t1:.2f} s, "
          f"extractor ready {t3 - t0:.2f} s in all")
    print(f"{len(timed)} articles ({chars:,} characters) in {seconds:.2f} s after {len(warm)} warm-up: "
          f"{len(timed) / seconds:,.0f} articles/s, {chars / seconds:,.0f} characters/s, "
          f"{observations:,} observations")
    print(f"CPU time {cpu:.2f} s: {len(timed) / cpu:,.0f} articles/s, {chars / cpu:,.0f} characters/s of CPU "
          f"(the fair figure on a shared machine, where wall-clock time includes waiting for a core)")
    split = ", ".join(f"{stage} {stages.get(stage, 0.0) / len(timed) * 1000:.3f}" for stage in STAGES)
    others = sum(stages.get(stage, 0.0) for stage in STAGES if stage != "recognise") / len(timed) * 1000
    print(f"CPU ms per article by stage: {split}; all but recognise {others:.3f}")
    print(f"peak RSS {rss_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
