"""Dashboard speed with a large store: first map, slider steps, server memory. Prints figures.

Fills a temporary SQLite store with ``--observations`` synthetic observations
(geo.synthetic: 1,500 places over two years, 12 outlets), starts
``streamlit run dashboard.py`` on 127.0.0.1 against it, and drives Debian's
Chromium through Playwright:

* **first map**: from ``page.goto`` until the first marker (``path.leaflet-interactive``
  inside the map's iframe) is drawn; once on the cold server (the first session pays
  for loading the observations) and then for ``--loads`` fresh sessions on the warm server;
* **slider step**: ``--steps`` presses of the slider's arrow key, each timed until
  the markers differ from before (the places layer is swapped in the browser);
* **server RSS**: the Streamlit process's resident memory after all of it (psutil).

It also times the timeline computation alone (``geo.timeline.view_at``) in this
process. Nothing here is a pass/fail test; goals from the issue are shown next to
the figures.

    .venv/bin/python bench/dashboard.py                  # 100,000 observations
    .venv/bin/python bench/dashboard.py --observations 20000 --steps 5
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import psutil  # noqa: E402

from geo import browser, synthetic, timeline  # noqa: E402
from geo.dashboard_server import run_dashboard  # noqa: E402
from geo.store import Store  # noqa: E402

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SIGNATURE = "() => Array.from(document.querySelectorAll('path.geomap-marker')).map(p => p.getAttribute('d')).join('|')"


def fill_store(path: Path, n: int) -> str:
    url = f"sqlite:///{path / 'store.sqlite'}"
    started = time.perf_counter()
    store = Store(url)
    written = synthetic.fill(store, n)
    print(f"store: {written:,} observations written in {time.perf_counter() - started:.1f} s")
    frame = store.observations_frame()
    ordered = timeline.sort_for_timeline(frame)
    last = ordered["article_date"].max().date()
    times = []
    for i in range(20):
        t = time.perf_counter()
        view = timeline.view_at(ordered, last - dt.timedelta(days=30 * i))
        times.append(time.perf_counter() - t)
    print(f"timeline.view_at alone: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms ({view.counts['places']} places in view)")
    store.close()
    return url


def time_to_map(chromium, url: str) -> float:
    page, log = browser.new_page(chromium, size=(1600, 1000))
    started = time.perf_counter()
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - started
    if log.blocked:
        print(f"  WARNING: external requests: {log.blocked[:3]}")
    page.context.close()
    return elapsed


def map_document(page):
    for frame in page.frames:
        if frame.url and "st_folium" in frame.url:
            return frame
    raise RuntimeError("map iframe not found")


def slider_steps(chromium, url: str, steps: int) -> list[float]:
    page, _log = browser.new_page(chromium, size=(1600, 1000))
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(timeout=120_000)
    thumb = page.locator(".st-key-date_slider [role='slider']")
    thumb.focus()
    times = []
    for _ in range(steps):
        before = map_document(page).evaluate(SIGNATURE)
        started = time.perf_counter()
        thumb.press("ArrowLeft")
        deadline = started + 30
        while time.perf_counter() < deadline:
            now = map_document(page).evaluate(SIGNATURE)
            if now and now != before:
                break
            page.wait_for_timeout(10)
        times.append(time.perf_counter() - started)
        page.wait_for_timeout(300)
    page.context.close()
    return times


def rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return (process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="geo-bench-dashboard-") as folder:
        data = Path(folder)
        url = fill_store(data, args.observations)
        with run_dashboard(data, {"GEO_DB_URL": url}) as app, browser.launch() as chromium:
            print(f"server RSS after start: {rss_mb(app.process.pid):.0f} MB")
            cold = time_to_map(chromium, app.url)
            print(f"first map, cold server (loads {args.observations:,} observations): {cold:.2f} s")
            warm = [time_to_map(chromium, app.url) for _ in range(args.loads)]
            print(f"first map after page load, warm server: median {statistics.median(warm):.2f} s, "
                  f"max {max(warm):.2f} s over {len(warm)} loads (goal <= 2 s)")
            steps = slider_steps(chromium, app.url, args.steps)
            print(f"slider step (key press to new markers drawn): median {statistics.median(steps):.2f} s, "
                  f"max {max(steps):.2f} s over {len(steps)} steps (goal <= 0.3 s)")
            print(f"server RSS at the end: {rss_mb(app.process.pid):.0f} MB (goal < 600 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
