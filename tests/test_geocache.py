"""The persistent geocode cache: answers and misses survive restarts, crashes and corruption."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest

from geo.cli import main
from geo.geocache import MISSING, CacheRecoveredWarning, GeocodeCache
from geo.gazetteer import Place

KHARKIV = Place(id="nominatim:relation/1", name="Kharkiv", lat=49.99, lon=36.23, kind="city", country="UA",
                admin1="Kharkiv Oblast", population=0, geonameid=None, source="online:nominatim", feature="city")


def test_answers_and_misses_persist_across_instances(tmp_path):
    path = tmp_path / "cache.sqlite"
    cache = GeocodeCache(path)
    cache.put("kharkiv|()", "nominatim", KHARKIV)
    cache.put("atlantis|()", "nominatim", None)
    cache.close()
    again = GeocodeCache(path)
    assert again.get("kharkiv|()", "nominatim") == KHARKIV
    assert again.get("atlantis|()", "nominatim") is None
    assert again.get("kharkiv|()", "photon") is MISSING
    assert again.get("kyiv|()", "nominatim") is MISSING
    assert again.stats()["places"] == 1 and again.stats()["misses"] == 1


def test_misses_expire_but_answers_do_not(tmp_path):
    cache = GeocodeCache(tmp_path / "cache.sqlite", miss_ttl=-1)
    cache.put("atlantis", "nominatim", None)
    cache.put("kharkiv", "nominatim", KHARKIV)
    assert cache.get("atlantis", "nominatim") is MISSING
    assert cache.get("kharkiv", "nominatim") == KHARKIV
    assert cache.stats()["expired_misses"] == 1
    assert cache.clear(expired_only=True) == 1
    assert cache.stats()["entries"] == 1


def test_the_cache_file_is_in_wal_mode(tmp_path):
    GeocodeCache(tmp_path / "cache.sqlite").put("k", "s", KHARKIV)
    with sqlite3.connect(tmp_path / "cache.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty-header"])
def test_a_corrupted_or_truncated_file_is_moved_aside_and_rebuilt_with_a_warning(tmp_path, damage):
    path = tmp_path / "cache.sqlite"
    cache = GeocodeCache(path)
    for i in range(200):
        cache.put(f"name{i}", "nominatim", KHARKIV)
    cache.close()
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    else:
        path.write_bytes(b"\0" * 100 + data[100:])
    for leftover in (tmp_path / "cache.sqlite-wal", tmp_path / "cache.sqlite-shm"):
        leftover.unlink(missing_ok=True)
    with pytest.warns(CacheRecoveredWarning):
        rebuilt = GeocodeCache(path)
        rebuilt.put("kharkiv", "nominatim", KHARKIV)
        rebuilt.get("name1", "nominatim")
    assert rebuilt.get("kharkiv", "nominatim") == KHARKIV
    assert list(tmp_path.glob("cache.sqlite.corrupt-*"))


def test_a_crash_in_the_middle_of_a_write_keeps_the_committed_entries(tmp_path):
    path = tmp_path / "cache.sqlite"
    cache = GeocodeCache(path)
    cache.put("kharkiv", "nominatim", KHARKIV)
    cache.close()
    script = textwrap.dedent(f"""
        import os, sqlite3
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("BEGIN")
        for i in range(5000):
            conn.execute("INSERT INTO entries VALUES (?, 'nominatim', NULL, 0, NULL)", (f"half{{i}}",))
        os._exit(9)  # dies with the transaction open
    """)
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    after = GeocodeCache(path)
    assert after.get("kharkiv", "nominatim") == KHARKIV
    assert after.get("half1", "nominatim") is MISSING
    assert after.stats()["entries"] == 1


def test_concurrent_readers_and_writers_do_not_fail(tmp_path):
    path = tmp_path / "cache.sqlite"
    GeocodeCache(path).put("kharkiv", "nominatim", KHARKIV)
    writer = textwrap.dedent(f"""
        from geo.geocache import GeocodeCache
        from geo.gazetteer import Place
        cache = GeocodeCache({str(path)!r})
        for i in range(300):
            cache.put(f"w{{i}}", "nominatim", None)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", writer]) for _ in range(2)]
    errors: list[Exception] = []

    def read() -> None:
        cache = GeocodeCache(path)
        try:
            for _ in range(300):
                assert cache.get("kharkiv", "nominatim") == KHARKIV
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert errors == []
    assert GeocodeCache(path).stats()["misses"] == 300


def test_cache_command_prints_stats_and_clears(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GEO_GEOCODE_CACHE", str(tmp_path / "c.sqlite"))
    GeocodeCache.open_default().put("kharkiv", "nominatim", KHARKIV)
    assert main(["cache", "stats"]) == 0
    assert json.loads(capsys.readouterr().out)["places"] == 1
    assert main(["cache", "clear"]) == 0
    cleared = json.loads(capsys.readouterr().out)
    assert cleared["removed"] == 1 and cleared["entries"] == 0


def test_a_cache_that_cannot_be_written_warns_and_keeps_going(tmp_path):
    from geo.geocache import CacheUnavailableWarning

    cache = GeocodeCache(tmp_path / "cache.sqlite")
    cache.put("kharkiv", "nominatim", KHARKIV)
    blocker = sqlite3.connect(tmp_path / "cache.sqlite", timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    cache._conn.execute("PRAGMA busy_timeout=100")
    with pytest.warns(CacheUnavailableWarning, match="not written"):
        cache.put("kyiv", "nominatim", KHARKIV)
    blocker.rollback()
    assert cache.get("kharkiv", "nominatim") == KHARKIV
    assert cache.get("kyiv", "nominatim") is MISSING
    assert not list(tmp_path.glob("*.corrupt-*"))  # a busy file is not corruption
