"""The optional online geocoder, against a fake Nominatim on 127.0.0.1 (no test touches a real service)."""
from __future__ import annotations

import json
import socket
from collections import Counter
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from geo.geocache import GeocodeCache
from geo.geocoder import Context, OnlineGeocodeWarning, Resolver
from geo.gazetteer import Gazetteer, Place
from geo.online import OnlineGeocoder

ANSWERS = {
    "tokmak": [{"place_id": 1, "osm_type": "relation", "osm_id": 123, "lat": "47.2551", "lon": "35.7065",
                "display_name": "Tokmak, Vasylivka Raion, Zaporizhzhia Oblast, Ukraine", "class": "boundary",
                "type": "administrative", "addresstype": "town", "name": "Tokmak",
                "address": {"town": "Tokmak", "state": "Zaporizhzhia Oblast", "country": "Ukraine",
                            "country_code": "ua"}}],
    "xyzzyvka": None,  # filled below: the same answer under a name no gazetteer has
    "lake baikal": [{"place_id": 2, "osm_type": "relation", "osm_id": 9, "lat": "53.5", "lon": "108.0",
                     "display_name": "Lake Baikal, Russia", "class": "natural", "type": "water",
                     "addresstype": "water", "name": "Lake Baikal", "address": {"country_code": "ru"}}],
}


ANSWERS["xyzzyvka"] = ANSWERS["tokmak"]


class FakeNominatim(ThreadingHTTPServer):
    """Answers /search like Nominatim and records when each request came."""

    def __init__(self, delay: float = 0.0) -> None:
        self.requests: list[tuple[float, str, str]] = []
        self.countrycodes: list[str] = []
        self.delay = delay
        super().__init__(("127.0.0.1", 0), self.Handler)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            server: FakeNominatim = self.server  # type: ignore[assignment]
            url = urlparse(self.path)
            params = parse_qs(url.query)
            query = params.get("q", [""])[0]
            server.requests.append((time.monotonic(), query, self.headers.get("User-Agent", "")))
            server.countrycodes.append(params.get("countrycodes", [""])[0])
            if server.delay:
                time.sleep(server.delay)
            body = json.dumps(ANSWERS.get(query.lower(), []) if url.path == "/search" else []).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass


@pytest.fixture
def fake():
    servers = []

    def start(delay: float = 0.0) -> FakeNominatim:
        server = FakeNominatim(delay)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


KYIV = Place(id="t:kyiv", name="Kyiv", lat=50.45, lon=30.52, kind="city", country="UA", admin1="Kyiv",
             population=2_900_000, geonameid=703448, source="geonames", feature="PPL")


def online_resolver(port: int, tmp_path, *, min_delay: float = 0.0, timeout: float = 5, online_first=False):
    online = OnlineGeocoder.from_config("nominatim", domain=f"127.0.0.1:{port}", scheme="http",
                                        min_delay=min_delay, timeout=timeout, user_agent="conflict-news-map-tests")
    return Resolver(Gazetteer.from_places([KYIV]), cache=GeocodeCache(tmp_path / "cache.sqlite"), online=online,
                    online_first=online_first)


def test_names_the_gazetteer_lacks_are_asked_online_and_parsed(fake, tmp_path):
    server = fake()
    resolver = online_resolver(server.server_port, tmp_path)
    res = resolver.resolve("Tokmak")
    assert res.rule == "online:nominatim" and not res.cached
    assert (res.place.name, res.place.country, res.place.kind, res.place.admin1) == \
        ("Tokmak", "UA", "city", "Zaporizhzhia Oblast")
    assert (res.place.lat, res.place.lon) == (47.2551, 35.7065)
    assert resolver.resolve("Lake Baikal").place.kind == "water"
    assert resolver.resolve("Kyiv").rule == "only-candidate"  # the gazetteer answered: no request
    assert [q for _, q, _ in server.requests] == ["Tokmak", "Lake Baikal"]
    assert server.requests[0][2] == "conflict-news-map-tests"


def test_a_cache_hit_makes_no_request(fake, tmp_path):
    server = fake()
    online_resolver(server.server_port, tmp_path).resolve("Tokmak")
    online_resolver(server.server_port, tmp_path).resolve("Atlantis")  # a miss is remembered too
    assert len(server.requests) == 2
    again = online_resolver(server.server_port, tmp_path)  # a new process would start like this
    hit = again.resolve("Tokmak")
    miss = again.resolve("Atlantis")
    assert hit.cached and hit.place.name == "Tokmak"
    assert miss.cached and miss.place is None and miss.rule == "not-found"
    assert len(server.requests) == 2


