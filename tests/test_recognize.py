"""Recognising places: names in context, filters for people/outlets/demonyms/common words, references back.

A tiny in-memory gazetteer stands in for the shipped one so each rule is seen on its own.
"""
from __future__ import annotations

import pytest

from geo.gazetteer import Gazetteer, Place
from geo.recognize import Recognizer, find_references, keep_salient, name_index, resolve_references


def place(pid, name, kind="city", country="UA", population=100_000, lat=50.0, lon=30.0, admin1=None):
    return Place(id=pid, name=name, lat=lat, lon=lon, kind=kind, country=country, admin1=admin1,
                 population=population, geonameid=None, source="test", feature=None)


KYIV = place("kyiv", "Kyiv", population=2_900_000)
KHERSON = place("kherson", "Kherson", population=290_000, admin1="Kherson Oblast")
GAZ = Gazetteer.from_places([
    (KYIV, ["Kiev"]),
    KHERSON,
    place("kherson-obl", "Kherson Oblast", kind="region"),
    place("azov-town", "Azov", country="RU", population=80_000),
    (place("azov-sea", "Sea of Azov", kind="water", country=None), ["Azov Sea"]),
    place("kryvyi-rih", "Kryvyi Rih", population=600_000),
    place("rih", "Rih", country="IR", population=2_000),
    place("ny", "New York", country="US", population=8_000_000),
    place("austin", "Austin", country="US", population=950_000),
    place("police", "Police", country="PL", population=34_000),
    place("ukraine", "Ukraine", kind="country"),
    place("orlov", "Orlov", country="RU", population=8_000),
    place("volodymyr", "Volodymyr", population=38_000),
    place("bar", "Bar", population=15_000),
    place("mykolaiv", "Mykolaiv", population=470_000),
    place("mariupol", "Mariupol", population=430_000),
])


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer(GAZ)


def names(recognizer: Recognizer, text: str) -> list[str]:
    return [m.surface for m in recognizer.find(text)]


def located(recognizer: Recognizer, text: str):
    """Names found in ``text``, each geocoded to its first candidate (the resolver's job, done simply)."""
    mentions = recognizer.find(text)
    for m in mentions:
        m.place = m.places[0]
    return mentions


def test_finds_names_and_variants(recognizer):
    assert names(recognizer, "Kiev and Kherson braced for attack.") == ["Kiev", "Kherson"]


def test_longest_name_wins(recognizer):
    assert names(recognizer, "Ships crossed the Sea of Azov towards Kryvyi Rih.") == ["Sea of Azov", "Kryvyi Rih"]


def test_a_name_is_found_where_it_stands_whatever_characters_come_before_it(recognizer):
    # Offsets count characters (an emoji, typographic quotes); a name's words may stand two spaces
    # apart, never on two lines.
    text = "🚀 Strikes on “Kryvyi Rih” and\nMariupol; in Kryvyi  Rih, the Sea of\nAzov."
    found = recognizer.find(text)
    assert [m.surface for m in found] == ["Kryvyi Rih", "Mariupol", "Kryvyi  Rih", "Azov"]
    assert [text[m.start:m.end] for m in found] == [m.surface for m in found]


def test_names_must_be_capitalised_words(recognizer):
    assert names(recognizer, "The kyiv office and Kyivstar were closed.") == []


def test_outlets_and_organisations_are_not_places(recognizer):
    assert names(recognizer, "according to The New York Times, Kyiv held.") == ["Kyiv"]


def test_a_town_followed_by_city_in_lower_case_is_the_town_but_a_capitalised_city_may_be_a_club(recognizer):
    assert names(recognizer, "Russian troops entered Kherson city and shelled the Mariupol zoo.") == \
        ["Kherson", "Mariupol"]
    # "Kherson City" is a club or the town as war reports write it: salience decides after geocoding
    # (a town of the theatre stays, "Leicester City" goes); a capitalised "Zoo" names the site.
    (kherson,) = recognizer.find("Fans of Kherson City cheered at the Mariupol Zoo gates.")
    assert (kherson.surface, kherson.person_like) == ("Kherson", True)


def test_a_name_before_city_of_describes_the_city_after_of(recognizer):
    assert names(recognizer, "Troops retook the Kherson city of Mykolaiv.") == ["Mykolaiv"]
    assert names(recognizer, "A key Ukraine city fell.") == []  # a country's: a city in it, not the country


