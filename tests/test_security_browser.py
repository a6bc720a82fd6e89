"""No script from an article ever runs: checked in Debian's Chromium.

A hostile article (``<script>`` and ``<img onerror>`` in its text, title and
outlet, a ``javascript:`` URL, template-literal syntax) is ingested into a
temporary store. Then every face that shows it is opened in a real browser,
hovering and clicking every marker and opening the evidence: the map page, the
self-contained HTML export and the running dashboard. No dialog may fire, no
element from the article may appear, no ``javascript:`` link may exist, and the
hostile text must be visible as text.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_extractor import keyword_extractor
from geo import browser
from geo.articles import Article
from geo.store import Store

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not browser.chromium_available(), reason="Debian chromium not installed")]

PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "test-artifacts"
DAY = dt.date(2022, 3, 3)

#: Each payload calls alert() with a tag naming where it was planted, so a failure says which one ran.
TEXT = ("Kherson was captured <script>alert('text-script')</script> by troops on Tuesday. "
        "Mariupol was shelled <img src=x onerror=alert('text-img')> again ${alert('text-template')} `x` \\`. "
        "Kyiv appears to be surrounded, see javascript:alert('text-link').")
HOSTILE = Article(
    id="hostile-1", text=TEXT, date=DAY, date_precision="day",
    title="<img src=x onerror=alert('title')> Kherson falls",
    outlet="<script>alert('outlet')</script>",
    url="javascript:alert('url')",
)
#: Visible text the pages must show literally.
LITERALS = ["<script>alert('text-script')</script>", "<img src=x onerror=alert('text-img')>"]

#: Finds any element or link an article could have planted, in a page or frame.
PLANTED = r"""() => ({
  scripts: [...document.querySelectorAll('script')].filter(s => /^\s*alert\(/.test(s.textContent || '')).length,
  imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
  jsLinks: [...document.querySelectorAll('a[href]')].filter(a => /^\s*(javascript|data|vbscript):/i
            .test(a.getAttribute('href'))).map(a => a.getAttribute('href')),
})"""


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> tuple[Path, str]:
    """A data dir whose default store holds the hostile article (and one harmless one)."""
    data = tmp_path_factory.mktemp("hostile-data")
    url = f"sqlite:///{data / 'store.sqlite'}"
    harmless = Article(id="plain-1", text="Kyiv was shelled.", date=DAY, date_precision="day",
                       title="Plain", outlet="AP", url="https://example.org/a")
    with Store(url) as store:
        summary = store.ingest([HOSTILE, harmless], factory=keyword_extractor)
        assert summary.new == 2 and summary.observations >= 4
    return data, url


@pytest.fixture(scope="module")
def chromium():
    with browser.launch() as b:
        yield b


def exercise_map(frame, log) -> list[str]:
    """Hover and click every marker and area of a Leaflet map in ``frame``; return tooltip and popup texts."""
    frame.wait_for_selector("path.leaflet-interactive", state="visible", timeout=60_000)
    texts = []
    shapes = frame.locator("path.leaflet-interactive")
    for i in range(shapes.count()):
        shape = shapes.nth(i)
        try:
            shape.hover(timeout=5_000, force=True)
            texts.extend(frame.locator(".leaflet-tooltip").all_inner_texts())
            shape.click(timeout=5_000, force=True)
            texts.extend(frame.locator(".leaflet-popup-content").all_inner_texts())
            close = frame.locator(".leaflet-popup-close-button")
            if close.count():
                close.first.click(force=True, timeout=5_000)
        except Exception:  # noqa: BLE001 - a shape redrawn by a rerun or under another; the others still count
            continue
    return texts


def assert_nothing_ran(page, log) -> None:
    """No dialog, no planted element or link in any frame of ``page``."""
    time.sleep(0.5)  # let any deferred onerror/timer fire before judging
    assert log.dialogs == [], log.dialogs
    for frame in page.frames:
        planted = frame.evaluate(PLANTED)
        assert planted == {"scripts": 0, "imgs": 0, "jsLinks": []}, (frame.url, planted)


def test_the_map_page_shows_hostile_text_as_text(chromium, hostile_store, tmp_path):
    from geo.mapview import build_map
    from geo.timeline import snapshot_at

    _data, url = hostile_store
    with Store(url) as store:
        places = snapshot_at(store.observations_frame(), DAY)
    page_file = tmp_path / "map.html"
    build_map(places, assets="file").save(str(page_file))
    page, log = browser.new_page(chromium)
    browser.open_html(page, page_file)
    texts = exercise_map(page, log)
    assert_nothing_ran(page, log)
    shown = "\n".join(texts)
    for literal in LITERALS:
        assert literal in shown, shown
    assert "javascript:alert('url')" not in [a.get_attribute("href") for a in page.locator("a").all()]
    assert not log.page_errors, log.page_errors


def test_the_html_export_shows_hostile_text_as_text(chromium, hostile_store, tmp_path):
    _data, url = hostile_store
    out = tmp_path / "export.html"
    run = subprocess.run([sys.executable, "-m", "geo", "export", "--format", "html", "--out", str(out),
                          "--db", url], capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert run.returncode == 0, run.stderr
    page, log = browser.new_page(chromium)
    browser.open_html(page, out)
    texts = exercise_map(page, log)
    assert_nothing_ran(page, log)
    shown = "\n".join(texts) + page.locator("body").inner_text()
    assert all(literal in shown for literal in LITERALS), shown
    assert not log.blocked, log.blocked


# --- the running dashboard ----------------------------------------------------------

@pytest.fixture(scope="module")
def dashboard(hostile_store):
    """The dashboard on 127.0.0.1, reading the hostile store; yields its URL."""
    from geo.dashboard_server import run_dashboard

    data, _url = hostile_store
    with run_dashboard(data, {"GEO_DB_URL": ""}) as app:
        yield app.url


def _map_frame(page):
    """The iframe that holds the Leaflet map (streamlit-folium renders it in one)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.locator("path.leaflet-interactive").count():
                    return frame
            except Exception:  # noqa: BLE001 - a frame navigating away
                pass
        time.sleep(0.5)
    raise AssertionError("no map with markers appeared in the dashboard")


def wait_for_rerun(page) -> None:
    """Wait until Streamlit has finished the rerun a widget change started."""
    try:
        page.locator("[data-testid='stStatusWidget']").first.wait_for(state="visible", timeout=1500)
    except Exception:  # noqa: BLE001 - a fast rerun may be over before we look
        pass
    page.locator("[data-testid='stStatusWidget']").first.wait_for(state="detached", timeout=60_000)


def test_the_dashboard_shows_hostile_text_as_text(chromium, dashboard):
    page, log = browser.new_page(chromium, size=(1400, 1000))
    page.goto(dashboard, wait_until="domcontentloaded", timeout=60_000)
    texts = exercise_map(_map_frame(page), log)
    assert_nothing_ran(page, log)
    # The evidence panel of every place: choose each in the place picker.
    picker = page.locator(".st-key-place_pick [role='combobox']")
    wait_for_rerun(page)  # a marker click selects its place: let that rerun finish first
    picker.click()
    page.locator("[role='option']").first.wait_for(state="visible", timeout=30_000)
    n_places = page.locator("[role='option']").count()
    page.keyboard.press("Escape")
    assert n_places >= 3
    for i in range(n_places):
        picker.click()
        option = page.locator("[role='option']").nth(i)
        option.wait_for(state="visible", timeout=30_000)
        name = option.inner_text().split(" (")[0]
        option.click()
        page.wait_for_function("name => document.querySelector(\"[data-testid='stMain']\").innerText"
                               ".includes(name + ': ') ", arg=name, timeout=60_000)
        wait_for_rerun(page)
        texts.append(page.locator("[data-testid='stMain']").inner_text())
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(page, ARTIFACTS / "dashboard-hostile-article.png")
    assert_nothing_ran(page, log)
    shown = "\n".join(texts)
    for literal in LITERALS + ["<img src=x onerror=alert('title')> Kherson falls"]:
        assert literal in shown
    assert not log.blocked, log.blocked


# --- hosted mode, end to end ------------------------------------------------------------

def test_hosted_mode_from_secrets_toml_viewers_read_editors_sign_in(chromium, hostile_store, tmp_path):
    """Secrets in ~/.streamlit/secrets.toml (store URL, password hash) reach the running app:
    a visitor gets the map but no editing tabs; the password in the sidebar brings them."""
    from geo.dashboard_server import run_dashboard
    from geo.passwords import hash_password

    _data, url = hostile_store
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "secrets.toml").write_text(
        f'GEO_DB_URL = "{url}"\nGEO_EDITOR_PASSWORD_HASH = "{hash_password("correct horse battery")}"\n')
    empty_data = tmp_path / "data"  # the default store would be here, and is unreadable
    empty_data.mkdir()
    (empty_data / "store.sqlite").write_bytes(b"not a database" * 100)
    with run_dashboard(empty_data, {"HOME": str(home), "GEO_DB_URL": ""}) as app:
        page, log = browser.new_page(chromium, size=(1400, 1000))
        page.goto(app.url, wait_until="domcontentloaded", timeout=60_000)
        _map_frame(page)  # a map, so the store URL came from the secrets (the default store is broken)
        tabs = page.get_by_role("tab")
        tabs.first.wait_for(timeout=60_000)
        assert {"Add articles", "Delete"}.isdisjoint(tabs.all_inner_texts())
        assert page.locator("[data-testid='stFileUploader']").count() == 0
        password = page.get_by_label("Editor password")
        password.fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Wrong password.").wait_for(timeout=60_000)
        password.fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Signed in as editor.").wait_for(timeout=60_000)
        page.get_by_role("tab", name="Delete").wait_for(timeout=60_000)  # the rerun reaches the tabs after the map
        assert {"Add articles", "Delete"} <= set(page.get_by_role("tab").all_inner_texts())
        assert not log.dialogs and not log.blocked
