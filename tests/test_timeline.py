"""The status each place shows on a given day, and the filters over it."""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from geo.observations import STATUSES
from geo.timeline import (
    SNAPSHOT_COLUMNS, Filters, date_range, marker_steps, place_history, plural, snapshot_at, sort_for_timeline,
    view_at,
)
from tests.observation_frames import PLACES, frame, obs


def status_of(places, name):
    row = places[places["place"] == name]
    assert len(row) == 1, f"{name} should appear exactly once, got {len(row)}"
    return row.iloc[0]


def test_a_place_shows_its_latest_status_on_or_before_the_date():
    data = frame(obs("Kherson", "2022-03-01", "attacked"), obs("Kherson", "2022-03-03", "captured"))
    assert status_of(snapshot_at(data, "2022-03-02"), "Kherson")["status"] == "attacked"
    assert status_of(snapshot_at(data, "2022-03-03"), "Kherson")["status"] == "captured"


def test_later_reports_supersede_older_ones_in_the_window():
    data = frame(obs("Kharkiv", "2022-05-01", "encircled"), obs("Kharkiv", "2022-05-10", "retaken"))
    assert status_of(snapshot_at(data, "2022-05-12"), "Kharkiv")["status"] == "retaken"


def test_nothing_from_the_future_and_nothing_older_than_the_window():
    data = frame(obs("Kherson", "2022-03-10", "captured"))
    assert snapshot_at(data, "2022-03-09").empty
    assert len(snapshot_at(data, "2022-03-23", window_days=14)) == 1
    assert snapshot_at(data, "2022-03-24", window_days=14).empty
    assert len(snapshot_at(data, "2022-03-24", window_days=30)) == 1


def test_rival_sources_in_one_article_make_the_place_disputed():
    data = frame(
        obs("Kherson", "2022-03-03", "captured", article="a1", source="Russia's Defense Ministry"),
        obs("Kherson", "2022-03-03", "held", article="a1", source="the mayor"),
    )
    place = status_of(snapshot_at(data, "2022-03-03"), "Kherson")
    assert place["status"] == "disputed"
    assert "captured: Russia's Defense Ministry (1 article)" in place["claims"]
    assert "held: the mayor (1 article)" in place["claims"]


def test_recent_articles_that_disagree_make_the_place_disputed():
    data = frame(
        obs("Mariupol", "2022-03-20", "captured", outlet="TASS"),
        obs("Mariupol", "2022-03-21", "retaken", outlet="Ukrainska Pravda"),
    )
    assert status_of(snapshot_at(data, "2022-03-21"), "Mariupol")["status"] == "disputed"


def test_an_explicit_disputed_report_wins_over_a_single_claim():
    data = frame(obs("Kherson", "2022-03-03", "captured"), obs("Kherson", "2022-03-03", "disputed", outlet="BBC"))
    assert status_of(snapshot_at(data, "2022-03-03"), "Kherson")["status"] == "disputed"


def test_compatible_reports_give_the_highest_ranked_status():
    data = frame(obs("Kharkiv", "2022-03-03", "attacked"), obs("Kharkiv", "2022-03-03", "encircled", outlet="BBC"))
    assert status_of(snapshot_at(data, "2022-03-03"), "Kharkiv")["status"] == "encircled"


def test_many_articles_repeating_one_report_are_one_marker_with_their_outlets():
    outlets = ["Reuters", "AP", "BBC", "CNN", "Reuters"]
    data = frame(*[obs("Kherson", "2022-03-03", "captured", outlet=o, article=f"a{i}") for i, o in enumerate(outlets)])
    places = snapshot_at(data, "2022-03-03")
    assert len(places) == 1
    place = places.iloc[0]
    assert (place["n_articles"], place["n_outlets"], place["n_observations"]) == (5, 4, 5)
    assert place["outlets"] == "AP; BBC; CNN; Reuters"


def test_negated_reports_and_bare_mentions_set_no_status():
    data = frame(obs("Kyiv", "2022-03-03", "captured", negated=True), obs("Kyiv", "2022-03-03", None))
    assert snapshot_at(data, "2022-03-03").empty


