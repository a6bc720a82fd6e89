"""The dashboard's logic through Streamlit's AppTest: slider, filters, play steps, undated list, upload."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.articles import Article
from geo.observations import Observation
from geo.store import Store

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")

PLACES = {
    "Kherson": ("gn:706448", 46.6354, 32.6169),
    "Kyiv": ("gn:703448", 50.4547, 30.5238),
    "Mariupol": ("gn:701822", 47.0951, 37.5413),
}


def article(aid: str, day: str | None, outlet: str, *reports: tuple[str, str, str | None, float]) -> tuple:
    """One stored article with (place, status, source, confidence) reports."""
    date = dt.date.fromisoformat(day) if day else None
    art = Article(id=aid, text=f"text of {aid}", date=date, date_precision="day" if date else None,
                  title=f"Title {aid}", outlet=outlet, url=f"https://news.example/{aid}")
    observations = []
    for place, status, source, confidence in reports:
        place_id, lat, lon = PLACES[place]
        observations.append(Observation(
            article=aid, date=day, place=place, lat=lat, lon=lon, status=status, source=source,
            evidence=f"{place} has been {status}, {source or 'officials'} said.", trigger=status,
            confidence=confidence, kind="city", country="UA", place_id=place_id))
    return art, observations


@pytest.fixture
def store_url(isolated_data_dir, monkeypatch) -> str:
    """A store with known contents (no seeding: GEO_DB_URL is set)."""
    url = f"sqlite:///{isolated_data_dir / 'dash.sqlite'}"
    store = Store(url)
    store.write([
        article("a1", "2022-03-01", "Reuters", ("Kyiv", "held", "the mayor", 0.9)),
        article("a2", "2022-03-03", "TASS", ("Kherson", "captured", "Russia's Defense Ministry", 0.9)),
        article("a3", "2022-03-03", "Kyiv Independent", ("Kherson", "held", "the regional governor", 0.6)),
        article("a4", "2022-03-10", "BBC", ("Mariupol", "encircled", None, 0.8), ("Kyiv", "attacked", None, 0.9)),
        article("u1", None, "AP", ("Mariupol", "attacked", None, 0.9)),
    ], "test")
    store.close()
    monkeypatch.setenv("GEO_DB_URL", url)
    return url


@pytest.fixture
def app(store_url) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def places_in_view(at: AppTest) -> int:
    return int(metrics(at)["Places in view"])


def test_opens_on_the_latest_date_with_counts_of_what_is_in_view(app):
    assert app.slider(key="date_slider").value == dt.date(2022, 3, 10)
    # window 14 days: Kyiv (attacked 10th), Mariupol (encircled), Kherson (disputed: TASS vs governor)
    assert metrics(app) == {"Status as of": "10 Mar 2022", "Articles in view": "3", "Places in view": "3",
                            "Observations in view": "4"}


def test_moving_the_slider_changes_the_places_shown(app):
    app.slider(key="date_slider").set_value(dt.date(2022, 3, 1)).run()
    assert metrics(app)["Status as of"] == "01 Mar 2022"
    assert places_in_view(app) == 1
    app.slider(key="date_slider").set_value(dt.date(2022, 3, 3)).run()
    assert places_in_view(app) == 2


def test_step_buttons_move_by_a_day_or_a_week_within_the_data(app):
    app.button(key="step_back").click().run()
    assert app.slider(key="date_slider").value == dt.date(2022, 3, 9)
    app.radio(key="step").set_value("Week").run()
    app.button(key="step_back").click().run()
    assert app.slider(key="date_slider").value == dt.date(2022, 3, 2)
    app.button(key="step_back").click().run()
    assert app.slider(key="date_slider").value == dt.date(2022, 3, 1), "clamped to the first date"


def test_play_toggles_to_pause_and_starts_from_the_beginning_when_at_the_end(app):
    app.button(key="play").click().run()
    assert app.button(key="play").label.endswith("Pause")
    assert app.session_state["playing"] is True
    assert app.slider(key="date_slider").value == dt.date(2022, 3, 1)
    app.button(key="play").click().run()
    assert app.session_state["playing"] is False


def test_status_filter_shows_only_places_with_that_status(app):
    app.multiselect(key="f_status").set_value(["disputed"]).run()
    assert places_in_view(app) == 1
    assert "Kherson" in app.selectbox(key="place_pick").options[0]


def test_outlet_source_confidence_and_place_filters(app):
    app.multiselect(key="f_outlet").set_value(["TASS"]).run()
    assert places_in_view(app) == 1
    app.multiselect(key="f_outlet").set_value([]).run()
    app.multiselect(key="f_source").set_value(["the regional governor"]).run()
    assert places_in_view(app) == 1
    app.multiselect(key="f_source").set_value([]).run()
    app.slider(key="f_conf").set_value(0.85).run()
    # Mariupol's report (0.8) no longer counts; Kherson keeps only TASS's claim (0.9), so it is not disputed
    assert places_in_view(app) == 2
    assert any(o.startswith("Kherson (captured") for o in app.selectbox(key="place_pick").options)
    app.slider(key="f_conf").set_value(0.0).run()
    app.text_input(key="f_place").input("mari").run()
    assert places_in_view(app) == 1


def test_look_back_window_drops_old_reports(app):
    app.slider(key="date_slider").set_value(dt.date(2022, 3, 9)).run()
    assert places_in_view(app) == 2  # Kyiv (held on the 1st), Kherson
    app.number_input(key="window_days").set_value(7).run()  # 3rd..9th: Kherson only
    assert places_in_view(app) == 1


def test_selecting_a_place_shows_every_observation_with_its_sentence(app):
    assert any(o.startswith("Kherson (disputed") for o in app.selectbox(key="place_pick").options)
    app.session_state["place_pick"] = PLACES["Kherson"][0]  # what a click on its marker selects
    app.run()
    html = " ".join(h.proto.body for h in app.get("html"))
    assert "Disputed" in html
    assert "Kherson has been <mark>captured</mark>, Russia&#x27;s Defense Ministry said." in html
    assert 'href="https://news.example/a2"' in html and "Title a2" in html


def test_undated_articles_are_listed_apart_and_can_be_dated(app, store_url):
    assert any(c.value == "1 article without a date: not on the map until dated." for c in app.caption)
    assert not any("excerpt" in d.value.columns for d in app.dataframe), "the list runs only when opened"
    app.session_state["undated_list"] = True
    app.run()
    table = next(d.value for d in app.dataframe if "excerpt" in d.value.columns)
    assert list(table["article_id"]) == ["u1"]
    app.selectbox(key="redate_article").select("u1")
    app.date_input(key="redate_date").set_value(dt.date(2022, 3, 10))
    app.button[[b.label for b in app.button].index("Set date")].click().run()
    assert not app.exception
    assert Store(store_url).undated_articles().empty
    assert any(c.value == "Every article has a date." for c in app.caption)
    stored = Store(store_url).observations_frame()
    assert stored.loc[stored["article_id"] == "u1", "article_date"].iloc[0] == pd.Timestamp("2022-03-10")


def test_upload_stores_good_files_and_names_the_bad_ones(app, store_url):
    good = (" date 2022-03-09 Russian forces have captured Mariupol after weeks of siege, "
            "the Defense Ministry said.").encode()
    app.file_uploader(key="upload_files").set_value([
        ("siege.txt", good, "text/plain"), ("empty.txt", b"", "text/plain"), ("bad.jsonl", b"{nope\n", "text/plain"),
    ])
    app.run()
    app.button(key="upload_go").click().run()
    assert not app.exception, [e.message for e in app.exception]
    errors = " ".join(e.value for e in app.error)
    assert "empty.txt" in errors and "bad.jsonl" in errors and "siege.txt" not in errors
    assert any("1 new" in s.value for s in app.success)
    stored = Store(store_url).observations_frame()
    assert "siege.txt" in set(stored["article_id"])


def test_an_upload_is_extracted_in_the_server_process_never_in_a_pool(app, store_url, monkeypatch):
    # Each pool worker would load the gazetteer again: a hosted dashboard's memory cannot spare that.
    import geo.ingest

    def no_pool(*args, **kwargs):
        raise AssertionError("an upload started a worker pool")

    monkeypatch.setattr(geo.ingest, "_in_pool", no_pool)
    many = max(geo.ingest.POOL_MIN_ARTICLES.values())
    corpus = "".join(json.dumps({"id": f"bulk{i}", "date": "2022-03-09", "text": f"Kherson was shelled, report {i}."})
                     + "\n" for i in range(many)).encode()
    app.file_uploader(key="upload_files").set_value([("bulk.jsonl", corpus, "application/json")])
    app.run()
    app.button(key="upload_go").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert any(f"{many} new" in s.value for s in app.success)


def test_delete_needs_confirmation_and_removes_the_article(app, store_url):
    app.text_input(key="delete_article").input("a1")
    app.button[[b.label for b in app.button].index("Delete article")].click().run()
    assert any("tick the confirmation" in e.value for e in app.error)
    assert "a1" in set(Store(store_url).observations_frame()["article_id"])
    app.checkbox(key="delete_sure").check()
    app.button[[b.label for b in app.button].index("Delete article")].click().run()
    assert "a1" not in set(Store(store_url).observations_frame()["article_id"])


def test_downloads_offer_the_current_view(app):
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Map as PNG (1920×1080, this date)", "Map as HTML with time slider (opens offline)",
                      "Places (GeoJSON)", "Places (CSV)", "Observations behind them (CSV)"]


def test_an_empty_store_says_so_instead_of_failing(isolated_data_dir, monkeypatch):
    url = f"sqlite:///{isolated_data_dir / 'empty.sqlite'}"
    Store(url).close()
    monkeypatch.setenv("GEO_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("No dated observations yet" in i.value for i in at.info)


def test_the_date_range_follows_new_data(app, store_url):
    assert app.date_input(key="f_range").value == (dt.date(2022, 3, 1), dt.date(2022, 3, 10))
    store = Store(store_url)
    store.write([article("a5", "2022-03-20", "AP", ("Kyiv", "held", None, 0.9))], "test")
    app.run()
    assert app.date_input(key="f_range").value == (dt.date(2022, 3, 1), dt.date(2022, 3, 20))
    app.slider(key="date_slider").set_value(dt.date(2022, 3, 20)).run()
    assert metrics(app)["Status as of"] == "20 Mar 2022"


def test_the_geojson_download_has_every_place_and_no_invented_points():
    import importlib.util
    import json
    import sys

    from geo.timeline import snapshot_at
    from tests.observation_frames import frame, obs

    spec = importlib.util.spec_from_file_location("dashboard_module", APP)
    module = sys.modules["dashboard_module"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # main() runs only as __main__
    places = snapshot_at(frame(obs("Kherson", "2022-03-03", "captured"), obs("Nowhere", "2022-03-03", "held")),
                         "2022-03-03")
    collection = json.loads(module.places_geojson(places))
    by_name = {f["properties"]["place"]: f for f in collection["features"]}
    assert by_name["Kherson"]["geometry"] == {"type": "Point", "coordinates": [32.6169, 46.6354]}
    assert by_name["Nowhere"]["geometry"] is None
    assert by_name["Kherson"]["properties"]["status"] == "captured"
    assert by_name["Kherson"]["properties"]["last_date"].startswith("2022-03-03")


def map_selection(at: AppTest) -> int:
    """The index of the place the map outlines (-1: none), as sent to the map's component."""
    layer = json.loads(next(c for c in at.get("component_instance")).proto.json_args)["feature_group"]
    return int(re.search(r'"selected":(-?\d+)', layer).group(1))


def test_a_click_on_a_place_outlines_its_marker_without_recomputing_the_run_of_days(app, monkeypatch):
    from geo import timeline

    computed = []
    real = timeline.marker_steps
    monkeypatch.setattr(timeline, "marker_steps", lambda *args, **kwargs: computed.append(args[1:3]) or real(
        *args, **kwargs))
    assert map_selection(app) == -1
    app.session_state["place_pick"] = PLACES["Kherson"][0]  # what a click on its marker selects
    app.run()
    assert map_selection(app) >= 0
    assert computed == []  # the run of days was not computed again for the selection
    app.number_input(key="window_days").set_value(7).run()
    assert computed  # while a new look-back window does need it


def test_the_downloads_tab_opens_first_and_the_areas_list_runs_when_its_tab_is_opened(app):
    no_areas = "No region-, country- or water-level reports in view."
    assert app.get("download_button") and not any(c.value == no_areas for c in app.caption)
    app.session_state["view_tabs"] = "Areas and unlocated places"
    app.run()
    assert any(c.value == no_areas for c in app.caption) and not app.get("download_button")
