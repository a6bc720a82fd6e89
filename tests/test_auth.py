"""Editors sign in with a hashed password; viewers cannot change anything, even by forging events."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from geo import auth
from geo.auth import (EditorGrant, EditorRequired, RateLimiter, client_keys, is_editor, is_local_request,
                      require_editor, sign_in, sign_out)
from geo.passwords import PasswordHashError, hash_password, parse_hash, verify_password
from geo.settings import load_settings

PASSWORD = "correct horse battery"
HASH = hash_password(PASSWORD)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def hosted():
    return load_settings(secrets={"GEO_EDITOR_PASSWORD_HASH": HASH}, env={})


@pytest.fixture
def local():
    return load_settings(secrets={}, env={})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- the password hash ---------------------------------------------------------

def test_the_hash_is_salted_scrypt_and_never_contains_the_password():
    other = hash_password(PASSWORD)
    assert HASH.startswith("scrypt$16384$8$1$") and HASH != other  # fresh salt each time
    assert PASSWORD not in HASH
    n, r, p, salt, key = parse_hash(HASH)
    assert (n, r, p, len(salt), len(key)) == (2**14, 8, 1, 16, 32)


def test_only_the_right_password_verifies():
    assert verify_password(PASSWORD, HASH)
    for wrong in ["", "correct horse batter", PASSWORD + " ", PASSWORD.upper(), "x" * 10_000]:
        assert not verify_password(wrong, HASH)


def test_a_malformed_hash_never_verifies():
    for bad in ["", PASSWORD, "scrypt$16384$8$1$$", HASH.replace("scrypt", "bcrypt"), HASH[:-4]]:
        assert not verify_password(PASSWORD, bad)
    with pytest.raises(PasswordHashError):
        parse_hash("scrypt$1048577$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==")


def test_short_passwords_are_refused():
    with pytest.raises(ValueError, match="at least 8"):
        hash_password("hunter2")


def test_the_hash_command_reads_a_password_and_prints_a_verifiable_hash():
    run = subprocess.run([sys.executable, "-m", "geo", "hash-password"], input=PASSWORD + "\n",
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    printed = run.stdout.strip()
    assert verify_password(PASSWORD, printed)
    assert "GEO_EDITOR_PASSWORD_HASH" in run.stderr
    short = subprocess.run([sys.executable, "-m", "geo", "hash-password"], input="short\n",
                           capture_output=True, text=True)
    assert short.returncode == 1 and "at least 8" in short.stderr and not short.stdout


# --- rate limiting --------------------------------------------------------------

def test_three_free_attempts_then_an_exponential_wait_capped_at_five_minutes():
    clock = Clock()
    limiter = RateLimiter(clock)
    waits = []
    for _ in range(15):
        limiter.failed(["k"])
        waits.append(limiter.wait(["k"]))
    assert waits[:2] == [0, 0]
    assert waits[2:7] == [1, 2, 4, 8, 16]
    assert max(waits) == auth.MAX_WAIT_SECONDS and waits[-1] == auth.MAX_WAIT_SECONDS
    clock.now += auth.MAX_WAIT_SECONDS
    assert limiter.wait(["k"]) == 0


def test_the_longest_wait_of_any_key_applies_and_success_clears_them():
    limiter = RateLimiter(Clock())
    for _ in range(5):
        limiter.failed(["addr:1.2.3.4", "session:a"])
    assert limiter.wait(["addr:1.2.3.4", "session:new"]) == 4  # a fresh session does not reset it
    limiter.succeeded(["addr:1.2.3.4", "session:a"])
    assert limiter.wait(["addr:1.2.3.4", "session:a"]) == 0


def test_failures_are_forgotten_after_an_hour_and_memory_is_bounded(monkeypatch):
    clock = Clock()
    limiter = RateLimiter(clock)
    for _ in range(4):
        limiter.failed(["k"])
    clock.now += auth.FORGET_SECONDS + 1
    limiter.failed(["k"])
    assert limiter.wait(["k"]) == 0  # counting starts again
    monkeypatch.setattr(auth, "MAX_TRACKED_KEYS", 100)
    for i in range(1000):
        limiter.failed([f"addr:{i}"])
    assert len(limiter._failures) == 100


def test_a_locked_out_client_is_refused_without_checking_the_password(hosted, monkeypatch):
    limiter = RateLimiter(Clock())
    state: dict = {}
    keys = ["addr:9.9.9.9", "session:s"]
    results = [sign_in("guess", hosted, state, keys, limiter) for _ in range(3)]
    assert [r.ok for r in results] == [False] * 3
    assert results[0].message == "Wrong password."
    assert results[2].wait_seconds == 1 and "Try again in 1 s" in results[2].message
    checked = []
    monkeypatch.setattr(auth, "verify_password", lambda *a: checked.append(a) or True)
    locked = sign_in(PASSWORD, hosted, state, keys, limiter)
    assert not locked.ok and "Too many wrong passwords" in locked.message and not checked
    assert auth.GRANT_KEY not in state


def test_client_address_comes_from_the_local_proxy_only():
    assert client_keys("s", None, {}) == ["addr:loopback", "session:s"]
    # behind a reverse proxy on this machine: the proxy-appended (last) address counts
    assert client_keys("s", None, {"X-Forwarded-For": "6.6.6.6, 5.5.5.5"})[0] == "addr:5.5.5.5"
    # a remote client cannot choose its key by sending the header itself
    assert client_keys("s", "8.8.8.8", {"x-forwarded-for": "1.1.1.1"})[0] == "addr:8.8.8.8"


# --- roles ----------------------------------------------------------------------

def test_right_password_grants_the_editor_role_until_sign_out(hosted):
    state: dict = {}
    assert not is_editor(hosted, state)
    result = sign_in(PASSWORD, hosted, state, ["session:s"], RateLimiter())
    assert result.ok and is_editor(hosted, state)
    require_editor(hosted, state)  # does not raise
    sign_out(state)
    assert not is_editor(hosted, state)
    with pytest.raises(EditorRequired):
        require_editor(hosted, state)


def test_viewers_are_refused_by_the_guard(hosted):
    with pytest.raises(EditorRequired, match="sign in"):
        require_editor(hosted, {})
    assert issubclass(EditorRequired, PermissionError)


@pytest.mark.parametrize("forged", [True, "editor", {"fingerprint": "x", "expires": 1e12}, 1])
def test_a_client_settable_value_under_the_grant_key_is_not_a_grant(hosted, forged):
    with pytest.raises(EditorRequired):
        require_editor(hosted, {auth.GRANT_KEY: forged})


def test_grants_end_when_the_password_is_changed_or_after_twelve_hours(hosted):
    state: dict = {}
    assert sign_in(PASSWORD, hosted, state, ["session:s"], RateLimiter()).ok
    rotated = load_settings(secrets={"GEO_EDITOR_PASSWORD_HASH": hash_password("a new password")}, env={})
    assert not is_editor(rotated, state)
    grant: EditorGrant = state[auth.GRANT_KEY]
    state[auth.GRANT_KEY] = EditorGrant(grant.fingerprint, time.time() - 1)
    assert not is_editor(hosted, state)


def test_without_a_configured_password_only_this_machine_edits_and_nobody_signs_in(local):
    assert is_editor(local, {}, local=True)
    assert not is_editor(local, {}, local=False)
    with pytest.raises(EditorRequired):
        require_editor(local, {}, local=False)
    assert not sign_in(PASSWORD, local, {}, ["session:s"], RateLimiter()).ok


@pytest.mark.parametrize(("ip", "headers", "expected"), [
    (None, {}, True),
    ("127.0.0.1", {}, True),
    ("::1", {}, True),
    ("10.0.0.7", {}, False),
    ("203.0.113.9", {}, False),
    (None, {"X-Forwarded-For": "203.0.113.9"}, False),  # through a reverse proxy
    (None, {"x-real-ip": "203.0.113.9"}, False),
    (None, {"Forwarded": "for=203.0.113.9"}, False),
    ("not an ip", {}, False),
])
def test_local_means_loopback_without_proxy_headers(ip, headers, expected):
    assert is_local_request(ip, headers) is expected


# --- the sign-in box, through Streamlit's AppTest ------------------------------

APP = """
import streamlit as st
from geo import auth
from geo.settings import load_settings

