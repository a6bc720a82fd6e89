"""Print the scrypt hash of an editor password for GEO_EDITOR_PASSWORD_HASH.

Asks twice on a terminal; reads one line from a pipe (``echo "$PW" | python -m geo
hash-password``). The hash goes to stdout; where to put it goes to stderr.
"""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # the password is read from the terminal or stdin, never from the command line


def run(args: argparse.Namespace) -> int:
    from geo.passwords import main

    del args
    return main()
