"""The store's behaviour, on an SQLite file and on a real PostgreSQL server alike.

Extraction is the keyword stand-in of ``fake_extractor`` so that every expected
row follows from the test's own sentences.
"""
from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_extractor import KeywordExtractor, article, keyword_extractor
from geo import schema
from geo.ingest import IngestWarning
from geo.observations import Observation
from geo.store import FRAME_COLUMNS, OBSERVATION_COLUMNS, Store, normalize_url

KHERSON = "Kherson was captured on Wednesday. Mariupol was shelled again."
KYIV = "Kyiv appears to be surrounded. Ukraine asked for help."


@pytest.fixture
def store(store_url: str) -> Store:
    with Store(store_url) as s:
        yield s


def ingest(store: Store, articles, **options):
    return store.ingest(articles, factory=keyword_extractor, **options)


def test_a_new_store_is_empty_and_versioned(store):
    assert store.created
    assert store.stats() == {"articles": 0, "observations": 0, "places": 0, "undated": 0,
                             "first_date": None, "last_date": None}
    with store.engine.connect() as conn:
        assert schema.stored_version(conn) == schema.SCHEMA_VERSION
    frame = store.observations_frame()
    assert list(frame.columns) == list(FRAME_COLUMNS) and frame.empty


def test_the_writer_fills_every_column_of_an_observation_but_its_id():
    assert sorted(OBSERVATION_COLUMNS) == sorted(c.name for c in schema.observations.columns if c.name != "id")


def test_ingest_stores_articles_places_and_observations(store, store_url):
    summary = ingest(store, [article("a", KHERSON, title="Kherson falls", outlet="AP", url="https://x/a"),
                             article("b", KYIV, date="2022-03-05")])
    assert (summary.read, summary.new, summary.skipped, summary.failed) == (2, 2, 0, 0)
    assert summary.observations == 4
    frame = store.observations_frame()
    assert len(frame) == 4
    kherson = frame[frame.place == "Kherson"].iloc[0]
    assert kherson.status == "captured" and kherson.trigger == "captured"
    assert kherson.evidence == "Kherson was captured on Wednesday."
    assert kherson.article_date == pd.Timestamp("2022-03-03") and kherson.date_precision == "day"
    assert (kherson.title, kherson.outlet, kherson.url) == ("Kherson falls", "AP", "https://x/a")
    assert (kherson.place_id, kherson.kind, kherson.country, kherson.admin1) == (
        "gn:706448", "city", "UA", "Kherson Oblast")
    assert kherson.lat == pytest.approx(46.63695) and kherson.geo_precision == 1
    assert kherson.extractor_version == KeywordExtractor.version
    kyiv = frame[frame.place == "Kyiv"].iloc[0]
    assert kyiv.status == "encircled" and bool(kyiv.hedged) and kyiv.confidence == pytest.approx(0.5)
    assert pd.isna(frame[frame.place == "Ukraine"].status.iloc[0])  # a bare mention
    assert frame.article_date.dtype.kind == "M" and frame.negated.dtype == bool
    # Reopening the same URL finds everything again.
    with Store(store_url) as again:
        assert not again.created
        assert again.stats()["observations"] == 4


def test_a_place_that_cannot_be_geocoded_is_kept_with_null_coordinates(store):
    ingest(store, [article("a", "Atlantis was shelled. Kherson too.")])
    frame = store.observations_frame().set_index("place")
    assert frame.loc["Atlantis", "place_id"] == "unresolved:atlantis"
    assert pd.isna(frame.loc["Atlantis", "lat"]) and pd.isna(frame.loc["Atlantis", "geo_precision"])
    assert frame.loc["Atlantis", "status"] == "attacked"


def test_the_same_article_twice_is_stored_once(store):
    first = ingest(store, [article("a", KHERSON)])
    again = ingest(store, [article("a", KHERSON), article("copy-of-a", KHERSON)])
    assert (again.read, again.new, again.skipped, again.observations) == (2, 0, 2, 0)
    assert store.stats()["articles"] == 1
    assert store.stats()["observations"] == first.observations == 2


def test_a_changed_text_under_the_same_id_replaces_the_old_version(store):
    ingest(store, [article("a", KHERSON)])
    summary = ingest(store, [article("a", "Kyiv was shelled.", title="corrected")])
    assert (summary.new, summary.updated, summary.skipped) == (0, 1, 0)
    frame = store.observations_frame()
    assert list(frame.place) == ["Kyiv"] and list(frame.title) == ["corrected"]
    # The old text is free again: another article may now carry it.
    assert ingest(store, [article("b", KHERSON)]).new == 1


def test_within_one_batch_the_later_version_of_an_article_wins(store):
    summary = ingest(store, [article("a", KHERSON), article("a", "Kyiv was shelled.")])
    assert (summary.read, summary.new, summary.updated) == (2, 1, 1)
    assert list(store.observations_frame().place) == ["Kyiv"]


def test_two_articles_swapping_texts_is_no_conflict(store):
    ingest(store, [article("a", KHERSON), article("b", KYIV)])
    summary = ingest(store, [article("b", "Kyiv was shelled."), article("a", KYIV)])
    assert summary.updated == 2 and summary.failed == 0
    frame = store.observations_frame()
    assert set(frame[frame.article_id == "a"].place) == {"Kyiv", "Ukraine"}


