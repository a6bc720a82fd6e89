"""Render the dashboard's map at a date as a PNG for slides, offline.

The picture has the legend, the date, a title and a footnote naming the
articles, outlets and dates it rests on. Without --region or --bbox it frames
the places that have a status that day. The same store and arguments give the
same picture. Needs Debian's chromium (/usr/bin/chromium).

Example: python -m geo snapshot --date 2022-03-03 --out kherson.png --region "Kherson Oblast"
"""
from __future__ import annotations

import argparse
import sys

from geo.commands.ingest import add_store_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from geo.snapshot import DEFAULT_SIZE
    from geo.timeline import DEFAULT_WINDOW_DAYS

    parser.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day the map shows")
    parser.add_argument("--out", required=True, metavar="FILE.png", help="PNG file to write (replaced if it exists)")
    add_store_argument(parser)
    parser.add_argument("--size", default="{}x{}".format(*DEFAULT_SIZE), metavar="WxH",
                        help="image size in pixels (default %(default)s, a 16:9 slide; 1200x800 also works well)")
    frame = parser.add_mutually_exclusive_group()
    frame.add_argument("--region", metavar="NAME",
                       help="frame and outline an oblast, region or country, e.g. 'Kharkiv Oblast', 'Crimea', 'Ukraine'")
    frame.add_argument("--bbox", metavar="W,S,E,N", help="frame this lon/lat box, e.g. 30,45,40,51")
    parser.add_argument("--title", metavar="TEXT", help="title printed above the date")
    parser.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS, metavar="N",
                        help=f"look-back window: reports older than N days are not shown (default {DEFAULT_WINDOW_DAYS})")


def run(args: argparse.Namespace) -> int:
    from geo.browser import BrowserUnavailable
    from geo.snapshot import SnapshotError, parse_bbox, parse_date, parse_size, render_png, resolve_region

    try:
        day = parse_date(args.date)
        size = parse_size(args.size)
        if args.window_days < 1:
            raise SnapshotError(f"--window-days must be at least 1, not {args.window_days}")
        bounds = parse_bbox(args.bbox) if args.bbox else None
        region = resolve_region(args.region) if args.region is not None else None
        result = render_png(args.out, day, db=args.db, size=size, bounds=bounds, region=region, title=args.title,
                            window_days=args.window_days)
    except (SnapshotError, BrowserUnavailable) as e:
        print(f"snapshot: error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {result.out} ({result.size[0]}x{result.size[1]}, {len(result.places)} places, "
          f"{result.seconds:.1f} s)", file=sys.stderr)
    return 0
