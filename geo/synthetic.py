"""Synthetic articles and observations, written straight into a store, for benchmarks and UI tests.

Why: the dashboard's speed goals are stated for 100,000 observations, and its UI
tests need a store with known contents that opens in milliseconds. Running the
extractor over a real corpus would take minutes and test the extractor instead.
The data imitates a front: places in eastern and southern Ukraine whose status
drifts over time, reported by several outlets that sometimes disagree.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from geo.articles import Article
from geo.observations import STATUSES, Observation

OUTLETS = ("Reuters", "AP", "BBC", "The Guardian", "Kyiv Independent", "TASS", "Meduza", "CNN", "Al Jazeera",
           "Le Monde", "Ukrainska Pravda", "Financial Times")
SOURCES = ("Russia's Defense Ministry", "Ukraine's General Staff", "the regional governor", "the mayor",
           "a senior US defense official", "the Institute for the Study of War", None, None)
VERSION = "synthetic-1"


def _places(n_places: int, rng: random.Random) -> list[tuple[str, str, float, float]]:
    """(place_id, name, lat, lon): villages and towns scattered over the south and east."""
    places = []
    for i in range(n_places):
        lat = rng.uniform(46.4, 50.3)
        lon = rng.uniform(32.0, 39.6) if lat < 48.2 else rng.uniform(34.5, 39.8)
        places.append((f"syn:{i:05d}", f"Synthetic-{i:05d}", round(lat, 4), round(lon, 4)))
    return places


def generate(n_observations: int = 100_000, *, n_places: int = 1500, per_article: int = 5,
             start: dt.date = dt.date(2022, 2, 24), days: int = 730, seed: int = 7,
             undated_every: int = 500) -> Iterator[tuple[Article, list[Observation]]]:
    """Yield (article, observations) pairs totalling ``n_observations``, in date order.

    Every ``undated_every``-th article has no date (the dashboard lists those apart).
    """
    rng = random.Random(seed)
    places = _places(n_places, rng)
    state = {p[0]: rng.choice(STATUSES) for p in places}
    n_articles = max(1, n_observations // per_article)
    for a in range(n_articles):
        day = start + dt.timedelta(days=a * days // n_articles)
        undated = undated_every and a % undated_every == undated_every - 1
        outlet = rng.choice(OUTLETS)
        text = f"Synthetic report {a} from {outlet} on {day.isoformat()}."
        article = Article(id=f"syn-{a:06d}", text=text, date=None if undated else day,
                          date_precision=None if undated else "day", title=f"Front-line update {a}",
                          outlet=outlet, url=f"https://news.example/{a}")
        observations = []
        for place_id, name, lat, lon in rng.sample(places, per_article):
            if rng.random() < 0.03:
                state[place_id] = rng.choice(STATUSES)
            status = state[place_id] if rng.random() > 0.08 else rng.choice(STATUSES)
            observations.append(Observation(
                article=article.id, date=None if undated else day.isoformat(), place=name, lat=lat, lon=lon,
                status=status, evidence=f"{name} was reported {status} on {day:%d %B}.", trigger=status,
                source=rng.choice(SOURCES), confidence=round(rng.uniform(0.5, 1.0), 2), kind="city",
                country="UA", place_id=place_id))
        yield article, observations


def fill(store, n_observations: int = 100_000, chunk: int = 2000, **options) -> int:
    """Write :func:`generate`'s data into ``store``; returns the number of observations written."""
    written, batch = 0, []
    for pair in generate(n_observations, **options):
        batch.append(pair)
        if len(batch) >= chunk:
            written += store.write(batch, VERSION).observations
            batch = []
    if batch:
        written += store.write(batch, VERSION).observations
    return written
