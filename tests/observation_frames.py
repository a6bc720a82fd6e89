"""Build observation frames shaped like ``Store.observations_frame()`` for map and timeline tests.

The tests state only what matters to them (place, date, status, outlet...); every
other column gets a plausible default so the frame matches the store's contract.
"""
from __future__ import annotations

import itertools

import pandas as pd

COLUMNS = [
    "observation_id", "article_id", "article_date", "date_precision", "title", "outlet", "url",
    "place_id", "place", "kind", "lat", "lon", "country", "admin1", "status", "evidence", "trigger",
    "source", "confidence", "negated", "hedged", "event_date", "event_date_precision",
    "geo_precision", "extractor_version",
]

PLACES = {
    "Kherson": ("gn:706448", "city", 46.6354, 32.6169, "UA", "Kherson Oblast", 1),
    "Mariupol": ("gn:701822", "city", 47.0951, 37.5413, "UA", "Donetsk Oblast", 1),
    "Kharkiv": ("gn:706483", "city", 49.9818, 36.2548, "UA", "Kharkiv Oblast", 1),
    "Kyiv": ("gn:703448", "city", 50.4547, 30.5238, "UA", "Kyiv City", 1),
    "Donetsk Oblast": ("sup:ua-14", "region", 48.0, 37.8, "UA", "Donetsk Oblast", 2),
    "Ukraine": ("gn:690791", "country", 49.0, 32.0, "UA", None, 3),
    "Sea of Azov": ("sup:azov", "water", 46.0, 36.5, None, None, 3),
    "Nowhere": ("ungeocoded:nowhere", None, None, None, None, None, None),
}

_ids = itertools.count(1)


def obs(place: str, date: str | None, status: str | None, *, article: str | None = None,
        outlet: str = "Reuters", source: str | None = None, confidence: float = 0.9,
        negated: bool = False, evidence: str | None = None, trigger: str | None = None,
        title: str | None = None, url: str | None = "https://example.org/a") -> dict:
    """One observation row; the article id defaults to one article per (outlet, date)."""
    place_id, kind, lat, lon, country, admin1, precision = PLACES[place]
    n = next(_ids)
    return {
        "observation_id": n, "article_id": article or f"{outlet}-{date}",
        "article_date": pd.Timestamp(date) if date else pd.NaT, "date_precision": "day" if date else None,
        "title": title or f"Report {n}", "outlet": outlet, "url": url, "place_id": place_id, "place": place,
        "kind": kind, "lat": lat, "lon": lon, "country": country, "admin1": admin1, "status": status,
        "evidence": evidence or f"{place} was {status or 'mentioned'} according to {source or 'officials'}.",
        "trigger": trigger if trigger is not None else status, "source": source, "confidence": confidence,
        "negated": negated, "hedged": False, "event_date": None, "event_date_precision": None,
        "geo_precision": precision, "extractor_version": "test",
    }


def frame(*rows: dict) -> pd.DataFrame:
    """A frame with the store's columns and dtypes from :func:`obs` rows."""
    result = pd.DataFrame(list(rows), columns=COLUMNS)
    result["article_date"] = pd.to_datetime(result["article_date"])
    return result
