"""Derive the generated gazetteer supplement files (a development-time script).

Not used at run time: the app reads the CSV files this writes. Run it again
when a source changes::

    .venv/bin/python data/gazetteer/derive.py --basemap ../shared/basemap \\
        --countries-shp /tmp/ne/ne_10m_admin_0_countries_deu.shp \\
        --war-places ../shared/corpus/places_ukraine_war.csv

Writes ``countries.csv`` (Natural Earth admin-0, German point of view, label
points), ``oblasts.csv`` and ``admin1_codes.csv`` (Natural Earth admin-1 for
Ukraine, Russia and Belarus), the checked points of ``water.csv`` (Natural Earth seas, lakes and rivers named
in ``WATER_POLYGONS``/``RIVER_LINES``; the other rows are hand-placed), and
``villages.csv`` (checked rows of places_ukraine_war.csv that
GeoNames cities500 lacks). Hand-curated files (``regions.csv``,
``facilities.csv``, ``geonames_overrides.csv``) are not touched.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from geo.gazetteer import normalize  # noqa: E402

FIELDS = ["id", "name", "kind", "lat", "lon", "country", "admin1", "population", "geonameid", "feature",
          "variants", "source", "note"]

# Common English names and spellings the Natural Earth name fields lack.
COUNTRY_VARIANTS = {
    "US": ["United States", "United States of America", "USA", "U.S.", "U.S.A.", "US", "America", "the US",
           "the U.S.", "the United States"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain", "the UK", "the United Kingdom"],
    "RU": ["Russian Federation", "Россия", "Росія", "Rossiya"],
    "UA": ["Україна", "Украина", "the Ukraine", "Ukrayina"],
    "TR": ["Türkiye", "Turkiye", "Turkey"],
    "CZ": ["Czech Republic", "Czechia"],
    "NL": ["The Netherlands", "Holland"],
    "KR": ["South Korea", "Republic of Korea", "Korea"],
    "KP": ["North Korea", "DPRK"],
    "MD": ["Republic of Moldova", "Молдова"],
    "BY": ["Byelorussia", "Belorussia", "Беларусь", "Білорусь"],
    "GE": ["Грузія", "Грузия"],
    # bare "Congo" is either country (the "country" rule then takes the larger, the DRC), never a town
    "CD": ["DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa", "Congo"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville", "Congo"],
    "VA": ["Vatican", "Holy See", "Vatican City"],
    "CN": ["People's Republic of China", "PRC"],
    "TW": ["Republic of China"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran"],
    "AE": ["UAE", "United Arab Emirates", "Emirates"],
    "MK": ["Macedonia", "North Macedonia"],
    "CI": ["Ivory Coast", "Côte d'Ivoire"],
    "MM": ["Burma"],
    "PL": ["Польща", "Польша"],
    "KZ": ["Казахстан"],
}

# Display names where Natural Earth's English name is not the one the news uses.
COUNTRY_DISPLAY = {"US": "United States", "TR": "Turkey", "CZ": "Czech Republic", "VA": "Vatican"}

# Historical countries the news still names. Points: inside the former territory, not the capital.
HISTORICAL_COUNTRIES = [
    # id, name, iso, lat, lon, variants, note
    ("hist:su", "Soviet Union", "SU", 58.249357, 44.686469,
     ["USSR", "U.S.S.R.", "Union of Soviet Socialist Republics", "СССР", "Soviet Russia"],
     "historical (1922-1991); point = Natural Earth label point of Russia"),
    ("hist:yu", "Yugoslavia", "YU", 44.0, 20.0, ["SFRY", "Socialist Federal Republic of Yugoslavia"],
     "historical (1918-1992); hand-placed point inside its former territory"),
    ("hist:cs", "Czechoslovakia", "CS", 49.5, 17.0, [],
     "historical (1918-1992); hand-placed point inside its former territory"),
]

# Ukrainian oblast centres' older/Russian spellings, used to make "<spelling> Oblast" variants.
OBLAST_SPELLINGS = {
    "UA-05": ["Vinnitsa", "Vinnytsya", "Vinnytska"], "UA-07": ["Volhynia", "Volynska"],
    "UA-09": ["Lugansk", "Luhanska", "Luhans'k"], "UA-12": ["Dnepropetrovsk", "Dnipropetrovska", "Dnipro"],
    "UA-14": ["Donetska", "Donets'k"], "UA-18": ["Zhitomir", "Zhytomyrska"],
    "UA-21": ["Transcarpathia", "Transcarpathian", "Zakarpatska", "Zakarpattya"],
    "UA-23": ["Zaporozhye", "Zaporizhia", "Zaporizhzhya", "Zaporizka", "Zaporozhzhia", "Zaporozhia"],
    "UA-26": ["Ivano-Frankovsk", "Ivano-Frankivska"], "UA-32": ["Kiev", "Kyivska", "Kyiv"],
    "UA-35": ["Kirovograd", "Kropyvnytskyi", "Kirovohradska"], "UA-46": ["Lvov", "Lvivska", "L'viv"],
    "UA-48": ["Nikolaev", "Nikolayev", "Mykolayiv", "Mykolaivska"], "UA-51": ["Odessa", "Odeska", "Odesa"],
    "UA-53": ["Poltavska"], "UA-56": ["Rovno", "Rivnenska"], "UA-59": ["Sumska"],
    "UA-61": ["Ternopol", "Ternopilska"], "UA-63": ["Kharkov", "Kharkivska"], "UA-65": ["Khersonska"],
    "UA-68": ["Khmelnitsky", "Khmelnytskyi", "Khmelnytska", "Khmelnytsky"], "UA-71": ["Cherkassy", "Cherkaska"],
    "UA-74": ["Chernigov", "Chernihivska"], "UA-77": ["Chernovtsy", "Chernivetska"],
}
# Ukrainian "-shchyna" names of oblasts, common in Ukrainian media and translations.
OBLAST_SHCHYNA = {
    "UA-63": ["Kharkivshchyna", "Харківщина"], "UA-09": ["Luhanshchyna", "Луганщина"],
    "UA-14": ["Donechchyna", "Донеччина"], "UA-65": ["Khersonshchyna", "Херсонщина"],
    "UA-23": ["Zaporizhzhia region"], "UA-32": ["Kyivshchyna", "Київщина"],
    "UA-74": ["Chernihivshchyna", "Чернігівщина"], "UA-59": ["Sumshchyna", "Сумщина"],
    "UA-48": ["Mykolaivshchyna", "Миколаївщина"], "UA-51": ["Odeshchyna", "Одещина"],
    "UA-12": ["Dnipropetrovshchyna", "Дніпропетровщина"], "UA-53": ["Poltavshchyna", "Полтавщина"],
}
#: Current English spellings where Natural Earth's name_en is an older one.
ADMIN1_ENGLISH = {"UA-51": "Odesa", "UA-05": "Vinnytsia", "UA-23": "Zaporizhzhia"}
SUFFIXES = ("Oblast", "oblast", "region", "Region", "Province", "province")


def region_like(name: str) -> bool:
    """Whether a Natural Earth name of a republic or krai names the region itself.

    NE's alternates mix region names ("Dagestan", "Ingushetia", "Republic of Tatarstan") with
    capital cities ("Krasnodar", "Kazan"), demonyms ("Chuvash", "Ingush") and fragments ("K").
    """
    if len(name) < 4:
        return False
    if any(word in name for word in ("Republic", "Respublika", "Krai", "Kray", "Territory", "Oblast", "A.S.S.R.")):
        return True
    return name.endswith(("ia", "ya", "iya", "ija", "stan", "ea", "nia"))


def oblast_rows(admin1: dict) -> tuple[list[dict], list[dict]]:
    """Supplement rows for Ukraine's oblasts (+ Crimea) and Russia's/Belarus's regions, and admin1 codes."""
    rows, codes = [], []
    for feature in admin1["features"]:
        p = feature["properties"]
        iso = p["iso_3166_2"]
        country = p["country_iso_a2_dejure"]
        if country not in ("UA", "RU", "BY"):
            continue
        name_en = p["name_en"]
        type_en = p.get("type_en") or ("Region" if iso == "UA-65" else "")
        if iso == "UA-30":
            admin1_name = "Kyiv"
        elif iso == "UA-40":
            admin1_name = "Sevastopol"
        elif iso == "UA-43":
            admin1_name = "Crimea"
        elif country == "RU" and iso in ("RU-MOS", "RU-MOW"):
            continue  # NE swaps the Moscow codes; fixed by hand below
        elif iso == "RU-CE":
            admin1_name = "Chechnya"
        elif type_en == "Region":
            admin1_name = f"{ADMIN1_ENGLISH.get(iso, name_en)} Oblast"
        else:
            admin1_name = name_en
        if p.get("fips") and p["fips"][2:].isdigit():
            codes.append({"country": country, "code": p["fips"][2:], "name": admin1_name,
                          "source": f"Natural Earth admin-1 {iso} fips {p['fips']}"})
        if iso in ("UA-30", "UA-40") or type_en in ("Municipality", "Federal City"):
            continue  # the city itself is a GeoNames place
        alts = [a for a in (p.get("name_alt") or "").split("|") if a]
        spellings = [name_en, p.get("name") or ""] + OBLAST_SPELLINGS.get(iso, [])
        variants: list[str] = []
        if iso == "UA-43":
            variants += ["Crimea", "Crimean peninsula", "Crimean Peninsula", "the Crimea", "Krym", "Крим",
                         "Крым", "Republic of Crimea", "Krim"]
        elif type_en == "Region":
            variants += [f"{s} {suffix}" for s in spellings if s for suffix in SUFFIXES]
            variants += [a for a in alts if "oblast" in a.lower() or "voblast" in a.lower()]
        else:  # republics and krais: names that say what they are (not the capital, not a demonym)
            variants += [v for v in [name_en] + spellings + alts if region_like(v)]
            if "Krai" in name_en:
                city = name_en.replace(" Krai", "")
                variants += [name_en.replace("Krai", "Territory"), f"{city} region", f"{city} Region"]
        variants += OBLAST_SHCHYNA.get(iso, [])
        variants += [p[k] for k in ("name_uk", "name_ru") if p.get(k) and p[k] not in ("Київ", "Киев")]
        if iso == "UA-32":
            variants += ["Київська область", "Киевская область"]
        if iso == "RU-CE":
            variants += ["Chechnya", "Chechen Republic", "Чечня", "Чечня"]
        display = admin1_name
        rows.append({
            "id": f"ne-adm1:{iso}", "name": display, "kind": "region",
            "lat": round(p["latitude"], 5), "lon": round(p["longitude"], 5),
            "country": country, "admin1": admin1_name, "population": "", "geonameid": p.get("gn_id") or "",
            "feature": "oblast" if country == "UA" and type_en == "Region" else (type_en or "region").lower(),
            "variants": "|".join(dict.fromkeys(v for v in variants if normalize(v) != normalize(display))),
            "source": "natural-earth", "note": f"Natural Earth admin-1 {iso}; point = NE label point",
        })
    codes += [
        {"country": "RU", "code": "48", "name": "Moscow", "source": "GeoNames admin1 RU.48 (NE swaps Moscow codes)"},
        {"country": "RU", "code": "47", "name": "Moscow Oblast", "source": "GeoNames admin1 RU.47"},
    ]
    return rows, codes


