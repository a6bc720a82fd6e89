"""Hosted mode on the real dashboard (AppTest): viewers are read-only, editors sign in, the server refuses.

With ``GEO_EDITOR_PASSWORD_HASH`` in the secrets, a visitor sees the map and the
downloads but no upload, re-date or delete controls; the functions behind them
raise :class:`geo.auth.EditorRequired` even when called directly; the right
password in the sidebar brings the controls; uploads are checked on the server
against the configured size and types.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import auth
from geo.articles import Article
from geo.auth import RateLimiter
from geo.observations import Observation
from geo.passwords import hash_password
from geo.store import Store

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
PASSWORD = "correct horse battery"
HASH = hash_password(PASSWORD)
EDITING_TABS = {"Add articles", "Delete"}


@pytest.fixture
def store_url(isolated_data_dir, monkeypatch) -> str:
    """A store with one dated and one undated article (GEO_DB_URL set: no seeding)."""
    url = f"sqlite:///{isolated_data_dir / 'hosted.sqlite'}"
    rows = []
    for aid, day in (("a1", dt.date(2022, 3, 3)), ("u1", None)):
        article = Article(id=aid, text=f"Kherson was captured ({aid}).", date=day,
                          date_precision="day" if day else None, title=aid, outlet="AP")
        rows.append((article, [Observation(
            article=aid, date=day.isoformat() if day else None, place="Kherson", lat=46.6354, lon=32.6169,
            status="captured", evidence=article.text, trigger="captured", confidence=0.9, kind="city",
            country="UA", place_id="gn:706448")]))
    with Store(url) as store:
        store.write(rows, "test")
    monkeypatch.setenv("GEO_DB_URL", url)
    return url


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch):
    monkeypatch.setattr(auth, "LIMITER", RateLimiter())


def run_app(**secrets) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets.update(secrets)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def tab_labels(at: AppTest) -> set[str]:
    return {t.label for t in at.tabs}


def button_labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def sign_in(at: AppTest, password: str) -> AppTest:
    at.sidebar.text_input(key="geo_password").input(password)
    next(b for b in at.sidebar.button if b.label == "Sign in").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_viewer_sees_the_map_and_downloads_but_no_editing_controls(store_url):
    at = run_app(GEO_EDITOR_PASSWORD_HASH=HASH)
    assert not at.get("file_uploader")
    assert not EDITING_TABS & tab_labels(at)
    assert {"Set date", "Delete article", "Add to the map"}.isdisjoint(button_labels(at))
    assert [b.label for b in at.get("download_button")]  # viewers still download the view
    at.session_state["undated_list"] = True  # the undated list runs when opened (dashboard.undated_panel)
    at.run()
    assert any(d.value is not None and "excerpt" in d.value.columns for d in at.dataframe)  # undated list
    assert at.sidebar.text_input(key="geo_password")


def test_an_editor_signs_in_on_the_page_and_gets_the_controls(store_url):
    at = sign_in(run_app(GEO_EDITOR_PASSWORD_HASH=HASH), PASSWORD)
    assert at.get("file_uploader")
    assert EDITING_TABS <= tab_labels(at)
    assert {"Set date", "Delete article", "Add to the map"} <= button_labels(at)
    at.sidebar.button(key="geo_sign_out").click().run()
    assert not at.get("file_uploader") and not EDITING_TABS & tab_labels(at)


def test_wrong_passwords_are_refused_then_rate_limited(store_url):
    at = run_app(GEO_EDITOR_PASSWORD_HASH=HASH)
    for _ in range(3):
        sign_in(at, "not the password")
    assert "Try again in" in at.sidebar.error[0].value
    sign_in(at, PASSWORD)
    assert "Too many wrong passwords" in at.sidebar.error[0].value
    assert not at.get("file_uploader")


GUARDED = """
import importlib.util
import sys
import streamlit as st
from geo.auth import EditorRequired
from geo.store import Store

spec = importlib.util.spec_from_file_location("dashboard_module", {app!r})
dashboard = sys.modules["dashboard_module"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dashboard)  # defines the functions; main() runs only as __main__
store = Store({url!r})
for name, call in [("upload_panel", lambda: dashboard.upload_panel(store)),
                   ("redate_controls", lambda: dashboard.redate_controls(store, store.undated_articles())),
                   ("delete_controls", lambda: dashboard.delete_controls(store))]:
    try:
        call()
        st.write(f"ran {{name}}")
    except EditorRequired:
        st.write(f"refused {{name}}")
"""


def test_the_editing_functions_refuse_on_the_server_without_the_role(store_url):
    at = AppTest.from_string(GUARDED.format(app=APP, url=store_url), default_timeout=60)
    at.secrets["GEO_EDITOR_PASSWORD_HASH"] = HASH
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    said = [m.value for m in at.markdown]
    assert said == ["refused upload_panel", "refused redate_controls", "refused delete_controls"]
    assert not at.get("file_uploader")
    with Store(store_url) as store:
        assert store.stats()["articles"] == 2


def test_the_editing_functions_run_for_an_editor(store_url):
    at = AppTest.from_string(GUARDED.format(app=APP, url=store_url), default_timeout=60)
    at.secrets["GEO_EDITOR_PASSWORD_HASH"] = HASH
    at.session_state[auth.GRANT_KEY] = auth.EditorGrant(auth._fingerprint(HASH), 4e9)
    at.run()
    assert [m.value for m in at.markdown] == ["ran upload_panel", "ran redate_controls", "ran delete_controls"]


def test_uploads_over_the_configured_limit_are_refused_on_the_server(store_url):
    at = sign_in(run_app(GEO_EDITOR_PASSWORD_HASH=HASH, GEO_MAX_UPLOAD_MB=1, GEO_UPLOAD_TYPES="txt"), PASSWORD)
    assert at.file_uploader(key="upload_files").proto.type == [".txt"]
    big = b" date 2022-03-04 Kyiv was shelled. " + b"x" * (2 * 2**20)
    at.file_uploader(key="upload_files").set_value([("big.txt", big, "text/plain")])
    at.run()
    at.button(key="upload_go").click().run()
    assert not at.exception, [e.message for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert "big.txt" in errors and "over the 1 MB upload limit" in errors
    with Store(store_url) as store:
        assert store.stats()["articles"] == 2


def test_the_configured_basemap_is_the_default_choice(store_url):
    at = run_app(GEO_BASEMAP="carto")
    assert at.sidebar.selectbox(key="basemap").value == "carto"


def test_a_bad_setting_stops_the_app_with_a_message(store_url):
    at = run_app(GEO_EDITOR_PASSWORD_HASH="hunter2")
    assert any("GEO_EDITOR_PASSWORD_HASH" in e.value for e in at.error)
    assert not at.get("file_uploader")
