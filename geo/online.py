"""An optional online geocoder (any geopy service) for names the gazetteer lacks.

Off unless configured. Settings (environment, or arguments of
:meth:`OnlineGeocoder.from_config`):

- ``GEO_ONLINE_GEOCODER``: geopy service name ("nominatim", "photon", "arcgis", ...)
- ``GEO_USER_AGENT``: the user agent sent (Nominatim's policy requires a real
  one naming the application and a contact), default names this project
- ``GEO_ONLINE_DOMAIN`` / ``GEO_ONLINE_SCHEME``: a self-hosted instance (and the tests' fake server)
- ``GEO_ONLINE_MIN_DELAY``: seconds between requests (default 1.0, Nominatim's public limit)
- ``GEO_ONLINE_TIMEOUT``: seconds per request (default 10)
- ``GEO_ONLINE_API_KEY``: for services that need one

Requests go through :class:`geopy.extra.rate_limiter.RateLimiter`; failures
are raised to :class:`geo.geocoder.Resolver`, which falls back to the
gazetteer and does not cache them.
"""
from __future__ import annotations

import os

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service

from geo.gazetteer import Place

DEFAULT_USER_AGENT = "conflict-news-map/0.1 (offline-first news geocoder; +https://pypi.org/project/geopy/)"

_SETTLEMENT = {"city", "town", "village", "hamlet", "suburb", "quarter", "neighbourhood", "locality",
               "isolated_dwelling", "borough"}
_WATER = {"water", "sea", "river", "bay", "strait", "lake", "reservoir", "ocean", "canal", "stream"}
_REGION = {"state", "region", "province", "county", "administrative", "district", "municipality",
           "state_district", "island", "archipelago", "peninsula"}


class OnlineGeocoder:
    """One geopy service behind a rate limiter, answering with :class:`Place` objects."""

    def __init__(self, name: str, geocoder, *, min_delay: float = 1.0) -> None:
        self.name = name
        self.geocoder = geocoder
        self._call = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay, max_retries=0,
                                 swallow_exceptions=False)

    @classmethod
    def from_config(cls, service: str, *, domain: str | None = None, scheme: str | None = None,
                    user_agent: str | None = None, min_delay: float | None = None,
                    timeout: float | None = None, api_key: str | None = None) -> "OnlineGeocoder":
        env = os.environ.get
        service = service.lower()
        geocoder_cls = get_geocoder_for_service(service)
        kwargs: dict = {"user_agent": user_agent or env("GEO_USER_AGENT") or DEFAULT_USER_AGENT,
                        "timeout": float(timeout or env("GEO_ONLINE_TIMEOUT") or 10)}
        domain = domain or env("GEO_ONLINE_DOMAIN")
        scheme = scheme or env("GEO_ONLINE_SCHEME")
        api_key = api_key or env("GEO_ONLINE_API_KEY")
        if domain:
            kwargs["domain"] = domain
        if scheme:
            kwargs["scheme"] = scheme
        if api_key:
            kwargs["api_key"] = api_key
        delay = float(min_delay if min_delay is not None else env("GEO_ONLINE_MIN_DELAY") or 1.0)
        return cls(service, geocoder_cls(**kwargs), min_delay=delay)

    def geocode(self, name: str, countries: tuple[str, ...] = ()) -> Place | None:
        """The service's best match for ``name`` (within ``countries`` where the service can
        restrict by country), or None; raises on network/service errors."""
        kwargs: dict = {"exactly_one": True}
        if self.name == "nominatim":
            kwargs.update(addressdetails=True, language="en")
            if countries:
                kwargs["country_codes"] = [c.lower() for c in countries]
        location = self._call(name, **kwargs)
        if location is None:
            return None
        return place_from_location(self.name, location)


def place_from_location(service: str, location) -> Place:
    """A Place from a geopy Location of Nominatim (or Photon-like GeoJSON) raw data."""
    raw = location.raw or {}
    props = raw.get("properties", raw)  # Photon answers GeoJSON features
    address = props.get("address") or {}
    feature_type = str(props.get("addresstype") or props.get("type") or props.get("osm_value") or "")
    feature_class = str(props.get("class") or props.get("osm_key") or "")
    if feature_type == "country":
        kind = "country"
    elif feature_type in _SETTLEMENT:
        kind = "city"
    elif feature_type in _WATER or feature_class in ("waterway", "water") or \
            (feature_class == "natural" and feature_type in _WATER):
        kind = "water"
    elif feature_type in _REGION or feature_class == "boundary":
        kind = "region"
    else:
        kind = "city"
    country = (address.get("country_code") or props.get("countrycode") or "").upper() or None
    osm = f"{props.get('osm_type', '')}/{props.get('osm_id', '')}".strip("/")
    display = props.get("name") or str(location.address).split(",")[0].strip()
    return Place(
        id=f"{service}:{osm or f'{location.latitude:.5f},{location.longitude:.5f}'}",
        name=display, lat=float(location.latitude), lon=float(location.longitude), kind=kind,
        country=country, admin1=address.get("state") or props.get("state"), population=0, geonameid=None,
        source=f"online:{service}", feature=feature_type or None,
    )
