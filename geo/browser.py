"""One shared way to drive Debian's Chromium through Playwright, offline.

The PNG snapshot, the HTML export's tests, the dashboard's end-to-end tests and
the security tests all need the same things from a browser: launch the system
Chromium (Playwright's own browser download does not work here), refuse every
request that would leave the machine *and remember it* (so a test can fail on
it), collect console errors, page errors and dialogs (an ``alert`` fired by
article text is a security bug), wait until the map is really drawn, and take a
deterministic screenshot. Keeping this in one module means every face of the
product is checked against the same definition of "offline".

Typical use::

    with launch() as browser:
        page, log = new_page(browser, size=(1200, 800))
        open_html(page, "<h1>hi</h1>")
        wait_drawn(page, "h1")
        screenshot(page, "out.png")
    assert not log.blocked
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

if TYPE_CHECKING:  # Playwright is imported lazily: the CLI's --help must stay fast.
    from playwright.sync_api import Browser, BrowserContext, Page

T = TypeVar("T")

#: Debian's Chromium; ``GEO_CHROMIUM`` points elsewhere (e.g. another distribution's path).
DEFAULT_CHROMIUM = "/usr/bin/chromium"

#: Flags for a headless, quiet, root-safe Chromium that phones nowhere on its own.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Same input, same picture: no font hinting differences from the GPU path,
    # and a fixed colour profile.
    "--font-render-hinting=none",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
)

#: Hosts a page may talk to: this machine only.
LOCAL_HOSTS: frozenset[str] = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

#: URL schemes that never leave the machine.
LOCAL_SCHEMES: frozenset[str] = frozenset({"file", "data", "blob", "about", "chrome-error", "javascript"})


#: At most this many :func:`render_png` browsers run at once in one process; more callers wait.
#: Each headless Chromium takes a few hundred MB, and a hosted dashboard's viewers can all
#: press "PNG" at the same moment.
MAX_CONCURRENT_RENDERS = 2
_RENDER_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT_RENDERS)


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is missing; the message says what to install."""


def chromium_path() -> str:
    """The Chromium executable to launch (``GEO_CHROMIUM`` or Debian's ``/usr/bin/chromium``)."""
    return os.environ.get("GEO_CHROMIUM") or DEFAULT_CHROMIUM


def chromium_available() -> bool:
    """Whether a browser test or a snapshot can run here at all."""
    path = chromium_path()
    if not (Path(path).exists() or shutil.which(path)):
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def is_local_url(url: str, allowed_hosts: Iterable[str] = LOCAL_HOSTS) -> bool:
    """True when loading ``url`` cannot make a request leave the machine.

    ``file:``, ``data:``, ``blob:`` and ``about:`` are local by nature; ``http``,
    ``https``, ``ws`` and ``wss`` only when their host is one of ``allowed_hosts``.
    Anything else (``ftp:``, an unparsable URL) counts as leaving.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in LOCAL_SCHEMES:
        return True
    if scheme in {"http", "https", "ws", "wss"}:
        allowed = {h.strip("[]").lower() for h in allowed_hosts}
        return (host or "").lower() in allowed
    return False


@dataclass
class PageLog:
    """What a page did that a test or a caller may want to refuse.

    ``blocked`` lists every URL the page tried to fetch from another machine
    (each was aborted); ``requests`` every URL it fetched locally.
    """

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything a clean offline page should not have produced, one line each."""
        return (
            [f"blocked request: {u}" for u in self.blocked]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"dialog: {m}" for m in self.dialogs]
        )


