"""Resolving names in context: each disambiguation rule, the geopy adapter and the CLI."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from geopy.location import Location

from geo.cli import main
from geo.geocoder import Context, GazetteerGeocoder, Resolver
from geo.gazetteer import Gazetteer
from gazetteer_places import place

UA = Context(countries=Counter({"UA": 4, "RU": 2}))


def resolve(entries, name, context=None):
    res = Resolver(Gazetteer.from_places(entries)).resolve(name, context)
    return (res.place.id if res.place else None), res.rule


# -- each rule on a tiny gazetteer ------------------------------------------------------------------
def test_unknown_name_is_not_found():
    assert resolve([place("a", "Kyiv")], "Atlantis") == (None, "not-found")


def test_a_single_candidate_decides_itself():
    assert resolve([place("a", "Kyiv")], "kyiv") == ("a", "only-candidate")


def test_near_picks_the_namesake_closest_to_the_context_point():
    entries = [place("kyiv-obl", "Borova", 50.18, 30.10, population=7241, admin1="Kyiv Oblast"),
               place("kharkiv-obl", "Borova", 49.38, 37.62, population=5174, admin1="Kharkiv Oblast")]
    assert resolve(entries, "Borova", Context(near=(49.21, 37.26))) == ("kharkiv-obl", "near")
    assert resolve(entries, "Borova", Context(near=(40.0, 0.0)))[1] == "population"  # too far: no say


def test_an_oblast_hint_picks_the_namesake_in_that_oblast():
    entries = [place("kyiv-obl", "Borova", population=7241, admin1="Kyiv Oblast"),
               place("kharkiv-obl", "Borova", population=5174, admin1="Kharkiv Oblast")]
    assert resolve(entries, "Borova", Context(admin1="Kharkiv")) == ("kharkiv-obl", "admin1-hint")
    assert resolve(entries, "Borova", Context(admin1="Kharkiv region")) == ("kharkiv-obl", "admin1-hint")


def test_a_country_name_means_the_country_not_a_town_or_state_of_that_name():
    entries = [place("town", "Georgia", country="US", population=20_000),
               place("state", "Georgia", kind="region", country="US", population=10_700_000, source="supplement"),
               place("country", "Georgia", kind="country", country="GE", population=3_700_000,
                     source="natural-earth")]
    assert resolve(entries, "Georgia") == ("country", "country")
    assert resolve(entries, "Georgia", UA) == ("country", "country")


def test_the_articles_theatre_beats_a_bigger_namesake_abroad():
    entries = [place("ru", "Kirovsk", country="RU", population=29_605),
               place("ua", "Kirovsk", country="UA", population=26_654)]
    assert resolve(entries, "Kirovsk", UA) == ("ua", "theatre")
    assert resolve(entries, "Kirovsk", Context(countries=Counter({"RU": 3}))) == ("ru", "theatre")
    assert resolve(entries, "Kirovsk") == ("ru", "population")


def test_without_a_theatre_namesake_the_other_country_the_article_names_most_wins():
    entries = [place("us", "Weymouth", country="US", population=54_395),
               place("gb", "Weymouth", country="GB", population=53_416),
               place("au", "Weymouth", country="AU", population=90_000)]
    british = Context(countries=Counter({"UA": 5, "GB": 2, "US": 1}))
    assert resolve(entries, "Weymouth", british) == ("gb", "article-country")
    assert resolve(entries, "Weymouth", Context(countries=Counter({"UA": 5, "US": 2, "GB": 1}))) \
        == ("us", "article-country")
    assert resolve(entries, "Weymouth", UA) == ("au", "population")
    moscow = [place("ru", "Moscow", country="RU", population=10_381_222),
              place("us", "Moscow", country="US", population=25_060)]
    american = Context(countries=Counter({"UA": 5, "US": 3, "RU": 1}))
    assert resolve(moscow, "Moscow", american) == ("ru", "population")  # far larger than the American one
    # a city carrying the name only as a GeoNames alternate does not weigh for its country
    from geo.gazetteer import MATCH_ALTERNATE
    from geo.gazetteer_build import IndexBuilder

    builder = IndexBuilder()
    builder.add(place("gb", "Southampton", country="GB", population=269_781))
    builder.add(place("us", "Southampton", country="US", population=5_481))
    builder.name(builder.add(place("hampton", "Hampton", country="US", population=137_148)),
                 "Southampton", MATCH_ALTERNATE)
    res = Resolver(builder.gazetteer()).resolve("Southampton", american)
    assert (res.place.id, res.rule) == ("gb", "population")


def test_a_region_inside_an_oblast_holds_that_oblasts_towns():
    # The "Donetsk People's Republic" is a curated region whose admin1 is Donetsk Oblast.
    entries = [place("crimea", "Konstantinovka", population=1_354, admin1="Crimea"),
               place("donetsk", "Konstantinovka", population=67_350, admin1="Donetsk Oblast"),
               place("dpr", "Donetsk People's Republic", kind="region", admin1="Donetsk Oblast", source="supplement")]
    town, _ = Resolver(Gazetteer.from_places(entries)).resolve_within("Konstantinovka", "Donetsk People's Republic", UA)
    assert (town.place.id, town.rule) == ("donetsk", "in-region")


def test_x_comma_y_is_the_namesake_of_x_inside_the_region_or_country_y():
    entries = [place("es", "Durango", country="ES", population=28_229),
               place("us", "Durango", country="US", admin1="Colorado", population=18_006),
               place("co", "Colorado", kind="region", country="US", source="supplement"),
               place("ge", "Georgia", kind="country", country="GE", population=3_700_000, source="natural-earth"),
               place("us-ga", "Georgia (U.S. state)", kind="region", country="US", source="supplement"),
               place("atl", "Atlanta", country="US", admin1="Georgia", population=510_823),
               place("atl-tx", "Atlanta", country="US", admin1="Texas", population=5_605),
               place("tbilisi", "Tbilisi", country="GE", population=1_000_000)]
    entries[4] = (entries[4], ["Georgia"])  # the state is known by its bare name as a curated variant
    resolver = Resolver(Gazetteer.from_places(entries))
    durango, colorado = resolver.resolve_within("Durango", "Colorado", UA)
    assert (durango.place.id, durango.rule, colorado) == ("us", "in-region", None)  # Colorado needs no help
    atlanta, georgia = resolver.resolve_within("Atlanta", "Georgia", UA)
    assert (atlanta.place.id, atlanta.rule) == ("atl", "in-region")
    assert (georgia.place.id, georgia.rule) == ("us-ga", "containing-region")
    assert resolver.resolve("Georgia", UA).place.id == "ge"  # alone, the country
    assert resolver.resolve_within("Tbilisi", "Georgia", UA) is None  # nothing to narrow: Georgia stays
    assert resolver.resolve_within("Atlanta", "Kyiv", UA) is None  # Kyiv is no region here
    lists = Resolver(Gazetteer.from_places([
        place("ia", "Iowa", kind="region", country="US", source="supplement"),
        place("ia-town", "Iowa", country="US", admin1="Louisiana", population=3_000),
        place("la", "Louisiana", kind="region", country="US", source="supplement")]))
    assert lists.resolve_within("Iowa", "Louisiana", UA) is None  # "Illinois, Iowa, Louisiana": a list


def test_a_country_name_listed_beside_a_region_of_another_country_is_that_countrys_region():
    entries = [place("ge", "Georgia", kind="country", country="GE", population=3_700_000, source="natural-earth"),
               (place("us-ga", "Georgia (U.S. state)", kind="region", country="US", source="supplement"),
                ["Georgia"]),
               place("nv", "Nevada", kind="region", country="US", source="supplement"),
               place("md", "Moldova", kind="country", country="MD", source="natural-earth"),
               place("crimea", "Crimea", kind="region", country="UA", source="supplement")]
    resolver = Resolver(Gazetteer.from_places(entries))

    def beside(name: str, neighbour: str):
        return resolver.resolve_beside(name, resolver.resolve(name, UA).place, resolver.resolve(neighbour, UA).place)

    found = beside("Georgia", "Nevada")  # "the swing states of Georgia and Nevada"
    assert (found.place.id, found.rule) == ("us-ga", "sibling-region")
    assert beside("Georgia", "Moldova") is None  # a list of countries
    assert beside("Georgia", "Crimea") is None  # Georgia has no region in Ukraine
    assert beside("Nevada", "Georgia") is None  # Nevada reads as no country


def test_a_curated_region_or_water_body_outranks_villages_of_that_name():
    entries = [(place("river", "Dnieper", kind="water", country=None, population=0, source="supplement"), ["Dnepr"]),
               (place("town", "Dnepr", country="RU", population=500), [])]
    assert resolve(entries, "Dnepr", Context(countries=Counter({"UA": 3}))) == ("river", "curated-area")
    entries = [place("chechnya", "Chechnya", kind="region", country="RU", population=0, source="natural-earth"),
               place("village", "Chechnya", population=1350)]
    assert resolve(entries, "Chechnya", UA) == ("chechnya", "curated-area")


def test_a_sizeable_city_abroad_outranks_a_theatre_place_carrying_its_name_only_as_an_alternate():
    from geo.gazetteer import MATCH_ALTERNATE
    from geo.gazetteer_build import IndexBuilder

    builder = IndexBuilder()
    builder.add(place("uk", "Cambridge", 52.2, 0.12, country="GB", population=145_674))
    district = builder.add(place("district", "Kamyanobridskyi", population=42_396))
    builder.name(district, "Cambridge", MATCH_ALTERNATE)
    res = Resolver(builder.gazetteer()).resolve("Cambridge", UA)
    assert (res.place.id, res.rule) == ("uk", "name-abroad")
    # a former name kept as a curated variant stays with the theatre
    entries = [place("ru", "Kirovsk", country="RU", population=290_000),
               (place("ua", "Holubivka", population=26_654), ["Kirovsk"])]
    assert resolve(entries, "Kirovsk", UA) == ("ua", "theatre")


def test_a_places_own_name_beats_a_geonames_alternate_name():
    from geo.gazetteer_build import IndexBuilder
    from geo.gazetteer import MATCH_ALTERNATE

    builder = IndexBuilder()
    builder.add(place("village", "Oleksandrivka", population=8_000))
    big = builder.add(place("city", "Donetsk", population=900_000))
    builder.name(big, "Oleksandrivka", MATCH_ALTERNATE)
    res = Resolver(builder.gazetteer()).resolve("Oleksandrivka", UA)
    assert (res.place.id, res.rule) == ("village", "name")


def test_a_curated_entry_beats_a_geonames_namesake():
    entries = [place("landmark", "White House", 38.90, -77.04, country="US", population=0, source="supplement"),
               place("town", "White House", 36.47, -86.65, country="US", population=10_000)]
    assert resolve(entries, "White House") == ("landmark", "curated")


def test_a_known_fought_over_town_beats_a_bigger_namesake():
    from geo.gazetteer import FLAG_FRONTLINE
    from geo.gazetteer_build import IndexBuilder

    builder = IndexBuilder()
    builder.add(place("quiet", "Borova", population=7241, admin1="Kyiv Oblast"))
    builder.add(place("front", "Borova", population=5174, admin1="Kharkiv Oblast"), flags=FLAG_FRONTLINE)
    res = Resolver(builder.gazetteer()).resolve("Borova", UA)
    assert (res.place.id, res.rule) == ("front", "frontline")


def test_otherwise_the_most_populous_namesake_wins():
    entries = [place("big", "Lyman", population=20_000), place("small", "Lyman", population=4_000)]
    assert resolve(entries, "Lyman", UA) == ("big", "population")


def test_resolutions_are_memoised_per_context():
    gaz = Gazetteer.from_places([place("ru", "Kirovsk", country="RU", population=30_000),
                                 place("ua", "Kirovsk", country="UA", population=26_000)])
    resolver = Resolver(gaz)
    first = resolver.resolve("Kirovsk", UA)
    assert resolver.resolve("KIROVSK", UA) is first
    assert resolver.resolve("Kirovsk").place.id == "ru"


def test_an_articles_names_resolved_together_read_as_each_alone():
    entries = [place("us", "Weymouth", country="US", population=54_395),
               place("gb", "Weymouth", country="GB", population=53_416),
               place("ua", "Lyman", population=20_000)]
    resolver = Resolver(Gazetteer.from_places(entries))
    british = Context(countries=Counter({"UA": 5, "GB": 2, "US": 1}))
    american = Context(countries=Counter({"UA": 5, "US": 2, "GB": 1}))  # the same theatre, other ranks
    for context, home in ((british, "gb"), (american, "us"), (british, "gb")):
        resolve_here = resolver.resolver_in(context)
        assert resolve_here("Weymouth").place.id == home == resolver.resolve("Weymouth", context).place.id
        assert resolve_here("LYMAN") is resolver.resolve("Lyman", context)
        assert resolve_here("Atlantis").rule == "not-found"


# -- the shipped gazetteer in war-article context ---------------------------------------------------
@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(Gazetteer.load())


def test_mykolaiv_is_the_oblast_centre_not_the_town_in_lviv_oblast(resolver):
    for context in (UA, None):
        found = resolver.resolve("Mykolaiv", context).place
        assert (found.name, found.admin1) == ("Mykolaiv", "Mykolaiv Oblast")


def test_namesakes_of_the_front(resolver):
    assert resolver.resolve("Lyman", UA).place.admin1 == "Donetsk Oblast"
    assert resolver.resolve("Avdiivka", UA).place.admin1 == "Donetsk Oblast"
    assert resolver.resolve("Borova", UA).place.admin1 == "Kharkiv Oblast"
    assert resolver.resolve("Kirovsk", UA).place.admin1 == "Luhansk Oblast"


def test_context_chooses_between_namesakes(resolver):
    ua = Counter({"UA": 2})
    kherson = resolver.resolve("Oleksandrivka", Context(countries=ua, admin1="Kherson Oblast")).place
    assert kherson.admin1 == "Kherson Oblast"
    near_kyiv = resolver.resolve("Borova", Context(countries=ua, near=(50.25, 30.0)))
    assert (near_kyiv.place.admin1, near_kyiv.rule) == ("Kyiv Oblast", "near")


def test_countries_resolve_to_countries_not_towns(resolver):
    for name, iso in [("Ukraine", "UA"), ("Russia", "RU"), ("Georgia", "GE"), ("US", "US"), ("Moldova", "MD"),
                      ("Korea", "KR")]:  # not Koréa, Côte d'Ivoire
        found = resolver.resolve(name, UA).place
        assert (found.kind, found.country) == ("country", iso)


def test_english_counties_are_the_counties_not_towns_abroad(resolver):
    for name in ("Essex", "Devon", "Kent", "Cornwall"):
        found = resolver.resolve(name, UA)
        assert (found.place.kind, found.place.country, found.rule) == ("region", "GB", "curated-area")


# -- geopy ------------------------------------------------------------------------------------------
def test_gazetteer_geocoder_speaks_geopy():
    geocoder = GazetteerGeocoder(Gazetteer.from_places([
        place("a", "Lyman", 48.99, 37.81, population=20_000, admin1="Donetsk Oblast"),
        place("b", "Lyman", 49.59, 36.47, population=4_000, admin1="Kharkiv Oblast"),
        place("c", "Lyman", 34.9, -82.1, country="US", population=3_400)]))
    location = geocoder.geocode("Lyman")
    assert isinstance(location, Location)
    assert (round(location.latitude, 2), location.raw["id"]) == (48.99, "a")
    assert geocoder.geocode("Lyman", country_codes="us").raw["id"] == "c"
    assert geocoder.geocode("Lyman", admin1="Kharkiv Oblast").raw["id"] == "b"
    assert [loc.raw["id"] for loc in geocoder.geocode("Lyman", exactly_one=False)] == ["a", "b", "c"]
    assert geocoder.geocode("Nowhere") is None


# -- command line -----------------------------------------------------------------------------------
def test_geocode_command_prints_one_json_line_per_name(capsys):
    assert main(["geocode", "Kharkov", "Nowhereville-on-Sea", "Borova", "--country", "UA",
                 "--oblast", "Kharkiv Oblast"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["name"] == "Kharkiv" and lines[0]["kind"] == "city" and lines[0]["country"] == "UA"
    assert set(lines[0]) >= {"query", "name", "lat", "lon", "kind", "country", "geonameid", "source", "cached", "rule"}
    assert lines[1] == {"query": "Nowhereville-on-Sea", "found": False, "rule": "not-found"}
    assert lines[2]["rule"] == "admin1-hint"


def test_geocode_command_near_option(capsys):
    assert main(["geocode", "Borova", "--near", "50.2,30.1"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["rule"] == "near" and round(record["lat"]) == 50


def test_geocode_command_rejects_a_bad_near(capsys):
    with pytest.raises(SystemExit):
        main(["geocode", "Borova", "--near", "north"])


def test_a_world_city_outranks_a_namesake_village_in_the_theatre():
    entries = [place("nyc", "New York", 40.71, -74.01, country="US", population=8_804_190),
               place("niu-york", "New York", 48.32, 37.84, population=10_000, admin1="Donetsk Oblast")]
    assert resolve(entries, "New York", UA) == ("nyc", "major-city")
    entries = [place("tx", "Odessa", country="US", population=114_428), place("ua", "Odessa", population=1_010_537)]
    assert resolve(entries, "Odessa", UA) == ("ua", "theatre")  # the theatre's own city


def test_a_world_city_known_by_another_name_does_not_outrank_the_theatre():
    from geo.gazetteer import MATCH_ALTERNATE
    from geo.gazetteer_build import IndexBuilder

    builder = IndexBuilder()
    builder.add(place("landmark", "White House", 38.90, -77.04, country="US", population=0, source="supplement"))
    casablanca = builder.add(place("casablanca", "Casablanca", 33.59, -7.61, country="MA", population=3_144_909))
    builder.name(casablanca, "White House", MATCH_ALTERNATE)  # "Casa Blanca" translated
    res = Resolver(builder.gazetteer()).resolve("White House", UA)
    assert (res.place.id, res.rule) == ("landmark", "name")


def test_a_large_foreign_city_outranks_a_village_namesake_in_the_theatre(resolver):
    poznan = resolver.resolve("Poznan", UA)
    assert (poznan.place.country, poznan.rule) == ("PL", "major-city")


def test_an_articles_unambiguous_towns_anchor_their_namesake_neighbours():
    entries = [place("kyiv-obl", "Borova", 50.18, 30.10, population=7241, admin1="Kyiv Oblast"),
               place("kharkiv-obl", "Borova", 49.38, 37.62, population=5174, admin1="Kharkiv Oblast"),
               place("izium", "Izium", 49.21, 37.26, population=45_884, admin1="Kharkiv Oblast"),
               place("lviv", "Lviv", 49.84, 24.03, population=717_273, admin1="Lviv Oblast")]
    resolver = Resolver(Gazetteer.from_places(entries))
    alone = resolver.resolve_all(["Borova"], {"UA": 2})
    assert (alone["Borova"].place.id, alone["Borova"].rule) == ("kyiv-obl", "population")
    together = resolver.resolve_all(["Izium", "Borova", "Izium"], {"UA": 2})
    assert list(together) == ["Izium", "Borova"]
    assert (together["Borova"].place.id, together["Borova"].rule) == ("kharkiv-obl", "near-places")
    far = resolver.resolve_all(["Lviv", "Borova"], {"UA": 2})  # no namesake within reach: unchanged
    assert (far["Borova"].place.id, far["Borova"].rule) == ("kyiv-obl", "population")


def test_anchors_do_not_pull_a_name_onto_a_village_that_only_carries_it_as_an_alternate():
    from geo.gazetteer import MATCH_ALTERNATE
    from geo.gazetteer_build import IndexBuilder

    builder = IndexBuilder()
    builder.add(place("city", "Mykolaiv", 46.98, 31.99, population=470_011, admin1="Mykolaiv Oblast"))
    village = builder.add(place("village", "Mykolaivka", 48.86, 37.77, population=14_210, admin1="Donetsk Oblast"))
    builder.name(village, "Mykolaiv", MATCH_ALTERNATE)
    builder.add(place("sloviansk", "Sloviansk", 48.85, 37.60, population=105_141, admin1="Donetsk Oblast"))
    together = Resolver(builder.gazetteer()).resolve_all(["Sloviansk", "Mykolaiv"], {"UA": 2})
    assert together["Mykolaiv"].place.id == "city"


def test_geocode_command_together_reads_names_as_one_article(capsys):
    assert main(["geocode", "Izium", "Borova", "--country", "UA", "--together"]) == 0
    izium, borova = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert (borova["admin1"], borova["rule"], izium["rule"]) == ("Kharkiv Oblast", "near-places", "only-candidate")
