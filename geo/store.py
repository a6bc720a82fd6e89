"""The store: articles, the places they mention and the observations linking them.

One schema (:mod:`geo.schema`) on an embedded SQLite file by default or on
PostgreSQL by URL, for a hosted dashboard. What the rest of the app relies on:

- **Stored once.** An article is keyed by its id and by the SHA-256 of its text.
  A text already stored (under any id) is *skipped*. An id that arrives again
  with a *different* text is *updated*: the newest text replaces the old one and
  its observations are re-made from it, so the store always reflects the last
  version ingested (deterministic: within one batch, later records win).
- **Nothing half-stored.** An article and its observations are written in one
  transaction; ingest commits a chunk of articles at a time, and if a chunk
  fails it is retried article by article so one bad article is counted as
  failed while the rest are kept.
- **Crash-safe.** SQLite runs in WAL mode with ``synchronous=NORMAL``: a
  ``kill -9`` loses at most the chunk being written, never a committed one, and
  the next ingest skips what is stored.
- **One writer at a time.** Write transactions take the database's write lock
  up front (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so
  concurrent ingests (two dashboard sessions, a CLI run) serialise cleanly while
  readers go on reading.
"""
from __future__ import annotations

import collections
import datetime as dt
import functools
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

import pandas as pd
import pyarrow as pa
from sqlalchemy import Connection, Engine, Integer, Text, bindparam, cast, create_engine, event, func, select, text
from sqlalchemy.exc import ArgumentError, DBAPIError

from geo import config
from geo.articles import Article
from geo.ingest import PLACE_COLUMNS, ROW_COLUMNS, IngestSummary, Rows, to_rows
from geo.observations import Observation
from geo.schema import StoreError, articles, ensure_schema, is_current, meta, observations, places

#: Columns of :meth:`Store.observations_frame`, in order (the dashboard's contract).
FRAME_COLUMNS: tuple[str, ...] = (
    "observation_id", "article_id", "article_date", "date_precision", "title", "outlet", "url",
    "place_id", "place", "kind", "lat", "lon", "country", "admin1", "status", "evidence", "trigger",
    "source", "confidence", "negated", "hedged", "event_date", "event_date_precision", "geo_precision",
    "extractor_version", "mention", "geocode_rule",
)

#: Key of the PostgreSQL advisory lock that serialises writers (any fixed 64-bit number).
_PG_WRITE_LOCK = 0x67656F5F73746F72  # "geo_stor"


