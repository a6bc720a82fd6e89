"""Place name + article context -> one point, the same way every time.

:class:`Resolver` is what the pipeline calls for every mention. The chain is

    memo -> gazetteer (offline, always) -> persistent cache -> online service (optional) -> cache

An in-memory memo sits in front so that repeated names in a batch cost a dict
lookup. Gazetteer answers are computed, not stored: they are instant and
change with the shipped index, so a stored copy could only go stale. The
persistent SQLite cache (:mod:`geo.geocache`) holds what is expensive to get
again: online answers, and online misses (with a time to live). With
``online_first`` the online service is asked before the gazetteer (which then
only answers when the service fails or finds nothing).

:class:`GazetteerGeocoder` exposes the gazetteer through geopy's ``Geocoder``
interface, so code written for geopy can use it offline.
"""
from __future__ import annotations

import os
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.disambiguate import Candidate, Context, choose, depends_on_rank
from geo.gazetteer import MATCH_PREFERRED, MATCH_VARIANT, Gazetteer, Place, admin1_matches, normalize
from geo.geocache import MISSING

#: Rule of a resolution whose online request failed and that the gazetteer could not answer.
ONLINE_FAILED = "online-failed"

__all__ = ["Resolver", "Resolution", "Context", "GazetteerGeocoder", "OnlineGeocodeWarning"]


class OnlineGeocodeWarning(UserWarning):
    """An online geocoder failed (network, timeout, quota); the gazetteer answered instead."""


@dataclass(frozen=True)
class Resolution:
    """The outcome of one resolve: the place (or None) and the rule that decided."""

    place: Place | None
    rule: str  #: "only-candidate", "near", "admin1-hint", "country", "theatre", "name", ...
    cached: bool = False  #: answered from the persistent cache

    @property
    def found(self) -> bool:
        return self.place is not None


