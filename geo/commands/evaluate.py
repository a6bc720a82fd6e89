"""Run extraction on articles and score it against gold annotations.

Prints what ``../shared/eval/score.py`` prints for the same predictions (the
misses, the wrong predictions, then the summary line), followed by a
per-status precision/recall table. ``--json`` prints everything as one JSON
object; ``--predictions FILE`` also keeps the extracted observations.
Exit 1 when a ``--min-*`` floor is not met, 2 on unreadable gold.
"""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, metavar="GOLD.jsonl", help="gold annotations (one article a line)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="the gold's articles: .txt files, folders, corpora")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--predictions", metavar="FILE", help="also write the extracted observations (JSONL) here")
    parser.add_argument("--min-place-f1", type=float, metavar="X")
    parser.add_argument("--min-status-f1", type=float, metavar="X")
    parser.add_argument("--min-geo-acc", type=float, metavar="X")


def run(args: argparse.Namespace) -> int:
    from geo.articles import read_paths
    from geo.evaluation import GoldError, article_key, read_jsonl, score
    from geo.pipeline import iter_observations

    try:
        gold = read_jsonl(args.gold)
    except (OSError, GoldError) as e:
        print(f"eval: {e}", file=sys.stderr)
        return 2
    wanted = {article_key(g.get("article", "")) for g in gold}
    articles = (a for a in read_paths(args.paths) if article_key(a.id) in wanted)
    predictions = [o.to_dict() for o in iter_observations(articles)]
    if args.predictions:
        with open(args.predictions, "w", encoding="utf-8") as f:
            for record in predictions:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = score(gold, predictions)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        for line in report.misses + report.wrong:
            print("  " + line)
        if report.unknown_statuses:
            print(f"  statuses outside the protocol: {report.unknown_statuses}")
        print(report.summary_line())
        print()
        print(report.status_table())
    floors = [(args.min_place_f1, report.places["f1"]), (args.min_status_f1, report.statuses["f1"]),
              (args.min_geo_acc, report.geocoding["acc_at_25km"])]
    return 1 if any(floor is not None and value < floor for floor, value in floors) else 0