@contextmanager
def launch(*, timeout_ms: float = 60_000) -> Iterator[Browser]:
    """Start headless Chromium with :data:`CHROMIUM_ARGS`; closed on exit.

    Raises :class:`BrowserUnavailable` with an install hint when Playwright or
    Chromium is missing, rather than Playwright's suggestion to download its own
    browser (which cannot work offline).
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as e:  # pragma: no cover - playwright is a core dependency
        raise BrowserUnavailable("Playwright is not installed: pip install playwright") from e
    path = chromium_path()
    if not (Path(path).exists() or shutil.which(path)):
        raise BrowserUnavailable(
            f"Chromium not found at {path}: install Debian's package (apt-get install -y chromium) "
            "or set GEO_CHROMIUM to a Chromium executable"
        )
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=path, args=list(CHROMIUM_ARGS), timeout=timeout_ms
            )
        except PlaywrightError as e:
            raise BrowserUnavailable(f"Chromium at {path} failed to start: {e.message.splitlines()[0]}") from e
        try:
            yield browser
        finally:
            browser.close()


def new_context(
    browser: Browser,
    *,
    size: tuple[int, int] = (1280, 800),
    allowed_hosts: Iterable[str] = LOCAL_HOSTS,
    scale: float = 1.0,
    accept_downloads: bool = False,
) -> tuple[BrowserContext, PageLog]:
    """A fresh, isolated, offline browser context and the log it writes to.

    Every HTTP(S) request to a host outside ``allowed_hosts`` is aborted and
    recorded in ``log.blocked``; WebSockets likewise. Service workers are
    blocked because their fetches would escape the context's routing. Console
    errors, uncaught page errors and dialogs (dismissed) are recorded from every
    page and frame of the context. Motion is reduced and the locale, time zone
    and colour scheme are fixed so the same input gives the same picture.
    """
    allowed = frozenset(allowed_hosts)
    log = PageLog()
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]},
        device_scale_factor=scale,
        locale="en-GB",
        timezone_id="UTC",
        color_scheme="light",
        reduced_motion="reduce",
        service_workers="block",
        accept_downloads=accept_downloads,
    )

    def route(route_) -> None:
        url = route_.request.url
        if is_local_url(url, allowed):
            log.requests.append(url)
            route_.continue_()
        else:
            log.blocked.append(url)
            route_.abort("blockedbyclient")

    def route_socket(socket) -> None:
        if is_local_url(socket.url, allowed):
            socket.connect_to_server()
        else:
            log.blocked.append(socket.url)
            socket.close(code=1008, reason="offline")

    context.route("**/*", route)
    context.route_web_socket("**/*", route_socket)
    context.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    context.on("weberror", lambda err: log.page_errors.append(str(err.error)))

    def on_dialog(dialog) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.on("dialog", on_dialog)
    return context, log


def new_page(browser: Browser, **context_options) -> tuple[Page, PageLog]:
    """A page in its own :func:`new_context` (same options); closing the browser closes both."""
    context, log = new_context(browser, **context_options)
    return context.new_page(), log


def open_html(page: Page, source: str | Path, *, timeout_ms: float = 30_000) -> None:
    """Load an HTML string, or a file (``Path``) through ``file://``, and wait for ``load``.

    A file keeps its relative asset links working; a string is written to a
    temporary file first for the same reason (and so the page's origin is
    ``file://``, exactly as a recipient opening an exported file sees it).
    """
    if isinstance(source, Path):
        page.goto(source.resolve().as_uri(), wait_until="load", timeout=timeout_ms)
        return
    with tempfile.TemporaryDirectory(prefix="geo-page-") as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(source, encoding="utf-8")
        page.goto(path.as_uri(), wait_until="load", timeout=timeout_ms)


def wait_drawn(page: Page, selector: str | None = None, *, timeout_ms: float = 30_000) -> None:
    """Wait until ``selector`` is visible, web fonts are ready and two frames have painted.

    Waiting on the element (not a fixed sleep) keeps slow first runs reliable;
    the two animation frames let Leaflet finish laying out SVG paths after the
    element appears, so a screenshot never catches a half-drawn map.
    """
    if selector:
        page.wait_for_selector(selector, state="visible", timeout=timeout_ms)
    page.evaluate(
        """() => document.fonts.ready.then(() => new Promise(resolve =>
               requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))))"""
    )


def screenshot(page: Page, out: str | Path | None = None) -> bytes:
    """A viewport-sized PNG (exactly the context's size × scale) with animations and caret frozen."""
    data = page.screenshot(
        type="png", full_page=False, animations="disabled", caret="hide", scale="device"
    )
    if out is not None:
        Path(out).write_bytes(data)
    return data


class PageNotDrawn(RuntimeError):
    """The awaited element never appeared; the message says what the page did instead (``log``)."""

    def __init__(self, message: str, log: PageLog) -> None:
        super().__init__(message)
        self.log = log


def render_png(
    source: str | Path,
    *,
    size: tuple[int, int] = (1920, 1080),
    scale: float = 1.0,
    wait_for: str | None = None,
    out: str | Path | None = None,
    timeout_ms: float = 30_000,
) -> tuple[bytes, PageLog]:
    """Render an HTML string or file offline to a PNG: ``size`` CSS pixels, ``scale`` device pixels each.

    Launches its own browser: fine for a CLI command or a download button,
    wasteful in a loop (use :func:`launch` and :func:`new_page` there). Runs in
    a worker thread when this thread already has an event loop running (a
    Playwright session of a test, an async server), since Playwright's sync API
    refuses to start inside one. Raises :class:`PageNotDrawn` when ``wait_for``
    never shows, naming the page's errors and blocked requests.
    """
    from playwright.sync_api import Error as PlaywrightError

    def render() -> tuple[bytes, PageLog]:
        with launch() as browser:
            page, log = new_page(browser, size=size, scale=scale)
            page.set_default_timeout(timeout_ms)
            open_html(page, source, timeout_ms=timeout_ms)
            try:
                wait_drawn(page, wait_for, timeout_ms=timeout_ms)
            except PlaywrightError as e:
                detail = "; ".join(log.problems()) or e.message.splitlines()[0]
                raise PageNotDrawn(f"{wait_for} never appeared: {detail}", log) from e
            return screenshot(page, out), log

    with _RENDER_SLOTS:  # a burst of PNG downloads on a hosted dashboard must not start a Chromium each
        return run_outside_event_loop(render)


def run_outside_event_loop(function: Callable[[], T]) -> T:
    """Call ``function`` here, or in a fresh thread if an asyncio loop runs in this one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()
