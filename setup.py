"""Build: the extraction modules are compiled with mypyc (typed Python to C) when installed.

Extraction is the product's hot path (`bench/extract.py`); compiled, the same code runs faster
with byte-identical output. Everything else stays interpreted. The sources remain the truth: a
compiled module older than its source is not used (see `geo/native.py`). Compiling is a speed-up,
not a requirement: without a C compiler and the Python headers, or with `GEO_PURE_PYTHON=1`, the
package installs as plain Python.
"""
import os
import shutil
import sys
import sysconfig
from pathlib import Path

from setuptools import setup

#: The modules `Extractor.extract` spends its time in. Each must pass mypy (`[tool.mypy]`).
COMPILED = ["geo/regex_trie.py", "geo/sentences.py", "geo/attribution.py", "geo/eventdates.py",
            "geo/disambiguate.py", "geo/status.py", "geo/recognize.py", "geo/pipeline.py",
            "geo/gazetteer_core.py"]


def can_compile() -> bool:
    """Whether this machine has what building a C extension needs: the compiler Python was
    built with (or ``CC``) and Python's headers."""
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(compiler) is not None and Path(sysconfig.get_paths()["include"], "Python.h").exists()


if os.environ.get("GEO_PURE_PYTHON"):
    setup()
elif not can_compile():
    print("conflict-news-map: no C compiler or Python headers here; installing the extraction modules "
          "as plain Python (slower, same results)", file=sys.stderr)
    setup()
else:
    from mypyc.build import mypycify

    setup(ext_modules=mypycify(COMPILED, opt_level="3", group_name="geo_native"))