class Resolver:
    """Resolves names to places: gazetteer first, then the cache and an optional online service."""

    def __init__(self, gazetteer: Gazetteer, cache=None, online=None, *, online_first: bool = False,
                 memo_size: int = 200_000) -> None:
        self.gazetteer = gazetteer
        self.cache = cache
        self.online = online
        self.online_first = online_first and online is not None
        #: Context key (:meth:`Context.key`) -> folded name -> resolution (or, for a name whose
        #: choice turns on the ranking of its namesakes' countries, a :class:`_ByRank` there and
        #: the resolution under (folded name, ranking)). Two levels, so that the many names of
        #: one article, which share a context, hash that context's key once and then only a
        #: string each.
        self._memo: dict[tuple, dict] = {}
        self._memo_entries = 0
        self._within: dict[tuple[str, str], tuple[list[Candidate], list[Place]] | None] = {}
        #: Folded name -> its candidates, which no context changes: a name met again in another
        #: context, or as the container of "X, Y", does not build a Candidate per namesake again.
        self._candidates: dict[str, tuple[Candidate, ...]] = {}
        self._memo_size = memo_size
        self._lock = threading.Lock()

    @classmethod
    def default(cls, *, online: str | None = None, online_first: bool | None = None) -> "Resolver":
        """The gazetteer, plus the cache and the online service configured by the environment.

        ``GEO_ONLINE_GEOCODER`` (or ``online``) names a geopy service
        ("nominatim", "photon", ...); without it the resolver is offline.
        See :mod:`geo.online` for the other settings.
        """
        gazetteer = Gazetteer.load()
        service = online if online is not None else os.environ.get("GEO_ONLINE_GEOCODER") or None
        if not service:
            return cls(gazetteer)
        from geo.geocache import GeocodeCache
        from geo.online import OnlineGeocoder

        if online_first is None:
            online_first = os.environ.get("GEO_ONLINE_FIRST", "").lower() in ("1", "true", "yes")
        return cls(gazetteer, cache=GeocodeCache.open_default(), online=OnlineGeocoder.from_config(service),
                   online_first=online_first)

    # -- the chain --------------------------------------------------------------------------------
    def resolve(self, name: str, context: Context | None = None) -> Resolution:
        """The place ``name`` stands for in ``context`` (None when nothing knows it)."""
        context = context or _NO_CONTEXT
        return self._resolve_memoised(name, context, self._memo_of(context), {})

    def resolver_in(self, context: Context) -> Callable[[str], Resolution]:
        """``resolve(name, context)`` for the many names of one article: what the memo takes
        from the context (its :meth:`Context.key`, and its ranking of each set of namesakes'
        countries) is worked out once for them all, not once per name. ``context`` must not
        change while the function is in use."""
        memo, rankings = self._memo_of(context), {}
        resolve = self._resolve_memoised

        def resolve_in(name: str) -> Resolution:
            hit = memo.get(normalize(name))
            if hit.__class__ is Resolution:
                return hit  # most names of an article: one call, not two
            return resolve(name, context, memo, rankings)
        return resolve_in

    def _memo_of(self, context: Context) -> dict:
        """The memo of the resolutions in contexts of ``context``'s key."""
        key = context.key()
        memo = self._memo.get(key)
        if memo is None:
            with self._lock:
                memo = self._memo.setdefault(key, {})
        return memo

    def _resolve_memoised(self, name: str, context: Context, memo: dict,
                          rankings: dict[frozenset, tuple]) -> Resolution:
        """:meth:`resolve` through ``memo`` (:meth:`_memo_of` the context); ``rankings``
        memoises ``context.ranked`` by the countries ranked."""
        folded = normalize(name)
        hit = memo.get(folded)
        if isinstance(hit, _ByRank):
            hit = memo.get((folded, _ranking(context, hit.homes, rankings)))
        if hit is not None:
            return hit
        result, homes = self._resolve(name, context)
        if result.rule == ONLINE_FAILED:
            return result  # try the service again next time
        with self._lock:
            if self._memo_entries >= self._memo_size:
                self._memo.clear()  # the memo in hand is dropped with the others once its article is done
                self._memo_entries = 0
            if homes is not None:
                # few names reach the countries below the theatre: only these pay for the finer
                # key (the order of their namesakes' countries), the others hit on the coarse one
                memo[folded] = _ByRank(homes)
                memo[(folded, _ranking(context, homes, rankings))] = result
                self._memo_entries += 2
            else:
                memo[folded] = result
                self._memo_entries += 1
        return result

    def _resolve(self, name: str, context: Context) -> tuple[Resolution, frozenset | None]:
        """The resolution, and the countries of the namesakes when it may turn on their order
        among the article's countries below the theatre (else None)."""
        answer = None
        if self.online_first:
            answer = self._online(name, context)
            if answer.found:
                return answer, None
        candidates = self._candidates_of(name)
        place, rule = choose(candidates, context)
        if place is not None or self.online is None:
            homes = frozenset(c.place.country for c in candidates) if depends_on_rank(candidates, context) else None
            return Resolution(place, rule), homes
        return (answer if answer is not None else self._online(name, context)), None

    def _online(self, name: str, context: Context) -> Resolution:
        """The cached or fresh online answer; a failed request is neither cached nor memoised.

        The service is told the article's theatre (Nominatim: ``countrycodes``), so the cache
        key is the folded name plus that theatre: exactly what the answer depends on.
        """
        theatre = tuple(sorted(context.theatre()))
        cache_key = f"{normalize(name)}|{','.join(theatre)}"
        if self.cache is not None:
            cached = self.cache.get(cache_key, self.online.name)
            if cached is not MISSING:
                rule = f"online:{self.online.name}" if cached is not None else "not-found"
                return Resolution(cached, rule, cached=True)
        try:
            place = self.online.geocode(name, theatre)
        except Exception as e:  # noqa: BLE001 - any service failure falls back the same way
            warnings.warn(f"online geocoder {self.online.name} failed for {name!r} ({e}); "
                          "using the offline gazetteer", OnlineGeocodeWarning, stacklevel=4)
            return Resolution(None, ONLINE_FAILED)
        if self.cache is not None:
            self.cache.put(cache_key, self.online.name, place)
        return Resolution(place, f"online:{self.online.name}" if place else "not-found")

    def resolve_all(self, names: Iterable[str], countries: Counter | dict | None = None) -> dict[str, Resolution]:
        """Resolve an article's names together: its unambiguous towns anchor their namesake neighbours.

        First every name is resolved with the article's country focus alone; the
        towns in the theatre that had a single candidate become anchors; then each
        name that was a choice among namesakes is resolved again with the anchors,
        so "Borova" next to "Izium" is the Borova of Kharkiv Oblast (``near-places``).
        """
        base = Context(countries=Counter(countries or {}))
        theatre = base.theatre()
        first = {name: self.resolve(name, base) for name in dict.fromkeys(names)}
        anchors = {name: (r.place.lat, r.place.lon) for name, r in first.items()
                   if r.rule == "only-candidate" and r.place.kind == "city"
                   and (not theatre or r.place.country in theatre)}
        resolved = {}
        for name, res in first.items():
            points = tuple(point for other, point in anchors.items() if other != name)
            if res.rule in _CHOSEN_AMONG_NAMESAKES and points:
                res = self.resolve(name, replace(base, anchors=points))
            resolved[name] = res
        return resolved

    def resolve_within(self, name: str, container: str, context: Context | None = None
                       ) -> tuple[Resolution, Resolution | None] | None:
        """"X, Y" ("Atlanta, Georgia", "Dovercourt, Essex"): the namesake of X that lies in a region or
        country called Y (rule ``in-region``), and that container when Y alone would have read as
        another region or country (rule ``containing-region``: Georgia the US state, not the country).

        None when X is a country or region (a list: "Iowa, Louisiana"), when no reading of Y contains a
        namesake of X, or every namesake of X lies in one (nothing to narrow). The second item is
        None when Y's own reading stands.
        """
        context = context or _NO_CONTEXT
        key = (normalize(name), normalize(container))
        pair = self._within.get(key, MISSING)
        if pair is MISSING:
            pair = self._within_candidates(name, container)
            with self._lock:
                if len(self._within) >= self._memo_size:
                    self._within.clear()
                self._within[key] = pair
        if pair is None:
            return None
        inside, outers = pair
        place = choose(inside, context)[0]
        outer = self.resolve(container, context)
        holders = [o for o in outers if _contains(o, place, container)]
        if outer.place is None or outer.place.kind == "city" or outer.place in holders:
            return Resolution(place, "in-region"), None
        # the smallest holder: a US state before the United States
        holder = min(holders, key=lambda o: o.kind == "country")
        return Resolution(place, "in-region"), Resolution(holder, "containing-region")

    def resolve_beside(self, name: str, own: Place | None, neighbour: Place | None) -> Resolution | None:
        """A name that alone reads as a country (``own``), listed next to a name that reads as a
        region of another country (``neighbour``: "Florida, Georgia and California", "Georgia and
        Nevada"): that country's region of this name (rule ``sibling-region``), if it has exactly
        one; else None.
        """
        if own is None or own.kind != "country" or neighbour is None or neighbour.kind != "region" \
                or neighbour.country in (None, own.country):
            return None
        regions = [c.place for c in self._candidates_of(name)
                   if c.place.kind == "region" and c.place.country == neighbour.country and c.quality >= MATCH_VARIANT]
        return Resolution(regions[0], "sibling-region") if len(regions) == 1 else None

    def _within_candidates(self, name: str, container: str) -> tuple[list[Candidate], list[Place]] | None:
        """For "X, Y": the namesakes of X inside a region or country called Y, and those containers;
        None when that narrows nothing (see :meth:`resolve_within`)."""
        outers = [c.place for c in self._candidates_of(container)
                  if c.place.kind in ("region", "country") and c.quality >= MATCH_VARIANT]
        if not outers:
            return None
        inner = self._candidates_of(name)
        if any(c.place.kind in ("region", "country") and c.quality >= MATCH_VARIANT for c in inner):
            return None  # a list ("Moldova, Ukraine", "Iowa, Louisiana"), not a place and its region
        inside = [c for c in inner if any(_contains(o, c.place, container) for o in outers)]
        if not inside or len(inside) == len(inner):
            return None
        return inside, outers

    def candidates(self, name: str) -> list[Candidate]:
        """Every gazetteer candidate for ``name`` with its match quality and frontline flag."""
        return list(self._candidates_of(name))

    def match_quality(self, name: str, place_id: str) -> int:
        """How well ``name`` fits the place ``place_id``: its gazetteer match quality (MATCH_*; the
        last listed where the place has several), or :data:`MATCH_PREFERRED` for a place that is no
        candidate of the name (an online answer). The memoised candidates answer it, so a name met
        for the first time costs no second gazetteer lookup."""
        for c in reversed(self._candidates_of(name)):
            if c.place.id == place_id:
                return c.quality
        return MATCH_PREFERRED

    def _candidates_of(self, name: str) -> tuple[Candidate, ...]:
        """:meth:`candidates`, memoised by the folded name (what the gazetteer looks up)."""
        folded = normalize(name)
        found = self._candidates.get(folded)
        if found is None:
            gaz = self.gazetteer
            found = tuple([Candidate(gaz.place_at(i), q, gaz.is_frontline(i)) for i, q in gaz.matches(name)])
            with self._lock:
                if len(self._candidates) >= self._memo_size:
                    self._candidates.clear()
                self._candidates[folded] = found
        return found

    def clear_memo(self) -> None:
        with self._lock:
            self._memo.clear()
            self._memo_entries = 0
            self._within.clear()
            self._candidates.clear()


