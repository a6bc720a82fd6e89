"""The dashboard's configuration, from Streamlit secrets and environment variables.

Every setting has one name, used both as an environment variable and as a
root-level key of ``.streamlit/secrets.toml`` (or the secrets box of Streamlit
Community Cloud). A key in the secrets wins over the environment, because
Streamlit copies root-level secrets into ``os.environ`` when it loads them and
we must agree with what the rest of the process sees. Values are checked here,
once, and a bad value is a :class:`SettingsError` naming the setting, not a
surprise later (a malformed password hash must never silently open editing).

``python -m geo.settings`` prints the effective settings and where each came
from (secrets are redacted).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo import config
from geo.articles import CORPUS_SUFFIXES, TEXT_SUFFIXES
from geo.passwords import PasswordHashError, parse_hash

BASEMAPS = ("vector", "osm", "carto")
#: What the article readers understand (geo.articles), without the dot.
SUPPORTED_UPLOAD_TYPES = tuple(sorted(s.lstrip(".") for s in TEXT_SUFFIXES | CORPUS_SUFFIXES))


class SettingsError(ValueError):
    """A configured value is unusable; the message names the setting and its source."""


@dataclass(frozen=True)
class Setting:
    """One configurable value: its name (environment variable and secrets key), default and meaning."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("GEO_DB_URL", None,
            "Store URL (SQLAlchemy), e.g. postgresql+psycopg://user:pass@host/db. "
            "Default: SQLite file store.sqlite in the data directory."),
    Setting("GEO_EDITOR_PASSWORD_HASH", None,
            "scrypt hash of the editor password (make it with `python -m geo hash-password`). "
            "Unset: nobody signs in; only a browser on the server machine itself may edit."),
    Setting("GEO_MAX_UPLOAD_MB", 50,
            "Largest article file an editor may upload, in MB. Keep Streamlit's "
            "server.maxUploadSize at least this large."),
    Setting("GEO_UPLOAD_TYPES", SUPPORTED_UPLOAD_TYPES,
            "File types accepted for upload, comma-separated, a subset of "
            + ", ".join(SUPPORTED_UPLOAD_TYPES) + "."),
    Setting("GEO_BASEMAP", "vector",
            "Default basemap: vector (offline Natural Earth layers), osm or carto (online tiles)."),
)


@dataclass(frozen=True)
class Settings:
    """The checked configuration the dashboard runs with."""

    db_url: str
    editor_password_hash: str | None
    max_upload_mb: int
    upload_types: tuple[str, ...]
    basemap: str

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def password_configured(self) -> bool:
        """Whether editors sign in with a password (hosted mode)."""
        return self.editor_password_hash is not None

    def upload_refusal(self, name: str, size: int) -> str | None:
        """Why an uploaded file is refused (wrong type, too large), or ``None`` if it may be read.

        The dashboard checks this on the server for every file: the uploader
        widget's own limits are enforced in the browser, which a client can skip.
        """
        suffix = Path(name).suffix.lower().lstrip(".")
        if suffix not in self.upload_types:
            return (f"{name}: .{suffix or '(none)'} files are not accepted "
                    f"(accepted: {', '.join('.' + t for t in self.upload_types)})")
        if size > self.max_upload_bytes:
            return f"{name}: {size / 2**20:,.1f} MB is over the {self.max_upload_mb} MB upload limit"
        return None


def streamlit_secrets() -> Mapping[str, Any]:
    """The root-level Streamlit secrets (``secrets.toml`` files or Community Cloud's box); ``{}`` if none.

    A secrets file that exists but cannot be parsed is an error: ignoring it
    would drop the editor password hash without a word.
    """
    try:
        import streamlit as st
        from streamlit import config as st_config
    except ImportError:
        return {}
    if st.secrets.load_if_toml_exists():
        return st.secrets.to_dict()
    for path in st_config.get_option("secrets.files"):
        if Path(path).is_file():
            raise SettingsError(f"{path}: cannot be parsed as TOML; fix or remove it")
    return {}


def _lookup(name: str, secrets: Mapping[str, Any], env: Mapping[str, str]) -> tuple[Any, str]:
    """(raw value, source) of one setting: secrets, else environment, else missing."""
    value = secrets.get(name)
    if value is not None and value != "":
        return value, "secrets"
    value = env.get(name)
    if value is not None and value.strip() != "":
        return value, "environment"
    return None, "default"