def test_people_are_not_places(recognizer):
    text = "Defense Secretary Lloyd Austin met Serhiy Orlov. Later Austin flew home. Volodymyr Zelensky spoke."
    assert names(recognizer, text) == []


def test_demonyms_and_common_words_are_not_places(recognizer):
    assert names(recognizer, "Police said Ukrainian forces held. Bar owners fled.") == []


def test_a_common_word_in_a_locative_context_is_kept_for_salience(recognizer):
    (mention,) = recognizer.find("Shelling was reported in Bar overnight.")
    assert mention.common and mention.locative


def test_region_wording_selects_the_oblast(recognizer):
    (mention,) = recognizer.find("Fighting spread across the Kherson region.")
    assert mention.name == "Kherson Oblast" and mention.surface == "Kherson region"


def test_small_foreign_towns_need_context_to_count(recognizer):
    mentions = located(recognizer, "Rih said nothing. Refugees reached Kyiv.")
    keep_salient(mentions, countries={"UA"}, theatre={"UA"})
    assert [m.surface for m in mentions if m.dropped is None] == ["Kyiv"]


def test_references_back_resolve_to_the_place_being_discussed(recognizer):
    text = "Russian forces retreated toward Mykolaiv. Kherson is a port city. “The city is surrounded.”"
    mentions = located(recognizer, text)
    refs = resolve_references(find_references(text), mentions, capital=None)
    assert [(r.surface, r.place.name) for r in refs] == [("The city", "Kherson")]


def test_the_capital_is_the_main_countrys_capital_when_the_article_names_it(recognizer):
    text = "Kyiv, the capital, appears encircled. Troops regroup for an attack on the capital."
    mentions = located(recognizer, text)
    refs = resolve_references(find_references(text), mentions, capital=KYIV)
    assert [r.place.name for r in refs] == ["Kyiv", "Kyiv"]
    assert resolve_references(find_references("Troops near the capital."), [], capital=KYIV) == []


def test_the_city_of_x_is_not_a_reference():
    assert find_references("the port city of Mariupol and the city council") == []


def test_hyphenated_compounds_and_modifiers_are_not_places(recognizer):
    text = "US-made howitzers reached a Kyiv-based unit near the Nika-Mykolaiv port. Pro-Kyiv crowds gathered."
    assert names(recognizer, text) == ["Kyiv"]  # only "Pro-Kyiv": a prefix does not make a new word


def test_a_first_name_alone_is_a_person_unless_it_stands_where_a_place_does(recognizer):
    assert names(recognizer, "Thank you for your friendship Volodymyr, you are a hero.") == []
    assert names(recognizer, "Shelling was reported in Volodymyr overnight.") == ["Volodymyr"]


def test_a_possessive_never_makes_a_longer_name(recognizer):
    assert names(recognizer, "Mariupol’s defenders held.") == ["Mariupol"]


def test_a_title_before_a_name_makes_it_a_persons(recognizer):
    assert names(recognizer, "The bill came from Rep. Austin Scott and Mayor Bar.") == []


def test_regions_in_a_list_of_republics(recognizer):
    gaz = Gazetteer.from_places([place("kh", "Kherson"), place("kh-obl", "Kherson Oblast", kind="region"),
                                 place("my", "Mykolaiv"), place("my-obl", "Mykolaiv Oblast", kind="region")])
    found = Recognizer(gaz).find("Russia annexed the Kherson and Mykolaiv regions.")
    assert [m.name for m in found] == ["Kherson Oblast", "Mykolaiv Oblast"]


def test_region_wording_is_read_whatever_the_spaces_and_commas_around_the_name():
    gaz = Gazetteer.from_places([place("kh", "Kherson"), place("kh-obl", "Kherson Oblast", kind="region"),
                                 place("my", "Mykolaiv"), place("my-obl", "Mykolaiv Oblast", kind="region")])
    rec = Recognizer(gaz)
    for text in ("Russia annexed the Kherson, and Mykolaiv regions.", "Russia annexed the Kherson  region.",
                 "Shelling hit the regions of Mykolaiv, Kherson.",
                 "Shelling hit Kherson, the governor of Kherson said."):
        assert [m.name for m in rec.find(text)][-1].endswith("Oblast"), text
    for text in ("Shelling hit Kherson, and Mykolaiv ports.", "Russia annexed the Kherson\nregion.",
                 "Shelling hit Mykolaiv, Kherson.", "Shelling hit Kherson, and the regions beyond."):
        assert not any(m.name.endswith("Oblast") for m in rec.find(text)), text