def country_rows(shp: Path) -> list[dict]:
    import pyogrio

    frame = pyogrio.read_dataframe(shp, read_geometry=False, encoding="UTF-8")
    rows = []
    for _, r in frame.iterrows():
        iso = r["ISO_A2"] if r["ISO_A2"] not in ("-99", None) else r["ISO_A2_EH"]
        if not isinstance(iso, str) or iso == "-99":
            iso = None
        names = [r[k] for k in ("NAME", "NAME_LONG", "NAME_EN", "FORMAL_EN", "NAME_SORT", "BRK_NAME",
                                "NAME_UK", "NAME_RU", "ADMIN", "GEOUNIT") if isinstance(r[k], str)]
        names += [a for a in str(r["NAME_ALT"]).split("|") if isinstance(r["NAME_ALT"], str) and a]
        names += COUNTRY_VARIANTS.get(iso or "", [])
        display = r["NAME_EN"] if isinstance(r["NAME_EN"], str) else r["NAME"]
        display = COUNTRY_DISPLAY.get(iso or "", display)
        rows.append({
            "id": f"ne:{iso or r['ADM0_A3']}", "name": display, "kind": "country",
            "lat": round(float(r["LABEL_Y"]), 5), "lon": round(float(r["LABEL_X"]), 5), "country": iso,
            "admin1": "", "population": int(r["POP_EST"]) if r["POP_EST"] == r["POP_EST"] else "",
            "geonameid": "", "feature": str(r["TYPE"]).lower(),
            "variants": "|".join(dict.fromkeys(n for n in names if normalize(n) != normalize(display))),
            "source": "natural-earth",
            "note": f"NE admin-0 (deu POV) {r['ADM0_A3']}; point = NE label point",
        })
    for hid, name, iso, lat, lon, variants, note in HISTORICAL_COUNTRIES:
        rows.append({"id": hid, "name": name, "kind": "country", "lat": lat, "lon": lon, "country": iso,
                     "admin1": "", "population": "", "geonameid": "", "feature": "historical country",
                     "variants": "|".join(variants), "source": "supplement", "note": note})
    return rows


