"""Russian-era spellings of Ukrainian cities that GeoNames' alternate names lack (shipped gazetteer)."""
from __future__ import annotations

from collections import Counter

import pytest

from geo.geocoder import Context, Resolver
from geo.gazetteer import Gazetteer

WAR = Context(countries=Counter({"UA": 10, "RU": 5}))


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(Gazetteer.load())


@pytest.mark.parametrize("written, name", [
    ("Vinnitsa", "Vinnytsia"),  # was a Russian village of 2,200 people, its only namesake
    ("Винница", "Vinnytsia"),
    ("Khmelnitsky", "Khmelnytskyi"),
    ("Gulyaipole", "Huliaipole"),
    ("Belgorod-Dnestrovsky", "Bilhorod-Dnistrovskyi"),
])
def test_russian_spellings_are_the_ukrainian_cities(resolver, written, name):
    place = resolver.resolve(written, WAR).place
    assert (place.name, place.country) == (name, "UA")
