"""Batch ingest: read articles, extract them (here or on a Dask cluster), store them in chunks.

Data flows one way: articles -> (skip what is stored) -> extraction -> one writer.
The *engine* decides where extraction runs:

- ``local``: on this machine's cores, in a pool of worker processes
  (``workers``, default one per CPU; 1 extracts in this process, and so does
  a batch too small to repay starting a pool).
- ``dask``: on ``dask.distributed`` workers (a ``LocalCluster`` of processes by
  default, or an existing cluster by scheduler address).

Either way each worker builds its extractor once (:func:`worker_extractor`),
extracts its share of each chunk and ships back only compact :class:`Rows`
(tuples ready for the writer's ``executemany``, never the texts), and results
come back in submission order, so the single writer here stores exactly what
in-process extraction would, while the workers go on with the next chunks.

Each chunk is committed on its own (see :class:`geo.store.Store`), which is what
makes an interrupted ingest resumable: committed chunks stay, and the next run
skips every article whose text is already stored before extracting anything.
"""
from __future__ import annotations

import collections
import logging
import multiprocessing
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

from geo.articles import Article, ArticleWarning
from geo.observations import STATUSES, Observation

if TYPE_CHECKING:
    from geo.store import Store

#: Articles per committed chunk: big enough for fast bulk inserts, small enough
#: that an interruption loses little and the progress bar moves.
CHUNK_SIZE = 250

ENGINES = ("local", "dask")

#: How long the dask engine waits for a first worker before giving up.
WORKER_WAIT_SECONDS = 60

#: The local engine extracts fewer articles than this in this process, by how
#: the pool would start its workers: below it, the start (a fork; a spawned
#: worker importing the package and loading the gazetteer, 1-2 s) costs more
#: than more cores save (extraction takes a few ms per article).
POOL_MIN_ARTICLES = {"fork": 100, "spawn": 1000}

#: Chunks extracted ahead of the one being written, so workers never wait for the writer.
CHUNKS_AHEAD = 2

#: How often a pool worker checks that the ingest that started it still runs.
PARENT_CHECK_SECONDS = 1.0


T = TypeVar("T")


class ExtractorLike(Protocol):
    def extract(self, article: Article) -> list[Observation]: ...


#: Builds an extractor; must be importable by name in worker processes.
ExtractorFactory = Callable[[], ExtractorLike]

#: An observation's columns in a :class:`Rows` tuple, in the store's column names
#: (the store adds ``article_id`` before and ``extractor_version`` after).
ROW_COLUMNS: tuple[str, ...] = (
    "place_id", "status", "evidence", "trigger", "source", "confidence", "negated", "hedged", "event_date",
    "event_date_precision", "geo_precision", "geocode_rule", "mention")

#: A place's columns in :attr:`Rows.places` values, in the store's column names.
PLACE_COLUMNS: tuple[str, ...] = ("name", "kind", "lat", "lon", "country", "admin1", "geonameid")


class Rows(NamedTuple):
    """One article's observations as the writer stores them, made where they were extracted.

    Plain tuples: a fraction of the size of :class:`Observation` objects to
    send back from a worker process, and ready for the writer's ``executemany``
    (the single writer does no per-observation work).
    """

    #: Per observation, :data:`ROW_COLUMNS`.
    observations: list[tuple]
    #: Place key -> :data:`PLACE_COLUMNS` of each place observed.
    places: dict[str, tuple]


#: One extracted article: (article, rows, error). Exactly one of the last two is None.
Extracted = tuple[Article, "Rows | None", "str | None"]


def place_key(obs: Observation) -> str:
    """The places-table key of an observation's place.

    The gazetteer's own id when the pipeline gives it; else the GeoNames id; else
    a key from the name and point. A place that could not be geocoded is still
    stored, keyed by its folded name, so its mentions stay visible.
    """
    if obs.place_id:
        return obs.place_id
    if obs.geonameid is not None:
        return f"gn:{obs.geonameid}"
    name = " ".join(obs.place.casefold().split())
    if obs.lat is not None and obs.lon is not None:
        return f"pt:{name}@{obs.lat:.4f},{obs.lon:.4f}"
    return f"unresolved:{name}"


