"""Export the store: every observation, or with --date the map as of that day (one row per place).

Formats: GeoJSON, CSV (lat/lon columns), GeoPackage, GeoParquet, and HTML: the
self-contained time-slider map of :func:`geo.snapshot.export_html`, opening at
--date (default: the last date). Points are WGS 84 (EPSG:4326); a place that
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

from geo.commands.ingest import add_store_argument, open_store

if TYPE_CHECKING:
    import geopandas
    import pandas

    from geo.store import Store

FORMATS = {"geojson": ".geojson", "csv": ".csv", "gpkg": ".gpkg", "parquet": ".parquet", "html": ".html"}


def iso_day(text: str) -> dt.date:
    """``--date`` as a day, or argparse's clear error."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from geo.timeline import DEFAULT_WINDOW_DAYS

    parser.add_argument("--format", required=True, choices=FORMATS, help="output format")
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="file to write, named for its format (.geojson, .csv, .gpkg, .parquet, .html)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=iso_day,
                        help="the map as of this day: each place's status (default: every observation)")
    parser.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS, metavar="N",
                        help=f"with --date: look-back window in days (default {DEFAULT_WINDOW_DAYS})")
    add_store_argument(parser)


def table(frame: pandas.DataFrame, day: dt.date | None, window_days: int) -> pandas.DataFrame:
    """Observations, or with ``day`` the places' status as of that day (the map's rows)."""
    from geo.snapshot import check_date
    from geo.timeline import snapshot_at

    if day is None:
        return frame
    check_date(frame, day)
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
        rows.to_csv(out, index=False)
        return
    frame = to_geodataframe(rows)
    if fmt == "parquet":
        frame.to_parquet(out, index=False)
    else:
        driver = {"geojson": "GeoJSON", "gpkg": "GPKG"}[fmt]
        frame.to_file(out, driver=driver, layer=layer if fmt == "gpkg" else None, engine="pyogrio")


def export(store: Store, fmt: str, out: str | os.PathLike, day: dt.date | None = None,
           window_days: int | None = None) -> int:
    """Write the export; return the number of rows (places for a map, else observations).

    Raises :class:`geo.snapshot.SnapshotError` for an unwritable target or a
    date outside the data.
    """
    from geo.snapshot import SnapshotError, check_writable, export_html
    from geo.timeline import DEFAULT_WINDOW_DAYS

    window_days = DEFAULT_WINDOW_DAYS if window_days is None else window_days
    if fmt == "html":  # the dashboard's map with its time slider
        return export_html(store, out, date=day, window_days=window_days)
    target = check_writable(out, FORMATS[fmt])
    rows = table(store.observations_frame(), day, window_days)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    temporary.unlink()  # drivers such as GPKG will not write over an existing file
    try:
        write(rows, fmt, temporary, layer="places" if day else "observations")
        os.replace(temporary, target)
    except OSError as e:
        raise SnapshotError(f"cannot write {target}: {e.strerror or e}") from e
    finally:
        temporary.unlink(missing_ok=True)
    return len(rows)


def run(args: argparse.Namespace) -> int:
    from geo.snapshot import SnapshotError

    if args.window_days < 1:
        sys.exit("error: --window-days must be at least 1")
    try:
        with open_store(args.db) as store:
            n = export(store, args.format, args.out, args.date, args.window_days)
    except SnapshotError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    what = "places" if args.date or args.format == "html" else "observations"
    print(f"wrote {n} {what} to {args.out}", file=sys.stderr)
    return 0
