"""Re-extract stored articles with the current extractor.

By default only the articles whose observations an older extractor made (or
that were re-dated since); ``--all`` redoes every article. Each article keeps
its row and date; its observations are replaced in one transaction.
"""
from __future__ import annotations

import argparse
import sys

from geo.commands.ingest import add_engine_arguments, check_engine_arguments, open_store, progress_bar


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="re-extract every stored article")
    add_engine_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from geo.ingest import reprocess

    check_engine_arguments(lambda message: sys.exit(f"error: {message}"), args)
    with open_store(args.db) as store, progress_bar(not args.no_progress) as progress:
        summary = reprocess(store, everything=args.all, progress=progress, engine=args.engine,
                            workers=args.workers, scheduler=args.scheduler, chunk_size=args.chunk_size)
    print(summary.line())
    return 1 if summary.failed and summary.failed == summary.read else 0