def to_rows(observed: Iterable[Observation]) -> Rows:
    """An article's observations as :class:`Rows`; raises ValueError for a status the store does not know."""
    rows: list[tuple] = []
    places: dict[str, tuple] = {}
    for obs in observed:
        if obs.status is not None and obs.status not in STATUSES:
            raise ValueError(f"unknown status {obs.status!r} for {obs.place!r}")
        key = place_key(obs)
        places[key] = (obs.place, obs.kind, obs.lat, obs.lon, obs.country, obs.admin1, obs.geonameid)
        rows.append((key, obs.status, obs.evidence or "", obs.trigger, obs.source, float(obs.confidence),
                     bool(obs.negated), bool(obs.hedged), obs.event_date, obs.event_date_precision,
                     obs.geo_precision, obs.geocode_rule, obs.mention))
    return Rows(rows, places)


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


#: Most worker processes started when none are asked for: each may hold its own copy of the
#: gazetteer (~300 MB when spawned), so a many-core host is not filled unasked (``--workers N`` is).
MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    """Worker processes when none are asked for: one per CPU this process may run on, at most
    :data:`MAX_DEFAULT_WORKERS`."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, MAX_DEFAULT_WORKERS))


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


def extract_one(extractor: ExtractorLike, article: Article) -> tuple[Rows | None, str | None]:
    """Extract one article: (rows, None), or (None, why) - an error is the article's, never the batch's."""
    try:
        return to_rows(extractor.extract(article)), None
    except Exception as error:  # noqa: BLE001 - one bad article must not stop a batch
        return None, f"extraction failed: {type(error).__name__}: {error}"


def extract_chunk(factory: ExtractorFactory, chunk: Sequence[Article]) -> list[tuple[Rows | None, str | None]]:
    """Extract a chunk with this process's cached extractor (the task a worker runs).

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


def in_process(jobs: Iterable[Job], factory: ExtractorFactory) -> Iterator[tuple[object, list[Extracted]]]:
    """Extract in this process, one job after the other."""
    for tag, chunk in jobs:
        yield tag, [(a, *result) for a, result in zip(chunk, extract_chunk(factory, chunk))]