_NO_CONTEXT = Context()

#: Rules that picked one namesake among several on weak evidence: worth a second look with anchors.
_CHOSEN_AMONG_NAMESAKES = frozenset({"theatre", "name", "curated", "frontline", "population"})


def _ranking(context: Context, homes: frozenset, rankings: dict[frozenset, tuple]) -> tuple:
    """``context.ranked(homes)``, memoised in ``rankings`` (one context's)."""
    ranked = rankings.get(homes)
    if ranked is None:
        ranked = rankings[homes] = context.ranked(homes)
    return ranked


@dataclass(frozen=True)
class _ByRank:
    """Memo entry of a name whose choice turns on how the article ranks its namesakes' countries
    (``homes``): the answer is memoised under that ranking too."""

    homes: frozenset


def _contains(outer: Place, place: Place, outer_name: str) -> bool:
    """Whether ``place`` lies in the region or country ``outer`` (written ``outer_name``).

    A country holds its places; a region holds the towns of its country whose first-level region
    it is, or, when the gazetteer gives the town none (GeoNames towns of Britain), every town of
    its country: English counties are second-level, and GeoNames does not say which one.
    """
    if outer.country is None or place.country != outer.country or place.id == outer.id:
        return False
    if outer.kind == "country":
        return True
    if place.admin1 is None:
        return place.kind == "city"
    # A region that lies in a first-level one holds that one's towns too: the "Donetsk People's
    # Republic" is read as Donetsk Oblast (only such curated regions have an admin1 of another name
    # and towns that name admin1s; GeoNames gives Britain's towns none).
    return admin1_matches(place.admin1, outer_name) or admin1_matches(place.admin1, outer.name) \
        or (outer.admin1 is not None and admin1_matches(place.admin1, outer.admin1))


