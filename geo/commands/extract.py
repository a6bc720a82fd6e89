"""Extract place observations from articles and write them to stdout.

Reads .txt files, folders (recursively), and .jsonl/.csv corpora. Output is one
observation per (article, place, status) in the JSONL format of the annotation
protocol (every recognised place at least once; ``status`` null for a bare
mention), or CSV, or a GeoJSON FeatureCollection. Bad input is skipped with a
one-line warning on stderr; the exit status is 0 unless no path could be read.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys

FORMATS = ("jsonl", "csv", "geojson")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".txt files, folders, .jsonl or .csv corpora")
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default jsonl)")


def run(args: argparse.Namespace) -> int:
    from geo.articles import read_paths
    from geo.observations import Observation
    from geo.pipeline import iter_observations

    out = sys.stdout
    observations = iter_observations(read_paths(args.paths))
    if args.format == "jsonl":
        for o in observations:
            out.write(json.dumps(o.to_dict(), ensure_ascii=False) + "\n")
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=Observation.field_names(), lineterminator="\n")
        writer.writeheader()
        for o in observations:
            writer.writerow(o.to_dict())
    else:
        out.write('{"type": "FeatureCollection", "features": [')
        for n, o in enumerate(observations):
            record = o.to_dict()
            geometry = ({"type": "Point", "coordinates": [record["lon"], record["lat"]]}
                        if record["lat"] is not None and record["lon"] is not None else None)
            feature = {"type": "Feature", "geometry": geometry, "properties": record}
            out.write(("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        out.write("\n]}\n")
    out.flush()
    return 0
