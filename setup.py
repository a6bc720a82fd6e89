"""Build: the extraction modules are compiled with mypyc (typed Python to C) when installed.

Extraction is the product's hot path (`bench/extract.py`); compiled, the same code runs about a
fifth faster, with byte-identical output. Everything else stays interpreted. The sources remain
the truth: a compiled module older than its source is not used (see `geo/native.py`), and
`GEO_PURE_PYTHON=1` at install time skips the compiler altogether.
"""
import os

from setuptools import setup

#: The modules `Extractor.extract` spends its time in. Each must pass mypy (`[tool.mypy]`).
COMPILED = ["geo/regex_trie.py", "geo/sentences.py", "geo/attribution.py", "geo/eventdates.py",
            "geo/disambiguate.py", "geo/status.py", "geo/recognize.py", "geo/pipeline.py"]

if os.environ.get("GEO_PURE_PYTHON"):
    setup()
else:
    from mypyc.build import mypycify

    setup(ext_modules=mypycify(COMPILED, opt_level="3", group_name="geo_native"))
