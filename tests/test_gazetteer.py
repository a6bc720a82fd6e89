"""The gazetteer: name folding, the index, and the shipped data answering the names war news uses."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from geo import gazetteer_build
from geo.gazetteer import Gazetteer, NameKeys, admin1_matches, key_hash, normalize
from geo.gazetteer_build import SUPPLEMENT_DIR, useful_alternate
from gazetteer_places import place


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# -- normalize --------------------------------------------------------------------------------------
@pytest.mark.parametrize("written, key", [
    ("Kyiv", "kyiv"), ("  KYIV ", "kyiv"), ("Kup'iansk", "kupiansk"), ("Kup’iansk", "kupiansk"),
    ("Lysychans'k", "lysychansk"), ("Constanţa", "constanta"), ("Nova-Kakhovka", "nova kakhovka"),
    ("the Crimea", "crimea"), ("U.S.", "us"), ("Київ", "киів"), ("Маріуполь", "маріуполь"),
])
def test_normalize_folds_case_accents_apostrophes_and_separators(written, key):
    assert normalize(written) == key


def test_admin1_hint_matches_with_or_without_the_word_oblast():
    assert admin1_matches("Kharkiv Oblast", "Kharkiv")
    assert admin1_matches("Kharkiv Oblast", "kharkiv region")
    assert not admin1_matches("Kharkiv Oblast", "Kyiv Oblast")
    assert not admin1_matches(None, "Kharkiv")


# -- alternate-name filter -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["IEV", "UKKK", "Ky", "Jan", "12345", "Kyiv 2", "http://kyiv.ua", "基辅", "كييف", "Kyiv (city)"])
def test_junk_alternate_names_are_left_out(name):
    assert not useful_alternate(name)


@pytest.mark.parametrize("name", ["Kyjiw", "Київ", "Kiev", "Kyïv", "Lysychans'k", "Saint-Denis"])
def test_real_spellings_are_kept(name):
    assert useful_alternate(name)


# -- in-memory gazetteers ---------------------------------------------------------------------------
def test_from_places_finds_names_and_variants_in_any_script_and_lists_them_as_written():
    gaz = Gazetteer.from_places([
        (place("t:kyiv", "Kyiv", population=3_000_000), ["Kiev", "Київ"]),
        place("t:sea", "Sea of Azov", kind="water", country=None),
    ])
    assert [p.id for p in gaz.lookup("KIEV")] == ["t:kyiv"]
    assert [p.id for p in gaz.lookup("київ")] == ["t:kyiv"]
    assert gaz.lookup("Sea of Azov")[0].kind == "water"
    assert gaz.lookup("Atlantis") == []
    assert {"Kyiv", "Kiev", "Київ", "Sea of Azov"} <= set(gaz.surface_forms())
    assert gaz.get("t:sea").name == "Sea of Azov"
    assert len(gaz) == 2


def test_lookup_returns_every_namesake():
    gaz = Gazetteer.from_places([place("a", "Lyman", admin1="Donetsk Oblast"),
                                 place("b", "Lyman", admin1="Kharkiv Oblast")])
    assert {p.admin1 for p in gaz.lookup("Lyman")} == {"Donetsk Oblast", "Kharkiv Oblast"}


def test_a_place_read_back_is_the_place_added_and_stays_frozen():
    kyiv = place("t:kyiv", "Kyiv", 50.45, 30.52, admin1="Kyiv City", population=2_900_000)
    gaz = Gazetteer.from_places([kyiv])
    found = gaz.lookup("Kyiv")[0]
    assert found == kyiv and hash(found) == hash(kyiv) and found.to_dict() == kyiv.to_dict()
    assert gaz.lookup("KYIV")[0] is found
    with pytest.raises(AttributeError):
        found.population = 0


def test_kinds_and_membership_answer_from_the_index_without_the_candidates():
    gaz = Gazetteer.from_places([place("a", "Georgia", kind="country", country="GE"),
                                 place("b", "Georgia", kind="region", country="US"),
                                 place("c", "Bar", population=15_000),
                                 place("d", "Black Sea", kind="water", country=None)])
    assert gaz.kinds("GEORGIA") == {"country", "region"}
    assert gaz.kinds("Bar") == {"city"}
    assert gaz.kinds("the Black Sea") == {"water"}
    assert gaz.kinds("Atlantis") == frozenset()
    assert "bar" in gaz and "Black  Sea" in gaz and "Atlantis" not in gaz


@pytest.mark.parametrize("size", [0, 1, 2, 3, 1000, 5000])
def test_the_name_index_finds_each_of_its_keys_postings_and_nothing_else(size):
    index = NameKeys.build({f"place {i}": {i: 2, i + 1: 0} for i in range(size)})
    assert all([p >> 2 for p in index.postings[slice(*index.span(f"place {i}"))]] == [i, i + 1]
               for i in range(size))
    assert index.span(f"place {size}") == (0, 0) and index.span("") == (0, 0)


@pytest.mark.parametrize("key, value", [
    ("kyiv", 3746136575848580963), ("киів", 7327834561845395868), ("nova kakhovka", 7183448813790645968),
])
def test_a_key_hashes_to_the_same_64_bit_value_in_every_process_and_build(key, value):
    # The index file stores these hashes: a compiled or rewritten key_hash must give the same values.
    assert key_hash(key) == value


# -- building and finding the index ----------------------------------------------------------------
def _tiny_sources(tmp_path: Path) -> tuple[Path, Path]:
    cities = {
        "1": {"geonameid": 1, "name": "Testograd", "latitude": 48.0, "longitude": 37.0, "countrycode": "UA",
              "population": 5000, "admin1code": "05", "alternatenames": ["Testogradsk", "TGD", "Тестоград", "12"]},
    }
    geonames = tmp_path / "cities.json"
    geonames.write_text(json.dumps(cities), encoding="utf-8")
    supplement = tmp_path / "supplement"
    supplement.mkdir()
    (supplement / "water.csv").write_text(
        "# test\nid,name,kind,lat,lon,country,admin1,population,geonameid,feature,variants,source,note\n"
        "sup:lake,Test Lake,water,48.5,37.5,,,,,lake,Lake Test,supplement,\n"
        "sup:bad,Broken,volcano,1,2,,,,,x,,supplement,\n", encoding="utf-8")
    (supplement / "admin1_codes.csv").write_text("country,code,name,source\nUA,05,Donetsk Oblast,test\n",
                                                 encoding="utf-8")
    return geonames, supplement


def test_build_joins_geonames_and_supplement_and_skips_bad_rows_with_a_warning(tmp_path):
    geonames, supplement = _tiny_sources(tmp_path)
    with pytest.warns(UserWarning, match="kind 'volcano'"):
        gaz = gazetteer_build.build(geonames, supplement)
    town = gaz.lookup("Тестоград")[0]
    assert (town.id, town.admin1, town.geonameid, town.source) == ("gn:1", "Donetsk Oblast", 1, "geonames")
    assert gaz.lookup("TGD") == [] and gaz.lookup("12") == []
    assert gaz.lookup("Lake Test")[0].kind == "water"
    assert gaz.lookup("Broken") == []


def test_index_is_rebuilt_when_a_supplement_file_changes(tmp_path, monkeypatch):
    geonames, supplement = _tiny_sources(tmp_path)
    before = gazetteer_build.fingerprint(geonames, supplement)
    with open(supplement / "water.csv", "a", encoding="utf-8") as f:
        f.write("sup:pond,Test Pond,water,48.1,37.1,,,,,lake,,supplement,\n")
    assert gazetteer_build.fingerprint(geonames, supplement) != before


def test_index_is_rebuilt_when_the_builder_code_changes(tmp_path):
    geonames, supplement = _tiny_sources(tmp_path)
    builder = tmp_path / "builder.py"
    builder.write_text("RULE = 1\n", encoding="utf-8")
    before = gazetteer_build.fingerprint(geonames, supplement, [builder])
    assert gazetteer_build.fingerprint(geonames, supplement, [builder]) == before
    builder.write_text("RULE = 2\n", encoding="utf-8")
    assert gazetteer_build.fingerprint(geonames, supplement, [builder]) != before
    assert set(gazetteer_build.BUILDER_SOURCES) >= {Path(gazetteer_build.__file__)}


def test_index_round_trips_through_its_file(tmp_path):
    geonames, supplement = _tiny_sources(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gaz = gazetteer_build.build(geonames, supplement)
    path = tmp_path / "index.pickle"
    gazetteer_build.write_index(gaz, path)
    again = Gazetteer.load(path)
    assert again.lookup("Testogradsk") == gaz.lookup("Testogradsk")
    assert list(again.surface_forms()) == list(gaz.surface_forms())


def test_unreadable_index_is_rebuilt_with_a_warning(tmp_path, monkeypatch):
    geonames, supplement = _tiny_sources(tmp_path)
    monkeypatch.setenv("GEO_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.setattr(gazetteer_build, "cities500_path", lambda: geonames)
    monkeypatch.setattr(gazetteer_build, "SUPPLEMENT_DIR", supplement)
    monkeypatch.setattr(gazetteer_build, "fingerprint", lambda *a: "test")
    monkeypatch.setattr(gazetteer_build, "build", lambda *a: Gazetteer.from_places([place("x", "Rebuilt")]))
    path = gazetteer_build.index_path("test")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x05truncated")
    with pytest.warns(UserWarning, match="unreadable"):
        gaz = gazetteer_build.load_or_build()
    assert gaz.lookup("Rebuilt")
    assert Gazetteer.load(path).lookup("Rebuilt")


# -- the shipped gazetteer --------------------------------------------------------------------------
# Spellings that name the same place (the scorer's variant table plus the list).
SAME_PLACE = [
    ("Kiev", "Kyiv"), ("Kyyiv", "Kyiv"), ("Kiew", "Kyiv"), ("Київ", "Kyiv"), ("Киев", "Kyiv"),
    ("Kharkov", "Kharkiv"), ("Харків", "Kharkiv"), ("Odessa", "Odesa"),
    ("Nikolaev", "Mykolaiv"), ("Nikolayev", "Mykolaiv"), ("Mykolayiv", "Mykolaiv"), ("Mikolaiv", "Mykolaiv"),
    ("Zaporozhye", "Zaporizhzhia"), ("Zaporizhia", "Zaporizhzhia"), ("Zaporizhzhya", "Zaporizhzhia"),
    ("Severodonetsk", "Sievierodonetsk"), ("Sieverodonetsk", "Sievierodonetsk"),
    ("Artemivsk", "Bakhmut"), ("Artyomovsk", "Bakhmut"), ("Izyum", "Izium"), ("Dnepropetrovsk", "Dnipro"),
    ("Маріуполь", "Mariupol"), ("Lisichansk", "Lysychansk"), ("Lysychans'k", "Lysychansk"),
    ("Kup'iansk", "Kupiansk"), ("Kupyansk", "Kupiansk"), ("Avdiyivka", "Avdiivka"), ("Avdeevka", "Avdiivka"),
    ("Melitopol'", "Melitopol"), ("Berdyansk", "Berdiansk"), ("Energodar", "Enerhodar"),
    ("Vugledar", "Vuhledar"), ("Irpen", "Irpin"), ("Gostomel", "Hostomel"), ("Chernigov", "Chernihiv"),
    ("Donbass", "Donbas"), ("Donbas region", "Donbas"), ("Azov Sea", "Sea of Azov"),
    ("Dnieper River", "Dnieper"), ("Dnipro River", "Dnieper"), ("River Dnieper", "Dnieper"), ("Dnepr", "Dnieper"),
    ("USSR", "Soviet Union"), ("Crimean peninsula", "Crimea"), ("the Crimea", "Crimea"), ("Krym", "Crimea"),
    ("Türkiye", "Turkey"), ("Turkiye", "Turkey"), ("Russian Federation", "Russia"), ("US", "United States"),
    ("U.S.", "United States"), ("USA", "United States"), ("UK", "United Kingdom"), ("Britain", "United Kingdom"),
    ("Great Britain", "United Kingdom"),
]


@pytest.mark.parametrize("variant, name", SAME_PLACE)
def test_every_variant_resolves_to_the_same_place(gaz, variant, name):
    from geo.geocoder import Context, Resolver
    from collections import Counter

    resolver = Resolver(gaz)
    ua = Context(countries=Counter({"UA": 3}))
    a, b = resolver.resolve(variant, ua).place, resolver.resolve(name, ua).place
    assert a is not None and a == b


@pytest.mark.parametrize("name, kind, country", [
    ("Black Sea", "water", None), ("Sea of Azov", "water", None), ("Dnieper", "water", None),
    ("Kakhovka Reservoir", "water", "UA"), ("Siverskyi Donets", "water", None), ("Kerch Strait", "water", None),
    ("Donbas", "region", "UA"), ("Crimea", "region", "UA"), ("Kharkiv Oblast", "region", "UA"),
    ("Харківська область", "region", "UA"), ("Харьковская область", "region", "UA"),
    ("Chechnya", "region", "RU"), ("Left-bank Ukraine", "region", "UA"),
    ("Ukraine", "country", "UA"), ("Russia", "country", "RU"), ("Georgia", "country", "GE"),
    ("Soviet Union", "country", "SU"),
])
def test_regions_water_and_countries_have_their_kind(gaz, name, kind, country):
    from geo.geocoder import Resolver

    found = Resolver(gaz).resolve(name).place
    assert (found.kind, found.country) == (kind, country)


def test_all_27_oblast_level_units_of_ukraine_are_known(gaz):
    units = {p.admin1 for p in gaz.places() if p.id.startswith("ne-adm1:UA-")}
    assert len(units) == 25  # 24 oblasts and Crimea; Kyiv and Sevastopol are cities
    kharkiv_towns = [p for p in gaz.lookup("Izium") if p.country == "UA"]
    assert kharkiv_towns[0].admin1 == "Kharkiv Oblast"
    assert gaz.lookup("Kyiv")[0].admin1 == "Kyiv"


def test_the_dnipro_is_a_city_and_the_dnieper_a_river(gaz):
    assert {p.kind for p in gaz.lookup("Dnipro")} == {"city"}
    assert {p.kind for p in gaz.lookup("Dnieper")} == {"water"}


def test_a_facility_resolves_to_its_own_site(gaz):
    from geo.disambiguate import km

    plant = gaz.lookup("Zaporizhzhia nuclear power plant")[0]
    town = [p for p in gaz.lookup("Enerhodar") if p.country == "UA"][0]
    assert plant.id != town.id and 2 < km(plant.lat, plant.lon, town.lat, town.lon) < 10


def test_frontline_villages_below_the_geonames_floor_are_known(gaz):
    robotyne = gaz.lookup("Robotyne")
    assert robotyne and robotyne[0].country == "UA" and robotyne[0].admin1 == "Zaporizhzhia Oblast"
    assert robotyne[0].source == "places_ukraine_war"


def test_world_places_are_known(gaz):
    for name, country in [("Aleppo", "SY"), ("The Hague", "NL"), ("Grozny", "RU"), ("Washington", "US")]:
        assert country in {p.country for p in gaz.lookup(name)}


def test_surface_forms_list_names_as_written(gaz):
    forms = set(gaz.surface_forms())
    assert {"Kyiv", "Kiev", "Київ", "Sea of Azov", "Azov Sea", "Donbass", "Dnieper River"} <= forms
    assert "IEV" not in forms


def test_every_supplement_row_has_its_provenance():
    for path in sorted(SUPPLEMENT_DIR.glob("*.csv")):
        if path.name in ("admin1_codes.csv", "geonames_overrides.csv", "frontline.csv",
                         "war_places_provenance.csv"):
            continue
        for row in gazetteer_build.read_csv(path):
            assert row["source"], f"{path.name}: {row['id']} has no source"
            assert row["note"] or row["source"] != "supplement", f"{path.name}: {row['id']} has no note"


def test_processes_starting_together_build_the_index_once(tmp_path, monkeypatch):
    import threading
    import time

    builds = []

    def slow_build(*_args):
        builds.append(1)
        time.sleep(0.3)
        return Gazetteer.from_places([place("x", "Built")])

    monkeypatch.setenv("GEO_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.setattr(gazetteer_build, "fingerprint", lambda *a: "together")
    monkeypatch.setattr(gazetteer_build, "build", slow_build)
    results = []
    threads = [threading.Thread(target=lambda: results.append(gazetteer_build.load_or_build())) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1
    assert all(g.lookup("Built") for g in results) and len(results) == 3


def test_an_index_missing_a_side_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_INDEX_DIR", str(tmp_path))
    monkeypatch.setattr(gazetteer_build, "fingerprint", lambda *a: "sides")
    monkeypatch.setattr(gazetteer_build, "build", lambda *a: Gazetteer.from_places([place("x", "Whole")]))
    path = gazetteer_build.index_path("sides")
    gazetteer_build.write_index(Gazetteer.from_places([place("y", "Partial")]), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gazetteer-sides.keys.txt", "gazetteer-sides.pickle", "gazetteer-sides.surface.txt"]
    (tmp_path / "gazetteer-sides.surface.txt").unlink()
    with pytest.warns(UserWarning, match="surface.txt is missing"):
        gaz = gazetteer_build.load_or_build()
    assert gaz.lookup("Whole") and list(Gazetteer.load(path).surface_forms()) == ["Whole"]
