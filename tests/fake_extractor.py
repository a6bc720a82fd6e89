"""A small, deterministic stand-in extractor for store and ingest tests.

The store's behaviour (idempotence, chunks, crash safety, engines) must not hinge
on the real pipeline's accuracy, so these tests use a keyword extractor whose
output is obvious from the text: every known place name in a sentence is an
observation, with the first status word of that sentence.
"""
from __future__ import annotations

import re
import time

from geo.articles import Article
from geo.observations import Observation

#: name -> (lat, lon, kind, geonameid, country, admin1)
PLACES = {
    "Kherson": (46.63695, 32.61458, "city", 706448, "UA", "Kherson Oblast"),
    "Mariupol": (47.09514, 37.54131, "city", 701822, "UA", "Donetsk Oblast"),
    "Kyiv": (50.45466, 30.5238, "city", 703448, "UA", "Kyiv City"),
    "Ukraine": (49.0, 32.0, "country", 690791, "UA", None),
    "Atlantis": (None, None, None, None, None, None),  # a place that cannot be geocoded
}
TRIGGERS = {"captured": "captured", "surrounded": "encircled", "shelled": "attacked", "retook": "retaken"}
SENTENCE = re.compile(r"[^.!?]+[.!?]?")


class KeywordExtractor:
    """Finds :data:`PLACES` by name; raises on an article containing ``EXPLODE`` (a failing article)."""

    version = "keyword-1"
    #: How many were built in this process (a Dask worker should build one).
    built = 0

    def __init__(self) -> None:
        KeywordExtractor.built += 1

    def extract(self, article: Article) -> list[Observation]:
        if "EXPLODE" in article.text:
            raise RuntimeError("the extractor broke on this article")
        found = []
        for sentence in (s.strip() for s in SENTENCE.findall(article.text)):
            trigger = next((w for w in TRIGGERS if w in sentence.lower()), None)
            for name, (lat, lon, kind, gid, country, admin1) in PLACES.items():
                if name in sentence:
                    found.append(Observation(
                        article=article.id, date=article.date_label, place=name, lat=lat, lon=lon,
                        status=TRIGGERS.get(trigger), evidence=sentence, source="a test", kind=kind,
                        geonameid=gid, country=country, admin1=admin1, trigger=trigger,
                        confidence=0.5 if "appears" in sentence else 0.9, hedged="appears" in sentence,
                        place_id=f"gn:{gid}" if gid else None, date_precision=article.date_precision))
        return found


def keyword_extractor() -> KeywordExtractor:
    """Factory for ingest (built once per process / Dask worker)."""
    return KeywordExtractor()


keyword_extractor.version = KeywordExtractor.version


class NewerKeywordExtractor(KeywordExtractor):
    """The same rules under a new version: what ``reprocess`` is for."""

    version = "keyword-2"


def newer_keyword_extractor() -> NewerKeywordExtractor:
    return NewerKeywordExtractor()


newer_keyword_extractor.version = NewerKeywordExtractor.version


class SlowKeywordExtractor(KeywordExtractor):
    """Takes a while per article, so a test can kill an ingest in the middle."""

    def extract(self, article: Article) -> list[Observation]:
        time.sleep(0.01)
        return super().extract(article)


def slow_keyword_extractor() -> SlowKeywordExtractor:
    return SlowKeywordExtractor()


slow_keyword_extractor.version = KeywordExtractor.version


def article(n: int | str, text: str, date: str | None = "2022-03-03", **extra) -> Article:
    """An article as the readers make them (id, text, ISO date)."""
    import datetime as dt

    day = dt.date.fromisoformat(date) if date else None
    return Article(id=str(n), text=text, date=day, date_precision="day" if day else None, **extra)
