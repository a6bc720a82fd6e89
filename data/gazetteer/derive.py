"""Derive the generated gazetteer supplement files (a development-time script).

Not used at run time: the app reads the CSV files this writes. Run it again
when a source changes::

    .venv/bin/python data/gazetteer/derive.py --basemap ../shared/basemap \\
        --countries-shp /tmp/ne/ne_10m_admin_0_countries_deu.shp \\
        --war-places ../shared/corpus/places_ukraine_war.csv

Writes ``countries.csv`` (Natural Earth admin-0, German point of view, label
points), ``oblasts.csv`` and ``admin1_codes.csv`` (Natural Earth admin-1 for
Ukraine, Russia and Belarus), ``water.csv`` (Natural Earth seas, lakes and
rivers named in ``WATER`` below, plus hand-placed water bodies outside the
basemap box) and ``villages.csv`` (checked rows of places_ukraine_war.csv that
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
    "KR": ["South Korea", "Republic of Korea"],
    "KP": ["North Korea", "DPRK"],
    "MD": ["Republic of Moldova", "Молдова"],
    "BY": ["Byelorussia", "Belorussia", "Беларусь", "Білорусь"],
    "GE": ["Грузія", "Грузия"],
    "CD": ["DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"],
    "VA": ["Vatican", "Holy See", "Vatican City"],
    "CN": ["People's Republic of China", "PRC"],
    "TW": ["Republic of China"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran"],
    "AE": ["UAE", "United Arab Emirates", "Emirates"],
    "MK": ["Macedonia", "North Macedonia"],
    "CI": ["Ivory Coast", "Côte d'Ivoire"],
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
SUFFIXES = ("Oblast", "oblast", "region", "Region", "Province", "province")


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
            admin1_name = f"{name_en} Oblast"
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
        else:  # republics, krais: their own name is unambiguous
            variants += [s for s in spellings if s] + alts
            if "Krai" in name_en:
                variants.append(name_en.replace("Krai", "Territory"))
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
