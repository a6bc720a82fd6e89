"""The one map builder: offline assets, one marker per place, areas for regions, escaped text."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from geo import basemap
from geo.mapview import (
    ASSET_DIR, CSS_ASSETS, JS_ASSETS, STATUS_STYLES, asset_url, base_map, build_map, external_hosts, places_data,
    steps_data, steps_layer,
)
from geo.observations import STATUSES
from geo.timeline import marker_steps, snapshot_at
from tests.observation_frames import frame, obs

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)>`${alert(1)}`'


def render(places, **kwargs) -> str:
    return build_map(places, **kwargs).get_root().render()


def remote_urls(html: str) -> list[str]:
    """URLs the page would load: script/link/img sources (not links a reader may click)."""
    return re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="((?:https?:)?//[^"]+)"', html)


@pytest.fixture
def day_places():
    data = frame(
        obs("Kherson", "2022-03-03", "captured", source="Russia's Defense Ministry"),
        obs("Kherson", "2022-03-03", "held", source="the mayor", outlet="BBC"),
        obs("Mariupol", "2022-03-03", "encircled"), obs("Kharkiv", "2022-03-03", "attacked"),
        obs("Donetsk Oblast", "2022-03-03", "attacked"), obs("Ukraine", "2022-03-03", "attacked"),
        obs("Nowhere", "2022-03-03", "retaken"),
    )
    return snapshot_at(data, "2022-03-03")


def test_every_status_has_a_distinct_colour_and_a_distinct_shape():
    assert tuple(STATUS_STYLES) == STATUSES
    assert len({s.fill for s in STATUS_STYLES.values()}) == len(STATUSES)
    assert len({s.shape for s in STATUS_STYLES.values()}) == len(STATUSES)


@pytest.mark.parametrize("assets", ["static", "file", "inline"])
@pytest.mark.parametrize("basemap_name", ["vector"])
def test_the_offline_map_loads_nothing_from_another_host(day_places, assets, basemap_name):
    html = render(day_places, assets=assets, basemap=basemap_name)
    assert remote_urls(html) == []
    for cdn in ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrapcdn", "unpkg", "d3js"):
        assert cdn not in html


def test_static_assets_point_at_streamlit_static_serving_and_exist_on_disk(day_places):
    html = render(day_places, assets="static")
    for relative in JS_ASSETS:
        assert f'<script src="/app/static/{relative}"></script>' in html
        assert (ASSET_DIR / relative).is_file()
    for relative in CSS_ASSETS:
        assert f'href="/app/static/{relative}"' in html
        assert (ASSET_DIR / relative).is_file()


def test_inline_assets_make_one_self_contained_file(day_places):
    html = render(day_places, assets="inline")
    assert "<script src=" not in html and "<link rel=\"stylesheet\"" not in html
    assert "L.ShapeMarker" in html and "Leaflet" in html


def test_asset_choice_is_per_map_and_never_leaks_into_other_folium_maps(day_places):
    import folium

    build_map(day_places, assets="file")
    assert any("cdn.jsdelivr.net" in url for _, url in folium.Map.default_js)
    with pytest.raises(ValueError, match="assets"):
        asset_url("leaflet/leaflet.js", "nonsense")


def test_online_tiles_are_the_only_remote_requests_and_only_when_chosen(day_places):
    html = render(day_places, basemap="osm")
    assert "tile.openstreetmap.org" in html and remote_urls(html) == []
    assert set(external_hosts("carto")) == {f"{s}.basemaps.cartocdn.com" for s in "abcd"}
    assert list(external_hosts("vector")) == []
    with pytest.raises(ValueError, match="basemap"):
        build_map(day_places, basemap="google")


def test_one_marker_per_place_and_areas_for_regions_never_a_town_dot(day_places):
    data = places_data(day_places)
    assert sorted(p["tip"].split(" &mdash; ")[0] for p in data["points"]) == ["Kharkiv", "Kherson", "Mariupol"]
    area_tips = sorted(a["tip"].split(" &mdash; ")[0] for a in data["areas"])
    assert area_tips == ["Donetsk Oblast", "Ukraine"]
    assert len(data["listed"]) == 1 and "Nowhere" in data["listed"][0] and "no coordinates" in data["listed"][0]


def test_markers_carry_the_status_shape_colour_and_more_articles_draw_bigger():
    data = frame(*[obs("Kherson", "2022-03-03", "captured", article=f"a{i}") for i in range(8)],
                 obs("Kyiv", "2022-03-03", "held"))
    points = {p["status"]: p for p in places_data(snapshot_at(data, "2022-03-03"))["points"]}
    assert (points["captured"]["shape"], points["captured"]["fill"]) == ("square", STATUS_STYLES["captured"].fill)
    assert points["held"]["shape"] == "circle"
    assert points["captured"]["r"] > points["held"]["r"]


def test_popup_shows_the_claims_the_sentence_with_its_trigger_and_a_safe_link():
    data = frame(
        obs("Kherson", "2022-03-03", "captured", source="Russia's Defense Ministry",
            evidence="Russian troops have captured the city.", trigger="captured",
            url="https://news.example/kherson", title="Kherson falls", confidence=0.95),
        obs("Kherson", "2022-03-03", "held", source="the mayor", outlet="BBC", confidence=0.6),
    )
    popup = places_data(snapshot_at(data, "2022-03-03"))["points"][0]["popup"]
    assert "Disputed" in popup and "Russia&#x27;s Defense Ministry" in popup and "the mayor" in popup
    assert "2 articles from 2 outlets" in popup
    assert "Russian troops have <mark>captured</mark> the city." in popup
    assert '<a href="https://news.example/kherson"' in popup and "Kherson falls</a>" in popup


def test_article_text_is_escaped_in_tooltips_popups_and_lists():
    data = frame(
        obs("Kherson", "2022-03-03", "captured", evidence=HOSTILE + " captured", trigger="captured",
            title=HOSTILE, url="javascript:alert(1)", source=HOSTILE, outlet=HOSTILE),
        obs("Nowhere", "2022-03-03", "attacked", outlet=HOSTILE),
    )
    places = snapshot_at(data, "2022-03-03")
    data_json = json.dumps(places_data(places))
    assert "<script>" not in data_json and "<img" not in data_json and "javascript:" not in data_json
    assert "${" not in data_json and "`" not in data_json
    html = render(places)
    assert "<script>alert" not in html and "<img" not in html and "javascript:alert" not in html


def test_an_empty_snapshot_gives_a_map_that_says_no_data():
    html = render(snapshot_at(frame(), "2022-03-03"), date="2022-03-03", title="Briefing")
    assert "No data for this date and filters" in html
    assert "03 March 2022" in html and "Briefing" in html


def test_bounds_frame_the_places_unless_given():
    places = snapshot_at(frame(obs("Kherson", "2022-03-03", "captured")), "2022-03-03")
    assert "46.6354" in render(places)
    explicit = re.sub(r"\s+", "", render(places, bounds=(30.0, 45.0, 34.0, 48.0)))
    assert "[[45.0,30.0],[48.0,34.0]]" in explicit and "GeoMap.fit(" in explicit


def test_areas_come_from_the_shipped_natural_earth_layers():
    assert basemap.area_for("region", "Donetsk Oblast", "UA")["type"] in {"Polygon", "MultiPolygon"}
    assert basemap.area_for("region", "Donbas", "UA")["type"] == "MultiPolygon"
    assert basemap.area_for("region", "Kyiv Oblast", "UA") is not None
    assert basemap.area_for("country", "Ukraine", "UA") is not None
    assert basemap.area_for("water", "Sea of Azov") is not None
    assert basemap.area_for("city", "Kherson", "UA") is None
    assert basemap.area_for("region", "Atlantis", None) is None


def test_crimea_is_drawn_inside_ukraine():
    from shapely.geometry import Point, shape

    countries = {f["properties"]["iso_a2"]: shape(f["geometry"]) for f in basemap.layer("countries")["features"]}
    simferopol = Point(34.10, 44.95)
    assert countries["UA"].contains(simferopol) and not countries["RU"].contains(simferopol)


def test_the_dashboard_can_leave_out_popups_it_shows_beside_the_map(day_places):
    data = places_data(day_places, popups=False)
    assert all(p["popup"] is None for p in data["points"] + data["areas"])
    assert all(p["tip"] for p in data["points"])


def test_a_served_map_fetches_the_basemap_once_instead_of_carrying_it(day_places):
    served = render(day_places, assets="static")
    assert "GeoMap.basemapFrom(" in served and '"/app/static/basemap/"' in served
    assert '"Albania"' not in served, "the basemap's features are not in the page"
    for name in basemap.LAYERS:
        assert (ASSET_DIR / "basemap" / f"{name}.geojson").is_file()
    assert '"Albania"' in render(day_places, assets="file")


def test_the_selected_place_is_marked_for_an_outline(day_places):
    kherson = day_places.loc[day_places["place"] == "Kherson", "place_id"].iloc[0]
    points = places_data(day_places, selected=kherson)["points"]
    assert [p["tip"].split(" &mdash; ")[0] for p in points if p["selected"]] == ["Kherson"]
    assert not any(p["selected"] for p in places_data(day_places)["points"])


def days_of(data: dict) -> list[dict[str, tuple[str, int]]]:
    """Each day of steps_data as {place name: (status, articles)}: the first day, then its changes applied."""
    state, days = {}, []
    for k, changes in enumerate([data["start"], *data["changes"]]):
        for place, status, *drawn in changes:
            if status < 0:
                del state[place]
            else:
                state[place] = (data["styles"][status]["status"], drawn[0])
        days.append({data["places"]["names"][i]: shown for i, shown in state.items()})
    return days


def test_a_run_of_days_sends_each_place_once_and_each_day_what_changed():
    data = frame(obs("Kherson", "2022-03-01", "attacked"), obs("Kherson", "2022-03-03", "captured"),
                 obs("Kherson", "2022-03-03", "captured", outlet="AP"), obs("Kyiv", "2022-03-02", "held"),
                 obs("Donetsk Oblast", "2022-03-02", "attacked"), obs("Nowhere", "2022-03-03", "retaken"))
    days = [dt.date(2022, 3, d) for d in range(1, 6)]
    steps = marker_steps(data, days[0], days[-1], window_days=3)
    sent = steps_data(steps, data, days=days, slider="Date")
    assert sent["days"] == ["2022-03-01", "2022-03-02", "2022-03-03", "2022-03-04", "2022-03-05"]
    assert days_of(sent) == [
        {"Kherson": ("attacked", 1)},
        {"Kherson": ("attacked", 1), "Kyiv": ("held", 1), "Donetsk Oblast": ("attacked", 1)},
        {"Kherson": ("captured", 2), "Kyiv": ("held", 1), "Donetsk Oblast": ("attacked", 1), "Nowhere": ("retaken", 1)},
        {"Kherson": ("captured", 2), "Kyiv": ("held", 1), "Donetsk Oblast": ("attacked", 1), "Nowhere": ("retaken", 1)},
        {"Kherson": ("captured", 2), "Nowhere": ("retaken", 1)},
    ]
    assert sent["changes"][2] == [], "a day like the one before it costs nothing"
    places = {name: i for i, name in enumerate(sent["places"]["names"])}
    assert len(places) == 4 and len(sent["places"]["lat"]) == len(sent["places"]["lon"]) == 4
    assert sent["places"]["lat"][places["Kherson"]] == 46.6354 and sent["places"]["lon"][places["Nowhere"]] is None
    assert list(sent["places"]["areas"]) == [str(places["Donetsk Oblast"])]
    assert sent["places"]["areas"][str(places["Donetsk Oblast"])]["type"] in (
        "Polygon", "MultiPolygon", "Feature", "FeatureCollection")
    assert sent["places"]["listed"] == [places["Nowhere"]]
    assert [s["status"] for s in sent["styles"]] == list(STATUSES)


def test_a_run_of_days_escapes_names_and_marks_the_selected_place():
    data = frame(obs("Kherson", "2022-03-01", "captured"), obs("Kyiv", "2022-03-01", "held"))
    data.loc[data["place"] == "Kyiv", "place"] = HOSTILE
    day = [dt.date(2022, 3, 1)]
    steps = marker_steps(data, day[0], day[0])
    kherson = data.loc[data["place"] == "Kherson", "place_id"].iloc[0]
    sent = steps_data(steps, data, days=day, slider="Date", selected=kherson)
    assert sent["places"]["names"][sent["selected"]] == "Kherson"
    assert any(name.startswith("&lt;script&gt;") for name in sent["places"]["names"]), "names reach innerHTML escaped"
    page = base_map()
    steps_layer(sent).add_to(page)
    assert "<script>alert" not in page.get_root().render()
    assert steps_data(steps, data, days=day, slider="Date")["selected"] == -1


def drawn_on(data: dict, k: int) -> dict[str, list]:
    """What ``GeoMap.steps`` draws on day ``k`` of ``data``, read the way it reads it (its code only draws).

    Points as (tooltip, radius, label) and areas as tooltips, each in drawing order, and the rows of the list.
    """
    state = {}
    for entries in [data["start"], *data["changes"][:k]]:
        for entry in entries:
            if entry[1] < 0:
                del state[entry[0]]
            else:
                state[entry[0]] = entry
    drawn = {"points": [], "areas": [], "listed": []}
    for place, status, _articles, radius, _order, *label_and_row in sorted(state.values(), key=lambda e: e[4]):
        label, row = (label_and_row + [None, None])[:2]
        tip = data["places"]["names"][place] + data["styles"][status]["tip"]
        if place in data["places"]["listed"]:
            drawn["listed"].append(row)
        elif str(place) in data["places"]["areas"]:
            drawn["areas"].append(tip)
        else:
            drawn["points"].append((tip, radius, label))
    return drawn


def test_a_run_of_days_draws_each_day_as_that_days_snapshot_would():
    """Tooltips, sizes, labels (ties included), drawing order and list rows come from one computation."""
    import random

    from geo.timeline import view_at

    pick, rows = random.Random(7), []
    for n in range(30):  # more places than labels; ids in the opposite order of names
        for day in pick.sample(range(1, 7), 3):
            for outlet in pick.sample(["AP", "BBC", "DW", "TASS"], pick.choice([1, 1, 2, 3])):
                row = obs("Kharkiv", f"2022-03-0{day}", pick.choice(["captured", "attacked", "held"]), outlet=outlet)
                rows.append({**row, "place": f"Town {n:02d}'s", "place_id": f"gn:{99 - n}",
                             "lat": 48 + n / 10, "lon": 35 + n / 10})
    rows += [obs("Donetsk Oblast", "2022-03-02", "attacked"), obs("Nowhere", "2022-03-03", "retaken"),
             obs("Nowhere", "2022-03-04", "retaken", outlet="AP")]
    data = frame(*rows)
    days = [dt.date(2022, 3, d) for d in range(1, 7)]
    sent = steps_data(marker_steps(data, days[0], days[-1], window_days=3), data, days=days, slider="Date")
    for k, day in enumerate(days):
        expected = places_data(view_at(data, day, window_days=3).places, popups=False)
        assert drawn_on(sent, k) == {"points": [(p["tip"], p["r"], p["label"]) for p in expected["points"]],
                                     "areas": [a["tip"] for a in expected["areas"]],
                                     "listed": expected["listed"]}, day
    assert any(label for k in range(len(days)) for _tip, _r, label in drawn_on(sent, k)["points"])