def normalize_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (SQLAlchemy's default driver, psycopg2, is not installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _as_date(value: dt.date | str | pd.Timestamp | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


#: An article's observations as the writer takes them: as extracted, or already
#: prepared by an ingest worker (:class:`geo.ingest.Rows`).
Found = Sequence[Observation] | Rows

#: Columns written for an observation: the article, the :class:`geo.ingest.Rows` tuple, the extractor.
OBSERVATION_COLUMNS: tuple[str, ...] = ("article_id", *ROW_COLUMNS, "extractor_version")


def _article_row(article: Article, digest: str, version: str | None, now: dt.datetime) -> dict:
    return {
        "id": article.id, "content_hash": digest, "date": article.date,
        "date_precision": article.date_precision if article.date else None, "title": article.title,
        "outlet": article.outlet, "url": article.url, "path": article.path, "text": article.text,
        "extractor_version": version, "ingested_at": now, "updated_at": now,
    }


#: Arrow type of each :data:`FRAME_COLUMNS` column (the rest are strings).
_FRAME_TYPES = {
    "observation_id": pa.int64(), "lat": pa.float64(), "lon": pa.float64(), "confidence": pa.float64(),
    "negated": pa.bool_(), "hedged": pa.bool_(), "geo_precision": pa.int64(),
}


#: Rows fetched and converted at a time: the Python objects of one batch are all
#: that exists besides the compact Arrow columns, which bounds peak memory.
FRAME_BATCH_ROWS = 20_000


def _record_batch(rows: list[tuple]) -> pa.RecordBatch:
    """Rows of the observations query as typed Arrow columns."""
    columns = list(zip(*rows)) if rows else [()] * len(FRAME_COLUMNS)
    arrays = []
    for name, values in zip(FRAME_COLUMNS, columns):
        if name == "article_date":  # ISO text from SQLite, dates from PostgreSQL
            array = pa.array(values, from_pandas=True)
            arrays.append(array if pa.types.is_date(array.type) else array.cast(pa.string()).cast(pa.date32()))
        elif name in ("negated", "hedged"):  # 0/1 from SQLite
            arrays.append(pa.array([bool(v) for v in values], pa.bool_()))
        else:
            arrays.append(pa.array(values, _FRAME_TYPES.get(name, pa.string()), from_pandas=True))
    return pa.RecordBatch.from_arrays(arrays, names=list(FRAME_COLUMNS))


def _frame(cursor) -> pd.DataFrame:  # noqa: ANN001 - a DB-API cursor after execute()
    """The observations query's result as a DataFrame (see :meth:`Store.observations_frame`)."""
    batches = [_record_batch(rows) for rows in iter(lambda: cursor.fetchmany(FRAME_BATCH_ROWS), [])]
    table = pa.Table.from_batches(batches or [_record_batch([])])
    frame = table.to_pandas(date_as_object=False, split_blocks=True, self_destruct=True)
    frame["article_date"] = frame["article_date"].astype("datetime64[s]")
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    return frame


def _decide(extracted: Sequence[tuple[Article, Found]], digests: Sequence[str],
            by_id: dict[str, str], by_hash: dict[str, str], version: str, now: dt.datetime,
            ) -> tuple[IngestSummary, dict[str, tuple[dict, Found]]]:
    """Decide each article in order, as if they came one by one: skipped, new or updated.

    ``by_id`` (id -> hash) and ``by_hash`` (hash -> id) hold what is stored of
    the batch's ids and texts. A text stored under any id is skipped; an id
    stored with another text is updated (the last version wins). Returns the
    counts and, per article id to write, its row and observations.
    """
    result = IngestSummary()
    by_id, by_hash = dict(by_id), {**by_hash, **{h: i for i, h in by_id.items()}}
    pending: dict[str, tuple[dict, Found]] = {}
    for (article, found), digest in zip(extracted, digests):
        if digest in by_hash:
            result.skipped += 1
            continue
        if article.id in by_id:
            del by_hash[by_id[article.id]]
            result.updated += 1
        else:
            result.new += 1
        by_id[article.id] = digest
        by_hash[digest] = article.id
        pending[article.id] = (_article_row(article, digest, version, now), found)
    return result, pending


class Store:
    """A connection to one store (SQLite file or PostgreSQL database)."""

    def __init__(self, url: str | None = None) -> None:
        """Open (and create or upgrade) the store at ``url``; raises :class:`StoreError` saying why not."""
        self.url = normalize_url(config.database_url(url))
        try:
            self.engine: Engine = self._make_engine(self.url)
        except (ArgumentError, ImportError) as e:
            raise StoreError(f"cannot use the store URL {self.url!r}: {e}") from None
        self._places: dict[str, tuple] | None = None  # place id -> row, as committed
        self._write_mutex = threading.RLock()
        self.created = False
        try:
            with self.engine.connect() as conn:
                current = is_current(conn)
            if not current:  # create or migrate under the write lock (another process may be at it)
                with self._write() as conn:
                    self.created = ensure_schema(conn) == 0
        except DBAPIError as e:
            self.engine.dispose()
            raise StoreError(f"cannot open the store {self}: {e.orig}") from None

    # -- connection -------------------------------------------------------------
    @staticmethod
    def _make_engine(url: str) -> Engine:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 60})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=60000")
                cur.execute("PRAGMA cache_size=-65536")
                cur.execute("PRAGMA temp_store=MEMORY")
                cur.close()

            return engine
        return create_engine(url, pool_pre_ping=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction holding the store's write lock from its first statement."""
        with self._write_mutex, self.engine.connect() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self)!r})"

    def __str__(self) -> str:
        """The URL without its password (for messages and logs)."""
        return self.engine.url.render_as_string(hide_password=True)

    # -- opening the embedded default ---------------------------------------------
    @classmethod
    def open_default(cls) -> Store:
        """The store the app opens with no set-up: ``GEO_DB_URL`` if set, else SQLite in the data dir.

        The embedded SQLite store is filled from ``seeds/`` the first time it is
        opened empty, so a fresh install has a map to show. This happens once: a
        store whose user deleted the seed articles is not refilled.
        """
        store = cls()
        if not os.environ.get("GEO_DB_URL"):
            store.fill_from_seeds_once()
        return store

    def fill_from_seeds_once(self, seeds_dir: os.PathLike | str | None = None) -> IngestSummary | None:
        """Ingest the seeds if this store was never seeded and holds no article."""
        from geo.articles import read_path

        with self.engine.connect() as conn:
            seeded = conn.execute(select(meta.c.value).where(meta.c.key == "seeded_at")).scalar_one_or_none()
            count = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        if seeded is not None or count:
            return None
        # In this process: the seeds are few, and this runs inside the dashboard's server.
        summary = self.ingest(read_path(seeds_dir or config.SEEDS_DIR), workers=1)
        if summary.new or summary.skipped:
            self._set_meta("seeded_at", _utcnow().isoformat(timespec="seconds"))
        return summary

    def revision(self) -> int:
        """A number that grows with every change to the stored data, in any process.

        One indexed row: a dashboard can check it on every rerun to know whether
        its cached frame is stale, at no cost (``stats()`` counts every row).
        """
        with self.engine.connect() as conn:
            value = conn.execute(select(meta.c.value).where(meta.c.key == "revision")).scalar_one_or_none()
        return int(value or 0)

    @staticmethod
    def _bump_revision(conn: Connection) -> None:
        """Count a change, inside the write transaction making it."""
        bumped = conn.execute(meta.update().where(meta.c.key == "revision")
                              .values(value=cast(cast(meta.c.value, Integer) + 1, Text))).rowcount
        if not bumped:
            conn.execute(meta.insert().values(key="revision", value="1"))

    def _set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            if conn.execute(meta.update().where(meta.c.key == key).values(value=value)).rowcount == 0:
                conn.execute(meta.insert().values(key=key, value=value))

    # -- ingest -------------------------------------------------------------------
    def ingest(self, articles_in: Iterable[Article], progress: Callable[[int, int | None], None] | None = None,
               **options) -> IngestSummary:
        """Extract and store articles; see :func:`geo.ingest.ingest` for ``options``.

        ``progress(done, total)`` is called after each committed chunk; ``total``
        is ``None`` when ``articles_in`` has no length.
        """
        from geo.ingest import ingest

        return ingest(self, articles_in, progress=progress, **options)

    def stored_flags(self, batch: Sequence[Article]) -> list[bool]:
        """For each article: is its text stored already, so that ingest can skip it unextracted?

        Lets a resumed ingest cost a lookup per stored article, not an
        extraction. A text stored under an id that this batch itself re-uses is
        not flagged: the writer decides those in order (see :meth:`write`).
        """
        digests = [a.content_hash for a in batch]  # computed once per article (cached)
        seen = collections.Counter(a.id for a in batch)
        with self.engine.connect() as conn:
            owner = dict(conn.execute(select(articles.c.content_hash, articles.c.id)
                                      .where(articles.c.content_hash.in_(set(digests)))).all())
        return [digest in owner and seen[owner[digest]] <= int(owner[digest] == a.id)
                for a, digest in zip(batch, digests)]

    def write(self, extracted: Sequence[tuple[Article, Found]], version: str) -> IngestSummary:
        """Store new or changed articles with their observations (``version``: the extractor's).

        One transaction for the batch; if it fails, one per article, so the
        article at fault is reported as failed and the others are kept.
        """
        return self._isolating(self._write_batch, extracted, version)

    def replace_observations(self, extracted: Sequence[tuple[Article, Found]],
                             version: str) -> IngestSummary:
        """Swap stored articles' observations for freshly extracted ones (``reprocess``).

        Each article keeps its row (and any date an editor gave it); only its
        observations and ``extractor_version`` change. Transactions as :meth:`write`.
        """
        return self._isolating(self._replace_batch, extracted, version)

    def _isolating(self, batch: Callable[[Sequence, str], IngestSummary],
                   extracted: Sequence[tuple[Article, Found]], version: str) -> IngestSummary:
        if not extracted:
            return IngestSummary()
        try:
            return batch(extracted, version)
        except Exception as error:  # noqa: BLE001 - isolate the article at fault, keep the others
            if len(extracted) == 1:
                failed = IngestSummary()
                failed.fail(extracted[0][0].id, f"{type(error).__name__}: {error}")
                return failed
        result = IngestSummary()
        for one in extracted:
            result.add(self._isolating(batch, [one], version))
        return result

    def _write_batch(self, extracted: Sequence[tuple[Article, Found]], version: str) -> IngestSummary:
        now = _utcnow()
        digests = [a.content_hash for a, _ in extracted]
        with self._write_mutex:  # held until the cache has learnt what was committed
            with self._write() as conn:
                by_id = dict(conn.execute(select(articles.c.id, articles.c.content_hash)
                                          .where(articles.c.id.in_({a.id for a, _ in extracted}))).all())
                by_hash = dict(conn.execute(select(articles.c.content_hash, articles.c.id)
                                            .where(articles.c.content_hash.in_(set(digests)))).all())
                stored_ids = set(by_id)
                result, pending = _decide(extracted, digests, by_id, by_hash, version, now)
                if not pending:
                    return result
                changed = [i for i in pending if i in stored_ids]
                if changed:
                    conn.execute(observations.delete().where(observations.c.article_id.in_(changed)))
                    # Free the old texts' hashes first: a swap of texts between ids must not collide.
                    conn.execute(articles.update().where(articles.c.id.in_(changed))
                                 .values(content_hash="replaced:" + articles.c.id))
                    kept = ("id", "ingested_at")
                    update = articles.update().where(articles.c.id == bindparam("b_id")).values(
                        {c.name: bindparam(c.name) for c in articles.columns if c.name not in kept})
                    conn.execute(update, [{**{k: v for k, v in pending[i][0].items() if k not in kept}, "b_id": i}
                                          for i in changed])
                fresh = [row for i, (row, _) in pending.items() if i not in stored_ids]
                if fresh:
                    conn.execute(articles.insert(), fresh)
                result.observations, learnt = self._insert_observations(
                    conn, [(i, found) for i, (_, found) in pending.items()], version)
                self._bump_revision(conn)
            self._places.update(learnt)
        return result

    def _replace_batch(self, extracted: Sequence[tuple[Article, Found]], version: str) -> IngestSummary:
        result = IngestSummary()
        with self._write_mutex:  # held until the cache has learnt what was committed
            with self._write() as conn:
                wanted = {a.id: a.content_hash for a, _ in extracted}
                current = dict(conn.execute(select(articles.c.id, articles.c.content_hash)
                                            .where(articles.c.id.in_(wanted))).all())
                keep = [(a.id, found) for a, found in extracted if current.get(a.id) == wanted[a.id]]
                result.skipped = len(extracted) - len(keep)  # deleted or changed meanwhile
                ids = [i for i, _ in keep]
                conn.execute(observations.delete().where(observations.c.article_id.in_(ids)))
                conn.execute(articles.update().where(articles.c.id.in_(ids))
                             .values(extractor_version=version, updated_at=_utcnow()))
                result.observations, learnt = self._insert_observations(conn, keep, version)
                result.updated = len(keep)
                if keep:
                    self._bump_revision(conn)
            self._places.update(learnt)
        return result

    def _insert_observations(self, conn: Connection, found: Sequence[tuple[str, Found]],
                             version: str) -> tuple[int, dict[str, tuple]]:
        """Upsert the places, then bulk-insert the observations of (article id, observations) pairs.

        Returns the number of rows and the places the cache learns once the
        transaction commits. The insert is one raw ``executemany``: at tens of
        thousands of rows per ingest, SQLAlchemy's per-row parameter processing
        would cost more than the database itself.
        """
        rows, seen = [], {}
        for article_id, observed in found:
            prepared = observed if isinstance(observed, Rows) else to_rows(observed)
            seen.update(prepared.places)
            rows.extend((article_id, *row, version) for row in prepared.observations)
        learnt = self._upsert_places(conn, seen)
        if rows:
            conn.exec_driver_sql(self._insert_observations_sql, rows)
        return len(rows), learnt

    @functools.cached_property
    def _insert_observations_sql(self) -> str:
        quote = self.engine.dialect.identifier_preparer.quote
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        return (f"INSERT INTO observations ({', '.join(quote(c) for c in OBSERVATION_COLUMNS)}) "
                f"VALUES ({', '.join([mark] * len(OBSERVATION_COLUMNS))})")

    def _upsert_places(self, conn: Connection, seen: dict[str, tuple]) -> dict[str, tuple]:
        """Insert new places and refresh changed ones; return what the cache should learn on commit.

        The cache of committed place rows means a place is written once per
        ingest (or when its gazetteer entry changes), not once per observation.
        """
        if self._places is None:
            self._places = {row[0]: tuple(row[1:]) for row in conn.execute(
                select(places.c.id, *(places.c[c] for c in PLACE_COLUMNS)))}
        todo = {key: row for key, row in seen.items() if self._places.get(key) != row}
        if not todo:
            return {}
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(places)
        stmt = stmt.on_conflict_do_update(index_elements=["id"], set_={c: stmt.excluded[c] for c in PLACE_COLUMNS})
        conn.execute(stmt, [{"id": key, **dict(zip(PLACE_COLUMNS, row))} for key, row in sorted(todo.items())])
        return todo

    def articles_to_reprocess(self, version: str, everything: bool = False, page: int = 500) -> Iterator[Article]:
        """Stored articles whose observations were not made by ``version`` (all with ``everything``).

        Pages by id so that rows updated while the caller works do not shift the pages.
        """
        last = ""
        while True:
            query = select(articles).where(articles.c.id > last).order_by(articles.c.id).limit(page)
            if not everything:
                query = query.where((articles.c.extractor_version != version)
                                    | articles.c.extractor_version.is_(None))
            with self.engine.connect() as conn:
                rows = conn.execute(query).mappings().all()
            if not rows:
                return
            for row in rows:
                yield Article(id=row["id"], text=row["text"], date=row["date"], date_precision=row["date_precision"],
                              title=row["title"], outlet=row["outlet"], url=row["url"], path=row["path"])
            last = rows[-1]["id"]

    def count_to_reprocess(self, version: str, everything: bool = False) -> int:
        query = select(func.count()).select_from(articles)
        if not everything:
            query = query.where((articles.c.extractor_version != version) | articles.c.extractor_version.is_(None))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    # -- reading ------------------------------------------------------------------
    def observations_frame(self, start: dt.date | str | None = None, end: dt.date | str | None = None) -> pd.DataFrame:
        """Every observation joined to its article and place: one SQL query, one row each.

        ``start``/``end`` (inclusive) bound the article date; with either given,
        undated articles are left out. Columns: :data:`FRAME_COLUMNS`;
        ``article_date`` is datetime64 (NaT when undated), ``lat``/``lon`` NaN
        when not geocoded, ``status`` missing (``isna``) for a bare mention. Text
        columns use pandas' string dtype (missing = NaN), compact for 100k rows.
        """
        o, a, p = observations, articles, places
        query = (
            select(o.c.id.label("observation_id"), o.c.article_id, a.c.date.label("article_date"), a.c.date_precision,
                   a.c.title, a.c.outlet, a.c.url, o.c.place_id, p.c.name.label("place"), p.c.kind, p.c.lat, p.c.lon,
                   p.c.country, p.c.admin1, o.c.status, o.c.evidence, o.c.trigger, o.c.source, o.c.confidence,
                   o.c.negated, o.c.hedged, o.c.event_date, o.c.event_date_precision, o.c.geo_precision,
                   o.c.extractor_version, o.c.mention, o.c.geocode_rule)
            .join(a, a.c.id == o.c.article_id).join(p, p.c.id == o.c.place_id)
            .order_by(o.c.id)
        )
        if start is not None:
            query = query.where(a.c.date >= _as_date(start))
        if end is not None:
            query = query.where(a.c.date <= _as_date(end))
        # The only parameters are validated dates, so the query can be rendered
        # whole and run on the driver's own cursor: rows go straight to Arrow
        # columns, skipping per-value processing that would double the cost.
        sql = str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
        with self.engine.connect() as conn:
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute(sql)
                return _frame(cursor)
            finally:
                cursor.close()

    def undated_articles(self) -> pd.DataFrame:
        """Articles without a date (shown apart until an editor dates them), with an excerpt to date them by."""
        query = (
            select(articles.c.id.label("article_id"), articles.c.title, articles.c.outlet, articles.c.url,
                   func.count(observations.c.id).label("n_observations"),
                   func.substr(articles.c.text, 1, 300).label("excerpt"))
            .select_from(articles.outerjoin(observations, observations.c.article_id == articles.c.id))
            .where(articles.c.date.is_(None))
            .group_by(articles.c.id, articles.c.title, articles.c.outlet, articles.c.url, articles.c.text)
            .order_by(articles.c.id)
        )
        with self.engine.connect() as conn:
            frame = pd.read_sql(query, conn)
        frame["n_observations"] = frame["n_observations"].astype("int64")
        return frame

    def set_article_date(self, article_id: str, date: dt.date | str | None, precision: str | None = "day") -> None:
        """Give an article its publication date (``None`` makes it undated again).

        ``precision`` is ``"day"`` or ``"month"`` (the date becomes the 1st). The
        article is marked for ``reprocess``, which re-resolves event dates
        ("on Wednesday") against the new date. Raises KeyError for an unknown id.
        """
        day = _as_date(date)
        if day is not None:
            if precision not in ("day", "month"):
                raise ValueError(f"precision must be 'day' or 'month', not {precision!r}")
            if precision == "month":
                day = day.replace(day=1)
        with self._write() as conn:
            changed = conn.execute(articles.update().where(articles.c.id == article_id).values(
                date=day, date_precision=precision if day else None, extractor_version=None,
                updated_at=_utcnow())).rowcount
            if not changed:
                raise KeyError(article_id)
            self._bump_revision(conn)

    def delete_article(self, article_id: str) -> bool:
        """Delete an article and its observations; False if there was no such article."""
        with self._write() as conn:
            conn.execute(observations.delete().where(observations.c.article_id == article_id))
            deleted = conn.execute(articles.delete().where(articles.c.id == article_id)).rowcount > 0
            if deleted:
                self._bump_revision(conn)
            return deleted

    def stats(self) -> dict:
        """Counts and date range: ``articles, observations, places, undated, first_date, last_date``.

        ``places`` counts places that have at least one observation.
        """
        with self.engine.connect() as conn:
            n_articles, undated, first, last = conn.execute(select(
                func.count(), func.count().filter(articles.c.date.is_(None)),
                func.min(articles.c.date), func.max(articles.c.date))).one()
            n_obs, n_places = conn.execute(select(func.count(), func.count(observations.c.place_id.distinct()))).one()
        return {
            "articles": n_articles, "observations": n_obs, "places": n_places, "undated": undated,
            "first_date": _as_date(first).isoformat() if first else None,
            "last_date": _as_date(last).isoformat() if last else None,
        }