def write(path: Path, rows: list[dict], fields: list[str], header: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(f"# {header}\n")
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path.name}: {len(rows)} rows", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--basemap", type=Path, required=True)
    ap.add_argument("--countries-shp", type=Path, required=True)
    ap.add_argument("--war-places", type=Path)
    args = ap.parse_args(argv)
    admin1 = json.loads((args.basemap / "admin1.geojson").read_text(encoding="utf-8"))
    rows, codes = oblast_rows(admin1)
    write(HERE / "oblasts.csv", rows, FIELDS, "generated by derive.py from Natural Earth admin-1 (public domain)")
    write(HERE / "admin1_codes.csv", codes, ["country", "code", "name", "source"],
          "generated by derive.py: GeoNames admin1 code (FIPS 10-4) -> English name, from Natural Earth admin-1")
    write(HERE / "countries.csv", country_rows(args.countries_shp), FIELDS,
          "generated by derive.py from Natural Earth admin-0 countries, German POV 5.1.1 (public domain)")
    check_water(args.basemap)
    if args.war_places:
        villages, frontline, overrides, provenance = war_places(args.war_places, args.basemap)
        source = ("checked rows of places_ukraine_war.csv (Wikipedia 'Control of cities during the Russo-Ukrainian"
                  " War' via vi-enne/controlCitiesUkraine, CC BY 4.0; coordinates simplemaps, CC BY 4.0)")
        write(HERE / "villages.csv", villages, FIELDS, f"generated by derive.py: {source}")
        write(HERE / "frontline.csv", frontline, ["id", "listed_name", "source", "note"],
              f"generated by derive.py: gazetteer places listed as fought over; {source}")
        write(HERE / "geonames_overrides.csv", overrides, ["geonameid", "display_name", "variants", "source"],
              "generated by derive.py: English display names and extra spellings for GeoNames places")
        write(HERE / "war_places_provenance.csv", provenance, ["listed_name", "lat", "lon", "id", "outcome", "note"],
              f"generated by derive.py: what became of each row of {source}")
    return 0