def test_a_landmark_is_a_place_only_where_something_happens_at_it():
    white_house = Place(id="wh", name="White House", lat=38.9, lon=-77.0, kind="city", country="US", admin1=None,
                        population=0, geonameid=None, source="test", feature="landmark")
    kremlin = Place(id="kr", name="Kremlin", lat=55.75, lon=37.6, kind="city", country="RU", admin1=None,
                    population=0, geonameid=None, source="test", feature="landmark")
    gaz = Gazetteer.from_places([white_house, kremlin])
    rec = Recognizer(gaz)
    said, met = located(rec, "The White House said it would help."), located(rec, "They met at the White House.")
    view = located(rec, "Sanctions, in the Kremlin's view, work.")
    keep_salient(said + met + view, countries={"US", "RU"})
    assert [m.dropped for m in said + view] == ["salience", "salience"] and [m.dropped for m in met] == [None]


def test_places_the_gazetteer_lacks_are_kept_where_the_text_says_they_are_places(recognizer):
    text = ("Troops retook the villages of Krynky, Kozarovychi and Kherson. As they passed the village "
            "of Kolychivka, Sasha saw tanks. The city of President Zelensky is Kyiv.")
    found = recognizer.find(text)
    unlisted = [(m.surface, m.kind_hint) for m in found if not m.places]
    assert unlisted == [("Krynky", "city"), ("Kozarovychi", "city"), ("Kolychivka", "city")]
    assert "Kherson" in [m.surface for m in found if m.places]  # the gazetteer's own name wins


def test_an_unlisted_place_is_reported_without_a_point_and_takes_its_status():
    from geo.articles import Article
    from geo.pipeline import Extractor

    ex = Extractor(gazetteer=GAZ)
    obs = ex.extract(Article(id="a", text="Ukrainian troops retook the village of Krynky on Monday."))
    (krynky,) = [o for o in obs if o.place == "Krynky"]
    assert (krynky.lat, krynky.lon, krynky.status, krynky.kind) == (None, None, "retaken", "city")


# --- context rules for names that are something else (held-out precision) -------------------

def _with(*extra: Place) -> Recognizer:
    return Recognizer(Gazetteer.from_places([KYIV, KHERSON, *extra]))


def kept(rec: Recognizer, text: str, theatre=("UA",)) -> list[str]:
    """Names left after the salience filter, each geocoded to its first candidate."""
    mentions = located(rec, text)
    keep_salient(mentions, countries=set(theatre), theatre=set(theatre))
    return [m.surface for m in mentions if m.dropped is None]


def test_months_and_weekdays_are_dates_even_after_a_locative_word():
    rec = _with(place("march", "March", country="GB", population=22_000),
                place("friday", "Friday", country="US", population=20_000),
                place("izium", "Izium", population=45_000))
    assert names(rec, "Fighting in March near Izium resumed on Friday.") == ["Izium"]


def test_a_speaker_is_a_person_but_a_capital_speaks_for_its_government():
    vilnius = Place(id="vilnius", name="Vilnius", lat=54.7, lon=25.3, kind="city", country="LT", admin1=None,
                    population=574_000, geonameid=None, source="test", feature="PPLC")
    rec = _with(place("evans", "Evans", country="US", population=20_000), vilnius)
    assert kept(rec, "Evans said Kherson fell. Prices rose, said Evans.") == ["Kherson"]
    assert kept(rec, "Vilnius said the transit ban stands.") == ["Vilnius"]
    assert kept(rec, "A refugee now living in Evans said she felt safe.") == ["Evans"]


def test_a_middle_initial_makes_a_persons_name_for_the_whole_article():
    rec = _with(place("kennedy", "Kennedy", country="US", population=20_000))
    assert names(rec, "John F. Kennedy visited Kherson. Later Kennedy spoke.") == ["Kherson"]


def test_the_head_of_a_longer_name_is_not_the_town_of_that_name():
    rec = _with(place("stade", "Stade", country="DE", population=47_000),
                place("bank", "Bank", country="AZ", population=20_000))
    text = "Fans waited outside the Stade de France while the Bank of England met. Shells hit Kherson."
    assert kept(rec, text) == ["Kherson"]


def test_of_after_a_capitalised_word_is_part_of_a_name_not_a_place_cue():
    rec = _with(place("sussex", "Sussex", country="US", population=1_000))
    (sussex, kherson) = rec.find("The Duke of Sussex praised the town of Kherson.")
    assert not sussex.locative and kherson.locative
    assert kept(rec, "The Duke of Sussex praised the town of Kherson.") == ["Kherson"]


