"""Briefing snapshots: the map at a date as a PNG, and as one HTML file with a time slider.

The store is filled from the seeds with frozen observations
(``tests/data/seed_observations.jsonl``, the seeds' gold statuses with sentences
from the seeds), so these tests check the picture, not the extractor's accuracy.

The reference image ``tests/data/snapshot_seeds_2022-03-03.png`` is the seeds'
map on 2022-03-03. When the map's look changes on purpose, look at the new
picture, then refresh it with
``GEO_UPDATE_REFERENCE=1 .venv/bin/python -m pytest tests/test_snapshot.py -k reference``.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from geo import browser, snapshot
from geo.articles import read_path
from geo.cli import main
from geo.observations import Observation
from geo.snapshot import Bounds, SnapshotError
from geo.store import Store

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "seeds"
FIXTURE = HERE / "data" / "seed_observations.jsonl"
REFERENCE = HERE / "data" / "snapshot_seeds_2022-03-03.png"
DAY = dt.date(2022, 3, 3)

needs_chromium = pytest.mark.skipif(not browser.chromium_available(), reason="Debian chromium not installed")


def fill_with_seeds(store: Store) -> Store:
    """The seeds' articles with their frozen observations, written the way ingest writes them."""
    articles = {a.id: a for a in read_path(SEEDS)}
    found: dict[str, list[Observation]] = {}
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record.pop("geo_precision")
        found.setdefault(record["article"], []).append(Observation(**record))
    store.write([(articles[a], obs) for a, obs in found.items()], version="fixture")
    return store


@pytest.fixture
def seeds_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'seeds.sqlite'}"
    with Store(url) as store:
        fill_with_seeds(store)
    return url


@pytest.fixture
def empty_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    Store(url).close()
    return url


@pytest.fixture
def seeds_frame(seeds_db):
    with Store(seeds_db) as store:
        return store.observations_frame()


def image(data: bytes | Path):
    from PIL import Image

    raw = data.read_bytes() if isinstance(data, Path) else data
    return Image.open(io.BytesIO(raw)).convert("RGB")


def count_near(img, colour: str, tolerance: int = 12) -> int:
    """Pixels within ``tolerance`` of ``colour`` (#RRGGBB) on every channel."""
    import numpy as np

    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(img, dtype=int)
    return int((np.abs(pixels - target).max(axis=2) <= tolerance).sum())


# -- arguments, checked before any work ---------------------------------------------------


@pytest.mark.parametrize("text,size", [("1920x1080", (1920, 1080)), ("1200X800", (1200, 800)), ("800×600", (800, 600))])
def test_sizes_parse(text, size):
    assert snapshot.parse_size(text) == size


@pytest.mark.parametrize("text", ["1920", "axb", "1920x1080x3", "10x10", "99999x1000", "-1920x1080"])
def test_bad_sizes_are_refused(text):
    with pytest.raises(SnapshotError, match="--size"):
        snapshot.parse_size(text)


@pytest.mark.browser
@needs_chromium
def test_a_broken_map_page_is_refused_not_photographed():
    with pytest.raises(SnapshotError, match="the map page did not draw: .*never appeared: page error: .*broke"):
        snapshot.page_png("<script>throw new Error('broke')</script>", (640, 360), timeout_ms=1_500)
    offline = '<div class="geomap-legend">Status</div><img src="https://tile.openstreetmap.org/1/1/1.png">'
    with pytest.raises(SnapshotError, match="the map page is broken: blocked request: https://tile.openstreetmap"):
        snapshot.page_png(offline, (640, 360))


@pytest.mark.parametrize("size,viewport,scale", [
    ((1920, 1080), (1280, 720), 1.5),  # a slide: laid out like the 1280x720 dashboard, drawn 1.5x finer
    ((3840, 2160), (1280, 720), 3.0),
    ((1200, 800), (1200, 800), 1.0),  # smaller than the layout: drawn as is, never shrunk
    ((2000, 1000), (1440, 720), 2000 / 1440),
])
def test_big_images_keep_the_maps_proportions(size, viewport, scale):
    assert snapshot.layout(size) == (viewport, pytest.approx(scale))


