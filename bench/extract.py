"""Extraction speed (prints figures; not a timed test).

usage: .venv/bin/python bench/extract.py [CORPUS.jsonl] [--limit N] [--warmup N] [--split-every N]

Prints: whether the extraction modules run compiled (see setup.py), gazetteer-ready time
(Gazetteer.load + recogniser index), extractor-ready time, then for the articles after the
warm-up: articles/s and characters/s by wall clock and by CPU time, observations, the CPU
milliseconds per article of each stage of ``Extractor.extract`` (sentences, recognise, geocode,
references, observations: statuses, sources, event dates and the records), and the peak RSS of
the process. Runs on one core (one process, one thread). Default
corpus: ../shared/corpus/news_2022.jsonl.

The stages are timed on every ``--split-every``-th article only, and the rates are those of the
other articles: timing the stages takes six ``time.process_time`` calls per article, system calls
that cost about 1% of the extraction (more on a virtual machine), which the rates then would
include. One pass serves both, so every article is extracted once, as in a batch (memos warm
only from the articles before it).
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
    ap.add_argument("--split-every", type=int, default=4,
                    help="time the stages of every Nth article, left out of the rates (default 4)")
    args = ap.parse_args()
    if args.split_every < 2:
        ap.error("--split-every must be 2 or more: the rates are those of the other articles")

    from geo.articles import read_paths

    t0 = time.perf_counter()
    from geo.gazetteer import Gazetteer
    from geo.recognize import name_index

    gazetteer = Gazetteer.load()
    t1 = time.perf_counter()
    name_index(gazetteer)
    t2 = time.perf_counter()
    from geo import native
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
    split = timed[::args.split_every]
    split_seconds = split_cpu = 0.0  # spent on the articles whose stages are timed
    start, cpu_start = time.perf_counter(), time.process_time()
    for i, a in enumerate(timed):
        if i % args.split_every:
            observations += len(extractor.extract(a))
            continue
        article_start, article_cpu = time.perf_counter(), time.process_time()
        observations += len(extractor.extract(a, stages))
        split_cpu += time.process_time() - article_cpu
        split_seconds += time.perf_counter() - article_start
    rated = len(timed) - len(split)
    seconds = time.perf_counter() - start - split_seconds
    cpu = time.process_time() - cpu_start - split_cpu
    chars = sum(len(a.text) for a in timed) - sum(len(a.text) for a in split)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("extraction modules: " + ("compiled (mypyc)" if native.is_compiled(sys.modules[Extractor.__module__]) else
                                    "Python source (not compiled, or GEO_PURE_PYTHON set, or edited since compiled)"))
    print(f"gazetteer ready {t1 - t0:.2f} s (Gazetteer.load), recogniser index {t2 - t1:.2f} s, "
          f"extractor ready {t3 - t0:.2f} s in all")
    print(f"{len(timed)} articles after {len(warm)} warm-up, {observations:,} observations; rates of the "
          f"{rated} whose stages are not timed ({chars:,} characters): {seconds:.2f} s, "
          f"{rated / seconds:,.0f} articles/s, {chars / seconds:,.0f} characters/s")
    print(f"CPU time {cpu:.2f} s: {rated / cpu:,.0f} articles/s, {chars / cpu:,.0f} characters/s of CPU "
          f"(the fair figure on a shared machine, where wall-clock time includes waiting for a core)")
    by_stage = ", ".join(f"{stage} {stages.get(stage, 0.0) / len(split) * 1000:.3f}" for stage in STAGES)
    others = sum(stages.get(stage, 0.0) for stage in STAGES if stage != "recognise") / len(split) * 1000
    print(f"CPU ms per article by stage (every {args.split_every}th article, {len(split)}): {by_stage}; "
          f"all but recognise {others:.3f}")
    print(f"peak RSS {rss_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
