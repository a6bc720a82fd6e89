"""Coverage of the fought-over places in places_ukraine_war.csv by the gazetteer (prints figures).

usage: .venv/bin/python bench/coverage.py [--csv ../shared/corpus/places_ukraine_war.csv] [--list]

Figures:
- found: listed names for which the gazetteer has a place in Ukraine (any candidate);
  also how many of those were found without the rows derived from the list itself;
- single namesake: of the names with exactly one Ukrainian candidate in the gazetteer, the share
  whose candidate lies within 10 km of the listed point;
- resolved: the share whose resolved place (theatre UA, no other context) is within 10 km;
- provenance of every entry (data/gazetteer/war_places_provenance.csv: GeoNames match, corrected
  point, row taken from the list, rejected) and the misses with their reason.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.disambiguate import Context, km  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.gazetteer_build import SUPPLEMENT_DIR, read_csv  # noqa: E402
from geo.geocoder import Resolver  # noqa: E402

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "places_ukraine_war.csv"


def base_name(listed: str) -> str:
    """'Andriivka, Beryslav Raion', 'Bile (Snake Island)', 'Holubivka / Kirovsk' -> the first name."""
    return listed.split("(")[0].split(",")[0].split("/")[0].strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--list", action="store_true", help="print every row's outcome")
    args = ap.parse_args(argv)
    gaz = Gazetteer.load()
    resolver = Resolver(gaz)
    ua = Context(countries=Counter({"UA": 1}))
    with open(args.csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    provenance = {r["listed_name"]: r for r in read_csv(SUPPLEMENT_DIR / "war_places_provenance.csv")}

    found = independent = single = single_ok = resolved_ok = single_gn = single_gn_ok = 0
    misses, far_single, outcome = [], [], Counter()
    for row in rows:
        listed, lat, lon = row["name"], float(row["lat"]), float(row["lon"])
        name = base_name(listed)
        cands = [p for p in gaz.lookup(name) if p.country == "UA"]
        if not cands:
            misses.append(f"{listed}: no place in Ukraine by that name")
            outcome["miss"] += 1
            continue
        found += 1
        if any(p.source != "places_ukraine_war" for p in cands):
            independent += 1
        entry = provenance.get(listed, {})
        outcome[entry.get("outcome", "not derived")] += 1
        if len(cands) == 1:
            single += 1
            d = km(lat, lon, cands[0].lat, cands[0].lon)
            if cands[0].source != "places_ukraine_war":
                single_gn += 1
                single_gn_ok += d <= 10
            if d <= 10:
                single_ok += 1
            else:
                far_single.append(f"{listed}: only namesake {cands[0].id} is {d:.0f} km from the listed point"
                                  f" ({entry.get('note', '')})")
        res = resolver.resolve(name, ua).place
        if res is not None and km(lat, lon, res.lat, res.lon) <= 10:
            resolved_ok += 1
        if args.list:
            print(f"{listed}\t{len(cands)} UA namesakes\t{entry.get('outcome', '-')}\t{entry.get('id', '')}\t"
                  f"{entry.get('note', '')}")

    n = len(rows)
    print(f"rows: {n} ({len({base_name(r['name']) for r in rows})} distinct names)")
    print(f"found as a place in Ukraine: {found}/{n} = {found / n:.1%} "
          f"(without the rows taken from the list itself: {independent}/{n} = {independent / n:.1%})")
    print(f"single namesake within 10 km of the listed point: {single_ok}/{single} = {single_ok / max(single, 1):.1%}")
    print(f"  of which the namesake is not a row taken from the list: {single_gn_ok}/{single_gn} = "
          f"{single_gn_ok / max(single_gn, 1):.1%}")
    print(f"resolved (theatre UA, no other context) within 10 km: {resolved_ok}/{n} = {resolved_ok / n:.1%}")
    print("provenance: " + ", ".join(f"{k} {v}" for k, v in outcome.most_common()))
    print(f"misses ({len(misses)}):")
    for line in misses:
        print(f"  {line}")
    rejected = [r for r in provenance.values() if r["outcome"] == "rejected"]
    print(f"rows the derivation rejected ({len(rejected)}):")
    for r in rejected:
        print(f"  {r['listed_name']}: {r['note']}")
    corrected = [r for r in provenance.values() if r["outcome"] == "corrected"]
    print(f"rows whose listed point was corrected ({len(corrected)}):")
    for r in corrected:
        print(f"  {r['listed_name']} -> {r['id']}: {r['note']}")
    doubtful = [r for r in provenance.values() if "doubtful" in r["note"]]
    print(f"rows taken from the list with a doubtful point ({len(doubtful)}):")
    for r in doubtful:
        print(f"  {r['listed_name']} -> {r['id']}: {r['note']}")
    print(f"single-namesake rows farther than 10 km ({len(far_single)}):")
    for line in far_single:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
