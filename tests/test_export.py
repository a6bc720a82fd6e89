"""`python -m geo export`: every observation, or the map at a date, as GeoJSON, CSV, GeoPackage or GeoParquet."""
from __future__ import annotations

import json
import re

import geopandas
import pandas as pd
import pyarrow.parquet as pq
import pytest

from fake_extractor import article, keyword_extractor
from geo.cli import main
from geo.store import FRAME_COLUMNS, Store


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store(url) as store:
        store.ingest([article("a", "Kherson was captured. Atlantis was shelled.", date="2022-03-01"),
                      article("b", "Kyiv appears to be surrounded.", date="2022-03-05"),
                      article("u", "Mariupol was shelled.", date=None)], factory=keyword_extractor)
    return url


def export(db: str, *args: str) -> int:
    return main(["export", "--db", db, *args])


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet"])
def test_every_observation_is_exported_as_points_in_wgs84(db, tmp_path, fmt):
    out = tmp_path / f"all.{fmt}"
    assert export(db, "--format", fmt, "--out", str(out)) == 0
    frame = geopandas.read_parquet(out) if fmt == "parquet" else geopandas.read_file(out)
    assert len(frame) == 4 and frame.crs.to_epsg() == 4326
    assert set(FRAME_COLUMNS) <= set(frame.columns)
    kherson = frame[frame.place == "Kherson"].iloc[0]
    assert (kherson.geometry.x, kherson.geometry.y) == pytest.approx((32.61458, 46.63695))
    assert kherson.status == "captured" and kherson.evidence == "Kherson was captured."
    atlantis = frame[frame.place == "Atlantis"].iloc[0]
    assert atlantis.geometry is None or atlantis.geometry.is_empty  # kept, without a point


def test_parquet_is_geoparquet(db, tmp_path):
    out = tmp_path / "all.parquet"
    export(db, "--format", "parquet", "--out", str(out))
    geo = json.loads(pq.read_schema(out).metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["encoding"] == "WKB"


def test_csv_has_one_row_per_observation_with_lat_lon(db, tmp_path):
    out = tmp_path / "all.csv"
    assert export(db, "--format", "csv", "--out", str(out)) == 0
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(FRAME_COLUMNS) and len(frame) == 4
    assert frame.loc[frame.place == "Kyiv", "lat"].iloc[0] == pytest.approx(50.45466)


def test_with_a_date_the_export_is_the_map_of_that_day(db, tmp_path):
    out = tmp_path / "day.geojson"
    assert export(db, "--format", "geojson", "--out", str(out), "--date", "2022-03-03") == 0
    places = geopandas.read_file(out).set_index("place")
    assert sorted(places.index) == ["Atlantis", "Kherson"]  # Kyiv is reported only on 03-05
    assert places.loc["Kherson", "status"] == "captured" and places.loc["Kherson", "n_articles"] == 1


def test_a_date_outside_the_data_is_a_clear_error(db, tmp_path, capsys):
    out = tmp_path / "day.csv"
    assert export(db, "--format", "csv", "--out", str(out), "--date", "2023-01-01") == 1
    assert "no data on 2023-01-01: the store's articles run from 2022-03-01 to 2022-03-05" in capsys.readouterr().err
    assert not out.exists()


def test_an_empty_store_exports_an_empty_file(tmp_path):
    out = tmp_path / "none.geojson"
    assert main(["export", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}", "--format", "geojson",
                 "--out", str(out)]) == 0
    assert json.loads(out.read_text())["features"] == []


def test_an_existing_file_is_replaced_whole_and_no_temporary_file_is_left(db, tmp_path):
    out = tmp_path / "all.gpkg"
    out.write_bytes(b"old")
    assert export(db, "--format", "gpkg", "--out", str(out)) == 0
    assert len(geopandas.read_file(out)) == 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_unwritable_destination_is_a_clear_error(db, tmp_path, capsys):
    assert export(db, "--format", "csv", "--out", str(tmp_path / "missing" / "x.csv")) == 1
    assert "does not exist" in capsys.readouterr().err


def test_the_file_name_must_match_the_format(db, tmp_path, capsys):
    assert export(db, "--format", "gpkg", "--out", str(tmp_path / "x.geojson")) == 1
    assert "must end in .gpkg" in capsys.readouterr().err


def test_html_is_the_self_contained_time_slider_map(db, tmp_path, capsys):
    out = tmp_path / "map.html"
    assert export(db, "--format", "html", "--out", str(out), "--date", "2022-03-05") == 0
    page = out.read_text()
    assert "Kherson" in page and "Kyiv" in page
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?https?:""", page)  # nothing to fetch
    assert "wrote" in capsys.readouterr().err
