"""Export the store: every observation, or with --date the map as of that day (one row per place).

Formats: GeoJSON, CSV (lat/lon columns), GeoPackage, GeoParquet, and HTML (the
self-contained time-slider map). Points are WGS 84 (EPSG:4326); a place that
could not be geocoded is kept with an empty geometry. The file appears whole or
not at all: it is written beside the target and renamed into place.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from geo.commands.ingest import add_store_argument

if TYPE_CHECKING:
    import geopandas
    import pandas

FORMATS = {"geojson": ".geojson", "csv": ".csv", "gpkg": ".gpkg", "parquet": ".parquet", "html": ".html"}


class ExportError(ValueError):
    """The export cannot be made as asked; the message says why."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from geo.timeline import DEFAULT_WINDOW_DAYS

    parser.add_argument("--format", required=True, choices=FORMATS, help="output format")
    parser.add_argument("--out", required=True, metavar="FILE", help="file to write (replaced if it exists)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=dt.date.fromisoformat,
                        help="the map as of this day: each place's status (default: every observation)")
    parser.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS, metavar="N",
                        help=f"with --date: look-back window in days (default {DEFAULT_WINDOW_DAYS})")
    add_store_argument(parser)


def table(frame: pandas.DataFrame, day: dt.date | None, window_days: int) -> pandas.DataFrame:
    """Observations, or with ``day`` the places' status as of that day (the map's rows)."""
    from geo.timeline import date_range, snapshot_at

    if day is None:
        return frame
    span = date_range(frame)
    if span is None:
        raise ExportError("the store has no dated article: there is no map at any date")
    if not span[0] <= day <= span[1]:
        raise ExportError(f"{day} is outside the data, which runs from {span[0]} to {span[1]}")
    return snapshot_at(frame, day, window_days=window_days)


def to_geodataframe(rows: pandas.DataFrame) -> geopandas.GeoDataFrame:
    """Points from ``lat``/``lon`` (empty geometry where not geocoded), WGS 84."""
    import geopandas

    located = rows["lat"].notna() & rows["lon"].notna()
    points = geopandas.points_from_xy(rows["lon"].where(located, 0.0), rows["lat"].where(located, 0.0))
    geometry = geopandas.GeoSeries(points, index=rows.index, crs="EPSG:4326").where(located, None)
    return geopandas.GeoDataFrame(rows.copy(), geometry=geometry, crs="EPSG:4326")


def write(rows: pandas.DataFrame, fmt: str, out: Path, layer: str) -> None:
    """Write ``rows`` in ``fmt`` to ``out`` (which must not exist yet)."""
    if fmt == "csv":
        from geo.safety import spreadsheet_safe  # article text must not become a spreadsheet formula

        spreadsheet_safe(rows).to_csv(out, index=False)
        return
    frame = to_geodataframe(rows)
    if fmt == "parquet":
        frame.to_parquet(out, index=False)
    else:
        driver = {"geojson": "GeoJSON", "gpkg": "GPKG"}[fmt]
        frame.to_file(out, driver=driver, layer=layer if fmt == "gpkg" else None, engine="pyogrio")


def atomic_target(out: Path):
    """A fresh temporary path beside ``out`` with its suffix (so drivers pick the same format)."""
    if out.is_dir():
        raise ExportError(f"{out} is a directory")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        raise ExportError(f"{out.parent} is not writable")
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    os.close(handle)
    os.unlink(name)  # drivers such as GPKG refuse to write over an existing file
    return Path(name)


def export(store, fmt: str, out: Path, day: dt.date | None = None, window_days: int = 14) -> int:
    """Write the export; return the number of rows written."""
    if fmt == "html":
        return export_html(store, out, day, window_days)
    rows = table(store.observations_frame(), day, window_days)
    temporary = atomic_target(out)
    try:
        write(rows, fmt, temporary, layer="places" if day else "observations")
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
    return len(rows)


def export_html(store, out: Path, day: dt.date | None, window_days: int) -> int:
    try:
        from geo.snapshot import export_html as snapshot_export_html
    except ImportError:
        raise ExportError("the HTML map export is not available in this version yet; "
                          "use --format geojson|csv|gpkg|parquet") from None
    from geo.snapshot import SnapshotError

    try:
        return snapshot_export_html(store, out, date=day, window_days=window_days)
    except SnapshotError as e:  # a date outside the data, an unwritable path: one line, like the others
        raise ExportError(str(e)) from None


def run(args: argparse.Namespace) -> int:
    from geo.store import Store

    out = Path(args.out).expanduser()
    if out.suffix.lower() != FORMATS[args.format]:
        print(f"note: writing {args.format} to a file named {out.name}", file=sys.stderr)
    try:
        with Store(args.db) as store:
            n = export(store, args.format, out, args.date, args.window_days)
    except ExportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    what = "places" if args.date or args.format == "html" else "observations"
    print(f"wrote {n} {what} to {out}", file=sys.stderr)
    return 0
