"""Extraction cost in CPU instructions per article (prints figures; not a timed test).

usage: .venv/bin/python bench/instructions.py [CORPUS.jsonl] [--warmup 1500] [--count 300] [--root DIR]

Why: on a shared or virtual machine the speed of one core drifts by +-15% from minute to minute,
which hides a 5% change in ``bench/extract.py``'s articles/s. Valgrind's callgrind counts the
instructions executed instead, which gives the same figure run after run (with a fixed
``PYTHONHASHSEED``), so two versions of the code can be compared at any load. The count is
collected only around ``Extractor.extract`` of ``--count`` articles after ``--warmup`` others
(so memos are warm, as in a long batch). Under callgrind the interpreter runs many times slower: the
defaults take under a minute on a 2-core machine. ``--root`` measures another checkout of the project (for example
a ``git worktree`` of the previous release) with this script.

Needs valgrind (``apt-get install valgrind``); without it, says so and exits 2.
"""
from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "news_2022.jsonl"


def measure(root: Path, corpus: str, warmup: int, count: int) -> None:
    """Run inside callgrind (collection off at start): extract ``warmup`` articles, then switch
    collection on for ``count`` more."""
    sys.path.insert(0, str(root))
    from geo.articles import read_paths
    from geo.pipeline import Extractor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = list(itertools.islice(read_paths([corpus]), warmup + count))
    extractor = Extractor()
    for article in articles[:warmup]:
        extractor.extract(article)
    toggle = ["callgrind_control", "-i"]
    subprocess.run([*toggle, "on", str(os.getpid())], capture_output=True, check=True)
    for article in articles[warmup:]:
        extractor.extract(article)
    subprocess.run([*toggle, "off", str(os.getpid())], capture_output=True, check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--warmup", type=int, default=1500, help="articles extracted before counting (default 1500)")
    ap.add_argument("--count", type=int, default=300, help="articles counted (default 300)")
    ap.add_argument("--root", default=str(ROOT), help="the project checkout to measure (default: this one)")
    ap.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)  # the run under valgrind
    args = ap.parse_args()
    root = Path(args.root).resolve()
    if args.inside:
        measure(root, args.corpus, args.warmup, args.count)
        return 0
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
               sys.executable, str(Path(__file__).resolve()), args.corpus, "--inside",
               "--warmup", str(args.warmup), "--count", str(args.count), "--root", str(root)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=root,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    collected = re.search(r"Collected\s*:\s*(\d+)", run.stderr)
    if run.returncode != 0 or collected is None:
        print(run.stderr[-2000:], file=sys.stderr)
        return 1
    total = int(collected.group(1))
    print(f"{root}: {total / args.count:,.0f} instructions per article "
          f"(Extractor.extract, articles {args.warmup + 1}-{args.warmup + args.count} after {args.warmup} warm-up)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
