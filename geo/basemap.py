"""The shipped Natural Earth basemap (``geo/static/basemap/``) and the areas region-level reports cover.

Two jobs, both about those files: hand the map its vector layers (read once per
process, they are embedded in every page), and find the polygon a region-,
country- or water-level observation stands for, so the map can shade the area
instead of drawing a dot that would look like a town.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from geo.timeline import fold

#: Package data (built by ``data/basemap/build.py``); also served to the dashboard's browser at
#: ``/app/static/basemap/`` so that its pages need not carry the basemap on every rerun.
BASEMAP_DIR = Path(__file__).resolve().parent / "static" / "basemap"
LAYERS = ("countries", "admin1", "water", "rivers", "cities")
ATTRIBUTION = "Basemap: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0)"

#: Words a region's name carries that the basemap's names do not ("Donetsk Oblast" -> "donetsk").
_REGION_WORDS = re.compile(r"\b(oblast|oblast'|region|province|raion|district|krai|republic|autonomous republic of|"
                           r"the|of|city)\b")
_APOSTROPHES = re.compile(r"['’ʼ`]")
#: Regions made of several admin-1 units.
_COMPOSITE = {"donbas": ("UA-14", "UA-09"), "donbass": ("UA-14", "UA-09")}


def _key(name: object) -> str:
    text = _APOSTROPHES.sub("", fold(name))
    text = _REGION_WORDS.sub(" ", text.replace("-", " "))
    return " ".join(text.split())


@lru_cache(maxsize=None)
def layer(name: str) -> dict:
    """One shipped layer as a GeoJSON FeatureCollection (``LAYERS``)."""
    if name not in LAYERS:
        raise ValueError(f"unknown basemap layer {name!r}; expected one of {LAYERS}")
    path: Path = BASEMAP_DIR / f"{name}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def layers_json() -> str:
    """The layers the basemap draws, as one JSON object to embed in a page (serialised once per process).

    Only Ukraine's admin-1 units are drawn; the neighbours' units are kept server-side
    for :func:`area_for`, which keeps every page (and every dashboard rerun) lighter.
    """
    drawn = {name: layer(name) for name in LAYERS}
    admin1 = drawn["admin1"]
    drawn["admin1"] = {**admin1, "features": [
        {"type": "Feature", "properties": {"name": f["properties"]["name"]}, "geometry": f["geometry"]}
        for f in admin1["features"] if f["properties"]["country"] == "UA"]}
    return json.dumps(drawn, separators=(",", ":"), ensure_ascii=False)


@lru_cache(maxsize=1)
def _admin1_index() -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for feature in layer("admin1")["features"]:
        for name in str(feature["properties"].get("keys") or "").split("|") + [feature["properties"]["name"]]:
            if name:
                index.setdefault(_key(name), []).append(feature)
    return index


def _union(features: list[dict]) -> dict:
    polygons: list = []
    for feature in features:
        geometry = feature["geometry"]
        polygons += [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return {"type": "MultiPolygon", "coordinates": polygons}


def area_for(kind: object, name: object, country: object = None) -> dict | None:
    """The GeoJSON geometry a region/country/water observation covers, or ``None`` if we have none.

    Countries match on ISO code (else name); regions on their names and variants in
    Natural Earth's admin-1 layer, preferring the country given and oblasts over
    same-named cities; seas and lakes on their name. Points (``kind`` city) never
    get an area.
    """
    if kind == "country":
        for feature in layer("countries")["features"]:
            props = feature["properties"]
            if (country and props.get("iso_a2") == country) or _key(props.get("name")) == _key(name):
                return feature["geometry"]
        return None
    if kind == "region":
        key = _key(name)
        if key in _COMPOSITE:
            wanted = set(_COMPOSITE[key])
            return _union([f for f in layer("admin1")["features"] if f["properties"]["iso_3166_2"] in wanted])
        candidates = _admin1_index().get(key, [])
        if country:
            candidates = [f for f in candidates if f["properties"]["country"] == country] or candidates
        if not candidates:
            return None
        best = sorted(candidates, key=lambda f: f["properties"]["type"] != "Region")[0]
        return best["geometry"]
    if kind == "water":
        for feature in layer("water")["features"]:
            if feature["properties"].get("name") and _key(feature["properties"]["name"]) == _key(name):
                return feature["geometry"]
    return None
