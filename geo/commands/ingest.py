"""Extract articles (files, folders, .jsonl/.csv corpora) into the store.

Articles already stored are skipped, so an interrupted ingest is resumed by
running it again. Progress goes to stderr; the last line on stdout is the
summary: read, new, updated, skipped, failed, observations, seconds, articles/s.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.store import Store


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL",
                        help="store URL (sqlite:///FILE or postgresql://…); default GEO_DB_URL, else SQLite in the data dir")


def open_store(url: str | None) -> Store:
    """The store for a command, or exit with one clear line (bad URL, server down, newer schema)."""
    from geo.store import Store, StoreError

    try:
        return Store(url)
    except StoreError as e:
        sys.exit(f"error: {e}")


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``ingest`` and ``reprocess``: where extraction runs."""
    from geo.ingest import CHUNK_SIZE, ENGINES

    add_store_argument(parser)
    parser.add_argument("--engine", choices=ENGINES, default="local",
                        help="extract here (local) or on a dask.distributed cluster (dask)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="extracting processes: local pool, or the dask engine's local cluster "
                             "(default one per CPU, at most 8; 1 = in this process)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="dask: address of an existing scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, metavar="N",
                        help=f"articles per committed chunk (default {CHUNK_SIZE})")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def check_engine_arguments(parser_error: Callable[[str], None], args: argparse.Namespace) -> None:
    if args.workers is not None and args.workers < 1:
        parser_error("--workers must be at least 1")
    if args.chunk_size < 1:
        parser_error("--chunk-size must be at least 1")
    if args.scheduler and args.engine != "dask":
        parser_error("--scheduler needs --engine dask")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".txt files, folders, .jsonl or .csv corpora")
    add_engine_arguments(parser)


def estimate_total(paths: list[str]) -> int | None:
    """How many articles the paths hold, for a bar with an end: ``.txt`` files plus
    ``.jsonl`` lines (fast to count). ``None`` when a CSV is among them (a record
    may span lines)."""
    from geo.articles import CORPUS_SUFFIXES, TEXT_SUFFIXES

    total = 0
    for path in map(Path, paths):
        files = sorted(q for q in path.rglob("*") if q.is_file()) if path.is_dir() else [path] * path.is_file()
        for file in files:
            suffix = file.suffix.lower()
            if suffix == ".csv":
                return None
            try:
                if suffix == ".jsonl":
                    with file.open("rb") as f:
                        total += sum(1 for line in f if line.strip())
                elif suffix in TEXT_SUFFIXES or (not path.is_dir() and suffix not in CORPUS_SUFFIXES):
                    total += 1
            except OSError:
                continue  # the reader warns about it
    return total


@contextmanager
def progress_bar(enabled: bool, total: int | None = None,
                 unit: str = "articles") -> Iterator[Callable[[int, int | None], None] | None]:
    """A tqdm bar on stderr fed by ``progress(done, total)`` callbacks (nothing when disabled).

    ``total`` is an estimate (skipped bad records never arrive): the bar is
    closed at what was really done. The bar runs no monitor thread: the ingest
    forks its extraction workers only from a single-threaded process.
    """
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    with Bar(total=total, unit=f" {unit}", file=sys.stderr, dynamic_ncols=True, mininterval=0.2) as bar:
        def update(done: int, total: int | None) -> None:
            if total is not None and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        yield update
        if bar.total is not None and bar.n < bar.total:
            bar.total = bar.n
            bar.refresh()


def run(args: argparse.Namespace) -> int:
    from geo.articles import read_paths

    check_engine_arguments(lambda message: sys.exit(f"error: {message}"), args)
    total = None if args.no_progress else estimate_total(args.paths)
    with open_store(args.db) as store, progress_bar(not args.no_progress, total) as progress:
        summary = store.ingest(read_paths(args.paths), progress=progress, engine=args.engine,
                               workers=args.workers, scheduler=args.scheduler, chunk_size=args.chunk_size)
    print(summary.line())
    if summary.read == 0:
        print("error: no articles found in the given paths", file=sys.stderr)
        return 1
    return 1 if summary.failed == summary.read else 0
