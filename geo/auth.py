"""Who may change the shared store: editors sign in, everyone else only views.

Roles:

* **Hosted mode** (``GEO_EDITOR_PASSWORD_HASH`` set): a viewer becomes an
  editor by typing the password in the sidebar. The grant lives in the
  server-side session state as an :class:`EditorGrant` object, which no widget
  and no browser message can create, and it ends when the configured hash
  changes (password rotated) or after :data:`GRANT_SECONDS`.
* **Local mode** (no hash): nobody can sign in; a browser on the server machine
  itself (loopback connection, no proxy headers) is an editor, so an analyst's
  ``streamlit run dashboard.py`` works without set-up, while the same app
  reached over the network or through a reverse proxy is read-only.

The widgets are only half of it: :func:`require_editor` is called by the
functions that upload, delete and re-date, so they refuse on the server even if
a client sends widget events the page never showed it.

Wrong passwords are rate-limited per browser session *and* per client address
(a fresh session does not reset the count): :data:`FREE_ATTEMPTS` tries, then
an exponential wait, capped at :data:`MAX_WAIT_SECONDS`.
"""
from __future__ import annotations

import hashlib
import ipaddress
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from geo.passwords import verify_password
from geo.settings import Settings, load_settings

#: Session-state key of the editor grant (not a widget key, so never client-set).
GRANT_KEY = "_geo_editor_grant"
GRANT_SECONDS = 12 * 3600
FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300.0
#: Failures older than this are forgotten.
FORGET_SECONDS = 3600.0
#: Most keys the limiter remembers (oldest dropped first): bounded memory under attack.
MAX_TRACKED_KEYS = 10_000
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


class EditorRequired(PermissionError):
    """An editing function was called without the editor role."""


@dataclass(frozen=True)
class EditorGrant:
    """Proof, kept server-side in the session, that this session signed in."""

    fingerprint: str  # of the password hash the grant was issued under
    expires: float    # time.time() after which the grant no longer counts


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    message: str
    wait_seconds: float = 0.0


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


