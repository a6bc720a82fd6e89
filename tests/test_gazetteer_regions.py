"""Second-level regions of Britain and country names that are also regions, in articles (shipped gazetteer).

GeoNames' cities500 has no second-level regions, so the supplement lists Scotland's council areas,
Wales's principal areas and preserved counties, England's ceremonial counties and Northern Ireland's
counties; without them "Fife" was a town in Washington State.
"""
from __future__ import annotations

import datetime as dt

import pytest

from geo.articles import Article
from geo.pipeline import Extractor


@pytest.fixture(scope="module")
def shipped() -> Extractor:
    return Extractor()


def places(extractor: Extractor, text: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    """mention -> (country, kind, geocode rule) of each place the article is found to name."""
    found = extractor.extract(Article(id="t.txt", text=text, date=dt.date(2022, 5, 1), date_precision="day"))
    return {o.mention: (o.country, o.kind, o.geocode_rule) for o in found}


def test_scottish_welsh_and_northern_irish_areas_are_british_regions(shipped):
    text = ("A family from Kharkiv found a home in Kirkcaldy, Fife, where the council has housed forty "
            "Ukrainians. Others went to Llandrindod Wells in Powys, to Moray and to Omagh, County Tyrone, "
            "and volunteers from Shetland and Gwynedd drove vans to the Polish border.")
    got = places(shipped, text)
    for region in ("Fife", "Powys", "Moray", "County Tyrone", "Shetland", "Gwynedd"):
        assert got[region][:2] == ("GB", "region"), region
    assert got["Kirkcaldy"][0] == "GB"


def test_english_counties_once_missing_are_regions_not_towns_abroad(shipped):
    text = ("Refugees from Mariupol arrived in Rutland and on the Isle of Wight this week, and a school "
            "in the West Midlands collected medicine for Ukraine.")
    got = places(shipped, text)
    for region in ("Rutland", "Isle of Wight", "West Midlands"):
        assert got[region][:2] == ("GB", "region"), region


def test_a_first_name_shared_with_a_region_is_the_region_only_where_the_text_says_so(shipped):
    assert places(shipped, "Sheep farmers in Angus fear the war in Ukraine.")["Angus"][:2] == ("GB", "region")
    assert "Angus" not in places(shipped, "Angus Taylor said the war in Ukraine would raise prices.")


def test_georgia_is_the_state_in_an_article_about_american_politics(shipped):
    text = ("In a state like Georgia, election officials train poll workers for months. Voters in Ohio "
            "and Texas waited in long lines, and officials in Arizona and Michigan counted ballots.")
    assert places(shipped, text)["Georgia"] == ("US", "region", "theatre-region")


def test_georgia_is_the_country_in_an_article_about_the_war(shipped):
    text = ("Thousands of Russians fled to Georgia and Kazakhstan after the mobilisation. In Ukraine, "
            "Kharkiv and Kyiv were shelled, and the United States and Texas-based firms sent aid.")
    assert places(shipped, text)["Georgia"] == ("GE", "country", "country")


def test_the_halves_of_the_divided_city_are_berlin(shipped):
    got = places(shipped, "He was born in Soviet-occupied East Berlin in 1947 and left for the United States.")
    assert got["East Berlin"][0] == "DE"


def test_moldovas_autonomous_gagauzia_is_a_region_of_moldova(shipped):
    got = places(shipped, "Pro-Russian protests in Gagauzia worried Chisinau as the war in Ukraine went on.")
    assert got["Gagauzia"][:2] == ("MD", "region")


def test_canadian_provinces_and_australian_states_are_regions_not_towns_of_their_name(shipped):
    got = places(shipped, ("Ukrainian flags flew in Ottawa, Ontario, and in Stephenville, Newfoundland, while "
                           "volunteers in Queensland and New South Wales collected aid."))
    for region, country in (("Ontario", "CA"), ("Newfoundland", "CA"), ("Queensland", "AU"),
                            ("New South Wales", "AU")):
        assert got[region][:2] == (country, "region"), region
    assert got["Stephenville"][0] == "CA"
