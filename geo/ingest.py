"""Batch ingest: read articles, extract them (here or on a Dask cluster), store them in chunks.

Data flows one way: articles -> (skip what is stored) -> extraction -> one writer.
The *engine* decides where extraction runs:

- ``local``: in this process, with one extractor built once.
- ``dask``: on ``dask.distributed`` workers (a ``LocalCluster`` of processes by
  default, or an existing cluster by scheduler address). Each worker builds its
  extractor once (:func:`worker_extractor`) and extracts its share of each
  chunk; results come back in submission order, so the single writer here
  stores exactly what the local engine would.

Each chunk is committed on its own (see :class:`geo.store.Store`), which is what
makes an interrupted ingest resumable: committed chunks stay, and the next run
skips every article whose text is already stored before extracting anything.
"""
from __future__ import annotations

import collections
import logging
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Protocol, TypeVar

from geo.articles import Article, ArticleWarning
from geo.observations import Observation

if TYPE_CHECKING:
    from geo.store import Store

#: Articles per committed chunk: big enough for fast bulk inserts, small enough
#: that an interruption loses little and the progress bar moves.
CHUNK_SIZE = 250

ENGINES = ("local", "dask")

#: How long the dask engine waits for a first worker before giving up.
WORKER_WAIT_SECONDS = 60


T = TypeVar("T")


class ExtractorLike(Protocol):
    def extract(self, article: Article) -> list[Observation]: ...


#: Builds an extractor; must be importable by name on Dask workers.
ExtractorFactory = Callable[[], ExtractorLike]

#: One extracted article: (article, observations, error). Exactly one of the last two is None.
Extracted = tuple[Article, "list[Observation] | None", "str | None"]


class IngestWarning(ArticleWarning):
    """An article could not be extracted or stored; the message names it and says why."""


@dataclass
class IngestSummary:
    """What an ingest did. ``read`` = new + updated + skipped + failed."""

    read: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    observations: int = 0
    seconds: float = 0.0
    #: (article id, why) of every failed article, for a UI to list.
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def articles_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """The one summary line the CLI ends with."""
        rate = self.articles_per_second
        return (f"read {self.read}, new {self.new}, updated {self.updated}, skipped {self.skipped}, "
                f"failed {self.failed}, observations {self.observations}, {self.seconds:.2f} s, "
                f"{rate:.{0 if rate >= 100 else 1 if rate >= 1 else 2}f} articles/s")

    def add(self, other: IngestSummary) -> None:
        """Add the counts of a part of the work (a chunk's write); ``seconds`` are the caller's."""
        self.read += other.read
        self.new += other.new
        self.updated += other.updated
        self.skipped += other.skipped
        self.failed += other.failed
        self.observations += other.observations
        self.failures.extend(other.failures)

    def fail(self, article_id: str, error: str) -> None:
        """Count a failed article and keep why."""
        self.failed += 1
        self.failures.append((article_id, error))


def default_factory() -> ExtractorLike:
    """The product's extractor (imported late: the store is usable without loading the gazetteer)."""
    from geo.pipeline import Extractor

    return Extractor()


def version_of(factory: ExtractorFactory) -> str:
    """The version recorded with stored observations: the factory's ``version``, else the pipeline's.

    Read on the driver: workers run the same installed package, so the same code.
    """
    version = getattr(factory, "version", None)
    if version is None:
        from geo.pipeline import EXTRACTOR_VERSION

        version = EXTRACTOR_VERSION
    return str(version)


_WORKER_EXTRACTORS: dict[str, ExtractorLike] = {}
_WORKER_EXTRACTORS_LOCK = threading.Lock()


def worker_extractor(factory: ExtractorFactory) -> ExtractorLike:
    """The extractor of this process, built on first use and then reused.

    Keyed by the factory's qualified name (a factory shipped by value arrives as
    a new object with every task, so the object itself is no key).
    """
    key = f"{factory.__module__}.{factory.__qualname__}"
    with _WORKER_EXTRACTORS_LOCK:  # two dashboard sessions uploading at once build one
        if key not in _WORKER_EXTRACTORS:
            _WORKER_EXTRACTORS[key] = factory()
        return _WORKER_EXTRACTORS[key]


def extract_one(extractor: ExtractorLike, article: Article) -> tuple[list[Observation] | None, str | None]:
    """Extract one article: (observations, None), or (None, why) - an error is the article's, never the batch's."""
    try:
        return list(extractor.extract(article)), None
    except Exception as error:  # noqa: BLE001 - one bad article must not stop a batch
        return None, f"extraction failed: {type(error).__name__}: {error}"


def extract_chunk(factory: ExtractorFactory, chunk: Sequence[Article]) -> list[tuple[list[Observation] | None,
                                                                                      str | None]]:
    """Extract a chunk with this process's cached extractor (the task a Dask worker runs).

    Returns only the results, in the chunk's order: the caller has the
    articles, and their texts need not travel back from a worker.
    """
    extractor = worker_extractor(factory)
    return [extract_one(extractor, article) for article in chunk]


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


#: A unit of work: a tag the caller carries through (e.g. counts) and the articles to extract.
Job = tuple[object, list[Article]]


def local_engine(jobs: Iterable[Job], factory: ExtractorFactory) -> Iterator[tuple[object, list[Extracted]]]:
    for tag, chunk in jobs:
        yield tag, [(a, *result) for a, result in zip(chunk, extract_chunk(factory, chunk))]