def test_a_fractional_scale_still_gives_the_exact_size():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1002, 703), "white").save(buffer, format="PNG")
    assert image(snapshot._exact_size(buffer.getvalue(), (1001, 703))).size == (1001, 703)


def test_bbox_parses_and_rejects_swapped_or_impossible_corners():
    assert snapshot.parse_bbox("30,45,40,51") == Bounds(30, 45, 40, 51)
    for bad in ["40,45,30,51", "30,51,40,45", "30,45,40", "30,45,40,nan", "a,b,c,d", "30,-95,40,51"]:
        with pytest.raises(SnapshotError, match="--bbox"):
            snapshot.parse_bbox(bad)


@pytest.mark.parametrize("name,inside", [
    ("Kharkiv Oblast", (36.25, 49.98)),  # Kharkiv city
    ("kharkov", (36.25, 49.98)),  # old transliteration, any case
    ("Crimea", (34.10, 44.95)),  # Simferopol
    ("Donbas", (37.80, 48.0)),  # Donetsk, through the two oblasts it spans
    ("Ukraine", (30.52, 50.45)),
    ("Sea of Azov", (36.5, 46.2)),
])
def test_regions_resolve_to_their_outline(name, inside):
    box = snapshot.resolve_region(name).bounds
    assert box.west < inside[0] < box.east and box.south < inside[1] < box.north
    assert box.east - box.west < 21  # an oblast is framed tight, not the whole theatre


def test_a_region_known_only_to_the_gazetteer_is_framed_around_its_point():
    from geo.gazetteer import Gazetteer, Place

    left_bank = Place(id="sup:left-bank", name="Left-bank Ukraine", lat=50.0, lon=33.5, kind="region", country="UA",
                      admin1=None, population=0, geonameid=None, source="supplement", feature="region")
    town = Place(id="gn:1", name="Nowhere", lat=47.0, lon=35.0, kind="city", country="UA", admin1=None,
                 population=10, geonameid=1, source="geonames", feature="PPL")
    gazetteer = Gazetteer.from_places([(left_bank, ["Left Bank"]), town])
    region = snapshot.resolve_region("Left Bank", gazetteer=gazetteer)
    box = region.bounds
    assert box.west < 33.5 < box.east and box.south < 50.0 < box.north
    assert region.name == "Left-bank Ukraine" and region.outline is None  # no polygon: framed, not outlined
    with pytest.raises(SnapshotError, match="unknown region 'Nowhere'"):
        snapshot.resolve_region("Nowhere", gazetteer=gazetteer)  # a town is not a region


def test_output_path_problems_are_named(tmp_path):
    (tmp_path / "folder.png").mkdir()
    cases = {
        tmp_path / "missing" / "map.png": "does not exist",
        tmp_path / "folder.png": "it is a folder",
        tmp_path / "map.jpg": "must end in .png",
    }
    for path, message in cases.items():
        with pytest.raises(SnapshotError, match=message):
            snapshot.check_writable(path, ".png")
    assert snapshot.check_writable(tmp_path / "ok.png", ".png") == tmp_path / "ok.png"


def test_footnote_names_articles_outlets_dates_rule_and_sources(seeds_frame):
    from geo.timeline import view_at

    view = view_at(seeds_frame, DAY, window_days=14)
    note = snapshot.footnote(view.observations, DAY, 14)
    assert note.startswith("Based on 1 article (outlets not recorded), published 2022-03-03")
    assert "previous 14 days" in note and "GeoNames" in note and "Natural Earth" in note

    many = view.observations.copy()
    many = many.iloc[[0] * 9].assign(article_id=[f"a{i}" for i in range(9)],
                                       outlet=["BBC"] * 3 + ["Reuters"] * 2 + list("CDEF") ,
                                       article_date=[view.observations["article_date"].iloc[0] - dt.timedelta(days=i)
                                                     for i in range(9)])
    note = snapshot.footnote(many, DAY, 14)
    assert "9 articles (6 outlets: BBC, Reuters, C, D, E, F)" in note
    assert "published 2022-02-23 to 2022-03-03" in note


