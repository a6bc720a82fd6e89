"""Where the app keeps its files, and what it is connected to.

One place reads the environment so that the CLI, the dashboard and the tests
agree. ``GEO_DATA_DIR`` moves every run-time file (the store, the geocode cache,
the built gazetteer index); ``GEO_DB_URL`` points at another store (PostgreSQL
for a hosted dashboard).
"""
from __future__ import annotations

import os
from pathlib import Path

#: The package's shipped data (gazetteer supplements, basemap layers).
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SHIPPED_DATA_DIR = PROJECT_DIR / "data"
SEEDS_DIR = PROJECT_DIR / "seeds"


def data_dir() -> Path:
    """The run-time data directory (created on first use).

    ``GEO_DATA_DIR`` if set, else ``$XDG_DATA_HOME/conflict-news-map`` (by default
    ``~/.local/share/conflict-news-map``).
    """
    configured = os.environ.get("GEO_DATA_DIR")
    if configured:
        path = Path(configured).expanduser()
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        path = base / "conflict-news-map"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(explicit: str | None = None) -> str:
    """The store's SQLAlchemy URL: ``explicit``, else ``GEO_DB_URL``, else SQLite in :func:`data_dir`."""
    return explicit or os.environ.get("GEO_DB_URL") or f"sqlite:///{data_dir() / 'store.sqlite'}"
