"""End to end in Debian's Chromium: the real app on 127.0.0.1, offline, markers moving with the slider."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from geo import browser, synthetic
from geo.dashboard_server import run_dashboard
from geo.mapview import external_hosts
from geo.store import Store

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser.chromium_available(), reason="Debian chromium (/usr/bin/chromium) not installed"),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The dashboard over a synthetic two-month front (3,000 observations, 200 places)."""
    data = tmp_path_factory.mktemp("dashboard-e2e")
    url = f"sqlite:///{data / 'store.sqlite'}"
    store = Store(url)
    synthetic.fill(store, 3000, n_places=200, days=60)
    store.close()
    with run_dashboard(data, {"GEO_DB_URL": url}) as running:
        yield running.url


@pytest.fixture(scope="module")
def chromium():
    with browser.launch() as instance:
        yield instance


def map_frame(page, timeout: float = 120):
    """The streamlit-folium iframe, once its markers are drawn (the first run after a start is slow)."""
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(
        "path.leaflet-interactive").first.wait_for(timeout=timeout * 1000)
    return page.frame_locator('iframe[title="streamlit_folium.st_folium"]')


def wait_for_count_change(frame, selector: str, before: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = frame.locator(selector).count()
        if now != before and now > 0:
            return now
        time.sleep(0.2)
    raise AssertionError(f"{selector} count stayed {before}")


def map_agrees_with_the_page(page, frame, timeout: float = 60) -> None:
    """The map draws the date the page shows, with one marker per place the server counts in view.

    The map redraws as the slider moves without waiting for the server (``GeoMap.steps``);
    once the server's rerun has updated the header, both must tell the same day.
    (The synthetic places are all towns with coordinates: every place is a marker.)
    """
    values = page.locator('[data-testid="stMetricValue"]')
    deadline, seen = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        day = frame.locator(".leaflet-container").get_attribute("data-day")
        shown, places = values.nth(0).inner_text(), int(values.nth(2).inner_text().replace(",", ""))
        seen = (day, shown, frame.locator("path.geomap-marker").count(), places)
        if day and dt.date.fromisoformat(day).strftime("%d %b %Y") == shown and seen[2] == places:
            return
        time.sleep(0.2)
    raise AssertionError(f"map day, page day, markers, places in view: {seen}")


def test_the_map_draws_offline_and_its_markers_follow_the_slider(chromium, app_url):
    page, log = browser.new_page(chromium, size=(1600, 1000))
    page.goto(app_url)
    frame = map_frame(page)
    markers = "path.geomap-marker"
    on_last_day = frame.locator(markers).count()
    assert on_last_day > 20

    thumb = page.get_by_role("slider", name="Date") if page.get_by_role("slider", name="Date").count() else \
        page.get_by_role("slider").first
    thumb.focus()
    thumb.press("Home")  # the first day: only that day's reports
    on_first_day = wait_for_count_change(frame, markers, on_last_day)
    assert 0 < on_first_day < on_last_day
    map_agrees_with_the_page(page, frame)
    page.wait_for_timeout(800)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-first-day.png"), full_page=True)

    thumb.press("End")
    wait_for_count_change(frame, markers, on_first_day)
    map_agrees_with_the_page(page, frame)
    for _ in range(5):  # single steps back: drawn in the browser from the days it was sent
        thumb.press("ArrowLeft")
        map_agrees_with_the_page(page, frame)

    leaflet = [u for u in log.requests if u.endswith("/app/static/leaflet/leaflet.js")]
    assert leaflet, "Leaflet must come from the app's own static files"
    assert log.blocked == [], f"the page tried to reach other hosts: {log.blocked}"
    assert log.page_errors == []


def clear_of_the_legend(markers):
    """A marker in the map's right half (the legend sits bottom left and would take the click)."""
    boxes = [(i, markers.nth(i).bounding_box()) for i in range(markers.count())]
    right = max(box["x"] for _, box in boxes if box) / 2
    return markers.nth(next(i for i, box in boxes if box and box["x"] > right and box["y"] > 150))


def test_hover_names_the_place_and_a_click_shows_its_evidence(chromium, app_url):
    page, log = browser.new_page(chromium, size=(1600, 1100))
    page.goto(app_url)
    frame = map_frame(page)
    marker = clear_of_the_legend(frame.locator("path.geomap-marker"))
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip").first
    tooltip.wait_for()
    place, _, status = tooltip.inner_text().partition(" — ")
    assert place.startswith("Synthetic-") and status in {
        "Captured", "Encircled", "Disputed", "Retaken", "Attacked", "Threatened", "Held"}
    marker.click(force=True)
    page.get_by_text("newest first").wait_for(timeout=30_000)
    assert page.get_by_text(f"{place}:").count() >= 1
    assert page.locator("mark").count() >= 1, "the trigger word is highlighted in the evidence"
    frame.locator('path.geomap-marker[stroke-width="4"]').first.wait_for(timeout=30_000)  # outlined on the map
    page.wait_for_timeout(1500)  # let the Altair chart draw for the screenshot
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-evidence.png"), full_page=True)
    assert log.blocked == []


def test_online_tiles_contact_only_the_chosen_tile_server(chromium, app_url):
    page, log = browser.new_page(chromium, size=(1400, 900))
    page.goto(app_url)
    map_frame(page)
    assert log.blocked == []
    page.get_by_role("combobox", name="Basemap").click()
    page.get_by_role("option", name="OpenStreetMap tiles (online)").click()
    deadline = time.monotonic() + 60
    while not log.blocked and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert log.blocked, "choosing OpenStreetMap should request tiles"
    assert {urlsplit(u).hostname for u in log.blocked} <= set(external_hosts("osm"))


def test_play_advances_the_date_by_itself_and_pause_stops_it(chromium, app_url):
    page, _log = browser.new_page(chromium, size=(1400, 900))
    page.goto(app_url)
    map_frame(page)
    shown = page.locator('[data-testid="stMetricValue"]').first
    page.get_by_role("button", name="▶ Play").click()  # at the last date: starts from the first
    first = shown.inner_text()
    seen = {first}
    deadline = time.monotonic() + 60
    while len(seen) < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        seen.add(shown.inner_text())
    assert len(seen) >= 3, f"the date should advance while playing, saw {seen}"
    page.get_by_role("button", name="⏸ Pause").click()
    page.wait_for_timeout(2500)
    stopped = shown.inner_text()
    page.wait_for_timeout(3000)
    assert shown.inner_text() == stopped
