"""The gazetteer's work per name looked up, as plain functions over the index's columns.

A name the recogniser meets for the first time is folded (:func:`fold`), hashed
(:func:`key_hash`) and searched for among 700k key hashes (:func:`find_span`), then the kinds
(:func:`kinds_of`) and the Places (:func:`places_at`) of its candidates are read
from the columns. ``setup.py`` compiles this module with mypyc; ``geo/gazetteer.py``, which calls it,
stays interpreted, because its Gazetteer, NameKeys, LazyText and Place objects are pickled in the
index file and mypyc's native classes pickle differently. So this module defines no class.
"""
from __future__ import annotations

import re
import struct
import unicodedata
from array import array
from bisect import bisect_left
from hashlib import blake2b
from typing import Any, Final

#: A key's hash: the first 8 bytes of its blake2b digest, read as a little-endian signed integer
#: (what ``int.from_bytes(digest, "little", signed=True)`` gives, without its keyword arguments).
_SIGNED_64: Final = struct.Struct("<q")

#: The columns a Place's fields are read from (see :func:`geo.gazetteer.empty_columns`), in
#: :class:`geo.gazetteer.Place`'s field order: :func:`place_fields` takes them as one tuple, which
#: it unpacks, not as the dict of all columns, which would cost a lookup per field.
PLACE_COLUMNS: Final[tuple[str, ...]] = (
    "ids", "names", "lat", "lon", "kind", "country", "admin1", "population", "geonameid", "source", "feature")

_NEW: Final = object.__new__  #: how :func:`place_at` makes a Place and fills it
_SET: Final = object.__setattr__

#: What a point stands for (ANNOTATION.md ``kind``). Index order is the on-disk code.
KINDS: Final[tuple[str, ...]] = ("city", "region", "country", "water")

_APOSTROPHES: Final = "'’‘ʼʹ`´′ʻ\u02bc"
_APOSTROPHE_RE: Final = re.compile(f"[{re.escape(_APOSTROPHES)}.]")
_SEPARATORS_RE: Final = re.compile(r"[\s\-‐‑‒–—_/,;:()\"“”«»]+")

#: Combining marks (accents, Cyrillic breve and diaeresis, ...) left by NFKD decomposition.
_COMBINING_RE: Final = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


#: Names :func:`normalize` has folded, by name, until it holds FOLD_MEMO of them and starts afresh.
_FOLDED: Final[dict[str, str]] = {}
FOLD_MEMO: Final = 1 << 18


def normalize(s: str) -> str:
    """:func:`fold`, memoised: the recogniser, the geocoder and the resolver fold the same names
    again and again. A dict rather than ``functools.lru_cache``: a compiled caller calls this
    directly, and a known name costs one dict lookup, not the cache's bookkeeping."""
    key = _FOLDED.get(s)
    if key is None:
        if len(_FOLDED) >= FOLD_MEMO:
            _FOLDED.clear()
        key = _FOLDED[s] = fold(s)
    return key


def fold(s: str) -> str:
    """Fold a name to its lookup key.

    Case, accents and diacritics (also on Cyrillic: й -> и, ї -> і, ё -> е),
    apostrophes and dots (dropped: "Lysychans'k" -> "lysychansk", "U.S." -> "us"), hyphens and
    runs of whitespace (one space), and a leading English article ("the
    Crimea" -> "crimea"). Both the index and every query go through it, so
    the folding only has to be consistent, not linguistically exact.
    """
    if not s.isascii():
        s = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", s))
    elif s.isalpha():
        return s.lower()  # one plain word (most names met): nothing below would change it
    s = _APOSTROPHE_RE.sub("", s.casefold())
    s = _SEPARATORS_RE.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def key_hash(key: str) -> int:
    """A stable signed 64-bit hash of a folded key (Python's own hash() changes per process)."""
    value: int = _SIGNED_64.unpack(blake2b(key.encode("utf-8"), digest_size=8).digest())[0]
    return value


def find_span(key: str, hashes: array[int], starts: array[int], buckets: array[int],
              shift: int, middle: int) -> tuple[int, int]:
    """Where the packed postings of ``key`` lie (an empty span for no key), searched among the
    sorted ``hashes`` of its bucket: those sharing the hash's top bits, from ``buckets[bucket]``
    (see :class:`geo.gazetteer.NameKeys`; ``bucket = (hash >> shift) + middle``)."""
    h = key_hash(key)
    bucket = (h >> shift) + middle
    stop = buckets[bucket + 1]
    i = bisect_left(hashes, h, buckets[bucket], stop)
    if i == stop or hashes[i] != h:
        return 0, 0
    return starts[i], starts[i + 1]


def kinds_of(postings: array[int], start: int, stop: int, kind: bytearray) -> frozenset[str]:
    """The kinds of the places packed in ``postings[start:stop]`` (place index << 2 | quality),
    read from the ``kind`` column."""
    return frozenset([KINDS[kind[postings[i] >> 2]] for i in range(start, stop)])


def place_fields(columns: tuple[Any, ...], index: int) -> dict[str, Any]:
    """The fields of place ``index`` of the :data:`PLACE_COLUMNS` ``columns``, as the ``__dict__``
    of a :class:`geo.gazetteer.Place`."""
    ids, names, lat, lon, kind, country, admin1, population, geonameid, source, feature = columns
    gid = geonameid[index]
    return {
        "id": ids[index] or f"gn:{gid}",
        "name": names[index],
        "lat": lat[index],
        "lon": lon[index],
        "kind": KINDS[kind[index]],
        "country": country[index],
        "admin1": admin1[index],
        "population": population[index],
        "geonameid": gid or None,
        "source": source[index],
        "feature": feature[index],
    }


def place_at(places: dict[int, Any], columns: tuple[Any, ...], index: int, cls: type) -> Any:
    """Place ``index`` (of class ``cls``, :class:`geo.gazetteer.Place`), taken from or added to
    ``places``, the memo of those built.

    A new one is filled in one step: the frozen dataclass's __init__ sets its 11 fields one
    object.__setattr__ call at a time, twice as slow, and a name met for the first time builds a
    Place per namesake (the result is the same object: same fields, ==, hash).
    """
    place = places.get(index)
    if place is None:
        place = places[index] = _NEW(cls)
        _SET(place, "__dict__", place_fields(columns, index))
    return place


def places_at(places: dict[int, Any], columns: tuple[Any, ...], postings: array[int], start: int, stop: int,
              cls: type) -> list[Any]:
    """The places packed in ``postings[start:stop]`` (see :func:`place_at`)."""
    return [place_at(places, columns, postings[i] >> 2, cls) for i in range(start, stop)]

