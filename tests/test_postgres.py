"""The hosted store: PostgreSQL by URL, from the command line and the environment, with concurrent writers.

The behaviour shared with SQLite (idempotence, updates, failures, migrations,
`kill -9`) is tested on both databases in test_store.py and test_ingest.py;
this file covers what only a server brings.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fake_extractor import article, keyword_extractor
from geo.cli import main
from geo.store import Store

pytestmark = pytest.mark.postgres

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def fake_pipeline(monkeypatch):
    monkeypatch.setattr("geo.ingest.default_factory", keyword_extractor)


@pytest.mark.parametrize("scheme", ["postgresql://", "postgres://"])
def test_the_cli_reaches_postgresql_by_url(postgres_url, fake_pipeline, tmp_path, capsys, scheme):
    url = postgres_url.replace("postgresql://", scheme)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": f"a{i}", "date": f"2022-03-0{i}", "text": text})
                                for i, text in enumerate(["Kherson was captured.", "Kyiv was shelled."], 1)))
    assert main(["ingest", str(corpus), "--db", url, "--no-progress"]) == 0
    assert capsys.readouterr().out.startswith("read 2, new 2, updated 0, skipped 0, failed 0, observations 2,")
    assert main(["stats", "--db", url]) == 0
    assert json.loads(capsys.readouterr().out) == {"articles": 2, "observations": 2, "places": 2, "undated": 0,
                                                   "first_date": "2022-03-01", "last_date": "2022-03-02"}
    out = tmp_path / "all.geojson"
    assert main(["export", "--db", url, "--format", "geojson", "--out", str(out)]) == 0
    assert len(json.loads(out.read_text())["features"]) == 2


def test_the_environment_names_the_hosted_store(postgres_url, monkeypatch):
    monkeypatch.setenv("GEO_DB_URL", postgres_url)
    with Store.open_default() as store:  # a hosted store is used as it is: no seeds poured into it
        assert store.engine.dialect.name == "postgresql"
        assert store.stats()["articles"] == 0


WRITER = """
import sys
sys.path.insert(0, {tests!r})
from fake_extractor import article, keyword_extractor
from geo.store import Store
batch = [article(i, f"Kherson was shelled on day {{i}}. Kyiv too.") for i in range(200)]
summary = Store(sys.argv[1]).ingest(batch, factory=keyword_extractor, chunk_size=9)
print(summary.new, summary.skipped, summary.failed)
"""


def test_writers_in_separate_processes_store_each_article_once(postgres_url):
    Store(postgres_url).close()
    script = WRITER.format(tests=str(TESTS))
    writers = [subprocess.Popen([sys.executable, "-c", script, postgres_url], stdout=subprocess.PIPE, text=True)
               for _ in range(3)]
    results = [tuple(map(int, w.communicate(timeout=120)[0].split())) for w in writers]
    assert all(w.returncode == 0 for w in writers)
    assert sum(new for new, _, _ in results) == 200 and all(failed == 0 for _, _, failed in results)
    with Store(postgres_url) as store:
        assert store.stats()["articles"] == 200 and store.stats()["observations"] == 400


def test_a_reader_sees_whole_chunks_while_an_ingest_writes(postgres_url):
    with Store(postgres_url) as writer, Store(postgres_url) as reader:
        seen = []
        writer.ingest([article(i, f"Kherson was shelled on day {i}.") for i in range(30)],
                      factory=keyword_extractor, chunk_size=10,
                      progress=lambda done, total: seen.append(reader.stats()["articles"]))
        assert seen == [10, 20, 30]
