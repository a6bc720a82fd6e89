"""Articles uploaded through the dashboard: read each file, keep every problem next to its file name.

The dashboard shows per-file errors and then stores what could be read in one
``Store.ingest`` call (which commits whole articles, never half of one). Reading
goes through the same readers as the command line (:mod:`geo.articles`), from a
private temporary folder, so an upload behaves exactly like ``geo ingest FILE``.
"""
from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from geo.articles import CORPUS_SUFFIXES, TEXT_SUFFIXES, Article, ArticleWarning, read_path

ACCEPTED = tuple(sorted(TEXT_SUFFIXES | CORPUS_SUFFIXES))
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class UploadBatch:
    """What a set of uploaded files yielded: the articles, and per file what went wrong."""

    articles: list[Article] = field(default_factory=list)
    per_file: dict[str, int] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def note(self, name: str, message: str) -> None:
        self.problems.setdefault(name, []).append(message)


def _safe_name(name: str, index: int) -> str:
    """A file name that cannot leave the temporary folder, keeping the suffix the reader needs."""
    base = _UNSAFE_NAME.sub("_", Path(name or "upload").name).strip("._") or "upload"
    return f"{index:03d}_{base}"[:150]


def read_uploads(files: Iterable[tuple[str, bytes]]) -> UploadBatch:
    """Read ``(file name, content)`` pairs into articles, collecting each file's warnings and errors.

    Article ids are the file names as uploaded (for ``.txt``), or the record ids of a
    corpus file, as with the command line.
    """
    batch = UploadBatch()
    with tempfile.TemporaryDirectory(prefix="geo-upload-") as folder:
        for index, (name, content) in enumerate(files):
            suffix = Path(name).suffix.lower()
            if suffix not in ACCEPTED:
                batch.note(name, f"not an article file ({suffix or 'no suffix'}); accepted: {', '.join(ACCEPTED)}")
                continue
            if not content:
                batch.note(name, "the file is empty")
                continue
            folder_for_file = Path(folder) / _safe_name(name, index)
            folder_for_file.mkdir()
            text_id = Path(name).name.replace("\x00", "")  # a .txt article's id is its file name
            path = folder_for_file / (text_id if suffix in TEXT_SUFFIXES else f"upload{suffix}")
            try:
                path.write_bytes(content)
            except (OSError, ValueError):  # a name the file system refuses (over 255 bytes, NUL byte)
                path = folder_for_file / f"upload{suffix}"
                path.write_bytes(content)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ArticleWarning)
                try:
                    found = list(read_path(path))
                except Exception as e:  # a reader bug must not lose the other files
                    batch.note(name, f"could not be read: {e}")
                    continue
            for warning in caught:
                if issubclass(warning.category, ArticleWarning):
                    batch.note(name, str(warning.message).replace(str(path), name))
            found = [a if a.path is None else _with_upload_path(a, name) for a in found]
            if suffix in TEXT_SUFFIXES:
                found = [replace(a, id=text_id) for a in found]
            batch.per_file[name] = len(found)
            batch.articles.extend(found)
            if not found and name not in batch.problems:
                batch.note(name, "no article found in the file")
    return batch


def _with_upload_path(article: Article, name: str) -> Article:
    """Record the uploaded name, not the temporary path that no longer exists."""
    return replace(article, path=f"upload:{name}")
