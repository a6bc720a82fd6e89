"""Shared fixtures: an isolated data dir for every test, and a real PostgreSQL server for store tests."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# The built gazetteer index is content-addressed and read-only once written, so every test's own
# GEO_DATA_DIR can share one copy instead of rebuilding it (about 15 s) per session.
os.environ.setdefault("GEO_INDEX_DIR", str(Path(tempfile.gettempdir()) / "conflict-news-map-test-index"))


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own GEO_DATA_DIR and no GEO_DB_URL: no test touches the user's data."""
    path = tmp_path_factory.mktemp("geo-data")
    monkeypatch.setenv("GEO_DATA_DIR", str(path))
    monkeypatch.delenv("GEO_DB_URL", raising=False)
    return path


def _postgres_bin(name: str) -> str | None:
    """A PostgreSQL server binary: Debian's newest /usr/lib/postgresql/N/bin, else PATH."""
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return versions[-1] if versions else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL on 127.0.0.1 (initdb in a temp dir); yields its base URL.

    Skipped, saying why, only when the server binaries are not installed. As
    root the server runs as the ``postgres`` user (PostgreSQL refuses root).
    """
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's 'postgresql'")
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        run_as = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="geo-pg-"))
    data = base / "data"
    if run_as:
        shutil.chown(base, "postgres", "postgres")
    port = _free_port()

    def pg(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, cwd=base)

    try:
        pg(initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        pg(pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60",
           "-o", f"-h 127.0.0.1 -p {port} -k {base} -F", "start")
    except subprocess.CalledProcessError as e:
        log = (base / "server.log").read_text() if (base / "server.log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {e.stderr.decode(errors='replace')}\n{log}") from e
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's PostgreSQL server, dropped afterwards."""
    import psycopg

    name = f"geo_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store: run once on an SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_url")
