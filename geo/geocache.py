"""The persistent geocode cache: one SQLite file under the data directory.

It remembers what is slow or rate-limited to ask again (online geocoder
answers, and their misses for a time to live) across runs and processes.
SQLite in WAL mode lets many readers work while one writer commits, and its
journal makes a write either happen completely or not at all, so a crash
mid-write leaves the previous state. A file that is nevertheless unreadable
(truncated, overwritten, not SQLite) is moved aside with a warning and a
fresh cache is started: a cache may lose entries, never stop the app.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import warnings
from pathlib import Path

from geo import config
from geo.gazetteer import Place

SCHEMA_VERSION = 1
#: How long a miss is remembered (the service may learn the name later). ``GEO_CACHE_MISS_TTL`` (seconds).
DEFAULT_MISS_TTL = 30 * 24 * 3600.0

#: ``get`` result for "nothing stored" (``None`` means "stored miss").
MISSING = object()


class CacheUnavailableWarning(UserWarning):
    """The cache could not be read or written just now; geocoding went on without it."""


class CacheRecoveredWarning(UserWarning):
    """The cache file was unreadable; it was moved aside and a new one started."""


class GeocodeCache:
    """Key/service -> Place or a remembered miss, in SQLite (WAL)."""

    def __init__(self, path: Path | str, *, miss_ttl: float = DEFAULT_MISS_TTL) -> None:
        self.path = Path(path)
        self.miss_ttl = miss_ttl
        self._lock = threading.Lock()
        self._conn = self._open()

    @classmethod
    def open_default(cls) -> "GeocodeCache":
        """The cache at ``GEO_GEOCODE_CACHE`` or ``data_dir()/geocode-cache.sqlite``."""
        path = os.environ.get("GEO_GEOCODE_CACHE") or config.data_dir() / "geocode-cache.sqlite"
        ttl = float(os.environ.get("GEO_CACHE_MISS_TTL") or DEFAULT_MISS_TTL)
        return cls(path, miss_ttl=ttl)

    # -- opening, checking, recovering -----------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect_checked()
        except sqlite3.OperationalError:
            raise  # cannot open, locked, disk full: the file may be fine, so leave it be
        except sqlite3.DatabaseError as e:
            self._quarantine(e)
            return self._connect_checked()

    def _connect_checked(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            (status,) = conn.execute("PRAGMA quick_check").fetchone()
            if status != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {status}")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS entries (key TEXT NOT NULL, service TEXT NOT NULL, place TEXT,"
                " created REAL NOT NULL, expires REAL, PRIMARY KEY (key, service))")
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            (version,) = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if version != str(SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"unknown cache schema version {version}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _quarantine(self, error: Exception) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        moved = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(f"{self.path}{suffix}")
            if src.exists():
                os.replace(src, Path(f"{moved}{suffix}"))
        warnings.warn(f"geocode cache {self.path} was unreadable ({error}); moved it to {moved.name} "
                      "and started a new one", CacheRecoveredWarning, stacklevel=4)

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one statement; an unreadable file is replaced once and the statement retried."""
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError:
                raise  # locked, disk full, I/O: not corruption
            except sqlite3.DatabaseError as e:
                self._conn.close()
                self._quarantine(e)
                self._conn = self._connect_checked()
                return self._conn.execute(sql, params).fetchall()

    # -- entries ------------------------------------------------------------------------------------
    def get(self, key: str, service: str):
        """The stored Place, ``None`` for a remembered miss, or :data:`MISSING`.

        A cache that cannot be read right now (locked past the timeout, I/O error) answers
        MISSING with a warning: the service is asked instead, nothing stops.
        """
        try:
            rows = self._run("SELECT place, expires FROM entries WHERE key=? AND service=?", (key, service))
        except sqlite3.OperationalError as e:
            warnings.warn(f"geocode cache {self.path} unavailable ({e})", CacheUnavailableWarning, stacklevel=2)
            return MISSING
        if not rows:
            return MISSING
        place_json, expires = rows[0]
        if expires is not None and expires < time.time():
            return MISSING
        if place_json is None:
            return None
        try:
            return Place(**json.loads(place_json))
        except (TypeError, ValueError):
            return MISSING  # written by another version: ask again
        
    def put(self, key: str, service: str, place: Place | None) -> None:
        """Store an answer (``None``: a miss, kept for ``miss_ttl`` seconds)."""
        now = time.time()
        payload = None if place is None else json.dumps(place.to_dict(), ensure_ascii=False)
        expires = now + self.miss_ttl if place is None else None
        try:
            self._run("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", (key, service, payload, now, expires))
        except sqlite3.OperationalError as e:  # full disk, locked: the answer is still returned
            warnings.warn(f"geocode cache {self.path} not written ({e})", CacheUnavailableWarning, stacklevel=2)

    def stats(self) -> dict:
        now = time.time()
        (places, misses, expired) = self._run(
            "SELECT COALESCE(SUM(place IS NOT NULL), 0), COALESCE(SUM(place IS NULL AND expires >= ?), 0),"
            " COALESCE(SUM(place IS NULL AND expires < ?), 0) FROM entries", (now, now))[0]
        services = dict(self._run("SELECT service, COUNT(*) FROM entries GROUP BY service"))
        size = sum(Path(f"{self.path}{s}").stat().st_size for s in ("", "-wal")
                   if Path(f"{self.path}{s}").exists())
        return {"path": str(self.path), "entries": places + misses + expired, "places": places,
                "misses": misses, "expired_misses": expired, "services": services, "bytes": size}

    def clear(self, *, expired_only: bool = False) -> int:
        """Delete entries (all, or only expired misses); returns how many."""
        if expired_only:
            where, params = "WHERE place IS NULL AND expires < ?", (time.time(),)
        else:
            where, params = "", ()
        (count,) = self._run(f"SELECT COUNT(*) FROM entries {where}", params)[0]
        self._run(f"DELETE FROM entries {where}", params)
        self._run("VACUUM")
        return count

    def close(self) -> None:
        with self._lock:
            self._conn.close()
