"""The recogniser's shipped word lists (data/recognize/) on sentences of war news: names of units,
groups, commodities and people that are also the names of small towns are no places, while the
towns stay places where the text says so."""
from __future__ import annotations

import pytest

from geo.articles import Article
from geo.pipeline import Extractor


@pytest.fixture(scope="module")
def shipped() -> Extractor:
    return Extractor()


def mentions(extractor: Extractor, text: str) -> set[str]:
    return {o.mention for o in extractor.extract(Article(id="t.txt", text=text))}


@pytest.mark.parametrize("text", [
    "Many people in Ukraine regard Azov veterans as heroes.",
    "The captured Azov Nazis were held in Ukraine's Donetsk region, a Russian official claimed.",
    "An Azov member confessed on camera, the ministry in Moscow said of the war in Ukraine.",
    "Western outlets amplified Azov propaganda, a Russian channel said of Ukraine.",
    "She was said to be close to the \u201cAzov\u201d neo-Nazi regiment, which Ukraine denies.",
])
def test_followers_and_output_of_a_unit_named_after_a_place_are_no_place(shipped, text):
    assert "Azov" not in mentions(shipped, text)


def test_the_sea_named_like_the_unit_stays_a_place(shipped):
    assert "Sea of Azov" in mentions(shipped, "Azov veterans defended Mariupol on the Sea of Azov in Ukraine.")


@pytest.mark.parametrize("text", [
    "Prigozhin, the founder of Wagner, sent convicts to Ukraine.",
    "The Kremlin denies any connections to Wagner in Ukraine.",
])
def test_a_mercenary_group_written_bare_is_no_town(shipped, text):
    assert "Wagner" not in mentions(shipped, text)


def test_a_crude_benchmark_or_a_first_name_is_no_london_borough(shipped):
    assert "Brent" not in mentions(shipped, "Brent, one of the benchmarks for oil, rose after Russia invaded Ukraine.")
    assert "Brent" not in mentions(shipped, "Filmmaker Brent Renaud was killed in Irpin, Ukraine.")
    assert "Brent" in mentions(shipped, "A family from Kharkiv was housed in Brent, north-west London.")


@pytest.mark.parametrize("text, name", [
    ("Neither Russia nor the US ratified the Rome Statute, which set up the court.", "Rome"),
    ("Surveys from the pollsters Ipsos, Gallup and Pew show Americans back Ukraine.", "Gallup"),
    ("He had filmed a Panorama programme in Ukraine years earlier.", "Panorama"),
    ("Russia closed Christian churches across occupied Ukraine, monitors said.", "Christian"),
    ("Zelensky in Kyiv was compared to Churchill and to the late Mandela.", "Churchill"),
    ("Zelensky in Kyiv was compared to Churchill and to the late Mandela.", "Mandela"),
    ("She played in Kyiv when she was pregnant with daughter Olympia.", "Olympia"),
    ("Mila Kunis And Ashton Kutcher Raise Millions For Ukraine", "Mila"),  # a headline
    ("Abramovich, whose ownership of Chelsea football club made him famous, flew to Ukraine.", "Chelsea"),
    ("Griner, who plays for the Phoenix Mercury, was detained on her way to Ukraine's neighbour.", "Phoenix"),
    ("Crimea was annexed after the 2014 Maidan coup in Kyiv, Russian media in Ukraine claimed.", "Maidan"),
    ("The exercises followed the Vostok 2022 drills, Kyiv said.", "Vostok"),
    ("Russian outlet Baza reported two deaths in Ukraine.", "Baza"),
    ("Estonia wants a ban on Schengen visas for Russians who back the war in Ukraine.", "Schengen"),
    ("If Russia holds the front in Ukraine until Christmas, the war goes on.", "Christmas"),
    ("The consultant at Prince Charles Hospital drove an ambulance to Ukraine.", "Prince Charles"),
])
def test_names_of_treaties_pollsters_programmes_people_clubs_and_events_are_no_place(shipped, text, name):
    assert name not in mentions(shipped, text)


@pytest.mark.parametrize("text, name", [
    ("Photographer Stanislav Senyk documented the shelling of Kharkiv, Ukraine.", "Stanislav"),
    ("Olga and her sons Gleb and Bogdan fled Kharkiv, Ukraine.", "Bogdan"),
    ("Ray McGovern spoke about the war in Ukraine.", "Ray"),
    ("A famine engineered by Stalin killed millions in Ukraine.", "Stalin"),
])
def test_people_are_no_villages_of_the_theatre_that_share_or_once_had_their_names(shipped, text, name):
    assert name not in mentions(shipped, text)


def test_bare_congo_is_the_larger_congo_not_a_brazilian_town(shipped):
    found = shipped.extract(Article(id="t.txt", text="Wagner fighters in Congo were sent to Ukraine."))
    assert {o.mention: o.country for o in found}["Congo"] == "CD"


def test_old_and_russian_names_are_their_places(shipped):
    found = shipped.extract(Article(id="t.txt", text=(
        "Prisoners died in the strike on the penal colony in Elenovka, Ukraine, while Burma backed Russia.")))
    got = {o.mention: o.country for o in found}
    assert (got["Elenovka"], got["Burma"]) == ("UA", "MM")
