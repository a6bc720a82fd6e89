"""A burst of PNG renders (every viewer of a hosted dashboard pressing "PNG") starts at most a few browsers."""
from __future__ import annotations

import threading
import time

from geo import browser


def test_concurrent_png_renders_wait_for_a_free_browser_slot(monkeypatch):
    active, peak, lock = 0, 0, threading.Lock()

    def fake_render(function):  # stands in for launching Chromium and taking the screenshot
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        return b"png", browser.PageLog()

    monkeypatch.setattr(browser, "run_outside_event_loop", fake_render)
    results = []
    threads = [threading.Thread(target=lambda: results.append(browser.render_png("<p>x</p>")))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == 8 and all(png == b"png" for png, _log in results)
    assert peak == browser.MAX_CONCURRENT_RENDERS