def in_order(jobs: Iterable[Job], submit: Callable[[list[Article]], Future], parallel: int,
             ) -> Iterator[tuple[object, list[Extracted]]]:
    """Run jobs as tasks on workers; yield each job's results in input order.

    Each job is cut into ``parallel`` tasks, so the workers share it equally,
    and :data:`CHUNKS_AHEAD` more jobs are submitted before the first is
    yielded, so workers go on while the caller writes; memory stays bounded
    however many jobs come. A task that fails (its worker died, which can take
    other workers' tasks with it) is run again one article at a time, so only an
    article that itself loses its worker fails, saying why, and never the ingest.
    """
    in_flight: collections.deque[tuple[object, list[tuple[list[Article], Future]]]] = collections.deque()

    def start(piece: list[Article]) -> Future:
        try:
            return submit(piece)
        except Exception as error:  # noqa: BLE001 - e.g. a broken pool: fail the piece, as a lost task
            failed: Future = Future()
            failed.set_exception(error)
            return failed

    def results(piece: list[Article], future: Future) -> list[Extracted]:
        try:
            return [(a, *result) for a, result in zip(piece, future.result())]
        except Exception as error:  # noqa: BLE001 - a lost worker fails its articles, not the ingest
            if len(piece) == 1:
                return [(piece[0], None, f"worker failed: {type(error).__name__}: {error}")]
            # One at a time, each waited for: the article that kills its worker fails alone.
            return [extracted for a in piece for extracted in results([a], start([a]))]

    def collect() -> tuple[object, list[Extracted]]:
        tag, tasks = in_flight.popleft()
        return tag, [extracted for piece, future in tasks for extracted in results(piece, future)]

    for tag, chunk in jobs:
        size = max(1, -(-len(chunk) // parallel))
        in_flight.append((tag, [(piece, start(piece)) for piece in chunked(chunk, size)]))
        if len(in_flight) > CHUNKS_AHEAD:
            yield collect()
    while in_flight:
        yield collect()


def _init_pool_worker(factory: ExtractorFactory) -> None:
    """Initializer of a pool worker: have its extractor ready, and exit if the ingest dies.

    A ``kill -9`` of the ingest must not leave workers waiting for tasks
    forever (holding a gazetteer's memory each), so a thread ends the worker
    once its parent is gone.
    """
    parent = os.getppid()
    worker_extractor(factory)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _start_method() -> str:
    """How to start pool workers: fork when safe, else spawn.

    Forked workers inherit the loaded gazetteer (no start-up per worker, and
    the memory is shared until written). Forking a process that runs other
    threads (a dashboard server) could leave a child stuck on a lock one of
    them held, so such a process spawns fresh workers, which build their
    extractor in the pool's initializer.
    """
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def local_engine(jobs: Iterable[Job], factory: ExtractorFactory, *, workers: int | None = None,
                 ) -> Iterator[tuple[object, list[Extracted]]]:
    """Extract on this machine: in a pool of ``workers`` processes (default :func:`default_workers`).

    Extraction stays in this process with one worker, and until a pool is
    worth starting: :data:`POOL_MIN_ARTICLES` articles to extract (a resumed
    ingest whose articles are all stored never starts one; nor does a
    dashboard upload of a few articles). A worker that dies breaks its pool:
    a new pool goes on, and the tasks lost with it are run again article by
    article (see :func:`in_order`), so only the article that killed it fails.
    Scripts start the pool under ``if __name__ == "__main__":``, as for any
    multiprocessing (``python -m geo`` does).
    """
    workers = workers or default_workers()
    jobs = iter(jobs)
    here = 0
    for tag, chunk in jobs:
        if workers > 1 and here + len(chunk) >= POOL_MIN_ARTICLES[_start_method()]:
            yield from _in_pool(chain([(tag, chunk)], jobs), factory, workers)
            return
        here += len(chunk)
        yield from in_process([(tag, chunk)], factory)


def _in_pool(jobs: Iterable[Job], factory: ExtractorFactory, workers: int) -> Iterator[tuple[object, list[Extracted]]]:
    def start() -> ProcessPoolExecutor:
        method = _start_method()
        if method == "fork":
            worker_extractor(factory)  # built once here, inherited by every worker
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_init_pool_worker, initargs=(factory,))

    pool = start()

    def submit(piece: list[Article]) -> Future:
        nonlocal pool
        try:
            return pool.submit(extract_chunk, factory, piece)
        except BrokenProcessPool:
            pool.shutdown(cancel_futures=True)
            pool = start()
            return pool.submit(extract_chunk, factory, piece)

    try:
        yield from in_order(jobs, submit, workers)
    finally:  # also when stopped early (the writer failed): extract nothing more
        pool.shutdown(cancel_futures=True)


def dask_engine(jobs: Iterable[Job], factory: ExtractorFactory, *, workers: int | None = None,
                scheduler: str | None = None) -> Iterator[tuple[object, list[Extracted]]]:
    """Extract on a Dask cluster (see :func:`in_order`); yield results in input order.

    A script that starts the local cluster this way must do so under ``if
    __name__ == "__main__":``, as for any multiprocessing (``python -m geo``
    does).
    """
    import dask
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler, timeout=30)
    else:
        # Workers of our own cluster do not sample their stacks every 10 ms for
        # the dashboard's profile: that costs them about 7% of their CPU.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
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
        yield from in_order(jobs, lambda piece: client.submit(extract_chunk, factory, piece, pure=False), n_workers)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_engine(jobs: Iterable[Job], factory: ExtractorFactory, engine: str, workers: int | None,
               scheduler: str | None) -> Iterator[tuple[object, list[Extracted]]]:
    if engine == "local":
        return local_engine(jobs, factory, workers=workers)
    if engine == "dask":
        return dask_engine(jobs, factory, workers=workers, scheduler=scheduler)
    raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")


def split_failures(extracted: list[Extracted], summary: IngestSummary) -> list[tuple[Article, Rows]]:
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
