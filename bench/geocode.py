"""Geocoding speed (prints figures; not a timed test).

usage: .venv/bin/python bench/geocode.py [--runs 5]

- gazetteer cold-ready: ``Gazetteer.load()`` in a fresh interpreter (index already built), median of
  --runs subprocesses; also the whole process (interpreter start + imports + load);
- first (uncached) resolve of each name, and cached (memoised) resolve: median per call;
- warm resolves per second over a mix of names and contexts;
- persistent-cache hit (SQLite, bypassing the memo): median per call;
- index build time (only with --build: it takes ~15 s and a lot of memory).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAMES = ["Kyiv", "Kiev", "Kharkiv", "Kharkov", "Mykolaiv", "Nikolaev", "Odesa", "Odessa", "Mariupol", "Маріуполь",
         "Kherson", "Zaporizhzhia", "Zaporozhye", "Bakhmut", "Artemivsk", "Lyman", "Borova", "Izium", "Izyum",
         "Sievierodonetsk", "Severodonetsk", "Lysychansk", "Kup'iansk", "Donbas", "Donbass", "Crimea",
         "Sea of Azov", "Black Sea", "Dnieper", "Dnipro", "Ukraine", "Russia", "Georgia", "United States",
         "Moscow", "Kremlin", "Washington", "Aleppo", "The Hague", "Grozny", "Robotyne", "Avdiivka",
         "Kirovsk", "Oleksandrivka", "Luhansk Oblast", "Donetsk Oblast", "Zaporizhzhia nuclear power plant",
         "Nowhereville", "Belarus", "Poland"]

CHILD = """
import time, json
t0 = time.perf_counter()
from geo.gazetteer import Gazetteer
t1 = time.perf_counter()
g = Gazetteer.load()
g.lookup("Kyiv")
t2 = time.perf_counter()
import resource
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "ready": t2 - t0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cold_ready(runs: int) -> dict:
    ready, load, wall, rss = [], [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, cwd=ROOT)
        wall.append(time.perf_counter() - start)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ready.append(r["ready"]), load.append(r["load"]), rss.append(r["rss_mb"])
    return {"ready_s": statistics.median(ready), "load_s": statistics.median(load),
            "process_wall_s": statistics.median(wall), "rss_mb": statistics.median(rss)}


def per_call(fn, args_list, repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        for args in args_list:
            t = time.perf_counter_ns()
            fn(*args)
            times.append((time.perf_counter_ns() - t) / 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--build", action="store_true", help="also time a full index build")
    args = ap.parse_args(argv)

    from geo.disambiguate import Context
    from geo.gazetteer import Gazetteer
    from geo.geocache import GeocodeCache
    from geo.geocoder import Resolver

    Gazetteer.load()  # make sure the index exists before timing cold starts
    cold = cold_ready(args.runs)
    print(f"gazetteer cold-ready (fresh interpreter, median of {args.runs}): {cold['ready_s'] * 1000:.0f} ms "
          f"(index load {cold['load_s'] * 1000:.0f} ms; whole process {cold['process_wall_s'] * 1000:.0f} ms; "
          f"peak RSS {cold['rss_mb']:.0f} MB)")

    gaz = Gazetteer.load()
    contexts = [Context(countries=Counter({"UA": 3})), Context(), Context(countries=Counter({"UA": 2}), near=(49.2, 37.3)),
                Context(countries=Counter({"UA": 1}), admin1="Kharkiv Oblast")]
    calls = [(name, ctx) for ctx in contexts for name in NAMES]
    resolver = Resolver(gaz)
    first = per_call(resolver.resolve, calls)
    cached = per_call(resolver.resolve, calls, repeat=50)
    print(f"first resolve (gazetteer + rules), median: {statistics.median(first):.1f} µs "
          f"(p95 {sorted(first)[int(len(first) * 0.95)]:.1f} µs) over {len(first)} calls")
    print(f"cached (memoised) resolve, median: {statistics.median(cached):.2f} µs "
          f"(p95 {sorted(cached)[int(len(cached) * 0.95)]:.2f} µs) over {len(cached)} calls")
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < 1.0:
        for name, ctx in calls:
            resolver.resolve(name, ctx)
        n += len(calls)
    print(f"warm resolves per second (gazetteer only, mixed names/contexts): {n / (time.perf_counter() - start):,.0f}")
    fresh = Resolver(gaz)
    start = time.perf_counter()
    for name, ctx in calls:
        fresh.resolve(name, ctx)
    print(f"cold resolves per second (empty memo): {len(calls) / (time.perf_counter() - start):,.0f}")

    with tempfile.TemporaryDirectory() as tmp:
        cache = GeocodeCache(Path(tmp) / "cache.sqlite")
        place = gaz.lookup("Kyiv")[0]
        keys = [f"name{i}|ctx" for i in range(2000)]
        for k in keys:
            cache.put(k, "nominatim", place)
        hits = per_call(cache.get, [(k, "nominatim") for k in keys])
        print(f"persistent cache (SQLite) hit, median: {statistics.median(hits):.1f} µs over {len(hits)} gets")
        cache.close()

    if args.build:
        from geo import gazetteer_build

        start = time.perf_counter()
        gazetteer_build.build()
        print(f"full index build: {time.perf_counter() - start:.1f} s")
    size = os.path.getsize(gazetteer_build_path()) / 1e6
    print(f"index: {len(gaz):,} places, {len(gaz.keys()):,} keys, {sum(1 for _ in gaz.surface_forms()):,} surface forms, "
          f"{size:.1f} MB on disk")
    return 0


def gazetteer_build_path() -> Path:
    from geo import gazetteer_build

    return gazetteer_build.index_path(gazetteer_build.fingerprint())


if __name__ == "__main__":
    raise SystemExit(main())