def test_an_article_that_fails_is_counted_and_the_batch_goes_on(store):
    batch = [article("a", KHERSON), article("bad", "Kyiv. EXPLODE"), article("c", KYIV)]
    with pytest.warns(IngestWarning, match="bad: not stored"):
        summary = ingest(store, batch)
    assert (summary.read, summary.new, summary.failed) == (3, 2, 1)
    assert summary.failures == [("bad", "extraction failed: RuntimeError: the extractor broke on this article")]
    assert set(store.observations_frame().article_id) == {"a", "c"}


class InvalidStatusExtractor(KeywordExtractor):
    """Gives one article an observation the store must refuse."""

    def extract(self, a):
        found = super().extract(a)
        if "Mariupol" in a.text:
            found.append(Observation(article=a.id, date=None, place="Mariupol", lat=None, lon=None,
                                     status="conquered", evidence="?"))
        return found


def invalid_status_extractor() -> InvalidStatusExtractor:
    return InvalidStatusExtractor()


invalid_status_extractor.version = "invalid-1"


def test_a_storage_failure_leaves_no_half_stored_article(store):
    batch = [article("a", "Kyiv was shelled."), article("b", KHERSON), article("c", KYIV)]
    with pytest.warns(IngestWarning, match="b: not stored .*conquered"):
        summary = store.ingest(batch, factory=invalid_status_extractor)
    assert (summary.new, summary.failed) == (2, 1)
    stats = store.stats()
    assert stats["articles"] == 2  # no row for "b", and none of its observations
    assert set(store.observations_frame().article_id) == {"a", "c"}


def test_observations_frame_bounds_by_article_date(store):
    ingest(store, [article("a", KHERSON, date="2022-03-01"), article("b", KYIV, date="2022-03-05"),
                   article("u", "Mariupol was shelled.", date=None)])
    everything = store.observations_frame()
    assert everything.article_date.isna().sum() == 1  # the undated one is there, NaT
    march_2_to_5 = store.observations_frame(start="2022-03-02", end=dt.date(2022, 3, 5))
    assert set(march_2_to_5.article_id) == {"b"}
    assert set(store.observations_frame(end="2022-03-01").article_id) == {"a"}


def test_undated_articles_can_be_given_a_date(store):
    ingest(store, [article("u", "Mariupol was shelled. Kyiv too.", date=None, title="Undated"),
                   article("a", KHERSON)])
    undated = store.undated_articles()
    assert list(undated.article_id) == ["u"] and list(undated.n_observations) == [2]
    assert undated.title[0] == "Undated" and undated.excerpt[0].startswith("Mariupol")
    assert store.stats()["undated"] == 1
    store.set_article_date("u", "2022-04-17", precision="month")
    assert store.undated_articles().empty
    row = store.observations_frame(start="2022-04-01").iloc[0]
    assert row.article_date == pd.Timestamp("2022-04-01") and row.date_precision == "month"
    with pytest.raises(KeyError):
        store.set_article_date("missing", "2022-04-17")
    with pytest.raises(ValueError):
        store.set_article_date("u", "2022-04-17", precision="week")


def test_deleting_an_article_deletes_its_observations(store):
    ingest(store, [article("a", KHERSON), article("b", KYIV)])
    assert store.delete_article("a") is True
    assert store.delete_article("a") is False
    assert set(store.observations_frame().article_id) == {"b"}
    assert store.stats()["articles"] == 1
    assert ingest(store, [article("a", KHERSON)]).new == 1  # and it can come back


def test_stats_counts_and_date_range(store):
    ingest(store, [article("a", KHERSON, date="2022-03-01"), article("b", KYIV, date="2022-05-09"),
                   article("u", "Kherson was shelled.", date=None)])
    assert store.stats() == {"articles": 3, "observations": 5, "places": 4, "undated": 1,
                             "first_date": "2022-03-01", "last_date": "2022-05-09"}


def test_chunks_are_committed_as_they_go_and_progress_is_reported(store):
    seen = []
    batch = [article(i, f"Kherson was shelled on day {i}.") for i in range(7)]
    summary = ingest(store, batch, chunk_size=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 7), (6, 7), (7, 7)]
    assert summary.new == 7 and store.stats()["places"] == 1


def test_concurrent_ingests_into_one_store_store_each_article_once(store_url):
    batch = [article(i, f"Kherson was shelled on day {i}. Kyiv too.") for i in range(60)]
    stores = [Store(store_url), Store(store_url)]
    errors = []

    def run(s: Store) -> None:
        try:
            ingest(s, batch, chunk_size=7)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert stores[0].stats()["articles"] == 60 and stores[0].stats()["observations"] == 120
    for s in stores:
        s.close()


def test_a_store_from_a_newer_version_of_the_app_is_refused(store_url):
    Store(store_url).close()
    engine = sa.create_engine(normalize_url(store_url))
    with engine.begin() as conn:
        schema.set_version(conn, schema.SCHEMA_VERSION + 1)
    engine.dispose()
    with pytest.raises(schema.SchemaError, match="newer"):
        Store(store_url)