def test_undated_articles_are_never_on_the_map():
    data = frame(obs("Kherson", None, "captured"))
    assert snapshot_at(data, "2022-03-03").empty
    assert date_range(data) is None


def test_snapshot_has_the_documented_columns_even_when_empty():
    assert list(snapshot_at(frame(), "2022-03-03").columns) == SNAPSHOT_COLUMNS
    assert list(snapshot_at(frame(obs("Kyiv", "2022-03-03", "held")), "2022-03-03").columns) == SNAPSHOT_COLUMNS


def test_status_filter_applies_to_the_status_shown():
    data = frame(
        obs("Kherson", "2022-03-03", "captured", source="A"), obs("Kherson", "2022-03-03", "held", source="B"),
        obs("Kyiv", "2022-03-03", "held"),
    )
    places = snapshot_at(data, "2022-03-03", statuses=["disputed"])
    assert list(places["place"]) == ["Kherson"]
    assert list(snapshot_at(data, "2022-03-03", statuses="held")["place"]) == ["Kyiv"]


def test_outlet_source_confidence_and_place_filters_choose_the_reports_that_count():
    data = frame(
        obs("Kherson", "2022-03-03", "captured", outlet="TASS", source="Russia's Defense Ministry", confidence=0.9),
        obs("Kherson", "2022-03-03", "held", outlet="Kyiv Independent", source="the mayor", confidence=0.5),
        obs("Kharkiv", "2022-03-03", "attacked", outlet="BBC", confidence=0.8),
    )
    day = "2022-03-03"
    assert status_of(snapshot_at(data, day, outlets=["TASS"]), "Kherson")["status"] == "captured"
    assert status_of(snapshot_at(data, day, sources=["the mayor"]), "Kherson")["status"] == "held"
    assert status_of(snapshot_at(data, day, min_confidence=0.7), "Kherson")["status"] == "captured"
    assert list(snapshot_at(data, day, place_query="KHAR")["place"]) == ["Kharkiv"]


def test_place_search_ignores_case_and_accents():
    data = frame(obs("Kyiv", "2022-03-03", "held"))
    assert len(snapshot_at(data, "2022-03-03", place_query="kÝiv")) == 1


def test_date_range_filter_limits_the_reports():
    data = frame(obs("Kherson", "2022-03-01", "attacked"), obs("Kherson", "2022-03-03", "captured"))
    places = snapshot_at(data, "2022-03-05", start=dt.date(2022, 3, 1), end=dt.date(2022, 3, 2))
    assert status_of(places, "Kherson")["status"] == "attacked"


def test_bad_filters_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="unknown status"):
        Filters.make(statuses=["conquered"])
    with pytest.raises(ValueError, match="starts"):
        Filters.make(start=dt.date(2022, 3, 5), end=dt.date(2022, 3, 1))


def test_view_counts_articles_places_and_observations_behind_the_markers():
    data = frame(
        obs("Kherson", "2022-03-03", "captured", article="a1"), obs("Kyiv", "2022-03-03", "held", article="a1"),
        obs("Kyiv", "2022-03-03", "held", article="a2", outlet="BBC"), obs("Kyiv", "2022-03-03", None, article="a3"),
    )
    assert view_at(data, "2022-03-03").counts == {"articles": 2, "places": 2, "observations": 3}


def test_places_are_ordered_by_status_rank_then_weight_of_reporting():
    data = frame(
        obs("Kyiv", "2022-03-03", "held"), obs("Kharkiv", "2022-03-03", "attacked"),
        obs("Kherson", "2022-03-03", "captured"),
    )
    assert list(snapshot_at(data, "2022-03-03")["place"]) == ["Kherson", "Kharkiv", "Kyiv"]


def test_place_history_lists_every_observation_newest_first_undated_last():
    data = frame(
        obs("Kherson", "2022-03-01", "attacked"), obs("Kherson", None, "captured"),
        obs("Kherson", "2022-03-03", "captured"), obs("Kyiv", "2022-03-03", "held"),
    )
    history = place_history(data, "gn:706448")
    assert [str(d)[:10] for d in history["article_date"]] == ["2022-03-03", "2022-03-01", "NaT"]