def dask_engine(jobs: Iterable[Job], factory: ExtractorFactory, *, workers: int | None = None,
                scheduler: str | None = None) -> Iterator[tuple[object, list[Extracted]]]:
    """Extract on a Dask cluster; yield results in input order.

    Each chunk is cut into one task per worker, so the workers stay equally
    busy; two chunks are in flight, so they never wait for the writer here, and
    memory stays bounded however large the corpus. A task that fails (a worker
    died) reports its articles as failed, and the ingest goes on. A script that
    starts the local cluster this way must do so under ``if __name__ ==
    "__main__":``, as for any multiprocessing (``python -m geo`` does).
    """
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler, timeout=30)
    else:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError:
            raise RuntimeError(f"no Dask worker joined the scheduler {scheduler} "
                               f"within {WORKER_WAIT_SECONDS} s") from None
        expected = version_of(factory)
        stale = {worker: version for worker, version in client.run(version_of, factory).items()
                 if version != expected}
        if stale:
            raise RuntimeError(f"Dask workers run another extractor version ({stale}) than this process "
                               f"({expected}): install the same version of the package everywhere")
        n_workers = len(client.scheduler_info().get("workers", {})) or 1
        in_flight: collections.deque = collections.deque()

        def collect() -> tuple[object, list[Extracted]]:
            tag, tasks = in_flight.popleft()
            extracted: list[Extracted] = []
            for piece, future in tasks:
                try:
                    extracted.extend((a, *result) for a, result in zip(piece, future.result()))
                except Exception as error:  # noqa: BLE001 - a lost worker fails its articles, not the ingest
                    extracted.extend((a, None, f"worker failed: {type(error).__name__}: {error}") for a in piece)
            return tag, extracted

        for tag, chunk in jobs:
            size = max(1, -(-len(chunk) // n_workers))
            pieces = [chunk[i:i + size] for i in range(0, len(chunk), size)]
            in_flight.append((tag, [(p, client.submit(extract_chunk, factory, p, pure=False)) for p in pieces]))
            if len(in_flight) > 2:
                yield collect()
        while in_flight:
            yield collect()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_engine(jobs: Iterable[Job], factory: ExtractorFactory, engine: str, workers: int | None,
               scheduler: str | None) -> Iterator[tuple[object, list[Extracted]]]:
    if engine == "local":
        return local_engine(jobs, factory)
    if engine == "dask":
        return dask_engine(jobs, factory, workers=workers, scheduler=scheduler)
    raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")


def split_failures(extracted: list[Extracted], summary: IngestSummary) -> list[tuple[Article, list[Observation]]]:
    """Count the articles that failed to extract; return the others."""
    good = []
    for article, found, error in extracted:
        if error is None:
            good.append((article, found))
        else:
            summary.fail(article.id, error)
    return good


def _drive(jobs: Iterable[tuple[tuple[int, int], list[Article]]], write: Callable, version: str,
           factory: ExtractorFactory, engine: str, workers: int | None, scheduler: str | None,
           progress: Callable[[int, int | None], None] | None, total: int | None) -> IngestSummary:
    """Run ``jobs`` ((read, skipped before extraction), articles) through an engine into ``write``.

    Every failed article is also an :class:`IngestWarning` (one line naming it),
    as soon as its chunk is done.
    """
    started = time.perf_counter()
    summary = IngestSummary()
    for (n_read, n_skipped), extracted in run_engine(jobs, factory, engine, workers, scheduler):
        reported = len(summary.failures)
        summary.read += n_read
        summary.skipped += n_skipped
        summary.add(write(split_failures(extracted, summary), version))
        for article_id, error in summary.failures[reported:]:
            warnings.warn(f"{article_id}: not stored ({error})", IngestWarning, stacklevel=3)
        if progress:
            progress(summary.read, total)
    summary.seconds = time.perf_counter() - started
    return summary


def ingest(store: Store, articles: Iterable[Article], *, engine: str = "local", workers: int | None = None,
           scheduler: str | None = None, factory: ExtractorFactory | None = None, chunk_size: int = CHUNK_SIZE,
           progress: Callable[[int, int | None], None] | None = None) -> IngestSummary:
    """Extract ``articles`` and store them chunk by chunk; return what happened.

    Articles whose text is stored already are skipped before extraction. An
    article that fails to extract or store is counted as failed, with an
    :class:`IngestWarning` naming it, and the batch goes on. ``progress(done,
    total)`` is called after each committed chunk (``total`` is None when
    ``articles`` has no length).
    """
    factory = factory or default_factory

    def jobs() -> Iterator[tuple[tuple[int, int], list[Article]]]:
        for chunk in chunked(articles, chunk_size):
            flags = store.stored_flags(chunk)
            yield (len(chunk), sum(flags)), [a for a, stored in zip(chunk, flags) if not stored]

    total = len(articles) if isinstance(articles, Sized) else None
    return _drive(jobs(), store.write, version_of(factory), factory, engine, workers, scheduler, progress, total)


def reprocess(store: Store, *, everything: bool = False, engine: str = "local", workers: int | None = None,
              scheduler: str | None = None, factory: ExtractorFactory | None = None, chunk_size: int = CHUNK_SIZE,
              progress: Callable[[int, int | None], None] | None = None) -> IngestSummary:
    """Re-extract stored articles that the current extractor did not make (all with ``everything``).

    Counts go to ``updated`` (re-extracted), ``skipped`` (changed or deleted
    meanwhile) and ``failed``; nothing is ``new``.
    """
    factory = factory or default_factory
    version = version_of(factory)
    stale = store.articles_to_reprocess(version, everything)
    jobs = (((len(chunk), 0), chunk) for chunk in chunked(stale, chunk_size))
    total = store.count_to_reprocess(version, everything)
    return _drive(jobs, store.replace_observations, version, factory, engine, workers, scheduler, progress, total)