# -- water.csv: points checked against Natural Earth ------------------------------------------------
#: water.csv id -> Natural Earth polygon names (water.geojson); the point becomes the polygon's
#: centroid, or its representative point (always inside) when the centroid falls outside it.
#: Only bodies wholly inside the basemap box.
WATER_POLYGONS = {
    "sup:black-sea": ["Black Sea"], "sup:sea-of-azov": ["Sea of Azov"], "sup:kakhovka-reservoir": ["Kakhovka Reservoir"],
    "sup:sivash": ["Syvash"], "sup:kremenchuk-reservoir": ["Kremenchuk Reservoir"], "sup:kyiv-reservoir": ["Kiev Reservoir"],
    "sup:bosphorus": ["Bosporus"], "sup:dardanelles": ["Dardanelles"], "sup:sea-of-marmara": ["Sea of Marmara"],
}
#: water.csv id -> Natural Earth centreline names (rivers.geojson). A river's point is hand-chosen
#: where war reporting places it; it is checked against the centreline and snapped onto it if farther
#: than RIVER_SNAP_KM.
RIVER_LINES = {
    "sup:dnieper": ["Dnepr", "Dnepre", "Dnipro"], "sup:siverskyi-donets": ["Seversky Donets", "Donets"],
    "sup:oskil": ["Oskol"], "sup:southern-bug": ["Southern Bug"], "sup:dniester": ["Dniester"],
    "sup:desna": ["Desna"], "sup:pripyat": ["Pripyat", "Prypyat"], "sup:don": ["Don"], "sup:volga": ["Volga"],
    "sup:danube": ["Danube"],
}
RIVER_SNAP_KM = 3.0