def test_the_service_is_told_the_theatre_and_the_cache_is_keyed_by_it(fake, tmp_path):
    server = fake()
    resolver = online_resolver(server.server_port, tmp_path)
    ua = Context(countries=Counter({"UA": 3}))
    assert resolver.resolve("Tokmak", ua).place.name == "Tokmak"
    assert resolver.resolve("Tokmak", Context(countries=Counter({"UA": 5}), admin1="Zaporizhzhia")).place
    assert server.countrycodes == ["ua"]  # same name, same theatre: one request
    resolver.resolve("Tokmak")
    assert server.countrycodes == ["ua", ""]  # no theatre: a different question


def test_the_rate_limit_is_respected(fake, tmp_path):
    server = fake()
    resolver = online_resolver(server.server_port, tmp_path, min_delay=0.5)
    start = time.monotonic()
    for name in ("Tokmak", "Lake Baikal", "Atlantis"):
        resolver.resolve(name)
    assert time.monotonic() - start >= 1.0  # two waits of 0.5 s between three requests
    times = [t for t, _, _ in server.requests]
    assert len(times) == 3
    # arrival gaps: 0.5 s minus whatever network/scheduling delay the earlier request had
    assert all(b - a >= 0.35 for a, b in zip(times, times[1:]))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_refused_connection_falls_back_to_the_gazetteer_and_caches_nothing(tmp_path):
    resolver = online_resolver(_closed_port(), tmp_path, online_first=True)
    with pytest.warns(OnlineGeocodeWarning, match="failed"):
        res = resolver.resolve("Kyiv")
    assert res.place == KYIV and res.rule == "only-candidate"
    with pytest.warns(OnlineGeocodeWarning):
        assert resolver.resolve("Tokmak").place is None
    assert resolver.cache.stats()["entries"] == 0


def test_a_timeout_falls_back_to_the_gazetteer_and_is_not_cached_as_a_miss(fake, tmp_path):
    server = fake(delay=1.5)
    resolver = online_resolver(server.server_port, tmp_path, timeout=0.3, online_first=True)
    with pytest.warns(OnlineGeocodeWarning):
        res = resolver.resolve("Kyiv")
    assert res.place == KYIV
    with pytest.warns(OnlineGeocodeWarning):
        assert resolver.resolve("Tokmak").rule == "online-failed"
    assert resolver.cache.stats()["entries"] == 0
    server.delay = 0
    assert resolver.resolve("Tokmak").place.name == "Tokmak"  # the failure was not remembered


def test_online_first_prefers_the_service_answer(fake, tmp_path):
    server = fake()
    resolver = online_resolver(server.server_port, tmp_path, online_first=True)
    assert resolver.resolve("Tokmak").rule == "online:nominatim"
    assert resolver.resolve("Kyiv").rule == "only-candidate"  # the service knows nothing: gazetteer
    assert len(server.requests) == 2


def test_the_online_service_is_chosen_by_configuration(fake, monkeypatch, tmp_path):
    server = fake()
    monkeypatch.setenv("GEO_ONLINE_GEOCODER", "nominatim")
    monkeypatch.setenv("GEO_ONLINE_DOMAIN", f"127.0.0.1:{server.server_port}")
    monkeypatch.setenv("GEO_ONLINE_SCHEME", "http")
    monkeypatch.setenv("GEO_ONLINE_MIN_DELAY", "0")
    resolver = Resolver.default()
    assert resolver.online.name == "nominatim"
    res = resolver.resolve("Xyzzyvka")  # not in the gazetteer
    assert (res.rule, res.place.name) == ("online:nominatim", "Tokmak")
    assert len(server.requests) == 1
    assert Resolver.default(online="").online is None


def test_geocode_command_with_an_online_service(fake, monkeypatch, capsys):
    from geo.cli import main

    server = fake()
    monkeypatch.setenv("GEO_ONLINE_DOMAIN", f"127.0.0.1:{server.server_port}")
    monkeypatch.setenv("GEO_ONLINE_SCHEME", "http")
    monkeypatch.setenv("GEO_ONLINE_MIN_DELAY", "0")
    assert main(["geocode", "Xyzzyvka", "Kyiv", "--online", "nominatim"]) == 0
    assert main(["geocode", "Xyzzyvka", "--online", "nominatim"]) == 0
    first, kyiv, again = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert (first["name"], first["rule"], first["cached"], first["source"]) == \
        ("Tokmak", "online:nominatim", False, "online:nominatim")
    assert kyiv["source"] == "geonames" and kyiv["cached"] is False
    assert again["cached"] is True
    assert len(server.requests) == 1
