"""Which of the package's modules run compiled, and the way back to their Python source.

``setup.py`` compiles the extraction modules with mypyc into extension modules beside their
sources, which Python imports in preference to the ``.py`` files. Two things must then not
happen: an edited source silently losing to the extension built from its older text, and a
mix of compiled and edited modules (compiled modules call each other directly, past the
import system). So when any extension is older than its source, or ``GEO_PURE_PYTHON`` is set,
every compiled module is imported from its source instead, with one warning in the first case;
``pip install -e .`` compiles them again.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def compiled(package: Path = PACKAGE) -> dict[str, tuple[Path, Path]]:
    """Module name -> (source, extension), for every module of ``package`` built beside its source."""
    found = {}
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for extension in package.glob(f"*{suffix}"):
            source = extension.with_name(extension.name[: -len(suffix)] + ".py")
            if source.exists():
                found[f"{package.name}.{source.stem}"] = (source, extension)
    return found


def edited(built: dict[str, tuple[Path, Path]]) -> list[str]:
    """The modules whose source is newer than their extension: changed since the build."""
    return sorted(name for name, (source, extension) in built.items()
                  if extension.stat().st_mtime < source.stat().st_mtime)


class SourceFinder(importlib.abc.MetaPathFinder):
    """Finds the listed modules as their ``.py`` source, ahead of the extension beside it."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        source = self.sources.get(fullname)
        return importlib.util.spec_from_file_location(fullname, source) if source is not None else None


def is_compiled(module: object) -> bool:
    """Whether ``module`` was loaded from a compiled extension (the benchmarks report it)."""
    return str(getattr(module, "__file__", "")).endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def choose(package: Path = PACKAGE) -> SourceFinder | None:
    """Have the compiled modules of ``package`` imported from source when any is stale or
    ``GEO_PURE_PYTHON`` is set; returns the finder put first on ``sys.meta_path`` then."""
    built = compiled(package)
    changed = edited(built)
    if changed:
        warnings.warn(f"{', '.join(changed)} changed since compiled: running every compiled module from "
                      "its Python source (slower); `pip install -e .` compiles them again", stacklevel=2)
    if not built or not (changed or os.environ.get("GEO_PURE_PYTHON")):
        return None
    finder = SourceFinder({name: source for name, (source, _) in built.items()})
    sys.meta_path.insert(0, finder)
    return finder
