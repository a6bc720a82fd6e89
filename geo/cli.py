"""The command line: ``python -m geo COMMAND …``.

Each command lives in its own module under :mod:`geo.commands` with two
functions, ``add_arguments(parser)`` and ``run(args) -> int``. Only the module of
the command being run is imported (the list of commands and their one-line help
come from :data:`COMMANDS`), and command modules import their heavy dependencies
inside ``run``, so ``--help`` and light commands such as ``geocode`` start fast
instead of paying for pandas and the map code of ``export`` and ``snapshot``.
"""
from __future__ import annotations

import argparse
import importlib
import sys

#: command name -> (module under geo.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("extract", "extract observations from articles to stdout"),
    "eval": ("evaluate", "score extraction against gold annotations"),
    "geocode": ("geocode", "geocode place names (offline gazetteer, optional online service)"),
    "cache": ("cache", "inspect or clear the geocode cache"),
    "ingest": ("ingest", "extract articles into the store"),
    "reprocess": ("reprocess", "re-extract stored articles with the current extractor"),
    "stats": ("stats", "print store statistics as JSON"),
    "export": ("export", "export the store as GeoJSON, CSV, GeoPackage, GeoParquet or HTML"),
    "snapshot": ("snapshot", "render the map at a date as a PNG"),
    "hash-password": ("hash_password", "print the hash of an editor password for the hosted dashboard"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s module is imported and given its arguments."""
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        if name != command:
            sub.add_parser(name, help=help_text)
            continue
        module = importlib.import_module(f"geo.commands.{module_name}")
        parser_of_command = sub.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(parser_of_command)
        parser_of_command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from geo.articles import warnings_to_stderr

    warnings_to_stderr()
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
