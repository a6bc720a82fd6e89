"""The command line: every command is offered, and only the one being run is imported."""
import importlib
import subprocess
import sys

import pytest

from geo.cli import COMMANDS, build_parser


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_module_with_arguments_and_a_runner(name):
    module = importlib.import_module(f"geo.commands.{COMMANDS[name][0]}")
    assert callable(module.add_arguments) and callable(module.run)
    assert build_parser(name).parse_args([name, *_required(name)]).run is module.run


def _required(name: str) -> list[str]:
    """The least each command accepts, so its parser can be checked without running it."""
    return {"extract": ["x.txt"], "eval": ["--gold", "g.jsonl", "x.txt"], "geocode": ["Kyiv"], "cache": ["stats"],
            "ingest": ["x.txt"], "export": ["--format", "csv", "--out", "x.csv"],
            "snapshot": ["--date", "2022-03-03", "--out", "x.png"]}.get(name, [])


def test_help_lists_every_command_without_importing_heavy_modules():
    code = ("import sys, contextlib, io\n"
            "from geo.cli import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n"
            "    try: main(['--help'])\n"
            "    except SystemExit: pass\n"
            "heavy = sorted(m for m in ('pandas', 'geopandas', 'folium', 'sqlalchemy', 'geo.timeline') if m in sys.modules)\n"
            "print(heavy); print(out.getvalue())\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy, _, help_text = run.stdout.partition("\n")
    assert heavy == "[]"
    help_text = " ".join(help_text.split())  # argparse wraps long help lines
    for name, (_, help_line) in COMMANDS.items():
        assert name in help_text and help_line in help_text
