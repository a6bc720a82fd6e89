"""Benchmark: a corpus into a fresh SQLite store, with the local engine (1 and N workers) and 1 and 2 Dask workers.

Runs the real command line (``python -m geo ingest CORPUS --db sqlite:///…``)
once per configuration in a subprocess, each into a new store, and prints for each:
the ingest's own time and articles/s (from its summary line, so pool or cluster
start-up and extractor loading are included), the time to the first committed
chunk and the rate after it (the steady state, start-up excluded), the
process's wall time, the CPU time of its whole process tree (workers included:
on a loaded machine this, not the wall time, is the cost), and peak memory: the
ingesting process's RSS, the sum of RSS over its process tree (sampled every
50 ms with psutil), and the sum of PSS over the tree (every 0.5 s; forked
workers share the gazetteer's pages with their parent, which the RSS sum counts
once per process). Then the speed-ups of 2 workers over 1. The ``store`` run
isolates the writer: the corpus is extracted first (untimed), then only reading
the results into a fresh store is timed, chunk by chunk as ingest does (its
share of an ingest's time), in wall and CPU seconds. The ``extract1``/``extract2``
runs time the extraction part alone on 1 or 2 Dask workers whose extractor is
loaded: no writer, no start-up.

    .venv/bin/python bench/ingest.py [CORPUS] [--runs store,local1,local,dask1,dask2,extract1,extract2] [--limit N]

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
from contextlib import contextmanager
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus" / "news_2022.jsonl"
RUNS = {"local1": ["--engine", "local", "--workers", "1"], "local": ["--engine", "local"],
        "dask1": ["--engine", "dask", "--workers", "1"], "dask2": ["--engine", "dask", "--workers", "2"]}
SPEEDUPS = (("local", "local1"), ("dask2", "dask1"), ("extract2", "extract1"))
SUMMARY = re.compile(r"read (\d+), new (\d+), .* observations (\d+), ([\d.]+) s, ([\d.]+) articles/s")


def tree_memory(process: psutil.Process, pss: bool) -> tuple[int, int, int]:
    """(RSS of the process, sum of RSS over it and its descendants, sum of their PSS or 0), in bytes."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0, 0
    own = rss = proportional = 0
    for member in members:
        try:
            info = member.memory_full_info() if pss else member.memory_info()
        except psutil.NoSuchProcess:
            continue
        own = own or info.rss
        rss += info.rss
        proportional += getattr(info, "pss", 0)
    return own, rss, proportional


@contextmanager
def recording_progress(enabled: bool, total: int | None = None, unit: str = "articles"):
    """Stands in for the CLI's progress bar in a ``--child`` run: notes when each chunk was committed."""
    yield lambda done, total: MARKS.append((time.perf_counter(), done))


MARKS: list[tuple[float, int]] = []


def child(argv: list[str]) -> int:
    """Run the CLI as ``python -m geo`` would, recording each committed chunk; print the marks last."""
    import geo.commands.ingest as command
    from geo.cli import main as cli

    command.progress_bar = recording_progress
    code = cli(argv)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"driver_cpu {usage.ru_utime + usage.ru_stime}")
    print("marks " + json.dumps(MARKS), flush=True)
    return code


def run(corpus: Path, options: list[str], env: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="geo-bench-") as tmp:
        command = [sys.executable, __file__, "--child", "ingest", str(corpus), "--db",
                   f"sqlite:///{tmp}/store.sqlite", *options]
        started = time.perf_counter()
        child_process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                         text=True)
        process = psutil.Process(child_process.pid)
        peak = [0, 0, 0]
        done = threading.Event()

        def sample() -> None:
            for tick in itertools.count():
                if done.is_set():
                    return
                for i, value in enumerate(tree_memory(process, pss=tick % 10 == 0)):
                    peak[i] = max(peak[i], value)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            out, err = child_process.communicate()
        finally:
            if child_process.poll() is None:
                child_process.kill()
            done.set()
            sampler.join()
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if child_process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({child_process.returncode}):\n{err[-2000:]}")
        m = SUMMARY.search(out)
        marks = json.loads(out.rsplit("marks ", 1)[1])
        driver_cpu = float(out.rsplit("driver_cpu ", 1)[1].split()[0])
        if not m or not marks:
            raise SystemExit(f"no summary line or progress in:\n{out}")
        read, new, observations, seconds, _ = m.groups()
        (first_at, first_done), (last_at, last_done) = marks[0], marks[-1]
        # The summary's clock starts after the store is open: place the first chunk on it.
        first_s = float(seconds) - (last_at - first_at)
        steady = (last_done - first_done) / (last_at - first_at) if last_at > first_at else float("nan")
        return {"articles": int(read), "new": int(new), "observations": int(observations),
                "ingest_s": float(seconds), "articles_per_s": int(read) / float(seconds),
                "first_chunk_s": first_s, "steady_articles_per_s": steady, "process_wall_s": wall,
                "cpu_s": cpu, "driver_cpu_s": driver_cpu, "peak_rss_mb": peak[0] / 2**20, "peak_tree_rss_mb": peak[1] / 2**20,
                "peak_tree_pss_mb": peak[2] / 2**20}


