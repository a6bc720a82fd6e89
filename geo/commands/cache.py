"""Inspect or clear the persistent geocode cache (online answers and remembered misses)."""
from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["stats", "clear"], help="stats: print counts as JSON; clear: delete entries")
    parser.add_argument("--expired", action="store_true", help="with clear: only delete expired misses")


def run(args: argparse.Namespace) -> int:
    from geo.geocache import GeocodeCache

    cache = GeocodeCache.open_default()
    try:
        if args.action == "stats":
            print(json.dumps(cache.stats(), ensure_ascii=False))
        else:
            removed = cache.clear(expired_only=args.expired)
            print(json.dumps({"removed": removed, **cache.stats()}, ensure_ascii=False))
    finally:
        cache.close()
    return 0
