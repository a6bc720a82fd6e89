"""`--engine dask`: workers extract, one writer stores, and the store ends up exactly as with the local engine."""
from __future__ import annotations

from pathlib import Path

import pytest

from fake_extractor import KeywordExtractor, article, keyword_extractor, newer_keyword_extractor
from geo.articles import read_path
from geo.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

#: Columns that depend on the run (row ids), not on what was extracted.
RUN_COLUMNS = ["observation_id"]


def sample() -> list:
    """The seeds plus a small corpus written for this test, with repeats and a changed text."""
    written = [article(f"s{i}", text, date=f"2022-03-{1 + i % 28:02d}") for i, text in enumerate([
        "Kherson was captured after days of fighting. Mariupol was shelled.",
        "Kyiv appears to be surrounded. Ukraine asked for help.",
        "Ukrainian forces retook Kherson. Atlantis was shelled.",
        "Kherson was captured after days of fighting. Mariupol was shelled.",  # the same text again
    ] * 20)]
    written.append(article("s3", "Mariupol was shelled. EXPLODE"))  # fails, in the middle of a chunk
    written.append(article("s1", "Kyiv was shelled at night."))  # a new version of s1
    return list(read_path(SEEDS)) + written


def frame_of(url: str):
    with Store(url) as store:
        frame = store.observations_frame().drop(columns=RUN_COLUMNS)
        return frame.sort_values(["article_id", "place_id", "evidence"]).reset_index(drop=True), store.stats()


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c


def test_the_dask_engine_stores_exactly_what_the_local_engine_stores(tmp_path):
    articles = sample()
    local_url, dask_url = f"sqlite:///{tmp_path / 'local.sqlite'}", f"sqlite:///{tmp_path / 'dask.sqlite'}"
    with pytest.warns(UserWarning, match="s3: not stored"):
        with Store(local_url) as store:
            local = store.ingest(articles, factory=keyword_extractor, chunk_size=7)
    with pytest.warns(UserWarning, match="s3: not stored"):
        with Store(dask_url) as store:
            dask = store.ingest(articles, factory=keyword_extractor, chunk_size=7, engine="dask", workers=2)
    for summary in (local, dask):
        summary.seconds = 0
    assert dask == local
    assert (local.failed, local.updated) == (1, 1) and local.skipped > 0
    (local_frame, local_stats), (dask_frame, dask_stats) = frame_of(local_url), frame_of(dask_url)
    assert dask_stats == local_stats
    assert dask_frame.equals(local_frame)


def test_an_existing_cluster_is_used_by_address_and_each_worker_builds_one_extractor(tmp_path, cluster):
    from dask.distributed import Client

    articles = [article(i, f"Kherson was shelled on day {i}.") for i in range(120)]
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        summary = store.ingest(articles, factory=keyword_extractor, chunk_size=10, engine="dask",
                               scheduler=cluster.scheduler_address)
        assert summary.new == 120 and store.stats()["observations"] == 120

    def built_extractors() -> int:
        from fake_extractor import KeywordExtractor

        return KeywordExtractor.built

    with Client(cluster) as client:
        per_worker = client.run(built_extractors)
    assert len(per_worker) == 2 and sum(per_worker.values()) >= 1
    assert all(built <= 1 for built in per_worker.values())  # 12 chunks, at most one extractor per worker


#: Sentences written for this test, in the style of the corpus.
WRITTEN = [
    ("w1", "2022-03-02", "Russian forces have captured Kherson, the city's mayor said on Wednesday. "
                         "Shelling continued in Mariupol overnight."),
    ("w2", "2022-03-09", "Ukrainian officials said Mariupol was encircled. Kyiv remained in Ukrainian hands."),
    ("w3", "2022-11-11", "Ukrainian troops retook Kherson on Friday, and residents celebrated in the streets."),
    ("w4", None, "Missiles struck Kharkiv and Odesa, regional governors said."),
]


@pytest.mark.slow  # two worker processes each load the real gazetteer
def test_with_the_real_extractor_dask_equals_local_on_the_seeds_and_a_sample(tmp_path):
    articles = list(read_path(SEEDS)) + [article(i, text, date=day) for i, day, text in WRITTEN]
    urls = {engine: f"sqlite:///{tmp_path / engine}.sqlite" for engine in ("local", "dask")}
    for engine, url in urls.items():
        with Store(url) as store:
            summary = store.ingest(articles, engine=engine, workers=2, chunk_size=2) if engine == "dask" else \
                store.ingest(articles, chunk_size=2)
            assert (summary.new, summary.failed) == (len(articles), 0)
    (local, local_stats), (dask, dask_stats) = frame_of(urls["local"]), frame_of(urls["dask"])
    assert dask_stats == local_stats and dask.equals(local)
    kherson = local[local.place == "Kherson"]
    assert {"captured", "retaken"} <= set(kherson.status.dropna())


def test_a_scheduler_without_workers_is_a_clear_error_not_a_hang(tmp_path, monkeypatch):
    from dask.distributed import LocalCluster

    monkeypatch.setattr("geo.ingest.WORKER_WAIT_SECONDS", 1)
    with LocalCluster(n_workers=0, dashboard_address=":0") as empty, Store(f"sqlite:///{tmp_path / 's.sqlite'}") as s:
        with pytest.raises(RuntimeError, match="no Dask worker joined the scheduler"):
            s.ingest([article(1, "Kyiv.")], factory=keyword_extractor, engine="dask",
                     scheduler=empty.scheduler_address)
        assert s.stats()["articles"] == 0


def test_reprocess_on_the_cluster_replaces_observations_like_the_local_engine(tmp_path, cluster):
    from geo.ingest import reprocess

    articles = [article(i, f"Kherson was shelled on day {i}. Kyiv was captured.") for i in range(30)]
    frames = []
    for engine in ("local", "dask"):
        with Store(f"sqlite:///{tmp_path / engine}.sqlite") as store:
            store.ingest(articles, factory=keyword_extractor)
            summary = reprocess(store, factory=newer_keyword_extractor, engine=engine, scheduler=cluster.scheduler_address
                                if engine == "dask" else None, chunk_size=8)
            assert (summary.read, summary.updated, summary.failed) == (30, 30, 0)
            frames.append(store.observations_frame().drop(columns=RUN_COLUMNS))
    assert set(frames[1].extractor_version) == {"keyword-2"} and frames[1].equals(frames[0])


def set_keyword_version(version: str) -> None:
    """Run on a worker: make its keyword extractor claim another version (an older install)."""
    import fake_extractor

    fake_extractor.keyword_extractor.version = version


def test_workers_running_another_extractor_version_are_refused(tmp_path, cluster):
    from dask.distributed import Client

    with Client(cluster) as client:
        client.run(set_keyword_version, "keyword-0")
        try:
            with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
                with pytest.raises(RuntimeError, match="another extractor version .*keyword-0.* than this process"):
                    store.ingest([article(1, "Kyiv.")], factory=keyword_extractor, engine="dask",
                                 scheduler=cluster.scheduler_address)
                assert store.stats()["articles"] == 0
        finally:
            client.run(set_keyword_version, KeywordExtractor.version)