def test_an_older_store_is_migrated_in_place_keeping_its_data(store_url, monkeypatch):
    with Store(store_url) as old:
        ingest(old, [article("a", KHERSON)])

    def add_notes(conn):
        conn.execute(sa.text("ALTER TABLE articles ADD COLUMN notes TEXT"))
        conn.execute(sa.text("UPDATE articles SET notes = 'migrated'"))

    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION, add_notes)
    with Store(store_url) as new:
        with new.engine.connect() as conn:
            assert schema.stored_version(conn) == schema.SCHEMA_VERSION
            assert conn.execute(sa.text("SELECT notes FROM articles")).scalar_one() == "migrated"
        assert new.stats()["observations"] == 2
    with Store(store_url):  # opening again runs nothing twice
        pass


def test_a_failing_migration_leaves_the_store_at_its_old_version(store_url, monkeypatch):
    Store(store_url).close()

    def broken(conn):
        conn.execute(sa.text("ALTER TABLE articles ADD COLUMN half TEXT"))
        raise RuntimeError("migration bug")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION, broken)
    with pytest.raises(RuntimeError, match="migration bug"):
        Store(store_url)
    engine = sa.create_engine(normalize_url(store_url))
    with engine.connect() as conn:
        assert schema.stored_version(conn) == schema.SCHEMA_VERSION - 1
        assert "half" not in {c["name"] for c in sa.inspect(conn).get_columns("articles")}
    engine.dispose()


def test_open_default_fills_an_empty_embedded_store_from_the_seeds_once(monkeypatch, isolated_data_dir):
    monkeypatch.setattr("geo.ingest.default_factory", keyword_extractor)
    with Store.open_default() as store:
        assert store.url.endswith(f"{isolated_data_dir}/store.sqlite")
        stats = store.stats()
        assert stats["articles"] == 3 and stats["observations"] > 0 and stats["undated"] == 1
        for article_id in store.undated_articles().article_id.tolist() + ["000_e3a7060363aa521f.txt"]:
            store.delete_article(article_id)
    with Store.open_default() as store:
        assert store.stats()["articles"] == 1  # what the user deleted does not come back


def test_an_article_reverted_within_one_batch_ends_at_its_last_version(store):
    ingest(store, [article("a", KHERSON)])
    summary = ingest(store, [article("a", "Kyiv was shelled."), article("a", KHERSON)])
    assert summary.updated == 2
    assert set(store.observations_frame().place) == {"Kherson", "Mariupol"}


TEXTS = st.sampled_from([KHERSON, KYIV, "Mariupol was shelled.", "Kyiv was shelled.", "No place here."])
BATCHES = st.lists(st.lists(st.tuples(st.sampled_from("abcd"), TEXTS | st.text(min_size=1, max_size=30)),
                            max_size=8), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=BATCHES, chunk_size=st.integers(1, 5))
def test_any_sequence_of_ingests_ends_as_if_articles_came_one_by_one(tmp_path_factory, batches, chunk_size):
    """The store's rules, as a model: a stored text is skipped; a known id with a new text is replaced."""
    texts: dict[str, str] = {}
    for batch in batches:
        for article_id, text in batch:
            if text.strip() and text not in texts.values():
                texts[article_id] = text
    url = f"sqlite:///{tmp_path_factory.mktemp('model') / 'store.sqlite'}"
    with Store(url) as store:
        for batch in batches:
            store.ingest([article(i, t) for i, t in batch if t.strip()], factory=keyword_extractor,
                         chunk_size=chunk_size)
        with store.engine.connect() as conn:
            stored = dict(conn.execute(sa.select(schema.articles.c.id, schema.articles.c.text)).all())
        assert stored == texts
        frame = store.observations_frame()
        expected = {i: len(KeywordExtractor().extract(article(i, t))) for i, t in texts.items()}
        assert {i: int((frame.article_id == i).sum()) for i in texts} == expected


def test_the_revision_grows_with_every_change_and_only_then(store, store_url):
    seen = [store.revision()]
    ingest(store, [article("a", KHERSON), article("u", KYIV, date=None)])
    seen.append(store.revision())
    ingest(store, [article("a", KHERSON)])  # nothing new: no change
    seen.append(store.revision())
    store.set_article_date("u", "2022-03-04")
    seen.append(store.revision())
    store.delete_article("missing")
    seen.append(store.revision())
    with Store(store_url) as other:  # another process's change is seen too
        other.delete_article("a")
    seen.append(store.revision())
    assert seen[0] < seen[1] == seen[2] < seen[3] == seen[4] < seen[5]


def test_observations_frame_is_the_same_whatever_the_fetch_batch_size(store, monkeypatch):
    ingest(store, [article("a", KHERSON), article("b", KYIV, date=None), article("c", "Atlantis was shelled.")])
    whole = store.observations_frame()
    monkeypatch.setattr("geo.store.FRAME_BATCH_ROWS", 2)
    assert store.observations_frame().equals(whole) and len(whole) == 5
