"""Load benchmark: N concurrent browser sessions open the dashboard's map and move its date slider.

Fills a temporary store with ``--observations`` synthetic observations
(geo.synthetic), starts one dashboard on 127.0.0.1 (geo.dashboard_server, the
same way the browser tests do) or uses ``--url``, opens one warm-up session (the
first run after a start loads the observations), then runs ``--sessions``
browser contexts at once in one headless Chromium. Each session:

* **time to map**: ``page.goto`` until the first marker (``path.leaflet-interactive``)
  is drawn in the map's iframe;
* **slider steps**: ``--steps`` presses of the date slider's arrow key, each until
  the markers differ from before.

A page error, a Streamlit exception box, a request to another machine or a
timeout counts as an error. Bounded: at most 50 sessions, each cut off after
``--timeout`` seconds. Prints p50/p95/max time to map and per slider step, the
error count and the server's peak RSS; exit status 1 when any session failed.

    .venv/bin/python bench/load.py                          # 20 sessions, 20,000 observations
    .venv/bin/python bench/load.py --observations 100000 --sessions 20
    .venv/bin/python bench/load.py --url http://127.0.0.1:8501 --sessions 10
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import psutil  # noqa: E402

from geo import synthetic  # noqa: E402
from geo.browser import CHROMIUM_ARGS, chromium_path, is_local_url  # noqa: E402
from geo.dashboard_server import run_dashboard  # noqa: E402
from geo.store import Store  # noqa: E402

MAX_SESSIONS = 50
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKERS = "path.leaflet-interactive"
EXCEPTION = "[data-testid='stException']"
SIGNATURE = "() => Array.from(document.querySelectorAll('path.geomap-marker')).map(p => p.getAttribute('d')).join('|')"


@dataclass
class SessionResult:
    time_to_map: float | None = None
    step_times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class PeakRss(threading.Thread):
    """Samples a process's resident memory every 0.2 s; ``peak`` in bytes."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process, self.peak, self.done = psutil.Process(pid), 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            with contextlib.suppress(psutil.Error):
                self.peak = max(self.peak, self.process.memory_info().rss)
            self.done.wait(0.2)


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User + system CPU time used so far by ``processes`` (gone ones count 0)."""
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def browser_processes(server_pid: int | None) -> list[psutil.Process]:
    """This script's descendants except the dashboard: Playwright's driver and Chromium."""
    return [p for p in psutil.Process().children(recursive=True) if p.pid != server_pid]


def map_frame(page):
    """The map's iframe (streamlit-folium's component), or None before it exists."""
    return next((f for f in page.frames if "st_folium" in (f.url or "")), None)


async def markers_signature(page) -> str:
    frame = map_frame(page)
    if frame is None:
        return ""
    try:
        return await frame.evaluate(SIGNATURE)
    except Exception:  # noqa: BLE001 - the frame is being replaced
        return ""


async def session(browser, base: str, steps: int, timeout: float) -> SessionResult:
    """One analyst: open the map, then move the date slider back ``steps`` days."""
    result = SessionResult()
    context = await browser.new_context(viewport={"width": 1600, "height": 1000}, service_workers="block")

    async def route(route_) -> None:
        if is_local_url(route_.request.url):
            await route_.continue_()
        else:
            result.errors.append(f"request to another machine: {route_.request.url}")
            await route_.abort("blockedbyclient")

    await context.route("**/*", route)
    context.on("weberror", lambda e: result.errors.append(f"page error: {e.error}"))
    page = await context.new_page()
    deadline = time.monotonic() + timeout
    try:
        started = time.monotonic()
        await page.goto(base, timeout=timeout * 1000)
        await page.frame_locator(MAP_FRAME).locator(MARKERS).first.wait_for(timeout=timeout * 1000)
        result.time_to_map = time.monotonic() - started
        thumb = page.get_by_role("slider", name="Date")
        await thumb.focus()
        for _ in range(steps):
            before = await markers_signature(page)
            started = time.monotonic()
            await thumb.press("ArrowLeft")
            while (now := await markers_signature(page)) in ("", before):
                if time.monotonic() > deadline:
                    raise TimeoutError("the map did not change after a slider step")
                await asyncio.sleep(0.02)
            result.step_times.append(time.monotonic() - started)
            await asyncio.sleep(0.3)  # an analyst looks before the next step
        if await page.locator(EXCEPTION).count():
            result.errors.append("the app shows an exception: " + (await page.locator(EXCEPTION).first.inner_text())[:200])
    except Exception as error:  # noqa: BLE001 - every failure is reported; none stops the other sessions
        result.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
    finally:
        await context.close()
    return result


async def run_load(base: str, sessions: int, steps: int, timeout: float) -> tuple[SessionResult, list[SessionResult]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        try:
            warm = await session(browser, base, 1, timeout)
            results = await asyncio.gather(*(session(browser, base, steps, timeout) for _ in range(sessions)))
            CPU["browser"] = cpu_seconds(browser_processes(CPU.get("server_pid")))
        finally:
            await browser.close()
    return warm, list(results)


#: CPU seconds spent by the browser side, filled in by :func:`run_load` before Chromium exits.
CPU: dict[str, float] = {}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-q * len(ordered) // 100))  # ceil(q/100 * n)
    return ordered[int(rank) - 1]


def describe(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: no measurements"
    return (f"{name}: p50 {statistics.median(values):.2f} s, p95 {percentile(values, 95):.2f} s, "
            f"max {max(values):.2f} s (n={len(values)})")


def report(args: argparse.Namespace, warm: SessionResult, results: list[SessionResult], wall: float,
           peak_rss: int | None) -> int:
    failed = [r for r in results if r.errors or r.time_to_map is None]
    print(f"{args.sessions} concurrent sessions x {args.steps} slider steps, {wall:.1f} s wall time")
    print(f"warm-up session (first after start): time to map {warm.time_to_map or float('nan'):.2f} s"
          + (f"; errors: {warm.errors}" if warm.errors else ""))
    print(describe("time to map", [r.time_to_map for r in results if r.time_to_map is not None]))
    print(describe("slider step (key press to new markers)", [t for r in results for t in r.step_times]))
    if peak_rss is not None:
        print(f"server peak RSS: {peak_rss / 2**20:.0f} MB")
    if "server" in CPU:
        print(f"CPU seconds during the run: server {CPU['server']:.0f}, browser (Chromium + driver) "
              f"{CPU.get('browser', float('nan')):.0f}, on {psutil.cpu_count()} cores "
              f"(load average {psutil.getloadavg()[0]:.1f})")
    print(f"sessions with errors: {len(failed)} of {len(results)}")
    for n, r in enumerate(failed, 1):
        print(f"  session {n}: {'; '.join(r.errors[:3]) or 'no map'}")
    return 1 if failed or warm.errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help=f"concurrent browser sessions (max {MAX_SESSIONS})")
    parser.add_argument("--steps", type=int, default=3, help="slider steps per session")
    parser.add_argument("--observations", type=int, default=20_000, help="synthetic observations in the store")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a session is cut off")
    parser.add_argument("--url", help="an already running dashboard (no store is made, no server started)")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be between 1 and {MAX_SESSIONS}")

    if args.url:
        started = time.monotonic()
        warm, results = asyncio.run(run_load(args.url, args.sessions, args.steps, args.timeout))
        return report(args, warm, results, time.monotonic() - started, None)

    with tempfile.TemporaryDirectory(prefix="geo-load-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        with Store(url) as store:
            written = synthetic.fill(store, args.observations)
        print(f"store: {written:,} synthetic observations")
        with run_dashboard(Path(tmp), {"GEO_DB_URL": url}) as app:
            sampler = PeakRss(app.process.pid)
            sampler.start()
            CPU["server_pid"] = app.process.pid
            server_cpu = cpu_seconds([sampler.process])
            started = time.monotonic()
            warm, results = asyncio.run(run_load(app.url, args.sessions, args.steps, args.timeout))
            wall = time.monotonic() - started
            CPU["server"] = cpu_seconds([sampler.process]) - server_cpu
            sampler.done.set()
            print(f"dashboard {app.url}")
            return report(args, warm, results, wall, sampler.peak)


if __name__ == "__main__":
    sys.exit(main())
