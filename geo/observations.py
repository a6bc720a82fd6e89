"""The observation: what one article reports about one place, with its evidence.

This is the record every stage after extraction speaks (store, timeline, map,
exports), and its JSON form is the one ``../shared/eval/ANNOTATION.md`` fixes for
the scorer. Keeping it in one place keeps the faces of the product in agreement.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

#: The protocol's statuses, in the order the map ranks them (core first).
STATUSES: tuple[str, ...] = ("captured", "encircled", "disputed", "retaken", "attacked", "threatened", "held")

#: What a point stands for (ANNOTATION.md ``kind``).
KINDS: tuple[str, ...] = ("city", "region", "country", "water")

#: How exactly the point locates the place, after ACLED's geo-precision codes:
#: 1 the town itself, 2 a point standing for a region (centroid), 3 a country's
#: representative point or a water body's label point. ``None``: not geocoded.
GEO_PRECISION: dict[str, int] = {"city": 1, "region": 2, "country": 3, "water": 3}


@dataclass
class Observation:
    """One (article, place, status) with the sentence it came from.

    ``status`` is ``None`` for a bare mention. ``lat``/``lon`` are ``None`` when
    the place could not be geocoded: it is still reported, never dropped.
    """

    article: str
    date: str | None
    place: str
    lat: float | None
    lon: float | None
    status: str | None
    evidence: str
    source: str | None = None
    confidence: float = 1.0
    kind: str | None = None
    geonameid: int | None = None
    country: str | None = None
    trigger: str | None = None
    negated: bool = False
    hedged: bool = False
    event_date: str | None = None
    event_date_precision: str | None = None
    date_precision: str | None = None
    geocode_rule: str | None = None
    mention: str | None = None
    #: The gazetteer's stable key of the place (``Place.id``, e.g. ``"gn:703448"``):
    #: the store keys its places table on it. ``None`` when not geocoded.
    place_id: str | None = None
    #: The place's first-level region (``Place.admin1``), kept for filters and exports.
    admin1: str | None = None

    @property
    def geo_precision(self) -> int | None:
        """ACLED-style precision code of the point (see :data:`GEO_PRECISION`)."""
        if self.lat is None or self.kind is None:
            return None
        return GEO_PRECISION.get(self.kind)

    def to_dict(self) -> dict:
        """The JSONL record of ANNOTATION.md plus the extra fields it welcomes."""
        record = asdict(self)
        record["geo_precision"] = self.geo_precision
        return record

    @classmethod
    def field_names(cls) -> list[str]:
        """Column order for tabular exports."""
        return [f.name for f in fields(cls)] + ["geo_precision"]