def test_timeline_steps_are_daily_or_weekly_and_end_on_the_last_day():
    assert snapshot.timeline_steps(DAY, DAY) == [DAY]
    assert len(snapshot.timeline_steps(DAY, DAY + dt.timedelta(days=23))) == 24
    weekly = snapshot.timeline_steps(DAY, DAY + dt.timedelta(days=1000))
    assert weekly[1] - weekly[0] == dt.timedelta(days=7) and weekly[-1] == DAY + dt.timedelta(days=1000)


# -- the command's errors: non-zero exit, one line, nothing written -------------------------


@pytest.mark.parametrize("args,message", [
    (["--date", "2021-01-01"], "no data on 2021-01-01: the store's articles run from 2022-03-03 to 2022-03-26"),
    (["--date", "2022-03-40"], "--date must be a day as YYYY-MM-DD"),
    (["--date", "2022-03-03", "--region", "Atlantis Oblast"], "unknown region 'Atlantis Oblast'"),
    (["--date", "2022-03-03", "--size", "big"], "--size must be WIDTHxHEIGHT"),
    (["--date", "2022-03-03", "--bbox", "40,45,30,51"], "--bbox 40,45,30,51: need -180 <= west < east <= 180"),
])
def test_snapshot_command_refuses_clearly(seeds_db, tmp_path, capsys, args, message):
    out = tmp_path / "map.png"
    assert main(["snapshot", "--db", seeds_db, "--out", str(out), *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]  # (the gazetteer may say it is building its index)
    assert err.startswith("snapshot: error: ") and message in err
    assert not out.exists()


def test_snapshot_command_refuses_an_unwritable_path(seeds_db, tmp_path, capsys):
    assert main(["snapshot", "--db", seeds_db, "--date", "2022-03-03", "--out", str(tmp_path / "no" / "m.png")]) == 1
    assert capsys.readouterr().err == f"snapshot: error: cannot write {tmp_path / 'no' / 'm.png'}: folder {tmp_path / 'no'} does not exist\n"


# -- pictures ---------------------------------------------------------------------------------


@pytest.mark.browser
@needs_chromium
def test_png_has_the_asked_size_is_not_blank_and_shows_the_legend_colours(seeds_db, tmp_path):
    import numpy as np

    from geo.mapview import STATUS_STYLES

    out = tmp_path / "map.png"
    result = snapshot.render_png(out, DAY, db=seeds_db, size=(1200, 800))
    img = image(out)
    assert img.size == (1200, 800)
    assert np.asarray(img).std() > 20  # a real picture, not a blank page
    for status, style in STATUS_STYLES.items():
        assert count_near(img, style.fill) >= 15, f"legend colour of {status} ({style.fill}) missing"
    assert sorted(result.places["place"]) == ["Kharkiv", "Kherson", "Kyiv", "Mariupol"]


@pytest.mark.browser
@needs_chromium
def test_legend_date_title_and_footnote_are_on_the_page_before_capture(seeds_frame):
    snap = snapshot.snapshot_page(seeds_frame, DAY, title="Southern front")
    with browser.launch() as chromium:
        page, log = browser.new_page(chromium, size=(1280, 720))
        browser.open_html(page, snap.html)
        browser.wait_drawn(page, snapshot.DRAWN_SELECTOR)
        legend = page.inner_text(".geomap-legend")
        for label in ("Captured", "Encircled", "Disputed", "Retaken", "Attacked", "Threatened", "Held"):
            assert label in legend
        assert page.inner_text(".geomap-date") == "03 March 2022"
        assert page.inner_text(".geomap-title") == "Southern front"
        assert page.inner_text(".snapshot-footnote") == snap.footnote
        assert page.locator("path.geomap-marker").count() == 4
        assert log.problems() == []


@pytest.mark.browser
@needs_chromium
def test_same_input_same_picture_and_it_matches_the_reference(seeds_db, tmp_path):
    """The seeds on 2022-03-03 at slide size, against the stored reference (mean pixel difference)."""
    import numpy as np
    from PIL import Image

    first, second = tmp_path / "a.png", tmp_path / "b.png"
    snapshot.render_png(first, DAY, db=seeds_db)
    snapshot.render_png(second, DAY, db=seeds_db)
    assert image(first).size == (1920, 1080)
    assert first.read_bytes() == second.read_bytes()

    def small(img):
        return np.asarray(img.resize((480, 270), Image.BILINEAR), dtype=float)

    if os.environ.get("GEO_UPDATE_REFERENCE"):
        image(first).resize((960, 540), Image.LANCZOS).save(REFERENCE, optimize=True)
    difference = np.abs(small(image(first)) - small(image(REFERENCE))).mean()
    assert difference < 3.0, f"snapshot differs from {REFERENCE.name} by {difference:.2f} (mean of 0-255)"


@pytest.mark.browser
@needs_chromium
def test_a_region_frames_the_map_on_it_and_is_outlined(seeds_db, tmp_path):
    from geo.timeline import view_at

    frame = Store(seeds_db).observations_frame()
    region = snapshot.resolve_region("Kherson Oblast")
    snap = snapshot.snapshot_page(frame, DAY, bounds=region.bounds.wsen, outline=region.outline)
    with browser.launch() as chromium:
        page, _ = browser.new_page(chromium, size=(1280, 720))
        browser.open_html(page, snap.html)
        browser.wait_drawn(page, snapshot.DRAWN_SELECTOR)
        visible = page.evaluate(
            "() => Array.from(document.querySelectorAll('path.geomap-marker')).filter(p => {"
            " const r = p.getBoundingClientRect(); return r.right > 0 && r.left < innerWidth && r.bottom > 0"
            " && r.top < innerHeight; }).length")
        outlined = page.locator(".leaflet-geomap-areas-pane path[stroke-dasharray='10 6']").count()
    assert len(view_at(frame, DAY).places) == 4
    assert outlined == 1  # the oblast asked for is outlined
    assert visible == 1  # Kherson; Kyiv, Kharkiv and Mariupol are outside the oblast's frame


@pytest.mark.browser
@needs_chromium
def test_an_empty_store_gives_a_map_that_says_no_data(empty_db, tmp_path):
    out = tmp_path / "empty.png"
    result = snapshot.render_png(out, DAY, db=empty_db, size=(1200, 800))
    assert image(out).size == (1200, 800)
    assert result.places.empty and result.footnote.startswith("No data in the store")


# -- the HTML export ----------------------------------------------------------------------------


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip"])
def test_html_export_opens_offline_and_its_slider_changes_the_map(seeds_db, tmp_path, monkeypatch, packed):
    """Small exports embed their data as JSON; big ones gzip it (forced here by lowering the threshold)."""
    from geo.inline import external_references

    if packed:
        monkeypatch.setattr(snapshot, "GZIP_ABOVE_BYTES", 0)
    out = tmp_path / "map.html"
    with Store(seeds_db) as store:
        assert snapshot.export_html(store, out, date=DAY) == 6
    html = out.read_text(encoding="utf-8")
    assert external_references(html) == [] and "file://" not in html
    assert ('{"gzip":"' in html) is packed

    with browser.launch() as chromium:
        page, log = browser.new_page(chromium, size=(1280, 720))
        browser.open_html(page, out)
        browser.wait_drawn(page, ".geo-timeline[data-ready]")
        slider = page.locator(".geo-timeline-slider")
        assert (slider.get_attribute("min"), page.eval_on_selector(".geo-timeline-slider", "e => e.max")) == ("0", "23")
        assert page.inner_text(".geomap-date") == "03 March 2022"
        first = sorted(page.eval_on_selector_all("path.geomap-marker", "ps => ps.map(p => p.getAttribute('class'))"))

        slider.fill("23")  # 26 March: the third seed's statuses
        assert page.inner_text(".geomap-date") == "26 March 2022"
        assert page.url.endswith("#2022-03-26")  # the address names the day shown
        assert page.inner_text(".geo-timeline-date") == "26 March 2022"
        last = sorted(page.eval_on_selector_all("path.geomap-marker", "ps => ps.map(p => p.getAttribute('class'))"))
        assert first != last
        assert "2022-03-26" in page.inner_text(".snapshot-footnote")

        slider.fill("10")  # 13 March: nothing reported in the 14 days before? the 3 March article still counts
        assert page.locator("path.geomap-marker").count() == 4
        slider.fill("20")  # 23 March: the 3 March reports have aged out of the window
        assert page.locator("path.geomap-marker").count() == 0
        assert "No data" in page.inner_text(".geomap-empty")

        page.click(".geo-timeline-play")  # plays from 23 March to the end, then stops
        page.wait_for_function("document.querySelector('.geo-timeline-slider').value === '23'", timeout=10_000)
        page.wait_for_function("!document.querySelector('.geo-timeline-play').classList.contains('playing')")

        page.goto(out.resolve().as_uri() + "#2022-03-05")  # a link to one day opens on it
        browser.wait_drawn(page, ".geo-timeline[data-ready]")
        assert page.inner_text(".geo-timeline-date") == "05 March 2022"
        assert log.blocked == [] and log.problems() == []


@pytest.mark.browser
@needs_chromium
def test_html_export_of_an_empty_store_says_no_data(empty_db, tmp_path):
    out = tmp_path / "empty.html"
    with Store(empty_db) as store:
        assert snapshot.export_html(store, out, date=DAY, title="Nothing <yet>") == 0
    with browser.launch() as chromium:
        page, log = browser.new_page(chromium, size=(1280, 720))
        browser.open_html(page, out)
        browser.wait_drawn(page, ".geo-timeline[data-ready]")
        assert page.title() == "Nothing <yet>, 2022-03-03"
        assert "No data in the store" in page.inner_text(".geomap-empty")
        assert page.inner_text(".snapshot-footnote").startswith("No data in the store")
        assert log.problems() == []


def test_every_slider_step_shows_exactly_the_dashboards_map_of_that_day(seeds_frame):
    """Quiet days reuse the previous map; that must never show something the day's own view would not."""
    from geo.mapview import places_data
    from geo.timeline import view_at

    steps = snapshot.timeline_steps(DAY, dt.date(2022, 3, 26))
    data, _ = snapshot.timeline_data(seeds_frame, steps, 14)
    for day, step in zip(steps, data["steps"]):
        expected = places_data(view_at(seeds_frame, day, window_days=14).places)["points"]
        assert [data["items"][i] for i in step["p"]] == expected, day


def test_the_same_store_gives_the_same_html_file(seeds_frame):
    assert snapshot.timeline_page(seeds_frame, start=DAY) == snapshot.timeline_page(seeds_frame, start=DAY)


def test_the_dashboards_html_download_follows_its_filters(seeds_frame):
    from geo.timeline import Filters

    _html, every_place = snapshot.timeline_page(seeds_frame, start=DAY)
    _html, encircled = snapshot.timeline_page(seeds_frame, start=DAY, filters=Filters.make(statuses=["encircled"]))
    assert (every_place, encircled) == (6, 3)  # Kyiv and Kharkiv on 3 March, Mariupol on 26 March


def test_html_export_refuses_a_date_outside_the_data(seeds_db, tmp_path):
    with Store(seeds_db) as store, pytest.raises(SnapshotError, match="no data on 2023-01-01"):
        snapshot.export_html(store, tmp_path / "map.html", date=dt.date(2023, 1, 1))
    assert not (tmp_path / "map.html").exists()


@pytest.mark.browser
@needs_chromium
def test_the_dashboards_map_downloads_give_a_slide_png_and_an_offline_html(seeds_db, tmp_path):
    """Clicked in the running app: the PNG of the shown date and the HTML map, both usable as they arrive."""
    from geo.dashboard_server import run_dashboard
    from geo.inline import external_references

    with run_dashboard(tmp_path, {"GEO_DB_URL": seeds_db}) as app, browser.launch() as chromium:
        page, log = browser.new_page(chromium, size=(1400, 1000), accept_downloads=True)
        page.goto(app.url)
        page.get_by_role("tab", name="Downloads").click(timeout=90_000)
        saved = {}
        for label, suffix in [("Map as PNG", ".png"), ("Map as HTML", ".html")]:
            with page.expect_download(timeout=120_000) as download:
                page.get_by_role("button", name=label).click()
            saved[suffix] = tmp_path / download.value.suggested_filename
            download.value.save_as(saved[suffix])
        assert log.blocked == []
    assert saved[".png"].name == "conflict-map-2022-03-26.png"  # the dashboard opens on the last date
    assert image(saved[".png"]).size == (1920, 1080)
    html = saved[".html"].read_text(encoding="utf-8")
    assert external_references(html) == [] and "GeoTimeline.start" in html