class RateLimiter:
    """Counts wrong passwords per key and says how long a key must wait before trying again.

    After :data:`FREE_ATTEMPTS` failures a key waits 1 s, then 2, 4, … up to
    :data:`MAX_WAIT_SECONDS`. Thread-safe: Streamlit runs sessions in threads
    of one process, which shares one limiter.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (failures, time of last failure)
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def _wait_for(self, failures: int, last: float, now: float) -> float:
        if failures < FREE_ATTEMPTS:
            return 0.0
        delay = min(MAX_WAIT_SECONDS, 2.0 ** (failures - FREE_ATTEMPTS))
        return max(0.0, last + delay - now)

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds until any of ``keys`` may try again (0 when it may now)."""
        now = self._clock()
        with self._lock:
            waits = [self._wait_for(*self._failures[k], now) for k in keys if k in self._failures]
        return max(waits, default=0.0)

    def failed(self, keys: Iterable[str]) -> None:
        """Record one wrong password for each key."""
        now = self._clock()
        with self._lock:
            for key in keys:
                failures, last = self._failures.pop(key, (0, now))
                if now - last > FORGET_SECONDS:
                    failures = 0
                self._failures[key] = (failures + 1, now)
            while len(self._failures) > MAX_TRACKED_KEYS:
                self._failures.popitem(last=False)

    def succeeded(self, keys: Iterable[str]) -> None:
        """Forget the failures of ``keys`` after a right password."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


#: The process-wide limiter the dashboard's sign-in uses.
LIMITER = RateLimiter()


def _session_state() -> MutableMapping[str, Any]:
    import streamlit as st

    return st.session_state


def _request() -> tuple[str | None, str | None, dict[str, str]]:
    """(session id, peer IP or None for loopback, request headers) of the current Streamlit run."""
    import streamlit as st
    from streamlit import config
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    try:
        headers = dict(st.context.headers)
    except Exception:  # noqa: BLE001 - no request (bare mode, AppTest)
        headers = {}
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001
        ip = None
    if not isinstance(ip, str) and config.get_option("global.appTest"):
        ip = None  # AppTest's mock runtime has no real connection: it is the local machine
    return (ctx.session_id if ctx else None), ip, headers


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _is_loopback(ip: str | None) -> bool:
    if ip is None:  # Streamlit reports loopback connections as None
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def is_local_request(ip: str | None, headers: dict[str, str]) -> bool:
    """A browser on this machine talking to Streamlit directly: loopback and no proxy headers."""
    return _is_loopback(ip) and not any(_header(headers, h) for h in PROXY_HEADERS)


def client_keys(session_id: str | None, ip: str | None, headers: dict[str, str]) -> list[str]:
    """Rate-limit keys for a request: its session and its client address.

    Behind a reverse proxy on this machine the peer is loopback, and the client
    is the last address the proxy appended to ``X-Forwarded-For`` (earlier
    entries come from the client and may be forged).
    """
    address = ip or "loopback"
    forwarded = _header(headers, "X-Forwarded-For")
    if forwarded and _is_loopback(ip):
        address = forwarded.split(",")[-1].strip() or address
    keys = [f"addr:{address}"]
    if session_id:
        keys.append(f"session:{session_id}")
    return keys


def is_editor(settings: Settings | None = None, state: MutableMapping[str, Any] | None = None,
              *, local: bool | None = None) -> bool:
    """Whether the current session may upload, delete and re-date."""
    settings = settings or load_settings()
    state = _session_state() if state is None else state
    if not settings.password_configured:
        if local is None:
            _session, ip, headers = _request()
            local = is_local_request(ip, headers)
        return local
    grant = state.get(GRANT_KEY)
    return (isinstance(grant, EditorGrant)
            and grant.fingerprint == _fingerprint(settings.editor_password_hash)
            and time.time() < grant.expires)


def require_editor(settings: Settings | None = None, state: MutableMapping[str, Any] | None = None,
                   *, local: bool | None = None) -> None:
    """Raise :class:`EditorRequired` unless the current session is an editor.

    Call it first thing in every function that changes the store on a user's
    behalf, not just around the widgets that trigger it.
    """
    if not is_editor(settings, state, local=local):
        raise EditorRequired("editing needs the editor role: sign in with the editor password")


def sign_in(password: str, settings: Settings, state: MutableMapping[str, Any], keys: list[str],
            limiter: RateLimiter | None = None) -> SignInResult:
    """Check ``password``; on success store an :class:`EditorGrant` in ``state``.

    A locked-out key is refused before the password is even checked, so a
    guesser learns nothing during the wait. ``limiter`` defaults to the process's
    :data:`LIMITER`, looked up at each call (so a test can give each case a fresh one).
    """
    limiter = limiter if limiter is not None else LIMITER
    if not settings.password_configured:
        return SignInResult(False, "Editing is not enabled on this server (no editor password is configured).")
    wait = limiter.wait(keys)
    if wait > 0:
        return SignInResult(False, f"Too many wrong passwords. Try again in {wait:.0f} s.", wait)
    if not password or not verify_password(password, settings.editor_password_hash):
        limiter.failed(keys)
        wait = limiter.wait(keys)
        message = "Wrong password." + (f" Try again in {wait:.0f} s." if wait > 0 else "")
        return SignInResult(False, message, wait)
    limiter.succeeded(keys)
    state[GRANT_KEY] = EditorGrant(_fingerprint(settings.editor_password_hash), time.time() + GRANT_SECONDS)
    return SignInResult(True, "Signed in as editor.")


def sign_out(state: MutableMapping[str, Any]) -> None:
    """End the session's editor grant."""
    state.pop(GRANT_KEY, None)


def sidebar(settings: Settings) -> bool:
    """Draw the sign-in (or sign-out) box in the sidebar; return whether this session is an editor."""
    import streamlit as st

    state = _session_state()
    session_id, ip, headers = _request()
    local = is_local_request(ip, headers)
    editor = is_editor(settings, state, local=local)
    box = st.sidebar.container(border=True)
    if not settings.password_configured:
        box.caption("Editing: this machine only." if editor else
                    "View only. Editing is not enabled on this server.")
        return editor
    if editor:
        box.caption("Signed in as editor.")
        if box.button("Sign out", key="geo_sign_out"):
            sign_out(state)
            st.rerun()
        return True
    with box.form("geo_sign_in", clear_on_submit=True, border=False):
        password = st.text_input("Editor password", type="password", key="geo_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        result = sign_in(password, settings, state, client_keys(session_id, ip, headers))
        if result.ok:
            st.rerun()
        box.error(result.message)
    else:
        box.caption("Viewing. Editors sign in to upload, re-date or delete articles.")
    return False
