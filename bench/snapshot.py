"""Briefing snapshots with a large store: PNG time, HTML export time and size, how the file opens. Prints figures.

Fills a temporary SQLite store with ``--observations`` synthetic observations
(geo.synthetic: 1,500 places over two years, 12 outlets) and measures:

* **PNG**: :func:`geo.snapshot.render_png` of one date at 1920x1080, wall time
  (reading the store, the day's view, the page, Chromium start, drawing, writing),
  twice, and whether both files are byte-identical;
* **HTML export**: :func:`geo.snapshot.export_html` of the whole range, wall time,
  file size, and this process's peak RSS;
* **opening it**: in Debian's Chromium from ``file://`` with every request outside
  the machine blocked: time from ``goto`` until the slider's data is unpacked and
  the first step drawn, markers shown, requests blocked (must be 0), and the time
  of ``--steps`` slider moves (each until the next animation frame).

Nothing here is a pass/fail test.

    .venv/bin/python bench/snapshot.py                  # 100,000 observations
    .venv/bin/python bench/snapshot.py --observations 20000
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from geo import browser, snapshot, synthetic  # noqa: E402
from geo.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2023, 6, 1))
    parser.add_argument("--steps", type=int, default=10, help="slider moves timed in the exported file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="geo-bench-snapshot-") as tmp:
        work = Path(tmp)
        store = Store(f"sqlite:///{work / 'store.sqlite'}")
        started = time.perf_counter()
        synthetic.fill(store, args.observations)
        stats = store.stats()
        print(f"store: {stats['observations']:,} observations, {stats['articles']:,} articles, "
              f"{stats['places']:,} places, {stats['first_date']} to {stats['last_date']} "
              f"(filled in {time.perf_counter() - started:.1f} s)")

        times, files = [], []
        for run in range(2):
            out = work / f"map{run}.png"
            started = time.perf_counter()
            result = snapshot.render_png(out, args.date, store=store)
            times.append(time.perf_counter() - started)
            files.append(out.read_bytes())
        print(f"PNG 1920x1080 of {args.date}: {times[0]:.1f} s, {times[1]:.1f} s; {len(result.places):,} places; "
              f"{len(files[0]) / 1e3:.0f} kB; identical: {files[0] == files[1]}")

        out = work / "map.html"
        started = time.perf_counter()
        n_places = snapshot.export_html(store, out)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"HTML export: {seconds:.1f} s, {out.stat().st_size / 1e6:.1f} MB, {n_places:,} places; "
              f"peak RSS of this process {peak:.0f} MB")

        with browser.launch() as chromium:
            page, log = browser.new_page(chromium, size=(1280, 720))
            started = time.perf_counter()
            browser.open_html(page, out, timeout_ms=120_000)
            browser.wait_drawn(page, ".geo-timeline[data-ready]", timeout_ms=120_000)
            ready = time.perf_counter() - started
            n_steps = int(page.eval_on_selector(".geo-timeline-slider", "e => e.max")) + 1
            markers = page.locator("path.geomap-marker").count()
            moves = []
            for k in range(args.steps):
                value = str((k + 1) * (n_steps - 1) // (args.steps + 1))
                started = time.perf_counter()
                page.fill(".geo-timeline-slider", value)
                page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => resolve()))")
                moves.append(time.perf_counter() - started)
            print(f"opened from file://: ready in {ready:.2f} s, {n_steps} steps, {markers:,} markers on the first; "
                  f"slider move median {statistics.median(moves):.3f} s, max {max(moves):.3f} s; "
                  f"requests blocked: {len(log.blocked)}, page errors: {len(log.page_errors)}")
        store.close()


if __name__ == "__main__":
    main()
