"""Read articles: ``.txt`` files, folders of them, and ``.jsonl``/``.csv`` corpora.

Everything downstream sees one shape, :class:`Article`. Bad input never stops a
batch: an unreadable, empty or binary file, a record without text or a malformed
date is skipped (or decoded with replacement) with a one-line warning naming the
file or record, through :mod:`warnings` so callers (CLI, dashboard, tests) decide
how to show it.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Largest text we read from one article. Longer input is cut with a warning:
#: no real article is this long, and an unbounded read is a memory hazard.
MAX_TEXT_CHARS = 2_000_000

#: ``date 2022-03-03`` or ``date 2022-03`` at the very start of a text (leading
#: white space allowed), followed on the same line by the article itself.
DATE_HEADER = re.compile(r"\A\s*date\s+(?P<value>\S+)[ \t]*")
_ISO_DAY = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})\Z")
_ISO_MONTH = re.compile(r"\A(\d{4})-(\d{2})\Z")

TEXT_SUFFIXES = {".txt"}
CORPUS_SUFFIXES = {".jsonl", ".csv"}


class ArticleWarning(UserWarning):
    """A file or record was skipped or repaired; the message names it."""


@functools.lru_cache(maxsize=4096)
def date_label(date: dt.date, precision: str | None = None) -> str:
    """A date as observations write it: ``2022-03-03``, or ``2022-03`` at month precision.
    Memoised: extraction writes the dates of every article and event, and formatting a date costs
    about three times a lookup in this memo (a corpus spans a few hundred days)."""
    return date.strftime("%Y-%m") if precision == "month" else date.isoformat()


@dataclass(frozen=True)
class Article:
    """One news article as the pipeline sees it.

    ``date`` is the publication date (the first of the month when
    ``date_precision`` is ``"month"``); ``None`` means undated. ``text`` is what
    extraction reads: for corpus records the title, a blank line, then the body.
    """

    id: str
    text: str
    date: dt.date | None = None
    date_precision: str | None = None  # "day" | "month" | None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    path: str | None = None
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def date_label(self) -> str | None:
        """The date as the article gives it: ``2022-03-03``, ``2022-03`` or ``None``."""
        if self.date is None:
            return None
        return date_label(self.date, self.date_precision)

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 of the text: the store's key for "the same article twice" (computed once: the
        writer asks for it when deciding what to skip and again when storing)."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


def _warn(message: str) -> None:
    warnings.warn(message, ArticleWarning, stacklevel=3)


def parse_date(value: object, where: str) -> tuple[dt.date | None, str | None]:
    """Parse ``YYYY-MM-DD`` or ``YYYY-MM`` (an ISO timestamp's date part is accepted).

    A value that is present but not a real date gives ``(None, None)`` and a
    warning: the article stays, undated, rather than being dropped.
    """
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return None, None
    text = str(value).strip()
    if not text:
        return None, None
    text = text[:10] if re.match(r"\d{4}-\d{2}-\d{2}[T ]", text) else text
    try:
        if m := _ISO_DAY.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), "day"
        if m := _ISO_MONTH.match(text):
            return dt.date(int(m[1]), int(m[2]), 1), "month"
    except ValueError:
        pass
    _warn(f"{where}: malformed date {text[:40]!r}; treated as undated")
    return None, None


def split_date_header(text: str, where: str) -> tuple[str, dt.date | None, str | None]:
    """Take a leading ``date …`` header off ``text``; return (body, date, precision)."""
    m = DATE_HEADER.match(text)
    if not m:
        return text, None, None
    date, precision = parse_date(m["value"], where)
    return text[m.end():], date, precision


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(value: str) -> str:
    """``value`` with lone surrogates (JSON's ``"\\ud800"``) as U+FFFD: no store can encode them."""
    if _SURROGATE.search(value) is None:  # a scan, not a copy of every text
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _clean_text(text: str, where: str) -> str | None:
    """Strip NULs and lone surrogates, cap the length; ``None`` (with a warning) when nothing is left."""
    scrubbed = _scrub(text)
    if scrubbed is not text:
        _warn(f"{where}: lone surrogate characters replaced")
        text = scrubbed
    if "\x00" in text:
        _warn(f"{where}: looks binary (NUL bytes); skipped")
        return None
    if len(text) > MAX_TEXT_CHARS:
        _warn(f"{where}: {len(text):,} characters; only the first {MAX_TEXT_CHARS:,} are read")
        text = text[:MAX_TEXT_CHARS]
    if not text.strip():
        _warn(f"{where}: empty; skipped")
        return None
    return text


def decode(raw: bytes, where: str) -> str | None:
    """Bytes to text: UTF-8 (BOM allowed), else UTF-8 with replacement and a warning."""
    if b"\x00" in raw[:8192]:
        _warn(f"{where}: looks binary (NUL bytes); skipped")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        _warn(f"{where}: not valid UTF-8; undecodable bytes replaced")
        return raw.decode("utf-8", errors="replace")


def article_from_text(raw: bytes | str, name: str, path: str | None = None) -> Article | None:
    """Make an article from one ``.txt`` document (its id is the file name)."""
    text = decode(raw, name) if isinstance(raw, bytes) else raw
    if text is None:
        return None
    text = _clean_text(text, name)
    if text is None:
        return None
    body, date, precision = split_date_header(text, name)
    if not body.strip():
        _warn(f"{name}: no text after the date header; skipped")
        return None
    first = body.strip().split("\n", 1)[0].strip()
    title = first if date is None and len(first) <= 200 and "\n" in body.strip() else None
    return Article(id=name, text=body, date=date, date_precision=precision, title=title, path=path)


def article_from_record(record: object, where: str) -> Article | None:
    """Make an article from a corpus record (``id``, ``date``, ``title``, ``text``…)."""
    if not isinstance(record, dict):
        _warn(f"{where}: not an object; skipped")
        return None
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        _warn(f"{where}: no text; skipped")
        return None
    rid = record.get("id", record.get("article"))
    # NUL bytes are dropped from ids and metadata: PostgreSQL text cannot hold them.
    if rid is None or (isinstance(rid, float) and rid != rid) or not str(rid).replace("\x00", "").strip():
        _warn(f"{where}: no id; skipped")
        return None
    rid = _scrub(str(rid).replace("\x00", "").strip())
    title = record.get("title")
    title = _scrub(title.strip()) if isinstance(title, str) and title.strip() else None
    text = f"{title}\n\n{body}" if title else body
    text = _clean_text(text, f"{where} ({rid})")
    if text is None:
        return None
    date, precision = parse_date(record.get("date"), f"{where} ({rid})")
    if date is None:
        text, date, precision = split_date_header(text, f"{where} ({rid})")

    def opt(key: str) -> str | None:
        value = record.get(key)
        value = _scrub(value.replace("\x00", "").strip()) if isinstance(value, str) else None
        return value or None

    return Article(id=rid, text=text, date=date, date_precision=precision, title=title,
                   outlet=opt("source") or opt("outlet"), url=opt("url") or opt("source_url"),
                   path=where.split(":")[0])


def _read_jsonl(path: Path) -> Iterator[Article]:
    with path.open("rb") as f:
        for n, line in enumerate(f, 1):
            where = f"{path}:{n}"
            if not line.strip():
                continue
            text = decode(line, where)
            if text is None:
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as e:
                _warn(f"{where}: not JSON ({e.msg}); skipped")
                continue
            if (article := article_from_record(record, where)) is not None:
                yield article


def _read_csv(path: Path) -> Iterator[Article]:
    csv.field_size_limit(MAX_TEXT_CHARS * 4)
    raw = path.read_bytes()
    text = decode(raw, str(path))
    if text is None:
        return
    reader = csv.DictReader(text.splitlines(keepends=True))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        _warn(f"{path}: CSV without a 'text' column; skipped")
        return
    try:
        for n, record in enumerate(reader, 2):
            if (article := article_from_record(record, f"{path}:{n}")) is not None:
                yield article
    except csv.Error as e:
        _warn(f"{path}: malformed CSV ({e}); the rest of the file is skipped")


def read_path(path: str | os.PathLike) -> Iterator[Article]:
    """Yield the articles in a file or, recursively, a folder (sorted, so runs repeat)."""
    p = Path(path)
    if p.is_dir():
        for child in sorted(q for q in p.rglob("*") if q.is_file()):
            if child.suffix.lower() in TEXT_SUFFIXES | CORPUS_SUFFIXES:
                yield from read_path(child)
        return
    if not p.exists():
        _warn(f"{p}: no such file; skipped")
        return
    suffix = p.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(p)
        elif suffix == ".csv":
            yield from _read_csv(p)
        else:
            article = article_from_text(p.read_bytes(), p.name, str(p))
            if article is not None:
                yield article
    except OSError as e:
        _warn(f"{p}: cannot be read ({e.strerror or e}); skipped")


def read_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Article]:
    """Yield the articles of every path in turn."""
    for path in paths:
        yield from read_path(path)


def warnings_to_stderr() -> None:
    """Show :class:`ArticleWarning` as one plain line on stderr (for the CLI)."""
    original = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
        if issubclass(category, ArticleWarning):
            print(f"warning: {message}", file=sys.stderr)
        else:
            original(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.simplefilter("always", ArticleWarning)
