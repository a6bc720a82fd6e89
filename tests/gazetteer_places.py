"""A short way to write a Place in tests of the gazetteer and the resolver."""
from __future__ import annotations

from geo.gazetteer import Place


def place(pid: str, name: str, lat: float = 50.0, lon: float = 30.0, *, kind: str = "city",
          country: str | None = "UA", admin1: str | None = None, population: int = 1000,
          source: str = "geonames") -> Place:
    return Place(id=pid, name=name, lat=lat, lon=lon, kind=kind, country=country, admin1=admin1,
                 population=population, geonameid=None, source=source, feature=None)