def store_only(corpus: Path) -> dict:
    """Time only the writer: pre-extracted articles into a fresh store, chunk by chunk."""
    from geo.articles import read_paths
    from geo.ingest import CHUNK_SIZE, extract_chunk
    from geo.pipeline import EXTRACTOR_VERSION, Extractor
    from geo.store import Store

    corpus_articles = list(read_paths([corpus]))
    extracted = [(a, rows) for a, (rows, _) in zip(corpus_articles, extract_chunk(Extractor, corpus_articles))]
    with tempfile.TemporaryDirectory(prefix="geo-bench-") as tmp, Store(f"sqlite:///{tmp}/store.sqlite") as store:
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(extracted), CHUNK_SIZE):
            chunk = extracted[i:i + CHUNK_SIZE]
            store.stored_flags([a for a, _ in chunk])
            store.write(chunk, EXTRACTOR_VERSION)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        observations = store.stats()["observations"]
    return {"articles": len(extracted), "observations": observations, "ingest_s": seconds, "cpu_s": cpu,
            "articles_per_s": len(extracted) / seconds, "observations_per_s": observations / seconds}


def worker_cpu() -> float:
    """CPU seconds of the calling process (run on each Dask worker)."""
    return time.process_time()


def dask_extraction(corpus: Path, workers: int) -> dict:
    """Time only the extraction on a local Dask cluster whose workers have their extractor loaded.

    No writer and no start-up: what a second worker adds to the extraction part alone.
    """
    import logging

    import dask
    from dask.distributed import Client, LocalCluster

    from geo.articles import read_paths
    from geo.ingest import CHUNK_SIZE, chunked, default_factory, extract_chunk, worker_extractor

    corpus_articles = list(read_paths([corpus]))
    with dask.config.set({"distributed.worker.profile.enabled": False}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                         silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.run(worker_extractor, default_factory)
        cpu = sum(client.run(worker_cpu).values())
        started = time.perf_counter()
        client.gather([client.submit(extract_chunk, default_factory, piece, pure=False)
                       for chunk in chunked(corpus_articles, CHUNK_SIZE)
                       for piece in chunked(chunk, -(-len(chunk) // workers))])
        seconds = time.perf_counter() - started
        cpu = sum(client.run(worker_cpu).values()) - cpu
    return {"articles": len(corpus_articles), "seconds": seconds, "articles_per_s": len(corpus_articles) / seconds,
            "workers_cpu_s": cpu}


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        raise SystemExit(child(sys.argv[2:]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", default="store,local1,local,dask1,dask2,extract1,extract2",
                        help=f"comma-separated, of store, {', '.join(RUNS)}, extract1, extract2")
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
            if name.startswith("extract"):
                results[name] = result = dask_extraction(corpus, int(name.removeprefix("extract")))
                print(f"{name:>8}: extraction alone on {name.removeprefix('extract')} warm Dask worker(s): "
                      f"{result['articles']} articles in {result['seconds']:.2f} s = {result['articles_per_s']:.0f} "
                      f"articles/s, workers' CPU {result['workers_cpu_s']:.1f} s; load {os.getloadavg()[0]:.2f}",
                      flush=True)
                continue
            if name == "store":
                results[name] = result = store_only(corpus)
                print(f" store: {result['articles']} articles, {result['observations']} observations written in "
                      f"{result['ingest_s']:.2f} s (CPU {result['cpu_s']:.2f} s) = {result['articles_per_s']:.0f} "
                      f"articles/s, {result['observations_per_s']:.0f} observations/s; "
                      f"load {os.getloadavg()[0]:.2f}", flush=True)
                continue
            results[name] = result = run(corpus, RUNS[name], env)
            print(f"{name:>6}: {result['articles']} articles, {result['observations']} observations in "
                  f"{result['ingest_s']:.2f} s = {result['articles_per_s']:.0f} articles/s; first chunk after "
                  f"{result['first_chunk_s']:.2f} s, then {result['steady_articles_per_s']:.0f} articles/s "
                  f"(process {result['process_wall_s']:.2f} s, CPU {result['cpu_s']:.1f} s of which the ingesting "
                  f"process {result['driver_cpu_s']:.1f} s); peak RSS "
                  f"{result['peak_rss_mb']:.0f} MB, process tree RSS {result['peak_tree_rss_mb']:.0f} MB, "
                  f"PSS {result['peak_tree_pss_mb']:.0f} MB; load {os.getloadavg()[0]:.2f}", flush=True)
    for faster, slower in SPEEDUPS:
        if faster in results and slower in results:
            fast, slow = results[faster], results[slower]
            steady = (f", {fast['steady_articles_per_s'] / slow['steady_articles_per_s']:.2f}x after the first chunk"
                      if "steady_articles_per_s" in fast else "")
            print(f"speed-up {faster} over {slower}: {fast['articles_per_s'] / slow['articles_per_s']:.2f}x{steady}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
