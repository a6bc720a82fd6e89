"""The compiled extraction modules (setup.py builds them with mypyc): they are what runs when
installed, they give what their Python source gives, and an edited source is never shadowed
by the extension built from its older text."""
from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import geo.recognize
from geo import native

ROOT = Path(__file__).resolve().parents[1]
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def package_with(tmp_path: Path, *modules: str) -> Path:
    """A package folder holding ``modules`` as sources, each with an (empty) extension built after it."""
    package = tmp_path / "pkg"
    package.mkdir()
    for name in modules:
        (package / f"{name}.py").write_text("VALUE = 'source'\n")
        extension = package / f"{name}{SUFFIX}"
        extension.write_bytes(b"")
        os.utime(extension, (2_000_000_000, 2_000_000_000))
        os.utime(package / f"{name}.py", (1_000_000_000, 1_000_000_000))
    return package


@pytest.mark.skipif(bool(os.environ.get("GEO_PURE_PYTHON")), reason="installed without compiling")
def test_the_installed_extraction_modules_run_compiled():
    assert native.is_compiled(geo.recognize), "pip install -e . compiles them (setup.py)"


def test_compiled_and_python_source_give_the_same_observations():
    command = [sys.executable, "-m", "geo", "extract", str(ROOT / "seeds")]
    here = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    source = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True,
                            env={**os.environ, "GEO_PURE_PYTHON": "1"})
    rows = [json.loads(line) for line in here.stdout.splitlines()]
    assert len(rows) > 10 and {r["status"] for r in rows} >= {"captured", "encircled"}
    assert here.stdout == source.stdout


def test_an_extension_built_after_its_source_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("GEO_PURE_PYTHON", raising=False)
    package = package_with(tmp_path, "fast")
    assert set(native.compiled(package)) == {"pkg.fast"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert native.choose(package) is None


def test_an_edited_source_is_imported_instead_of_every_extension(tmp_path, monkeypatch):
    monkeypatch.delenv("GEO_PURE_PYTHON", raising=False)
    package = package_with(tmp_path, "fast", "other")
    os.utime(package / "fast.py", (2_100_000_000, 2_100_000_000))  # edited after the build
    assert native.edited(native.compiled(package)) == ["pkg.fast"]
    with pytest.warns(UserWarning, match=r"pkg\.fast changed since compiled.*pip install -e \."):
        finder = native.choose(package)
    try:
        assert finder is not None and sys.meta_path[0] is finder
        assert finder.find_spec("pkg.other").origin == str(package / "other.py")  # not only the edited one
        assert finder.find_spec("pkg.fast").origin == str(package / "fast.py")
        assert finder.find_spec("json") is None
    finally:
        sys.meta_path.remove(finder)


def test_geo_pure_python_imports_the_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_PURE_PYTHON", "1")
    package = package_with(tmp_path, "fast")
    finder = native.choose(package)
    try:
        assert finder is not None and finder.find_spec("pkg.fast").origin == str(package / "fast.py")
    finally:
        sys.meta_path.remove(finder)


def test_a_package_without_extensions_is_left_alone(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "mod.py").write_text("")
    assert native.compiled(tmp_path / "plain") == {} and native.choose(tmp_path / "plain") is None
