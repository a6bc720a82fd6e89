"""Dashboard speed with a large store: first map, slider steps, server memory. Prints figures.

Fills a temporary SQLite store with ``--observations`` synthetic observations
(geo.synthetic: 1,500 places over two years, 12 outlets), starts
``streamlit run dashboard.py`` on 127.0.0.1 against it, and drives Debian's
Chromium through Playwright:

* **first map**: from ``page.goto`` until the first marker (``path.leaflet-interactive``
  inside the map's iframe) is drawn; once on the cold server (the first session pays
  for loading the observations) and then for ``--loads`` fresh sessions on the warm server;
* **slider step**: ``--steps`` presses of the slider's arrow key, each timed until
  the markers differ from before (the map redraws them in the browser from the run of
  days it was sent), and until the header shows the new date (the server's rerun);
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
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import psutil  # noqa: E402

import dashboard  # noqa: E402
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
    times, cpu = [], []
    for i in range(20):
        t, c = time.perf_counter(), time.process_time()
        view = timeline.view_at(ordered, last - dt.timedelta(days=30 * i))
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"timeline.view_at alone: median {statistics.median(times) * 1000:.0f} ms wall, "
          f"{statistics.median(cpu) * 1000:.0f} ms CPU ({view.counts['places']} places in view)")
    times, cpu = [], []
    for i in range(5):
        days = dashboard.step_days(last - dt.timedelta(days=90 * i), ordered["article_date"].min().date(), last)
        t, c = time.perf_counter(), time.process_time()
        timeline.marker_steps(ordered, days[0], days[-1])
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"timeline.marker_steps for a run of {len(days)} days (the map's days, sent once per "
          f"{dashboard.STEP_BLOCK_DAYS} steps): median {statistics.median(times) * 1000:.0f} ms wall, "
          f"{statistics.median(cpu) * 1000:.0f} ms CPU")
    store.close()
    return url


def time_to_map(page, url: str) -> tuple[float, float, float]:
    """Seconds from ``goto`` to the first marker, from the page shell (title drawn) to it, and the browser's busy time.

    The busy time (renderer main thread, map frame included) depends less on what else the
    machine runs than the wall times do.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    busy = busy_seconds(cdp)
    started = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name="Conflict news map").wait_for(timeout=120_000)
    shell = time.perf_counter()
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(timeout=120_000)
    done = time.perf_counter()
    busy = busy_seconds(cdp) - busy
    cdp.detach()
    return done - started, done - shell, busy


def script_rerun_times(db_url: str, steps: int) -> list[float]:
    """An upper bound of the server's share of a slider step: a whole script rerun (AppTest, in this process)."""
    from streamlit.testing.v1 import AppTest

    os.environ["GEO_DB_URL"] = db_url
    app = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=300)
    app.run()
    slider = app.slider(key="date_slider")
    day, times = slider.value, []
    for _ in range(steps):
        day -= dt.timedelta(days=1)
        started = time.perf_counter()
        app.slider(key="date_slider").set_value(day).run()
        times.append(time.perf_counter() - started)
    return times


def map_document(page):
    for frame in page.frames:
        if frame.url and "st_folium" in frame.url:
            return frame
    raise RuntimeError("map iframe not found")


def busy_seconds(cdp) -> float:
    """The page's renderer main-thread busy time so far (Chrome's ``TaskDuration``): CPU-like, less load-bound."""
    return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")


def slider_steps(chromium, url: str, steps: int) -> tuple[list[float], list[float], float]:
    """Per step: key press to new markers painted, and key press to the page's header showing the new date.

    The first is what a user watching the map feels (the map redraws from the run of days
    it holds); the second is the whole round trip (the server's rerun of the map fragment:
    counts, evidence, downloads). Also the browser's busy time per step.
    """
    page, _log = browser.new_page(chromium, size=(1600, 1000))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    thumb = page.get_by_role("slider", name="Date")
    header = page.locator('[data-testid="stMetricValue"]').first
    thumb.focus()
    painted, settled, busy = [], [], 0.0
    for _ in range(steps):
        before, shown = map_document(page).evaluate(SIGNATURE), header.inner_text()
        busy_before = busy_seconds(cdp)
        started = time.perf_counter()
        thumb.press("ArrowLeft")
        deadline, drawn, caught_up = started + 30, None, None
        while caught_up is None and time.perf_counter() < deadline:
            if drawn is None:
                now = map_document(page).evaluate(SIGNATURE)
                drawn = time.perf_counter() - started if now and now != before else None
            if drawn is not None and header.inner_text() != shown:
                caught_up = time.perf_counter() - started
            else:
                page.wait_for_timeout(10)
        if caught_up is None:
            raise RuntimeError("a slider step did not show within 30 s")
        painted.append(drawn)
        settled.append(caught_up)
        page.wait_for_timeout(300)
        busy += busy_seconds(cdp) - busy_before
    page.context.close()
    return painted, settled, busy / steps


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
        reruns = script_rerun_times(url, args.steps)
        print(f"slider step, server side as a full script rerun (AppTest; the browser reruns only the map "
              f"fragment): median {statistics.median(reruns):.2f} s, max {max(reruns):.2f} s")
        with run_dashboard(data, {"GEO_DB_URL": url}) as app, browser.launch() as chromium:
            print(f"server RSS after start: {rss_mb(app.process.pid):.0f} MB")
            page, log = browser.new_page(chromium, size=(1600, 1000))
            total, after_shell, _busy = time_to_map(page, app.url)
            print(f"first map, cold server (it loads {args.observations:,} observations): {total:.2f} s from "
                  f"navigation, {after_shell:.2f} s after the page shell")
            fresh = []
            for _ in range(args.loads):
                other, _log = browser.new_page(chromium, size=(1600, 1000))
                fresh.append(time_to_map(other, app.url))
                other.context.close()
            reloads = [time_to_map(page, app.url) for _ in range(args.loads)]
            for label, runs in (("new browser (cold cache)", fresh), ("reload (warm cache)", reloads)):
                print(f"first map, warm server, {label}: median {statistics.median(r[0] for r in runs):.2f} s from "
                      f"navigation, {statistics.median(r[1] for r in runs):.2f} s after the page shell "
                      f"(goal <= 2 s); browser main thread busy {statistics.median(r[2] for r in runs):.2f} s")
            if log.blocked:
                print(f"WARNING: requests to other hosts: {log.blocked[:3]}")
            page.context.close()
            server = psutil.Process(app.process.pid)
            cpu_before = sum(server.cpu_times()[:2])
            steps, settled, browser_busy = slider_steps(chromium, app.url, args.steps)
            cpu_per_step = (sum(server.cpu_times()[:2]) - cpu_before) / len(steps)
            print(f"slider step in the browser (key press to new markers drawn): median "
                  f"{statistics.median(steps):.2f} s, max {max(steps):.2f} s over {len(steps)} steps (goal <= 0.3 s)")
            print(f"  key press to the header's new date (the server's rerun of counts, evidence, downloads): "
                  f"median {statistics.median(settled):.2f} s, max {max(settled):.2f} s")
            print(f"  CPU per step: server {cpu_per_step:.2f} s (user+system; includes that session's page load "
                  f"spread over the steps), browser main thread busy {browser_busy:.2f} s")
            print(f"server RSS at the end: {rss_mb(app.process.pid):.0f} MB (goal < 600 MB)")
        print(f"machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
