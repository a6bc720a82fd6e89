"""The store's schema: one SQLAlchemy definition for SQLite and PostgreSQL, and its migrations.

Why a built-in version table instead of Alembic: the store is created and
upgraded by the app itself on open (an analyst never runs a migration tool), the
schema is three tables, and the steps must run identically on an embedded SQLite
file and a hosted PostgreSQL. A ``meta`` row holds the schema version; each
entry of :data:`MIGRATIONS` upgrades a store by one version inside a transaction,
so an interrupted upgrade leaves the previous version intact. A fresh store is
created directly at :data:`SCHEMA_VERSION` from the table definitions below.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
)

#: The version the code below defines. Bump it together with a new MIGRATIONS entry.
SCHEMA_VERSION = 1

metadata = MetaData()

#: Key-value facts about the store itself: ``schema_version``, ``seeded_at``.
meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", String, primary_key=True),
    # One text is stored once, whatever id it arrives under.
    Column("content_hash", String, nullable=False, unique=True),
    Column("date", Date),
    Column("date_precision", String(8)),
    Column("title", Text),
    Column("outlet", String),
    Column("url", Text),
    Column("path", Text),
    Column("text", Text, nullable=False),
    # The extractor that made the article's current observations; NULL asks
    # ``reprocess`` to redo them (e.g. after the article was given a date).
    Column("extractor_version", String(64)),
    Column("ingested_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_articles_date", "date"),
    Index("ix_articles_extractor_version", "extractor_version"),
)

places = Table(
    "places", metadata,
    # The gazetteer's key ("gn:703448", "sup:donbas"); see geo.ingest.place_key.
    Column("id", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("kind", String(16)),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(8)),
    Column("admin1", String),
    Column("geonameid", Integer),
)

observations = Table(
    "observations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("place_id", String, ForeignKey("places.id"), nullable=False),
    Column("status", String(16)),
    Column("evidence", Text, nullable=False),
    Column("trigger", String),
    Column("source", String),
    Column("confidence", Float, nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("hedged", Boolean, nullable=False),
    # Kept as the extractor wrote it (YYYY-MM-DD), with its precision (day/week/month).
    Column("event_date", String(10)),
    Column("event_date_precision", String(8)),
    Column("geo_precision", Integer),
    Column("geocode_rule", String),
    Column("mention", String),
    Column("extractor_version", String(64), nullable=False),
    Index("ix_observations_article", "article_id"),
    Index("ix_observations_place", "place_id"),
    Index("ix_observations_status", "status"),
)

#: version -> step that upgrades a store from ``version - 1`` to ``version``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says which store and why."""


class SchemaError(StoreError):
    """The store cannot be used by this version of the code."""


def stored_version(conn: Connection) -> int | None:
    """The store's schema version; ``None`` for an empty database."""
    if not inspect(conn).has_table("meta"):
        if inspect(conn).has_table("articles"):
            raise SchemaError("the database has an 'articles' table but no version: not a store of this app")
        return None
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one_or_none()
    if value is None:
        raise SchemaError("the store has no schema_version row")
    return int(value)


def is_current(conn: Connection) -> bool:
    """Is the store there and at this code's version (nothing to create or migrate)?"""
    return stored_version(conn) == SCHEMA_VERSION


def set_version(conn: Connection, version: int) -> None:
    conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))


def ensure_schema(conn: Connection) -> int:
    """Create or upgrade the schema inside the caller's (locked) transaction; return the old version.

    Returns 0 for a store created just now.
    """
    version = stored_version(conn)
    if version is None:
        metadata.create_all(conn)
        conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        return 0
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"the store is at schema version {version}, newer than this code's {SCHEMA_VERSION}: upgrade the app")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[step](conn)
        set_version(conn, step)
    return version
