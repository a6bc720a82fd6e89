"""Batch ingest: the CLI, resuming after `kill -9`, reprocessing when the extractor changes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil
import pytest

from fake_extractor import KeywordExtractor, article, keyword_extractor, newer_keyword_extractor
from geo.articles import Article, read_path, read_paths
from geo.cli import main
from geo.ingest import POOL_MIN_ARTICLES, IngestWarning, reprocess
from geo.pipeline import EXTRACTOR_VERSION
from geo.store import Store

TESTS = Path(__file__).resolve().parent
#: Articles that make the local engine fork a pool of workers.
FORK_POOL = POOL_MIN_ARTICLES["fork"]
SEEDS = TESTS.parent / "seeds"


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Make the CLI's default extractor the keyword stand-in."""
    monkeypatch.setattr("geo.ingest.default_factory", keyword_extractor)


def write_corpus(path: Path, n: int) -> Path:
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"n{i:05d}", "date": "2022-03-03", "source": "AP", "title": f"Report {i}",
                                "text": f"Kherson was shelled on day {i}. Kyiv stands."}) + "\n")
    return path


def test_cli_ingest_prints_one_summary_line_and_warns_about_bad_files(tmp_path, fake_pipeline, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK")
    (folder / "good.txt").write_text(" date 2022-03-04 Mariupol was shelled.")
    corpus = write_corpus(tmp_path / "corpus.jsonl", 3)
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert main(["ingest", str(folder), str(corpus), str(SEEDS), "--db", db]) == 0
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("read 7, new 7, updated 0, skipped 0, failed 0, observations ")
    assert lines[0].endswith(" articles/s")
    assert "empty.txt: empty; skipped" in err and "binary.txt: looks binary" in err
    assert main(["ingest", str(corpus), "--db", db, "--no-progress"]) == 0
    assert capsys.readouterr().out.startswith("read 3, new 0, updated 0, skipped 3, failed 0, observations 0,")


def test_cli_ingest_with_nothing_to_read_fails(tmp_path, fake_pipeline, capsys):
    assert main(["ingest", str(tmp_path / "nothing.jsonl"), "--db", f"sqlite:///{tmp_path / 's.sqlite'}"]) == 1
    assert "no articles found" in capsys.readouterr().err


def test_cli_refuses_a_scheduler_without_the_dask_engine(tmp_path):
    with pytest.raises(SystemExit, match="needs --engine dask"):
        main(["ingest", str(SEEDS), "--scheduler", "tcp://127.0.0.1:8786",
              "--db", f"sqlite:///{tmp_path / 's.sqlite'}"])


def test_cli_stats_prints_one_json_object(tmp_path, fake_pipeline, capsys):
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    main(["ingest", str(SEEDS), "--db", db, "--no-progress"])
    capsys.readouterr()
    assert main(["stats", "--db", db]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert set(stats) == {"articles", "observations", "places", "undated", "first_date", "last_date"}
    assert stats["articles"] == 3 and stats["undated"] == 1 and stats["first_date"] == "2022-03-03"


def test_the_store_url_can_come_from_the_environment(tmp_path, fake_pipeline, monkeypatch, capsys):
    db = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("GEO_DB_URL", db)
    main(["ingest", str(SEEDS), "--no-progress"])
    capsys.readouterr()
    main(["stats"])
    assert json.loads(capsys.readouterr().out)["articles"] == 3
    assert Path(tmp_path / "env.sqlite").exists()


def test_reprocess_redoes_only_what_an_older_extractor_made(tmp_path):
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        store.ingest([article("a", "Kherson was shelled."), article("b", "Kyiv was captured.")],
                     factory=keyword_extractor)
        summary = reprocess(store, factory=newer_keyword_extractor)
        assert (summary.read, summary.updated, summary.failed) == (2, 2, 0)
        assert set(store.observations_frame().extractor_version) == {"keyword-2"}
        assert reprocess(store, factory=newer_keyword_extractor).read == 0  # nothing stale any more
        assert reprocess(store, factory=newer_keyword_extractor, everything=True).updated == 2
        store.set_article_date("a", "2022-05-01")  # a new date can change event dates: stale again
        assert reprocess(store, factory=newer_keyword_extractor).updated == 1
        assert store.stats()["observations"] == 2 and store.stats()["last_date"] == "2022-05-01"


def test_cli_reprocess(tmp_path, fake_pipeline, monkeypatch, capsys):
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    main(["ingest", str(SEEDS), "--db", db, "--no-progress"])
    monkeypatch.setattr("geo.ingest.default_factory", newer_keyword_extractor)
    capsys.readouterr()
    assert main(["reprocess", "--db", db, "--no-progress"]) == 0
    assert capsys.readouterr().out.startswith("read 3, new 0, updated 3, skipped 0, failed 0,")
    assert main(["reprocess", "--db", db, "--no-progress"]) == 0
    assert capsys.readouterr().out.startswith("read 0,")


KILLED_INGEST = """
import sys
sys.path.insert(0, {tests!r})
from fake_extractor import slow_keyword_extractor
from geo.articles import read_paths
from geo.store import Store
Store(sys.argv[1]).ingest(read_paths([sys.argv[2]]), factory=slow_keyword_extractor, chunk_size=20)
"""


def test_kill_9_mid_ingest_keeps_every_committed_chunk_and_the_next_ingest_resumes(tmp_path, store_url):
    """The no-data-loss guarantee the hosted mode relies on: a real process, really killed."""
    n = 3000
    corpus = write_corpus(tmp_path / "corpus.jsonl", n)
    store = Store(store_url)
    process = subprocess.Popen([sys.executable, "-c", KILLED_INGEST.format(tests=str(TESTS)), store_url, str(corpus)],
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while store.stats()["articles"] < 2 * FORK_POOL:  # committed chunks, extracted by a pool
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the ingest did not get going"
        time.sleep(0.02)
    workers = psutil.Process(process.pid).children()
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert workers, "no extraction worker ran"
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "extraction workers outlived the killed ingest"

    stats = store.stats()
    assert 2 * FORK_POOL <= stats["articles"] < n, "the kill did not land mid-ingest"
    assert stats["articles"] % 20 == 0  # whole chunks only
    assert stats["observations"] == 2 * stats["articles"]  # no article without its observations
    if store.is_sqlite:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    frame = store.observations_frame()
    assert frame.groupby("article_id").size().eq(2).all()

    resumed = store.ingest(read_paths([corpus]), factory=keyword_extractor)
    assert resumed.skipped == stats["articles"] and resumed.new == n - stats["articles"]
    assert store.stats()["articles"] == n and store.stats()["observations"] == 2 * n
    store.close()


@pytest.fixture
def pools(monkeypatch) -> list:
    """Every process pool the local engine starts, noting how it starts workers and how many tasks it ran."""
    started = []

    class Recorded(ProcessPoolExecutor):
        def __init__(self, *args, mp_context, **kwargs) -> None:
            super().__init__(*args, mp_context=mp_context, **kwargs)
            self.start_method, self.tasks = mp_context.get_start_method(), 0
            started.append(self)

        def submit(self, *args, **kwargs):
            self.tasks += 1
            return super().submit(*args, **kwargs)

    monkeypatch.setattr("geo.ingest.ProcessPoolExecutor", Recorded)
    return started


@pytest.fixture
def forking(monkeypatch) -> None:
    """Fork pool workers, as the command line's single-threaded process does.

    Needed because a test run may hold idle threads left by earlier tests
    (Dask's offload thread), which make the engine spawn its workers instead.
    """
    monkeypatch.setattr("geo.ingest._start_method", lambda: "fork")


#: Sentences in the style of the corpus, written for these tests.
REPORTS = [
    "Russian forces have captured Kherson, the city's mayor said on Wednesday.",
    "Shelling continued in Mariupol overnight, regional officials said.",
    "Ukrainian officials said Mariupol was encircled.",
    "Kyiv remained in Ukrainian hands as talks resumed in Istanbul.",
    "Ukrainian troops retook Kherson on Friday, and residents celebrated in the streets.",
    "Missiles struck Kharkiv and Odesa, regional governors said.",
    "Russian troops were advancing on Bakhmut from the east.",
    "Fighting was reported near Izium, where Ukrainian forces held their positions.",
]


def corpus_sample(n: int) -> list[Article]:
    """``n`` articles made of :data:`REPORTS`: a title, a blank line and three sentences, dated across 2022."""
    sample = []
    for i in range(n):
        body = " ".join(REPORTS[(i + k * 3) % len(REPORTS)] for k in range(3))
        sample.append(article(f"c{i:04d}", f"Report {i} from the front\n\n{body} Day {i}.",
                              date=f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}", title=f"Report {i} from the front"))
    return sample


def stored(url: str):
    with Store(url) as store:
        return store.observations_frame(), store.stats()


def test_the_local_pool_stores_exactly_what_extraction_in_this_process_stores(tmp_path, pools, forking):
    """The real extractor on the seeds and a corpus-like sample: same summary, same rows in the same order."""
    articles = list(read_path(SEEDS)) + corpus_sample(2 * FORK_POOL)
    summaries, urls = {}, {}
    for workers in (1, 2):
        urls[workers] = f"sqlite:///{tmp_path / f'{workers}.sqlite'}"
        with Store(urls[workers]) as store:
            summaries[workers] = store.ingest(articles, workers=workers, chunk_size=FORK_POOL // 2)
        summaries[workers].seconds = 0
    chunks = -(-len(articles) // (FORK_POOL // 2))
    assert len(pools) == 1 and pools[0].tasks == 2 * (chunks - 1)  # the first chunk here, then both workers share each
    assert summaries[2] == summaries[1] and summaries[1].new == len(articles)
    (one, one_stats), (two, two_stats) = stored(urls[1]), stored(urls[2])
    assert two_stats == one_stats and two.equals(one)  # observation ids too: written in the same order
    assert {"captured", "retaken", "encircled", "attacked"} <= set(one.status.dropna())


def test_reprocess_in_the_pool_replaces_observations_as_in_this_process(tmp_path, pools, forking):
    articles = [article(i, f"Kherson was shelled on day {i}. Kyiv was captured.") for i in range(2 * FORK_POOL)]
    frames = []
    for workers in (1, 2):
        with Store(f"sqlite:///{tmp_path / f'{workers}.sqlite'}") as store:
            store.ingest(articles, factory=keyword_extractor, workers=1)
            summary = reprocess(store, factory=newer_keyword_extractor, workers=workers, chunk_size=30)
            assert (summary.read, summary.updated, summary.failed) == (len(articles), len(articles), 0)
            frames.append(store.observations_frame())
    assert len(pools) == 1 and pools[0].tasks > 0
    assert set(frames[1].extractor_version) == {"keyword-2"} and frames[1].equals(frames[0])


def test_a_handful_of_articles_is_extracted_without_starting_a_pool(tmp_path, pools, forking):
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        few = store.ingest([article(i, f"Kherson was shelled on day {i}.") for i in range(FORK_POOL - 1)],
                           factory=keyword_extractor, workers=2, chunk_size=10)
        assert few.new == FORK_POOL - 1 and not pools
        more = store.ingest([article(i, f"Kherson was shelled on day {i}.") for i in range(3 * FORK_POOL)],
                            factory=keyword_extractor, workers=2)
        assert (more.skipped, more.new) == (FORK_POOL - 1, 2 * FORK_POOL + 1) and len(pools) == 1


def test_a_process_running_other_threads_spawns_its_workers_with_the_same_result(tmp_path, pools):
    """Forking a threaded process (a dashboard server) could copy a held lock; fresh workers are started instead."""
    articles = [article(i, f"Kherson was captured. Kyiv was shelled on day {i}.")
                for i in range(POOL_MIN_ARTICLES["spawn"])]
    busy, stop = threading.Thread(target=lambda: stop.wait()), threading.Event()
    busy.start()
    try:
        with Store(f"sqlite:///{tmp_path / 'spawned.sqlite'}") as store:
            spawned = store.ingest(articles, factory=keyword_extractor, workers=2)
    finally:
        stop.set()
        busy.join()
    with Store(f"sqlite:///{tmp_path / 'here.sqlite'}") as store:
        here = store.ingest(articles, factory=keyword_extractor, workers=1)
    assert [pool.start_method for pool in pools] == ["spawn"]
    spawned.seconds = here.seconds = 0
    assert spawned == here
    (spawned_frame, spawned_stats), (here_frame, here_stats) = (stored(f"sqlite:///{tmp_path / name}.sqlite")
                                                                for name in ("spawned", "here"))
    assert spawned_stats == here_stats and spawned_frame.equals(here_frame)


class DyingExtractor(KeywordExtractor):
    """Ends its worker process on an article saying ``DIE`` (in the test process it only raises)."""

    def extract(self, article: Article):
        if "DIE" in article.text:
            if os.getpid() != TEST_PROCESS:
                os._exit(1)
            raise RuntimeError("asked to die in the test process itself")
        return super().extract(article)


def dying_extractor() -> DyingExtractor:
    return DyingExtractor()


TEST_PROCESS = os.getpid()


def test_a_worker_that_dies_fails_only_its_own_article_and_a_new_pool_goes_on(tmp_path, pools, forking):
    articles = [article(i, f"Kherson was shelled on day {i}." + (" DIE" if i == 150 else ""))
                for i in range(2 * FORK_POOL)]
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        with pytest.warns(IngestWarning) as warned:
            summary = store.ingest(articles, factory=dying_extractor, workers=2, chunk_size=10)
        assert len(pools) >= 2 and summary.read == len(articles)
        # the other articles of its piece, and the pieces lost with the pool, are extracted again
        assert [article_id for article_id, _ in summary.failures] == ["150"]
        assert dict(summary.failures)["150"].startswith("worker failed: BrokenProcessPool")
        assert len(warned) == summary.failed
        stats = store.stats()
        assert stats["articles"] == summary.new == len(articles) - summary.failed
        assert stats["observations"] == stats["articles"]  # whatever was stored is whole
        assert all(store.stored_flags(articles[-10:]))  # the last chunk, extracted by the new pool


def test_a_fresh_install_opens_a_store_filled_from_the_seeds_by_the_real_pipeline(isolated_data_dir):
    with Store.open_default() as store:
        stats, frame = store.stats(), store.observations_frame()
    assert (stats["articles"], stats["undated"], stats["first_date"]) == (3, 1, "2022-03-03")
    assert (isolated_data_dir / "store.sqlite").exists()
    kherson = frame[(frame.place == "Kherson") & (frame.article_id == "000_e3a7060363aa521f.txt")]
    assert "captured" in set(kherson.status.dropna())
    assert kherson.evidence.str.len().gt(0).all() and set(kherson.extractor_version) == {EXTRACTOR_VERSION}


def test_cli_ingest_with_the_real_pipeline_then_reingest_skips_everything(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert main(["ingest", str(SEEDS), "--db", db, "--no-progress"]) == 0
    first = capsys.readouterr().out
    assert first.startswith("read 3, new 3, updated 0, skipped 0, failed 0, observations ")
    assert main(["ingest", str(SEEDS), "--db", db, "--no-progress"]) == 0
    assert capsys.readouterr().out.startswith("read 3, new 0, updated 0, skipped 3, failed 0, observations 0,")


@pytest.mark.parametrize("url, message", [
    ("sqlite:////nonexistent-folder/store.sqlite", "cannot open the store sqlite:////nonexistent-folder/store.sqlite"),
    ("nosuchdb://x", "cannot use the store URL 'nosuchdb://x'"),
    ("postgresql://someone:secret@127.0.0.1:1/geo", "cannot open the store postgresql+psycopg://someone:***@"),
])
def test_a_store_that_cannot_be_opened_is_one_clear_line(url, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["stats", "--db", url])
    assert str(exit_.value).startswith(f"error: {message}")
    assert "secret" not in str(exit_.value)


def test_the_progress_bar_knows_how_many_articles_are_coming(tmp_path):
    from geo.commands.ingest import estimate_total

    write_corpus(tmp_path / "a.jsonl", 5)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text("Kyiv.")
    (tmp_path / "notes.md").write_text("not an article")
    assert estimate_total([str(tmp_path), str(SEEDS), str(tmp_path / "missing.txt")]) == 5 + 1 + 3
    (tmp_path / "b.csv").write_text("id,text\n1,Kyiv\n")
    assert estimate_total([str(tmp_path)]) is None


def test_default_workers_are_one_per_cpu_but_never_fill_a_many_core_host(monkeypatch):
    import geo.ingest

    monkeypatch.setattr(geo.ingest.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert geo.ingest.default_workers() == geo.ingest.MAX_DEFAULT_WORKERS
    monkeypatch.setattr(geo.ingest.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert geo.ingest.default_workers() == 2