def test_a_pearl_harbor_in_a_headline_is_not_the_town_pearl():
    rec = _with(place("pearl", "Pearl", country="US", population=27_000))
    assert kept(rec, "Zelensky Invokes Pearl Harbor In Address To Congress\n\nHe spoke of Kherson.") == ["Kherson"]


def test_a_river_is_water_never_the_town_that_shares_its_name():
    dnieper = (place("dnieper", "Dnieper", kind="water", country=None), ["Dniepr"])
    rec = _with(place("neva", "Neva", country="SY", population=20_000), dnieper,
                place("dniepr-town", "Dniepr", country="PL", population=3_000))
    (neva,) = rec.find("Warships paraded on the Neva River.")
    assert (neva.surface, neva.places, neva.kind_hint) == ("Neva River", (), "water")
    (river,) = rec.find("Troops crossed the Dniepr river at dawn.")
    assert (river.surface, river.name, [p.kind for p in river.places]) == ("Dniepr river", "Dnieper", ["water"])
    assert names(rec, "The Neva sea port reopened in Kherson.") == ["Neva", "Kherson"]


def test_real_places_in_similar_contexts_are_still_kept():
    rec = _with(place("izium", "Izium", population=45_000), place("bakhmut", "Bakhmut", population=70_000))
    assert kept(rec, "Evans said Kherson fell after fighting in March near Izium.") == ["Kherson", "Izium"]
    assert kept(rec, "The battle of Bakhmut went on; the town of Izium was shelled.") == ["Bakhmut", "Izium"]


def test_a_leaders_administration_an_era_and_a_source_are_not_towns():
    rec = _with(place("obama", "Obama", country="JP", population=30_000),
                place("xinhua", "Xinhua", country="CN", population=40_000))
    text = "He served in the Obama administration and kept an Obama-era treaty, according to Xinhua."
    assert kept(rec, text) == []
    assert kept(rec, "Shelling hit Kherson, according to Kyiv, and the Kyiv administration fled.") == ["Kherson", "Kyiv", "Kyiv"]


def test_a_unit_a_group_or_a_commodity_named_after_a_place_is_not_the_place(recognizer):
    text = ("The Azov regiment held out; the neo-Nazi “Azov” regiment, its Azov commanders and Azov members "
            "surrendered. Kherson crude and the Kherson pipeline were idle.")
    assert names(recognizer, text) == []


def test_the_place_itself_is_kept_beside_the_things_named_after_it(recognizer):
    text = "Ships left the Azov Sea for Mariupol; the Sea of Azov pipeline and Kherson\n\nMembers of the crew fled."
    assert names(recognizer, text) == ["Azov Sea", "Mariupol", "Sea of Azov", "Kherson"]


def test_institutions_and_adjectives_are_common_words_not_towns():
    rec = _with(place("olympic", "Olympic", country="HK", population=20_000),
                (place("marino", "Mar’ino", population=2_000), ["Marine"]),
                place("duma", "Duma", country="SY", population=110_000),
                place("marinka", "Marinka", population=9_000))
    text = ("A two-time Olympic gold medalist and a former Marine met a Duma deputy. "
            "The state Duma voted. Shelling hit Marinka.")
    assert kept(rec, text) == ["Marinka"]


def test_a_first_name_before_a_surname_makes_it_a_person_in_the_whole_article():
    rec = _with(place("levin", "Levin", country="NZ", population=20_000))
    assert kept(rec, "Photojournalist Maks Levin went missing near Kyiv. Levin was killed.") == ["Kyiv"]


def test_the_head_of_a_longer_name_stands_for_no_region():
    rec = _with(place("bank-town", "Bank", country="US", population=2_000, admin1="New Hampshire"),
                place("nh", "New Hampshire", kind="region", country="US"))
    assert kept(rec, "The governor of the Bank of England warned, said the governor of Kherson.") == ["Kherson"]