def test_date_range_spans_the_dated_articles():
    data = frame(obs("Kyiv", "2022-02-24", "attacked"), obs("Kyiv", "2022-04-02", "held"), obs("Kyiv", None, None))
    assert date_range(data) == (dt.date(2022, 2, 24), dt.date(2022, 4, 2))


def test_a_frame_sorted_for_the_timeline_gives_the_same_view_as_an_unsorted_one():
    rows = [obs(p, d, s, outlet=o) for p, d, s, o in [
        ("Kyiv", "2022-03-05", "held", "BBC"), ("Kherson", "2022-03-01", "attacked", "AP"),
        ("Kherson", None, "captured", "AP"), ("Kherson", "2022-03-03", "captured", "TASS"),
        ("Kharkiv", "2022-02-20", "encircled", "CNN"), ("Kyiv", "2022-03-04", "attacked", "AP")]]
    unsorted = frame(*rows)
    ordered = sort_for_timeline(unsorted)
    assert ordered["article_date"].isna().tolist()[-1] and ordered["article_date"].iloc[:-1].is_monotonic_increasing
    for day in ("2022-03-01", "2022-03-04", "2022-03-10"):
        a, b = snapshot_at(unsorted, day), snapshot_at(ordered, day)
        assert a.drop(columns=["evidence", "trigger", "title", "url", "evidence_source"]).equals(
            b.drop(columns=["evidence", "trigger", "title", "url", "evidence_source"]))


def busy_front(seed: int = 3):
    """A month of reports on every kind of place: rival claims, repeats, denials, mentions, undated ones."""
    rng = random.Random(seed)
    rows = []
    for _ in range(500):
        day = dt.date(2022, 3, 1) + dt.timedelta(days=rng.randrange(30))
        rows.append(obs(rng.choice(list(PLACES)), None if rng.random() < 0.03 else day.isoformat(),
                        rng.choice([*STATUSES, None]), outlet=rng.choice(["AP", "TASS", "BBC", "Meduza"]),
                        source=rng.choice(["the mayor", "Russia's Defense Ministry", None]),
                        confidence=rng.choice([0.5, 0.7, 0.9]), negated=rng.random() < 0.1,
                        article=f"a{rng.randrange(200)}-{day}"))
    return sort_for_timeline(frame(*rows))


@pytest.mark.parametrize("window, filters", [
    (14, Filters()), (3, Filters.make(sources="the mayor")), (30, Filters.make(statuses=["disputed", "held"])),
    (10, Filters.make(outlets=["TASS", "AP"], min_confidence=0.7, place_query="kh", start=dt.date(2022, 3, 10))),
])
def test_marker_steps_show_on_each_day_what_the_view_of_that_day_shows(window, filters):
    data = busy_front()
    steps = marker_steps(data, "2022-02-27", "2022-04-12", window_days=window, filters=filters)
    assert steps["date"].nunique() > 20
    for day in pd.date_range("2022-02-27", "2022-04-12"):
        places = view_at(data, day, window_days=window, filters=filters).places
        expected = sorted(zip(places["place_id"], places["status"], places["n_articles"].astype(int)))
        shown = steps[steps["date"] == day]
        assert sorted(zip(shown["place_id"], shown["status"], shown["n_articles"].astype(int))) == expected, day


def test_marker_steps_of_days_without_reports_are_empty():
    data = frame(obs("Kyiv", "2022-03-01", "held"))
    assert marker_steps(data, "2022-04-01", "2022-04-10").empty
    assert list(marker_steps(data, "2022-03-01", "2022-03-02")["date"]) == [pd.Timestamp("2022-03-01"),
                                                                             pd.Timestamp("2022-03-02")]


@pytest.mark.parametrize(("n", "word", "expected"), [
    (1, "article", "1 article"), (0, "article", "0 articles"), (3, "place", "3 places"),
])
def test_counts_are_singular_only_for_one(n, word, expected):
    assert plural(n, word) == expected
