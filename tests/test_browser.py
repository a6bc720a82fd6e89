"""The shared offline browser: what counts as leaving the machine, and what a page is caught doing."""
from __future__ import annotations

import http.server
import io
import threading
from pathlib import Path

import pytest

from geo import browser
from geo.browser import is_local_url

needs_chromium = pytest.mark.skipif(not browser.chromium_available(), reason="Debian chromium not installed")


@pytest.mark.parametrize(
    "url",
    [
        "file:///tmp/map.html",
        "data:image/png;base64,AAAA",
        "blob:file:///1234",
        "about:blank",
        "http://127.0.0.1:8501/static/leaflet.js",
        "http://localhost:8501/_stcore/health",
        "ws://127.0.0.1:8501/_stcore/stream",
        "http://[::1]:8000/",
    ],
)
def test_local_urls_stay_on_the_machine(url):
    assert is_local_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "https://tile.openstreetmap.org/5/18/11.png",
        "http://127.0.0.1.evil.example/x",
        "http://localhost.example.com/",
        "wss://example.com/socket",
        "ftp://127.0.0.1/file",
        "//example.com/protocol-relative",
        "http://[not-an-ip/",
    ],
)
def test_other_hosts_and_schemes_leave_the_machine(url):
    assert not is_local_url(url)


def test_extra_allowed_hosts_are_honoured():
    assert is_local_url("https://tile.openstreetmap.org/1/1/1.png", browser.LOCAL_HOSTS | {"tile.openstreetmap.org"})


def test_missing_chromium_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("GEO_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert not browser.chromium_available()
    with pytest.raises(browser.BrowserUnavailable, match="apt-get install -y chromium"):
        with browser.launch():
            pass


@pytest.fixture(scope="module")
def chromium():
    with browser.launch() as b:
        yield b


@pytest.fixture
def local_server(tmp_path):
    """A static file server on 127.0.0.1 serving ``tmp_path``."""
    (tmp_path / "hello.txt").write_text("hello from 127.0.0.1")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@needs_chromium
def test_external_requests_are_blocked_and_recorded_local_ones_pass(chromium, local_server, tmp_path):
    (tmp_path / "page.html").write_text(
        """<html><body>
        <img src="https://tile.openstreetmap.org/1/1/1.png">
        <script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>
        <pre id="local"></pre>
        <script>fetch("/hello.txt").then(r => r.text())
            .then(t => document.getElementById("local").textContent = t);</script>
        </body></html>"""
    )
    page, log = browser.new_page(chromium, size=(400, 300))
    page.goto(f"{local_server}/page.html")
    page.wait_for_function("document.getElementById('local').textContent.length > 0")
    assert page.inner_text("#local") == "hello from 127.0.0.1"
    assert sorted(log.blocked) == [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "https://tile.openstreetmap.org/1/1/1.png",
    ]
    assert log.requests == [f"{local_server}/page.html", f"{local_server}/hello.txt"]
    assert any("blocked request" in p for p in log.problems())


@pytest.mark.browser
@needs_chromium
def test_external_websockets_are_refused(chromium):
    page, log = browser.new_page(chromium, size=(400, 300))
    browser.open_html(page, "<script>window.ws = new WebSocket('wss://example.com/socket');</script>")
    page.wait_for_function("window.ws.readyState === WebSocket.CLOSED")
    assert log.blocked == ["wss://example.com/socket"]


@pytest.mark.browser
@needs_chromium
def test_dialogs_console_errors_and_page_errors_are_recorded(chromium):
    page, log = browser.new_page(chromium, size=(400, 300))
    browser.open_html(
        page,
        """<script>alert("xss"); console.error("broken thing");</script>
        <script>setTimeout(() => { throw new Error("uncaught boom") }, 0)</script><p id=done>ok</p>""",
    )
    browser.wait_drawn(page, "#done")
    page.wait_for_timeout(50)  # let the queued throw run
    assert log.dialogs == ["alert: xss"]
    assert log.console_errors == ["broken thing"]
    assert any("uncaught boom" in e for e in log.page_errors)


@pytest.mark.browser
@needs_chromium
def test_render_png_has_the_asked_size_and_is_deterministic(tmp_path):
    from PIL import Image

    html = """<html><body style="margin:0;font-family:'DejaVu Sans'">
      <div id="box" style="width:300px;height:200px;background:#c0392b;color:white;font-size:40px">Kyiv</div>
      </body></html>"""
    first, log = browser.render_png(html, size=(640, 360), wait_for="#box", out=tmp_path / "a.png")
    second, _ = browser.render_png(html, size=(640, 360), wait_for="#box")
    image = Image.open(io.BytesIO(first)).convert("RGB")
    assert image.size == (640, 360)
    assert image.getpixel((250, 150)) == (0xC0, 0x39, 0x2B)
    assert image.getpixel((600, 300)) == (255, 255, 255)
    assert first == second  # same input, same picture
    assert (tmp_path / "a.png").read_bytes() == first
    assert log.problems() == []


@pytest.mark.browser
@needs_chromium
def test_a_file_opens_through_file_url_with_its_relative_assets(chromium, tmp_path):
    (tmp_path / "style.css").write_text("#x { width: 123px; }")
    (tmp_path / "page.html").write_text('<link rel="stylesheet" href="style.css"><div id="x">x</div>')
    page, log = browser.new_page(chromium, size=(400, 300))
    browser.open_html(page, Path(tmp_path / "page.html"))
    assert page.url.startswith("file://")
    assert page.eval_on_selector("#x", "e => e.getBoundingClientRect().width") == 123
    assert log.blocked == []


@pytest.mark.browser
@needs_chromium
def test_a_page_that_never_draws_says_why():
    html = "<script>throw new Error('map script broke')</script>"
    with pytest.raises(browser.PageNotDrawn, match="#map never appeared: page error: .*map script broke") as caught:
        browser.render_png(html, size=(320, 200), wait_for="#map", timeout_ms=1_500)
    assert caught.value.log.page_errors