def place_location(place: Place) -> Location:
    """A geopy Location for a place; ``raw`` is the place's fields."""
    parts = [place.name] + [p for p in (place.admin1, place.country) if p and p != place.name]
    return Location(", ".join(parts), (place.lat, place.lon, 0.0), place.to_dict())


class GazetteerGeocoder(Geocoder):
    """The offline gazetteer behind geopy's Geocoder interface.

    ``geocode("Kharkov")`` returns a :class:`geopy.location.Location` whose
    ``raw`` holds the :class:`~geo.gazetteer.Place` fields; ``country_codes``
    and ``near`` feed the same disambiguation the pipeline uses.
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        super().__init__()
        self.resolver = Resolver(gazetteer or Gazetteer.load())

    def geocode(self, query: str, *, exactly_one: bool = True, country_codes: list[str] | str | None = None,
                near: tuple[float, float] | None = None, admin1: str | None = None, **_ignored):
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        countries = Counter({c.upper(): 1 for c in country_codes or ()})
        context = Context(countries=countries, near=near, admin1=admin1)
        if exactly_one:
            res = self.resolver.resolve(query, context)
            return place_location(res.place) if res.place else None
        cands = self.resolver.candidates(query)
        if countries:
            cands = [c for c in cands if c.place.country in countries] or cands
        if not cands:
            return None
        first, _ = choose(cands, context)
        ordered = [first] + sorted((c.place for c in cands if c.place is not first),
                                   key=lambda p: -p.population)
        return [place_location(p) for p in ordered]

    def reverse(self, query, *, exactly_one=True, **kwargs):
        raise NotImplementedError("the offline gazetteer does not reverse-geocode")
