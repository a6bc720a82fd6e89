"""Choosing one place among namesakes, with the rule that decided.

The rules run in a fixed order; each either decides, narrows the field, or
passes. The order is what a careful human geocoder does with a war article:

1. ``only-candidate``: nothing to choose;
2. ``near``: the namesake closest to a point the text is about (within NEAR_KM);
3. ``admin1-hint``: the namesake in the oblast the text names;
4. ``country``: a country name means the country ("Georgia", "Ukraine"), unless the article's
   theatre is another country with a curated region of that name (``theatre-region``: Georgia
   the US state in an article mostly about the United States);
5. ``curated-area``: a curated region or water body known by that name ("Chechnya", "Dnepr");
   then ``near-places``: the namesake within ANCHOR_KM of another place the article names;
6. ``major-city`` / ``name-abroad``: a city abroad the name clearly means despite namesakes
   in the theatre ("New York");
7. ``theatre``: a place in the article's main country (international water counts);
   ``article-country``: else a place in the highest-counted other country the article names
   (Weymouth, Dorset, in a Ukraine article that also names Devon and Britain);
8. ``name``: a place's own name or curated variant beats a GeoNames alternate name;
9. ``curated``: a hand-curated entry beats a GeoNames namesake ("White House");
10. ``frontline``: a known fought-over town beats a quiet namesake (Borova of Kharkiv Oblast);
11. ``population``: the largest.

The rule is returned with the place, so a reviewer can see why a marker is
where it is.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.gazetteer import MATCH_VARIANT, Place, admin1_matches, fold_admin1

#: Sources of hand-checked entries (regions, water, facilities, countries): a curated "Donbas" or
#: "White House" outranks a GeoNames village that happens to share the name.
CURATED_SOURCES = frozenset({"supplement", "natural-earth"})

#: A city this populous, and this many times larger than any namesake in the theatre, is meant
#: even in an article about another country.
MAJOR_CITY, MAJOR_RATIO = 500_000, 50
#: A city abroad known by the name itself, this populous and this many times larger than theatre
#: namesakes that carry the name only as a GeoNames alternate, is meant.
SIZEABLE_CITY, ABROAD_RATIO = 100_000, 2

#: The ``near`` rule only accepts a namesake this close to the context point.
NEAR_KM = 150.0
#: The ``near-places`` rule only accepts a namesake this close to one of the article's other places.
ANCHOR_KM = 40.0


@dataclass(frozen=True)
class Candidate:
    place: Place
    quality: int  #: MATCH_* of geo.gazetteer
    frontline: bool  #: listed as fought over (places_ukraine_war.csv, checked)


@dataclass
class Context:
    """What the rest of the article says about where it is.

    ``countries``: document-level country focus, e.g. counts of the countries
    of the places already resolved without ambiguity (``Counter({"UA": 5})``);
    ``near``: a (lat, lon) the place is expected near (e.g. the article's other
    places); ``admin1``: an oblast/region the text names for this place;
    ``anchors``: points of the article's unambiguous places (see
    :meth:`geo.geocoder.Resolver.resolve_all`): a namesake next to one of them is
    the one meant.
    """

    countries: Counter = field(default_factory=Counter)
    near: tuple[float, float] | None = None
    admin1: str | None = None
    anchors: tuple[tuple[float, float], ...] = ()

    def theatre(self) -> frozenset[str]:
        """The country or countries the article is mostly about (ties kept)."""
        return frozenset(self._top_countries())

    def main_country(self) -> str | None:
        """The first counted of the countries the article is mostly about (whose capital "the
        capital" is), None if it counts none."""
        tops = self._top_countries()
        return tops[0] if tops else None

    def _top_countries(self) -> list[str]:
        # One pass over the counts, not max() of their values and a second pass for the ties: the
        # choice of a name reads the theatre two or three times, and the Counter is no native dict.
        top: Any = 0  # a count: any number a Counter holds, as max() took
        tops: list[str] = []
        for c, n in self.countries.items():
            if n > top:
                top, tops = n, [c]
            elif n == top and top > 0:
                tops.append(c)
        return tops

    def ranked(self, among: Iterable[str | None]) -> tuple[tuple[str, int], ...]:
        """The countries of ``among`` that the article names, in order, each with its rank (equal
        counts, equal rank): all the ``article-country`` step reads of the counts."""
        counts = self.countries
        named = sorted([(counts[c], c) for c in among if c is not None and counts.get(c, 0) > 0], reverse=True)
        if len(named) < 2:
            return tuple((c, 0) for _, c in named)  # the common case: at most one of them named
        ranked, rank, previous = [], -1, None
        for n, c in named:
            if n != previous:
                rank, previous = rank + 1, n
            ranked.append((c, rank))
        return tuple(ranked)

    def key(self) -> tuple:
        """What the choice depends on; used as the memo/cache key (computed for every name resolved,
        so the common context, countries only, takes the short way)."""
        near = None if self.near is None else (round(self.near[0], 2), round(self.near[1], 2))
        anchors = tuple(sorted({(round(lat, 2), round(lon, 2)) for lat, lon in self.anchors})) if self.anchors else ()
        return (tuple(sorted(self._top_countries())), near, fold_admin1(self.admin1) if self.admin1 else None, anchors)


def depends_on_rank(candidates: Sequence[Candidate], context: Context) -> bool:
    """Whether choosing among ``candidates`` may turn on the countries below the theatre (the
    ``article-country`` step): then :meth:`Context.key` alone is too coarse a memo key, and
    :meth:`Context.ranked` of the candidates' countries must be added to it."""
    # on the field the theatre step reads (the candidates, narrowed by an oblast hint as in
    # :func:`choose`) and the theatre, all of which the coarse key holds: so every context of that
    # key agrees on whether the finer one is needed. An oblast hint can leave no namesake in the
    # theatre where the whole field had one, so the field is narrowed first.
    field_ = _within_admin1(candidates, context.admin1)
    if len(field_) < 2:
        return False
    theatre = context.theatre()
    if any(c.place.country in theatre for c in field_):
        return False
    # The country and curated-area steps come first and decide on the field alone: a country's
    # name ("Russia", "Poland"), the most common of these names, needs no ranking.
    return not _countries(field_) and len(_curated_areas(field_)) != 1


def _countries(field_: Sequence[Candidate]) -> list[Candidate]:
    """The countries known by the name itself: :func:`choose`'s ``country`` step decides among them."""
    return [c for c in field_ if c.place.kind == "country" and c.quality >= MATCH_VARIANT]


def _curated_areas(field_: Sequence[Candidate]) -> list[Candidate]:
    """The curated regions and water bodies known by the name itself (``curated-area`` when one)."""
    return [c for c in field_ if c.place.kind in ("region", "water") and c.quality >= MATCH_VARIANT
            and c.place.source in CURATED_SOURCES]


def _within_admin1(candidates: Sequence[Candidate], admin1: str | None) -> Sequence[Candidate]:
    """The namesakes in the oblast or region ``admin1`` names, or all of them when there is no hint
    or none lies there: the field after :func:`choose`'s ``admin1-hint`` step."""
    if not admin1:
        return candidates
    return [c for c in candidates if admin1_matches(c.place.admin1, admin1)] or candidates


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def choose(candidates: Sequence[Candidate], context: Context) -> tuple[Place | None, str]:
    """The chosen place and the rule that decided (``not-found`` when there are no candidates)."""
    if not candidates:
        return None, "not-found"
    if len(candidates) == 1:
        return candidates[0].place, "only-candidate"
    field_ = candidates
    if context.near is not None:
        lat, lon = context.near
        dist = [(km(lat, lon, c.place.lat, c.place.lon), c) for c in field_ if c.place.kind == "city"]
        close = [(d, c) for d, c in dist if d <= NEAR_KM]
        if close:
            return min(close, key=lambda dc: dc[0])[1].place, "near"
    if context.admin1:
        field_ = _within_admin1(field_, context.admin1)
        if len(field_) == 1:
            return field_[0].place, "admin1-hint"
    countries = _countries(field_)
    if countries:
        state = _theatre_region(field_, countries, context.theatre())
        if state is not None:
            return state.place, "theatre-region"
        return _largest(countries).place, "country"
    # A curated region or water body known by this very name ("Chechnya", "Florida", "Dnepr")
    # outranks villages that carry it: no theatre village named Chechnya is what the text means.
    areas = _curated_areas(field_)
    if len(areas) == 1:
        return areas[0].place, "curated-area"
    if context.anchors:
        # among the namesakes known by this very name: a village whose GeoNames alternate name is
        # "Mykolaiv" is no rival to Mykolaiv, however close it lies
        best = max(c.quality for c in field_)
        floor = min(best, MATCH_VARIANT)
        own = [c for c in field_ if c.place.kind == "city" and min(c.quality, MATCH_VARIANT) >= floor]
        nearby = [(min(km(lat, lon, c.place.lat, c.place.lon) for lat, lon in context.anchors), c) for c in own]
        nearby = [(d, c) for d, c in nearby if d <= ANCHOR_KM]
        if nearby:
            return min(nearby, key=lambda dc: dc[0])[1].place, "near-places"
    theatre = context.theatre()
    local = [c for c in field_ if c.place.country in theatre]
    if local:
        abroad = _outranks_theatre(field_, local, theatre)
        if abroad is not None:
            return abroad
        # International water and continents (no country) belong to every theatre.
        local += [c for c in field_ if c.place.country is None]
        if len(local) == 1:
            return local[0].place, "theatre"
        field_ = local
    else:
        # No namesake in the theatre: one in another country the article names is meant before one
        # in a country it never mentions (a Dorset town in a British story about Ukrainian refugees),
        # unless a namesake elsewhere is far larger (Moscow in an article that names America more).
        counts = context.countries
        named = [c for c in field_ if counts.get(c.place.country, 0) > 0]
        if named:
            top = max(counts[c.place.country] for c in named)
            named = [c for c in named if counts[c.place.country] == top]
            homes = {c.place.country for c in named}
            elsewhere = max((c.place.population for c in field_ if c.place.country not in homes), default=0)
            # weighed by the namesakes known by this very name, if any: a city that carries it only
            # as a GeoNames alternate (Hampton, Virginia: "Southampton") does not make it American
            own = [c for c in named if c.quality >= MATCH_VARIANT] or named
            if ABROAD_RATIO * _largest(own).place.population >= elsewhere:
                if len(named) == 1:
                    return named[0].place, "article-country"
                field_ = named
    named = [c for c in field_ if c.quality >= MATCH_VARIANT]
    if len(named) == 1:
        return named[0].place, "name"
    if named:
        field_ = named
    curated = [c for c in field_ if c.place.source in CURATED_SOURCES]
    if len(curated) == 1:
        return curated[0].place, "curated"
    if curated:
        field_ = curated
    frontline = [c for c in field_ if c.frontline]
    if len(frontline) == 1:
        return frontline[0].place, "frontline"
    if frontline:
        field_ = frontline
    return _largest(field_).place, "population"


def _theatre_region(field_: Sequence[Candidate], countries: list[Candidate],
                    theatre: frozenset[str]) -> Candidate | None:
    """A curated region of the theatre known by the name of a country outside it: "Georgia" in an
    article mostly about the United States is the state, not the Caucasus country (which an article
    about the war, or about Georgia itself, still gets: its theatre is another country)."""
    if not theatre or any(c.place.country in theatre for c in countries):
        return None
    regions = [c for c in field_ if c.place.kind == "region" and c.quality >= MATCH_VARIANT
               and c.place.source in CURATED_SOURCES and c.place.country in theatre]
    return regions[0] if len(regions) == 1 else None


def _outranks_theatre(field_: Sequence[Candidate], local: list[Candidate],
                      theatre: frozenset[str]) -> tuple[Place, str] | None:
    """A city abroad that the name means despite namesakes in the theatre, with its rule.

    ``major-city``: a world city known by this name, far larger than every theatre namesake
    ("New York" is not Niu-York, Donetsk Oblast). ``name-abroad``: a sizeable city known by
    this name when the theatre's candidates carry it only as a GeoNames alternate name (a
    Luhansk district listed as "Cambridge"); curated variants (former names such as
    "Kirovsk" for Holubivka) are not alternates, so the theatre keeps those.
    """
    abroad = [c for c in field_ if c.place.kind == "city" and c.place.country not in theatre
              and c.place.country is not None and c.quality >= MATCH_VARIANT]
    if not abroad:
        return None
    largest = max(abroad, key=lambda c: c.place.population)
    biggest_local = max(c.place.population for c in local)
    if largest.place.population >= MAJOR_CITY and largest.place.population >= MAJOR_RATIO * biggest_local:
        return largest.place, "major-city"
    if all(c.quality < MATCH_VARIANT for c in local) and largest.place.population >= SIZEABLE_CITY \
            and largest.place.population >= ABROAD_RATIO * biggest_local:
        return largest.place, "name-abroad"
    return None


def _largest(candidates: Sequence[Candidate]) -> Candidate:
    """Largest population; among equals the curated (non-GeoNames) entry, then the first built."""
    return max(candidates, key=lambda c: (c.place.population, c.quality))
