"""Benchmark: a corpus into a fresh SQLite store, with the local engine and with 1 and 2 Dask workers.

Runs the real command line (``python -m geo ingest CORPUS --db sqlite:///… --no-progress``)
once per configuration in a subprocess, each into a new store, and prints for each:
the ingest's own time and articles/s (from its summary line, so cluster start-up
and extractor loading are included), the process's wall time, the CPU time of
its whole process tree (workers included: on a loaded machine this, not the
wall time, is the cost), the peak RSS of
the ingesting process, and the peak total RSS of its process tree (Dask workers
included), sampled every 50 ms with psutil. Then the Dask speed-up, 2 workers
over 1. The ``store`` run isolates the writer: the corpus is extracted first
(untimed), then only reading the results into a fresh store is timed, chunk by
chunk as ingest does (its share of an ingest's time).

    .venv/bin/python bench/ingest.py [CORPUS] [--runs store,local,dask1,dask2] [--limit N]

The gazetteer index is built (or loaded) once before timing, as an installed
app has it. Figures are only meaningful on an otherwise idle machine: the load
average is printed with them.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus" / "news_2022.jsonl"
RUNS = {"local": ["--engine", "local"], "dask1": ["--engine", "dask", "--workers", "1"],
        "dask2": ["--engine", "dask", "--workers", "2"]}
SUMMARY = re.compile(r"read (\d+), new (\d+), .* observations (\d+), ([\d.]+) s, ([\d.]+) articles/s")


def tree_rss(process: psutil.Process) -> tuple[int, int]:
    """(RSS of the process, RSS of it and all its descendants), in bytes."""
    try:
        own = process.memory_info().rss
        children = process.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0
    total = own
    for child in children:
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return own, total


def run(corpus: Path, options: list[str], env: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="geo-bench-") as tmp:
        command = [sys.executable, "-m", "geo", "ingest", str(corpus), "--db", f"sqlite:///{tmp}/store.sqlite",
                   "--no-progress", *options]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        process = psutil.Process(child.pid)
        peak = [0, 0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                own, total = tree_rss(process)
                peak[0], peak[1] = max(peak[0], own), max(peak[1], total)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            out, err = child.communicate()
        finally:
            if child.poll() is None:
                child.kill()
            done.set()
            sampler.join()
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{err[-2000:]}")
        m = SUMMARY.search(out)
        if not m:
            raise SystemExit(f"no summary line in:\n{out}")
        read, new, observations, seconds, _ = m.groups()
        return {"articles": int(read), "new": int(new), "observations": int(observations),
                "ingest_s": float(seconds), "articles_per_s": int(read) / float(seconds), "process_wall_s": wall,
                "cpu_s": cpu,
                "peak_rss_mb": peak[0] / 2**20, "peak_tree_rss_mb": peak[1] / 2**20}


def store_only(corpus: Path) -> dict:
    """Time only the writer: pre-extracted articles into a fresh store, chunk by chunk."""
    from geo.articles import read_paths
    from geo.ingest import CHUNK_SIZE
    from geo.pipeline import EXTRACTOR_VERSION, Extractor
    from geo.store import Store

    extractor = Extractor()
    extracted = [(a, extractor.extract(a)) for a in read_paths([corpus])]
    with tempfile.TemporaryDirectory(prefix="geo-bench-") as tmp, Store(f"sqlite:///{tmp}/store.sqlite") as store:
        started = time.perf_counter()
        for i in range(0, len(extracted), CHUNK_SIZE):
            chunk = extracted[i:i + CHUNK_SIZE]
            store.stored_flags([a for a, _ in chunk])
            store.write(chunk, EXTRACTOR_VERSION)
        seconds = time.perf_counter() - started
        observations = store.stats()["observations"]
    return {"articles": len(extracted), "observations": observations, "ingest_s": seconds,
            "articles_per_s": len(extracted) / seconds, "observations_per_s": observations / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", default="store,local,dask1,dask2",
                        help=f"comma-separated, of store, {', '.join(RUNS)}")
    parser.add_argument("--limit", type=int, help="only the first N articles (written to a temporary corpus)")
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("GEO_DATA_DIR", str(Path(tempfile.gettempdir()) / "geo-bench-data"))
    os.environ["GEO_DATA_DIR"] = env["GEO_DATA_DIR"]  # the in-process store run shares the index
    subprocess.run([sys.executable, "-c", "from geo.pipeline import Extractor; Extractor()"], env=env, check=True)

    corpus = args.corpus
    with tempfile.TemporaryDirectory(prefix="geo-bench-corpus-") as tmp:
        if args.limit:
            corpus = Path(tmp) / "corpus.jsonl"
            with args.corpus.open() as src, corpus.open("w") as dst:
                dst.writelines(itertools.islice(src, args.limit))
        print(f"corpus {args.corpus} ({corpus.stat().st_size / 1e6:.1f} MB), {os.cpu_count()} CPUs, "
              f"load average before {os.getloadavg()[0]:.2f}")
        results = {}
        for name in args.runs.split(","):
            if name == "store":
                results[name] = result = store_only(corpus)
                print(f" store: {result['articles']} articles, {result['observations']} observations written in "
                      f"{result['ingest_s']:.2f} s = {result['articles_per_s']:.0f} articles/s, "
                      f"{result['observations_per_s']:.0f} observations/s; load {os.getloadavg()[0]:.2f}",
                      flush=True)
                continue
            results[name] = result = run(corpus, RUNS[name], env)
            print(f"{name:>6}: {result['articles']} articles, {result['observations']} observations in "
                  f"{result['ingest_s']:.2f} s = {result['articles_per_s']:.0f} articles/s "
                  f"(process {result['process_wall_s']:.2f} s, CPU {result['cpu_s']:.1f} s); peak RSS {result['peak_rss_mb']:.0f} MB, "
                  f"with workers {result['peak_tree_rss_mb']:.0f} MB; load {os.getloadavg()[0]:.2f}", flush=True)
    if "dask1" in results and "dask2" in results:
        speedup = results["dask2"]["articles_per_s"] / results["dask1"]["articles_per_s"]
        print(f"dask speed-up, 2 workers over 1: {speedup:.2f}x")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
