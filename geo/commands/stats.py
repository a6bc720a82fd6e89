"""Print the store's statistics as one JSON object.

Keys: articles, observations, places (with at least one observation), undated
(articles without a date), first_date and last_date (ISO, null when none).
"""
from __future__ import annotations

import argparse
import json

from geo.commands.ingest import add_store_argument, open_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_store_argument(parser)


def run(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        print(json.dumps(store.stats()))
    return 0