def _upload_mb(value: Any, where: str) -> int:
    try:
        mb = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        mb = None
    if mb is None or not 1 <= mb <= 10_000:
        raise SettingsError(f"GEO_MAX_UPLOAD_MB ({where}): {value!r} is not a whole number of MB between 1 and 10000")
    return mb


def _upload_types(value: Any, where: str) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    types = tuple(dict.fromkeys(str(t).strip().lower().lstrip(".") for t in items if str(t).strip()))
    unknown = [t for t in types if t not in SUPPORTED_UPLOAD_TYPES]
    if not types or unknown:
        raise SettingsError(f"GEO_UPLOAD_TYPES ({where}): {value!r}; use a comma-separated subset of "
                            + ", ".join(SUPPORTED_UPLOAD_TYPES))
    return types


def _basemap(value: Any, where: str) -> str:
    basemap = str(value).strip().lower()
    if basemap not in BASEMAPS:
        raise SettingsError(f"GEO_BASEMAP ({where}): {value!r}; use one of {', '.join(BASEMAPS)}")
    return basemap


def _password_hash(value: Any, where: str) -> str:
    try:
        parse_hash(str(value))
    except PasswordHashError as e:
        raise SettingsError(f"GEO_EDITOR_PASSWORD_HASH ({where}): {e}") from None
    return str(value).strip()


def _db_url(value: Any, where: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = str(value).strip()
    try:
        make_url(url)
    except ArgumentError:
        raise SettingsError(f"GEO_DB_URL ({where}): not a database URL "
                            "(e.g. postgresql+psycopg://user:password@host/db)") from None
    return config.database_url(url)


_PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "GEO_DB_URL": _db_url,
    "GEO_EDITOR_PASSWORD_HASH": _password_hash,
    "GEO_MAX_UPLOAD_MB": _upload_mb,
    "GEO_UPLOAD_TYPES": _upload_types,
    "GEO_BASEMAP": _basemap,
}


def resolve(secrets: Mapping[str, Any] | None = None,
            env: Mapping[str, str] | None = None) -> dict[str, tuple[Any, str]]:
    """Each setting's checked value and its source (``secrets``, ``environment`` or ``default``)."""
    secrets = streamlit_secrets() if secrets is None else secrets
    env = os.environ if env is None else env
    values: dict[str, tuple[Any, str]] = {}
    for setting in SETTINGS:
        raw, source = _lookup(setting.name, secrets, env)
        if raw is None:
            value = config.database_url() if setting.name == "GEO_DB_URL" else setting.default
        else:
            value = _PARSERS[setting.name](raw, source)
        values[setting.name] = (value, source)
    return values


def load_settings(secrets: Mapping[str, Any] | None = None,
                  env: Mapping[str, str] | None = None) -> Settings:
    """The checked settings; ``secrets`` defaults to Streamlit's, ``env`` to ``os.environ``."""
    values = {name: value for name, (value, _source) in resolve(secrets, env).items()}
    return Settings(db_url=values["GEO_DB_URL"],
                    editor_password_hash=values["GEO_EDITOR_PASSWORD_HASH"],
                    max_upload_mb=values["GEO_MAX_UPLOAD_MB"],
                    upload_types=tuple(values["GEO_UPLOAD_TYPES"]),
                    basemap=values["GEO_BASEMAP"])


def _shown(setting: Setting, value: Any) -> str:
    """A value fit to print: URLs without their password, the hash only as set/unset."""
    if setting.name == "GEO_EDITOR_PASSWORD_HASH":
        return "(set)" if value else "(not set)"
    if setting.name == "GEO_DB_URL":
        from sqlalchemy.engine import make_url

        try:
            return make_url(value).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - an unparseable URL is still worth showing redacted
            return "(unparseable URL)"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def main(argv: list[str] | None = None) -> int:
    """Print every setting, its effective value (redacted) and its source."""
    del argv
    try:
        values = resolve()
    except SettingsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for setting in SETTINGS:
        value, source = values[setting.name]
        print(f"{setting.name:<26} {_shown(setting, value):<40} [{source}]")
        print(f"    {setting.help}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