def check_water(basemap: Path) -> None:
    """Set the points of water.csv rows named in WATER_POLYGONS / RIVER_LINES from Natural Earth."""
    from shapely.geometry import Point, shape
    from shapely.ops import nearest_points, unary_union

    from geo.disambiguate import km

    def geometries(filename: str, names: list[str]):
        data = json.loads((basemap / filename).read_text(encoding="utf-8"))
        return unary_union([shape(f["geometry"]) for f in data["features"] if f["properties"].get("name") in names])

    path = HERE / "water.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    for row in rows:
        if row["id"] in WATER_POLYGONS:
            geom = geometries("water.geojson", WATER_POLYGONS[row["id"]])
            centroid = geom.centroid
            pt, what = (centroid, "centroid") if geom.contains(centroid) else \
                (geom.representative_point(), "representative point")
            row["lat"], row["lon"] = round(pt.y, 4), round(pt.x, 4)
            row["note"] = f"{what} of the Natural Earth polygon '{'/'.join(WATER_POLYGONS[row['id']])}' (water.geojson)"
        elif row["id"] in RIVER_LINES:
            line = geometries("rivers.geojson", RIVER_LINES[row["id"]])
            here = Point(float(row["lon"]), float(row["lat"]))
            on_line = nearest_points(line, here)[0]
            off = km(here.y, here.x, on_line.y, on_line.x)
            base = row["note"].split(" (checked:")[0]
            if off > RIVER_SNAP_KM:
                row["lat"], row["lon"] = round(on_line.y, 4), round(on_line.x, 4)
                row["note"] = f"{base} (checked: snapped {off:.0f} km onto the Natural Earth centreline)"
            else:
                row["note"] = f"{base} (checked: {off:.1f} km from the Natural Earth centreline)"
    tmp = path.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.writelines(header)
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)  # a hand-curated file: never leave it half-written
    print(f"checked water.csv: {len(WATER_POLYGONS)} polygons, {len(RIVER_LINES)} rivers", file=sys.stderr)


