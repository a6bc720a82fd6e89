"""Configuration: one name per setting in secrets and environment, checked once, with clear errors."""
from __future__ import annotations

import subprocess
import sys

import pytest

from geo.passwords import hash_password
from geo.settings import SETTINGS, SettingsError, load_settings, resolve

HASH = hash_password("correct horse battery")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    return tmp_path


def test_defaults_are_a_local_sqlite_store_and_no_password(data_dir):
    s = load_settings(secrets={}, env={"GEO_DATA_DIR": str(data_dir)})
    assert s.db_url == f"sqlite:///{data_dir / 'store.sqlite'}"
    assert s.editor_password_hash is None and not s.password_configured
    assert s.max_upload_mb == 50 and s.max_upload_bytes == 50 * 2**20
    assert set(s.upload_types) == {"txt", "jsonl", "csv"}
    assert s.basemap == "vector"


def test_every_setting_is_read_from_the_environment():
    env = {"GEO_DB_URL": "postgresql+psycopg://u:p@db.example/geo",
           "GEO_EDITOR_PASSWORD_HASH": HASH,
           "GEO_MAX_UPLOAD_MB": " 12 ",
           "GEO_UPLOAD_TYPES": ".TXT, jsonl",
           "GEO_BASEMAP": "OSM"}
    s = load_settings(secrets={}, env=env)
    assert s.db_url == "postgresql+psycopg://u:p@db.example/geo"
    assert s.editor_password_hash == HASH and s.password_configured
    assert s.max_upload_mb == 12
    assert s.upload_types == ("txt", "jsonl")
    assert s.basemap == "osm"


def test_secrets_use_the_same_names_take_toml_types_and_win_over_the_environment():
    secrets = {"GEO_MAX_UPLOAD_MB": 7, "GEO_UPLOAD_TYPES": ["csv"], "GEO_BASEMAP": "carto",
               "GEO_EDITOR_PASSWORD_HASH": HASH}
    env = {"GEO_MAX_UPLOAD_MB": "99", "GEO_BASEMAP": "osm"}
    values = resolve(secrets=secrets, env=env)
    assert values["GEO_MAX_UPLOAD_MB"] == (7, "secrets")
    assert values["GEO_UPLOAD_TYPES"] == (("csv",), "secrets")
    assert values["GEO_BASEMAP"] == ("carto", "secrets")
    assert values["GEO_EDITOR_PASSWORD_HASH"] == (HASH, "secrets")
    assert values["GEO_DB_URL"][1] == "default"


def test_empty_values_fall_back_to_the_default():
    s = load_settings(secrets={"GEO_BASEMAP": ""}, env={"GEO_MAX_UPLOAD_MB": "  "})
    assert s.basemap == "vector" and s.max_upload_mb == 50


@pytest.mark.parametrize(("name", "value", "needle"), [
    ("GEO_MAX_UPLOAD_MB", "lots", "GEO_MAX_UPLOAD_MB"),
    ("GEO_MAX_UPLOAD_MB", "0", "between 1 and 10000"),
    ("GEO_MAX_UPLOAD_MB", "2.5", "whole number"),
    ("GEO_UPLOAD_TYPES", "txt,exe", "subset of csv, jsonl, txt"),
    ("GEO_UPLOAD_TYPES", " , ", "GEO_UPLOAD_TYPES"),
    ("GEO_BASEMAP", "google", "vector, osm, carto"),
    ("GEO_EDITOR_PASSWORD_HASH", "hunter2", "python -m geo hash-password"),
    ("GEO_EDITOR_PASSWORD_HASH", "scrypt$3$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==", "out of range"),
    ("GEO_DB_URL", "not a url", "not a database URL"),
])
def test_a_bad_value_is_an_error_naming_the_setting_and_its_source(name, value, needle):
    with pytest.raises(SettingsError) as e:
        load_settings(secrets={}, env={name: value})
    assert needle in str(e.value)
    assert "(environment)" in str(e.value)


def test_a_plain_text_password_in_place_of_the_hash_is_refused_not_accepted():
    with pytest.raises(SettingsError):
        load_settings(secrets={"GEO_EDITOR_PASSWORD_HASH": "correct horse battery"}, env={})


@pytest.mark.parametrize(("name", "size", "refused"), [
    ("a.txt", 10, None),
    ("B.TXT", 10, None),
    ("c.csv", 3 * 2**20, None),
    ("c.csv", 3 * 2**20 + 1, "over the 3 MB upload limit"),
    ("evil.html", 10, ".html files are not accepted"),
    ("noext", 10, ".(none) files are not accepted"),
    ("d.jsonl", 10, ".jsonl files are not accepted"),
])
def test_uploads_are_checked_for_type_and_size_on_the_server(name, size, refused):
    s = load_settings(secrets={}, env={"GEO_MAX_UPLOAD_MB": "3", "GEO_UPLOAD_TYPES": "txt,csv"})
    message = s.upload_refusal(name, size)
    if refused is None:
        assert message is None
    else:
        assert refused in message and name in message


def test_streamlit_secrets_file_is_read_and_a_broken_one_is_an_error(tmp_path):
    """The real path: Streamlit's own secrets loader on a project's .streamlit/secrets.toml."""
    script = (
        "import sys\n"
        "from geo.settings import load_settings, SettingsError\n"
        "try:\n"
        "    s = load_settings()\n"
        "except SettingsError as e:\n"
        "    print('ERROR', e); sys.exit(0)\n"
        "print(s.basemap, s.max_upload_mb, s.password_configured)\n"
    )
    (tmp_path / ".streamlit").mkdir()
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.write_text(f'GEO_BASEMAP = "osm"\nGEO_MAX_UPLOAD_MB = 9\nGEO_EDITOR_PASSWORD_HASH = "{HASH}"\n')
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                         env={"GEO_DATA_DIR": str(tmp_path), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert run.stdout.split() == ["osm", "9", "True"], run.stderr
    secrets.write_text('GEO_BASEMAP = "osm\n')  # unterminated string
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                         env={"GEO_DATA_DIR": str(tmp_path), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert "ERROR" in run.stdout and "secrets.toml" in run.stdout, run.stdout + run.stderr


def test_the_settings_command_prints_sources_and_never_a_secret(data_dir):
    env = {"GEO_DATA_DIR": str(data_dir), "HOME": str(data_dir), "PATH": "/usr/bin:/bin",
           "GEO_DB_URL": "postgresql+psycopg://alice:s3cret@db.example/geo",
           "GEO_EDITOR_PASSWORD_HASH": HASH}
    run = subprocess.run([sys.executable, "-m", "geo.settings"], cwd=data_dir, capture_output=True,
                         text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "s3cret" not in run.stdout and HASH not in run.stdout
    assert "(set)" in run.stdout and "[environment]" in run.stdout and "[default]" in run.stdout
    for setting in SETTINGS:
        assert setting.name in run.stdout


def test_the_shipped_streamlit_config_keeps_xsrf_and_cors_on_and_caps_uploads():
    import tomllib
    from pathlib import Path

    server = tomllib.loads((Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text())["server"]
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True
    default_mb = next(s.default for s in SETTINGS if s.name == "GEO_MAX_UPLOAD_MB")
    assert server["maxUploadSize"] >= default_mb