def test_the_recognisers_index_cache_of_an_older_gazetteer_is_removed_when_a_new_one_is_written(
        tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_INDEX_DIR", str(tmp_path))
    older = tmp_path / "recognizer-0123456789abcdef.pickle"
    older.write_bytes(b"an index for a gazetteer rebuilt since")
    gazetteer_index = tmp_path / "gazetteer-0123456789abcdef.pickle"
    gazetteer_index.write_bytes(b"")
    gazetteer = Gazetteer.from_places([KYIV, KHERSON])
    gazetteer.version = "rebuilt"

    index = name_index(gazetteer)

    assert not older.exists()
    assert len(list(tmp_path.glob("recognizer-*.pickle"))) == 1  # the rebuilt gazetteer's own
    assert gazetteer_index.exists()  # the gazetteer's own files are the gazetteer's to remove
    assert Recognizer(gazetteer, index).find("Shelling in Kherson.")[0].surface == "Kherson"


def test_a_place_named_right_after_a_broadcaster_is_the_broadcasters_regional_service():
    rec = _with(place("wm", "West Midlands", kind="region", country="GB"),
                place("fr", "France", kind="country", country="FR"),
                place("jersey", "Jersey", country="JE", population=100_000))
    text = ("Follow BBC West Midlands on Facebook. She told Radio France and BBC Jersey the news. "
            "The BBC: Kherson fell. Refugees from Kherson reached France and Jersey.")
    assert kept(rec, text, theatre=("UA", "FR", "JE")) == ["Kherson", "Kherson", "France", "Jersey"]


def test_a_small_town_named_like_a_unit_is_the_unit_in_the_whole_article_unless_a_locative_word_places_it():
    rec = _with(place("azov-town", "Azov", country="RU", population=80_000),
                place("donetsk", "Donetsk", population=900_000))
    text = ("The Azov regiment held out. Later the Azov carried out raids, and Azov said so. "
            "Donetsk militia fighters shelled Donetsk. Refugees fled to a camp near Azov.")
    assert kept(rec, text, theatre=("UA", "RU")) == ["Donetsk", "Azov"]
    assert kept(rec, "The Azov carried out raids.", theatre=("UA", "RU")) == ["Azov"]


def test_two_names_before_seas_are_the_two_seas():
    rec = _with(place("azov-town", "Azov", country="RU", population=80_000),
                (place("azov-sea", "Sea of Azov", kind="water", country=None), ["Azov Sea"]),
                place("black-sea", "Black Sea", kind="water", country=None))
    mentions = rec.find("Grain left ports on the Black and Azov seas for Kherson.")
    assert [(m.surface, m.name) for m in mentions] == [("Black", "Black Sea"), ("Azov", "Azov Sea"),
                                                       ("Kherson", "Kherson")]


def test_a_region_is_read_from_a_towns_own_name_from_an_alternate_one_only_before_region_never_from_a_possessive():
    from geo.gazetteer_build import IndexBuilder

    builder = IndexBuilder()
    builder.add(place("luh", "Luhansk", admin1="Luhansk Oblast"), variants=["Lugansk"])
    builder.add(place("luh-obl", "Luhansk Oblast", kind="region"))
    builder.add(place("bethel", "Bethel", country="US", admin1="Colorado"), alternates=["Orlo"])
    builder.add(place("mcd", "McDonald", country="US", admin1="Colorado"))
    builder.add(place("co", "Colorado", kind="region", country="US"))
    rec = Recognizer(builder.gazetteer())
    text = "Shelling hit 20% of Lugansk, 9% of McDonald's staff, 5% of Orlo and the Orlo region."
    assert [(m.surface, m.name) for m in rec.find_all(text)] == [
        ("Lugansk", "Luhansk Oblast"), ("McDonald", "McDonald"), ("Orlo", "Orlo"), ("Orlo region", "Colorado")]


def test_under_super_and_by_join_the_words_of_a_town_name_and_nothing_else():
    rec = _with(place("wsm", "Weston-super-Mare", country="GB", population=80_000),
                place("weston", "Weston", country="US", population=60_000),
                place("nul", "Newcastle-under-Lyme", country="GB", population=75_000),
                place("newcastle", "Newcastle", country="AU", population=320_000))
    text = "Refugees reached Weston-super-Mare and Newcastle-under-Lyme; Kherson was shelled by Russia."
    assert names(rec, text) == ["Weston-super-Mare", "Newcastle-under-Lyme", "Kherson"]


def test_a_connector_or_a_geographic_word_joins_a_name_in_any_case_and_no_other_lower_case_word_does(recognizer):
    text = "Ships crossed the Sea oF Azov and the SEA OF AZOV; Kherson oBLAST and Kherson said so."
    assert names(recognizer, text) == ["Sea oF Azov", "SEA OF AZOV", "Kherson oBLAST", "Kherson"]