# -- places_ukraine_war.csv: checked against GeoNames ------------------------------------------------
#: A listed point within this distance of a GeoNames namesake is taken to mean that namesake.
MATCH_KM = 10.0
#: How far (degrees) off Ukraine's land a listed point may be (Snake Island lies ~35 km offshore).
OFFSHORE_DEG = 0.5
#: Natural Earth 1:10m borders are generalised by up to a few km: a listed point this close (degrees)
#: to Ukraine but on the neighbour's side of the drawn line is a border village of Ukraine.
BORDER_DEG = 0.03
#: Populations this close (relative) are taken to be the same place's figure.
SAME_POPULATION = 0.03
#: Populations differing by more than this (relative) are different places' figures.
MISMATCH = 0.25
#: Hand-chosen display names for large GeoNames places whose GeoNames name is an older transliteration.
DISPLAY_NAMES = {
    700569: "Mykolaiv", 687700: "Zaporizhzhia", 703845: "Kryvyi Rih", 689558: "Vinnytsia", 702320: "Makiivka",
    709932: "Kamianske", 688105: "Yevpatoria", 712451: "Berdiansk", 693468: "Sloviansk", 691999: "Sievierodonetsk",
    706950: "Kamianets-Podilskyi", 688148: "Yenakiieve", 698625: "Oleksandriia", 692975: "Kadiivka",
    707308: "Izmail", 709161: "Feodosia", 705104: "Kostiantynivka", 707688: "Chornomorsk", 707292: "Izium",
    713122: "Avdiivka", 710374: "Chuhuiv", 700918: "Mohyliv-Podilskyi", 8468760: "Novoiavorivsk",
    698740: "Odesa",
}
#: Transliterations, Russian forms and former names the news uses (curated variants outrank GeoNames'
#: alternate names when namesakes compete).
HAND_VARIANTS = {
    703448: ["Kiev", "Kyyiv", "Kiew", "Kyjiv", "Київ", "Киев"],
    706483: ["Kharkov", "Charkiw", "Харків", "Харьков"],
    698740: ["Odessa", "Одеса", "Одесса"],
    700569: ["Mykolaiv", "Mykolayiv", "Nikolaev", "Nikolayev", "Mikolaiv", "Mykolaiyv", "Миколаїв", "Николаев"],
    687700: ["Zaporizhzhia", "Zaporizhia", "Zaporizhzhya", "Zaporozhye", "Zaporozhe", "Zaporozhie", "Запоріжжя",
             "Запорожье"],
    691999: ["Sievierodonetsk", "Sieverodonetsk", "Severodonetsk", "Syeverodonetsk", "Sjewjerodonezk",
             "Сєвєродонецьк", "Северодонецк"],
    713174: ["Artemivsk", "Artyomovsk", "Artemovsk", "Бахмут", "Артемовск"],
    709930: ["Dnepropetrovsk", "Dnipropetrovsk", "Дніпро", "Днепр"],
    707292: ["Izyum", "Izium", "Ізюм", "Изюм"],
    702972: ["Lisichansk", "Lysychans'k", "Lysychansk", "Лисичанськ", "Лисичанск"],
    713122: ["Avdeevka", "Avdiyivka", "Avdeyevka", "Авдіївка", "Авдеевка"],
    701404: ["Melitopol'", "Мелітополь"],
    712451: ["Berdyansk", "Berdians'k", "Бердянськ"],
    703656: ["Kupyansk", "Kup'iansk", "Kupiansk", "Куп'янськ", "Купянск"],
    709276: ["Energodar", "Енергодар", "Энергодар"],
    707565: ["Irpen", "Ірпінь", "Ирпень"],
    708251: ["Gostomel", "Гостомель"],
    # former (Soviet) names the news still uses; Russian towns keep some of them, so they are curated
    709354: ["Dzerzhynsk", "Dzerzhinsk", "Торецьк"], 704422: ["Krasnoarmiisk", "Krasnoarmeysk", "Krasnoarmiysk"],
    705812: ["Kirovohrad", "Kirovograd", "Kropyvnytskyy"], 705809: ["Kirovsk", "Kirovs'k"],
    710035: ["Dymytrov", "Dimitrov"], 6559559: ["Komsomolsk", "Komsomol's'k"],
    709932: ["Dniprodzerzhynsk", "Dneprodzerzhinsk"], 692975: ["Stakhanov"], 704202: ["Krasnyi Luch", "Krasny Luch"],
    692105: ["Sverdlovsk"], 704403: ["Krasnodon"], 713716: ["Kommunarsk"],
    5128581: ["New York", "NYC"],
    2950159: ["East Berlin", "West Berlin"],  # the divided city's halves, not East Berlin, Pennsylvania
    709584: ["Druzhba"],  # the Sumy Oblast border town, renamed Khutir-Mykhailivskyi in 2024
    498817: ["St. Petersburg", "St Petersburg", "Saint-Petersburg", "Petersburg", "Leningrad", "Petrograd"],
    710735: ["Chernigov", "Чернігів", "Чернигов"],
    702550: ["Lvov", "L'viv", "Lwów", "Lemberg", "Львів", "Львов"],
    702658: ["Lugansk", "Луганськ", "Луганск"],
    701822: ["Mariupol'", "Маріуполь", "Мариуполь"],
    706448: ["Херсон"],
    693468: ["Slavyansk", "Sloviansk", "Slovyansk", "Слов'янськ", "Славянск"],
    704508: ["Краматорськ", "Краматорск"],
    703845: ["Krivoy Rog", "Kryvyy Rih", "Kryvyi Rih", "Кривий Ріг", "Кривой Рог"],
    692194: ["Суми", "Сумы"],
    711350: ["Буча"],
    707688: ["Chornomors'k", "Chernomorsk", "Illichivsk", "Ilyichevsk"],
    712926: ["Balakleya", "Balakliya", "Балаклія"],
    692016: ["Svyatogorsk", "Sviatohirsk", "Svyatohirsk"],
    709717: ["Донецьк", "Донецк"],
    699839: ["Nova Kakhovka", "Novaya Kakhovka", "Нова Каховка"],
    693805: ["Simferopol'", "Сімферополь"],
    694423: ["Sebastopol", "Севастополь"],
    706524: ["Керч", "Керчь"],
    # Russian spellings GeoNames lacks (found when "Vinnitsa" went to a Russian village of 2,200)
    689558: ["Vinnitsa", "Vinnitsya", "Vinnytsya", "Вінниця", "Винница"],
    706369: ["Khmelnitsky", "Khmelnitskiy", "Khmelnytsky", "Khmelnytskyy", "Хмельницький", "Хмельницкий", "Proskurov"],
    712160: ["Belgorod-Dnestrovsky", "Belgorod-Dnestrovskiy", "Bilhorod-Dnistrovsky", "Akkerman"],
    707898: ["Gulyaipole", "Gulyai-Pole", "Gulyaypole", "Гуляйполе"],
    698614: ["Elenovka", "Yelenovka", "Olenovka", "Оленівка", "Еленовка"],  # the prison camp of Donetsk Oblast
}