settings = load_settings()
editor = auth.sidebar(settings)
st.write("role:", "editor" if editor else "viewer")
if editor:
    st.file_uploader("Upload articles")
"""


def _app(secrets):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(APP, default_timeout=30)
    at.secrets.update(secrets)
    return at


def _role(at) -> str:
    return next(m.value for m in at.markdown if "role:" in m.value).split()[-1]


def test_apptest_viewer_sees_a_password_box_and_no_upload(monkeypatch):
    monkeypatch.setattr(auth, "LIMITER", RateLimiter())
    at = _app({"GEO_EDITOR_PASSWORD_HASH": HASH}).run()
    assert not at.exception
    assert _role(at) == "viewer"
    assert not at.get("file_uploader")
    from streamlit.proto.TextInput_pb2 import TextInput

    assert at.sidebar.text_input(key="geo_password").proto.type == TextInput.PASSWORD


def test_apptest_editor_signs_in_then_out(monkeypatch):
    monkeypatch.setattr(auth, "LIMITER", RateLimiter())
    at = _app({"GEO_EDITOR_PASSWORD_HASH": HASH}).run()
    at.sidebar.text_input(key="geo_password").input(PASSWORD)
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert _role(at) == "editor" and at.get("file_uploader")
    at.sidebar.button(key="geo_sign_out").click().run()
    assert _role(at) == "viewer" and not at.get("file_uploader")


def test_apptest_wrong_passwords_are_rate_limited(monkeypatch):
    monkeypatch.setattr(auth, "LIMITER", RateLimiter())
    at = _app({"GEO_EDITOR_PASSWORD_HASH": HASH}).run()
    messages = []
    for _ in range(4):
        at.sidebar.text_input(key="geo_password").input("wrong password")
        at.sidebar.button[0].click().run()
        messages.append(at.sidebar.error[0].value)
    assert messages[0] == "Wrong password."
    assert "Try again in" in messages[2]
    at.sidebar.text_input(key="geo_password").input(PASSWORD)
    at.sidebar.button[0].click().run()
    assert _role(at) == "viewer" and "Too many wrong passwords" in at.sidebar.error[0].value


def test_apptest_local_mode_edits_without_a_password_box():
    at = _app({"GEO_BASEMAP": "vector"}).run()
    assert not at.exception
    assert _role(at) == "editor"
    assert not at.sidebar.text_input
