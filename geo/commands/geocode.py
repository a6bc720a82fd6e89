"""Geocode place names with the offline gazetteer (and an optional online service).

Prints one JSON line per name: {"query", "name", "lat", "lon", "kind", "country",
"geonameid", "source", "cached", "rule"}, or {"query", "found": false}.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter


def _lat_lon(value: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LAT,LON, got {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError(f"LAT,LON out of range: {value!r}")
    return lat, lon


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="+", metavar="NAME", help="place names ('-' reads one per line from stdin)")
    parser.add_argument("--country", action="append", default=[], metavar="CC",
                        help="ISO country code(s) the text is about (the article's theatre); repeatable")
    parser.add_argument("--near", type=_lat_lon, metavar="LAT,LON", help="prefer the namesake nearest this point")
    parser.add_argument("--oblast", "--admin1", dest="admin1", metavar="NAME",
                        help="prefer the namesake in this oblast/region (e.g. 'Kharkiv Oblast')")
    parser.add_argument("--online", metavar="SERVICE",
                        help="ask this geopy service (nominatim, photon, ...) for names the gazetteer lacks")
    parser.add_argument("--online-first", action="store_true",
                        help="ask the online service before the gazetteer")
    parser.add_argument("--together", action="store_true",
                        help="read the names as one article's: its unambiguous towns choose among namesakes")
    parser.add_argument("--all", action="store_true", help="list every candidate, not just the chosen one")


def run(args: argparse.Namespace) -> int:
    from geo.geocoder import Context, Resolver

    resolver = Resolver.default(online=args.online, online_first=args.online_first or None)
    context = Context(countries=Counter({c.upper(): 1 for c in args.country}), near=args.near, admin1=args.admin1)
    names = args.names
    if names == ["-"]:
        names = [line.strip() for line in sys.stdin if line.strip()]
    together = resolver.resolve_all(names, context.countries) if args.together else {}
    for name in names:
        res = together.get(name) or resolver.resolve(name, context)
        if res.place is None:
            record = {"query": name, "found": False, "rule": res.rule}
        else:
            p = res.place
            record = {"query": name, "name": p.name, "lat": p.lat, "lon": p.lon, "kind": p.kind,
                      "country": p.country, "admin1": p.admin1, "geonameid": p.geonameid, "id": p.id,
                      "source": p.source, "cached": res.cached, "rule": res.rule}
        if args.all:
            record["candidates"] = [
                {"name": c.place.name, "id": c.place.id, "lat": c.place.lat, "lon": c.place.lon,
                 "kind": c.place.kind, "country": c.place.country, "admin1": c.place.admin1,
                 "population": c.place.population}
                for c in resolver.candidates(name)]
        print(json.dumps(record, ensure_ascii=False))
    return 0