def base_name(listed: str) -> tuple[str, str | None]:
    """'Andriivka, Beryslav Raion' -> ('Andriivka', 'Beryslav Raion'); 'Bile (Snake Island)' -> ('Bile', ...)."""
    if "(" in listed:
        name, _, rest = listed.partition("(")
        return name.strip(), rest.rstrip(")").strip()
    if "," in listed:
        name, _, rest = listed.partition(",")
        return name.strip(), rest.strip()
    return listed.strip(), None


def point_is_a_namesakes(near: dict, same_pop: list[dict], pop: int | None, qualifier: str | None,
                         codes: dict[str, str]) -> bool:
    """Whether a listed point that lies on GeoNames namesake ``near`` belongs to another namesake.

    The list's populations come from Wikipedia's article on the place itself, its coordinates from a
    name match in another database, so when the point sits on a namesake whose population is
    clearly different (GeoNames knows it, and it differs by more than MISMATCH) while exactly one
    other namesake has the listed population, the point is the wrong village. A qualifier naming
    an oblast ("Shevchenkove, Brovary Raion, Kyiv Oblast") must agree with the correction.
    """
    if not pop or pop < 500 or len(same_pop) != 1 or near in same_pop or not near["population"]:
        return False
    if abs(near["population"] - pop) <= MISMATCH * pop:
        return False
    if qualifier and "oblast" in qualifier.lower():
        oblast = codes.get(str(same_pop[0]["admin1code"]), "")
        return bool(oblast) and oblast.split()[0].lower() in qualifier.lower()
    return True


def war_places(path: Path, basemap: Path) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(villages rows, frontline rows, override rows, per-row provenance) from places_ukraine_war.csv."""
    from shapely.geometry import Point, shape

    from geo.disambiguate import km
    from geo.gazetteer_build import cities500_path, useful_alternate

    admin1 = json.loads((basemap / "admin1.geojson").read_text(encoding="utf-8"))
    oblasts = [(shape(f["geometry"]), f["properties"]) for f in admin1["features"]
               if f["properties"]["country_iso_a2_dejure"] == "UA"]
    codes = {row["code"]: row["name"] for row in oblast_rows(admin1)[1] if row["country"] == "UA"}

    countries = json.loads((basemap / "countries.geojson").read_text(encoding="utf-8"))
    foreign = [shape(f["geometry"]) for f in countries["features"] if f["properties"]["iso_a2"] != "UA"]

    def oblast_of(lat: float, lon: float) -> str | None:
        """The oblast containing the point; else the nearest oblast within OFFSHORE_DEG for a point
        off the coast (islands), or within BORDER_DEG for one just across the drawn border."""
        pt = Point(lon, lat)
        for geom, p in oblasts:
            if geom.covers(pt):
                return codes.get((p.get("fips") or "")[2:])
        dist, p = min(((geom.distance(pt), p) for geom, p in oblasts), key=lambda dp: dp[0])
        limit = BORDER_DEG if any(geom.covers(pt) for geom in foreign) else OFFSHORE_DEG
        return codes.get((p.get("fips") or "")[2:]) if dist <= limit else None

    records = json.loads(cities500_path().read_text(encoding="utf-8"))
    by_key: dict[str, list[dict]] = defaultdict(list)
    for rec in records.values():
        if rec["countrycode"] != "UA":
            continue
        names = {normalize(rec["name"])} | {normalize(a) for a in rec["alternatenames"] if useful_alternate(a)}
        for key in names:
            by_key[key].append(rec)

    villages: dict[str, dict] = {}
    frontline: dict[str, dict] = {}
    overrides: dict[int, dict] = {}
    provenance: list[dict] = []
    with open(path, encoding="utf-8", newline="") as f:
        listed_rows = list(csv.DictReader(f))
    for row in listed_rows:
        listed, lat, lon = row["name"], float(row["lat"]), float(row["lon"])
        pop = int(float(row["population"])) if row.get("population") else None
        name, qualifier = base_name(listed)
        name, *also_known = [part.strip() for part in name.split("/")]  # "Holubivka / Kirovsk"
        records = {r["geonameid"]: r for n in [name, *also_known] for r in by_key.get(normalize(n), [])}
        namesakes = sorted(((km(lat, lon, r["latitude"], r["longitude"]), r) for r in records.values()),
                           key=lambda dr: dr[0])
        same_pop = [r for _, r in namesakes
                    if pop and r["population"] and abs(r["population"] - pop) <= SAME_POPULATION * pop]
        chosen, how = None, ""
        if namesakes and namesakes[0][0] <= MATCH_KM:
            near = namesakes[0][1]
            if point_is_a_namesakes(near, same_pop, pop, qualifier, codes):
                chosen = same_pop[0]
                how = (f"corrected: listed point is at namesake gn:{near['geonameid']} ({near['population']} people),"
                       f" listed population {pop} is gn:{chosen['geonameid']}'s")
            else:
                chosen, how = near, f"matched GeoNames within {namesakes[0][0]:.1f} km"
        if chosen is not None:
            gid = int(chosen["geonameid"])
            frontline[f"gn:{gid}"] = {"id": f"gn:{gid}", "listed_name": listed, "source": "places_ukraine_war",
                                      "note": how}
            if normalize(chosen["name"]) != normalize(name) or also_known:
                entry = overrides.setdefault(gid, {"geonameid": gid, "display_name": name, "variants": set(),
                                                   "source": "places_ukraine_war.csv (Wikipedia spelling)"})
                entry["variants"].update([name, *also_known])
            provenance.append({"listed_name": listed, "lat": row["lat"], "lon": row["lon"], "id": f"gn:{gid}",
                               "outcome": "corrected" if how.startswith("corrected") else "geonames", "note": how})
            continue
        region, swapped = oblast_of(lat, lon), ""
        if region is None and oblast_of(lon, lat) is not None:
            lat, lon = lon, lat
            region = oblast_of(lat, lon)
            swapped = f"listed latitude and longitude are swapped; used {lat},{lon}; "
        if region is None:
            why = f"listed point {lat},{lon} is outside Ukraine's oblasts"
            provenance.append({"listed_name": listed, "lat": row["lat"], "lon": row["lon"], "id": "",
                               "outcome": "rejected", "note": why})
            continue
        note = swapped + ("not in GeoNames cities500 (Ukraine)" if not namesakes else 
            f"GeoNames namesakes {min(d for d, _ in namesakes):.0f}+ km away are other villages")
        if same_pop:
            note += (f"; doubtful: listed population {pop} equals GeoNames namesake gn:{same_pop[0]['geonameid']}"
                     f" in {codes.get(same_pop[0]['admin1code'])}")
        key = f"pw:{normalize(name).replace(' ', '-')}:{lat:.3f},{lon:.3f}"
        duplicate = next((v for v in villages.values() if normalize(v["name"]) == normalize(name)
                          and km(lat, lon, float(v["lat"]), float(v["lon"])) <= 2), None)
        if duplicate is not None:
            if normalize(listed) != normalize(name):
                variants = duplicate["variants"].split("|") + [listed]
                duplicate["variants"] = "|".join(v for v in dict.fromkeys(variants) if v)
            provenance.append({"listed_name": listed, "lat": row["lat"], "lon": row["lon"], "id": duplicate["id"],
                               "outcome": "from the list", "note": f"same village as {duplicate['id']}"})
            continue
        villages[key] = {
            "id": key, "name": name, "kind": "city", "lat": lat, "lon": lon, "country": "UA", "admin1": region,
            "population": pop or "", "geonameid": "", "feature": "village",
            "variants": "|".join(v for v in dict.fromkeys([listed, *also_known]) if v != name),
            "source": "places_ukraine_war",
            "note": note + "; oblast from the listed point (Natural Earth admin-1)",
        }
        frontline[key] = {"id": key, "listed_name": listed, "source": "places_ukraine_war", "note": note}
        provenance.append({"listed_name": listed, "lat": row["lat"], "lon": row["lon"], "id": key,
                           "outcome": "from the list", "note": note})
    override_rows = []
    for gid, display in DISPLAY_NAMES.items():
        entry = overrides.setdefault(gid, {"geonameid": gid, "variants": set(),
                                           "source": "hand: current official English spelling"})
        entry["display_name"] = display
    for gid, spellings in HAND_VARIANTS.items():
        entry = overrides.setdefault(gid, {"geonameid": gid, "display_name": "", "variants": set(),
                                           "source": "hand: transliterations and former names"})
        entry["variants"].update(spellings)
    for gid, entry in sorted(overrides.items()):
        override_rows.append({"geonameid": gid, "display_name": entry["display_name"],
                              "variants": "|".join(sorted(entry["variants"])), "source": entry["source"]})
    return list(villages.values()), list(frontline.values()), override_rows, provenance


if __name__ == "__main__":
    raise SystemExit(main())
