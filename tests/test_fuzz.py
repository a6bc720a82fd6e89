"""Hostile input, generated: the readers, the extractor and store ingest never crash,
say what they skipped, and never store an article half-way.

Property tests (hypothesis) over random bytes and Unicode, date headers that are
not dates, JSONL and CSV records with missing or wrong-typed fields, very long
lines and a 50 MB file. Each property is run on a fixed number of generated
cases and checks it really ran them; the module runs about 11,000 cases in all
(marked ``slow``: minutes, not seconds; ``.ci/run`` runs it).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_extractor import keyword_extractor
from geo.articles import MAX_TEXT_CHARS, Article, ArticleWarning, article_from_record, article_from_text, \
    parse_date, read_path

pytestmark = pytest.mark.slow

#: Cases run per property; the sum is the module's total (asserted per test).
CASES = {"bytes": 3000, "text": 2000, "dates": 1000, "records": 2000, "jsonl": 1000, "csv": 1000,
         "ingest": 150, "extractor": 400, "uploads": 500}


def fuzz(cases: int, *strategies: st.SearchStrategy) -> Callable:
    """Run the decorated check on ``cases`` generated examples, and fail if fewer were run."""
    def decorate(check: Callable) -> Callable:
        def test() -> None:
            ran = 0

            @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                             HealthCheck.large_base_example])
            @given(st.tuples(*strategies))
            def run(args: tuple) -> None:
                nonlocal ran
                ran += 1
                check(*args)

            run()
            assert ran >= cases, f"only {ran} of {cases} cases were generated"

        test.__name__, test.__doc__ = check.__name__, check.__doc__
        return test
    return decorate


def collected(call: Callable, *args: object) -> tuple[object, list[str]]:
    """Run ``call``; return its result and the messages of the warnings it gave (all must be ArticleWarning)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call(*args)
        if hasattr(result, "__next__"):
            result = list(result)
    others = [w for w in caught if not issubclass(w.category, ArticleWarning)]
    assert not others, [str(w.message) for w in others]
    return result, [str(w.message) for w in caught]


def assert_sound(article: Article) -> None:
    """What everything downstream may rely on in an article that was read."""
    assert isinstance(article.id, str) and article.id.strip() and "\x00" not in article.id
    assert isinstance(article.text, str) and article.text.strip()
    assert "\x00" not in article.text and len(article.text) <= MAX_TEXT_CHARS
    assert (article.date is None) == (article.date_precision is None)
    assert article.date_precision in (None, "day", "month")
    if article.date_precision == "month":
        assert article.date.day == 1
    for value in (article.title, article.outlet, article.url):
        assert value is None or (isinstance(value, str) and value.strip() == value and value)
        assert value is None or "\x00" not in value  # PostgreSQL text cannot hold NUL


# --- strategies -----------------------------------------------------------------

#: Text of every kind: any code point (lone surrogates included), markup, RTL and combining marks.
any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1),
    st.text(alphabet=st.sampled_from("<>&\"'`$\\/\u202e\u0301\ufeff\u200b\r\n\t Kyiv.Київ"), min_size=1),
    st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
                     "\ud800", "a\x00b", "\ufeffdate 2022-03-03 x", " ", "\n\n"]),
)

#: What might follow ``date `` in a header: real dates, near-dates and junk.
date_values = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.dates().map(lambda d: d.strftime("%Y-%m")),
    st.from_regex(r"\A[0-9]{1,5}-[0-9]{1,3}(-[0-9]{1,3})?([T ][0-9:]{0,8})?\Z"),
    st.sampled_from(["2022-02-30", "2022-13-01", "2022-00", "0000-00-00", "9999-99-99", "2022-3-3",
                     "03/03/2022", "yesterday", "٢٠٢٢-٠٣-٠٣", "２０２２-０３-０３", "2022-03-03T25:00"]),
    st.text(min_size=1, max_size=30).filter(lambda s: not any(c.isspace() for c in s)),
)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)
FIELDS = ["id", "article", "text", "title", "date", "source", "outlet", "url", "source_url"]

#: Corpus records: the known fields with values of any type (or missing), plus unknown fields.
records = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values, max_size=9),
    st.fixed_dictionaries({"id": st.text(max_size=12) | st.integers(), "text": any_text},
                          optional={"date": date_values | json_values, "title": json_values,
                                    "url": json_values, "source": json_values}),
    json_values,  # not an object at all
)


def jsonl_line(value: object) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


jsonl_lines = st.lists(st.one_of(records.map(jsonl_line), st.binary(max_size=80),
                                 any_text.map(lambda s: s.encode("utf-8", "surrogatepass"))),
                       max_size=8).map(lambda lines: [ln.replace(b"\n", b" ") for ln in lines])


# --- .txt documents -------------------------------------------------------------

@fuzz(CASES["bytes"], st.binary(max_size=2000) | st.binary(max_size=30).map(lambda b: b"date " + b))
def test_any_bytes_as_a_text_file_is_read_or_skipped_with_a_message(raw: bytes) -> None:
    article, messages = collected(article_from_text, raw, "upload.txt")
    assert all(m.startswith("upload.txt") for m in messages)
    if article is None:
        assert messages, "a skipped file must say why"
    else:
        assert_sound(article)


@fuzz(CASES["text"], date_values | any_text, any_text, st.sampled_from([" ", "\t", "\n", "  "]))
def test_any_date_header_and_text_gives_a_dated_undated_or_skipped_article(value: str, body: str,
                                                                           gap: str) -> None:
    article, messages = collected(article_from_text, f"date {value}{gap}{body}", "a.txt")
    if article is None:
        assert messages
        return
    assert_sound(article)
    if article.date is None and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value.strip()) and gap != "\n":
        assert any("malformed date" in m for m in messages)


@fuzz(CASES["dates"], date_values | json_values)
def test_a_date_value_is_a_real_date_or_undated_with_a_warning(value: object) -> None:
    (date, precision), messages = collected(parse_date, value, "rec")
    assert (date is None) == (precision is None)
    if date is not None:
        assert isinstance(date, dt.date) and precision in ("day", "month")
    elif value not in (None, "") and not (isinstance(value, str) and not value.strip()) \
            and not (isinstance(value, float) and math.isnan(value)):
        assert any("malformed date" in m for m in messages)


# --- corpus records -------------------------------------------------------------

@fuzz(CASES["records"], records)
def test_any_record_becomes_a_sound_article_or_is_skipped_with_a_message(record: object) -> None:
    article, messages = collected(article_from_record, record, "corpus.jsonl:7")
    assert all("corpus.jsonl:7" in m for m in messages)
    if article is None:
        assert any("skipped" in m for m in messages)
    else:
        assert_sound(article)
        assert article.id == str(record.get("id", record.get("article"))).replace("\x00", "").strip()


@fuzz(CASES["jsonl"], jsonl_lines)
def test_a_jsonl_file_gives_one_article_or_one_skip_message_per_line(lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_bytes(b"\n".join(lines))
        articles, messages = collected(read_path, path)
    for article in articles:
        assert_sound(article)
    numbered = [n for n, line in enumerate(lines, 1) if line.strip()]
    skipped = {n for n in numbered
               if any(re.match(rf"{re.escape(str(path))}:{n}\b.*skipped", m, re.DOTALL) for m in messages)}
    assert len(articles) + len(skipped) == len(numbered)


csv_rows = st.lists(st.dictionaries(st.sampled_from(FIELDS), any_text | st.integers().map(str), max_size=6),
                    max_size=6)


def csv_bytes(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


csv_files = st.one_of(
    st.builds(csv_bytes, st.lists(st.sampled_from(FIELDS), min_size=1, max_size=6, unique=True), csv_rows),
    st.binary(max_size=500),
    any_text.map(lambda s: ("id,text,date\n" + s).encode("utf-8", "surrogatepass")),
)


@fuzz(CASES["csv"], csv_files)
def test_any_csv_file_gives_sound_articles_and_names_itself_in_every_message(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.csv"
        path.write_bytes(raw)
        articles, messages = collected(read_path, path)
    for article in articles:
        assert_sound(article)
    assert all(m.startswith(str(path)) for m in messages)
    if not articles and any(line.strip() for line in raw.splitlines()[1:]):
        assert messages, "a CSV with records that gives nothing must say why"


# --- big input ------------------------------------------------------------------

FIFTY_MB = 50 * 2**20


def test_a_50_mb_text_file_is_read_up_to_the_limit_with_a_warning(tmp_path):
    sentence = "Russian forces shelled Kharkiv again on Tuesday, officials said. "
    path = tmp_path / "huge.txt"
    path.write_text("date 2022-03-03 " + sentence * (FIFTY_MB // len(sentence) + 1))
    assert path.stat().st_size >= FIFTY_MB
    (article,), messages = collected(read_path, path)
    assert len(article.text) == MAX_TEXT_CHARS - len("date 2022-03-03 ")
    assert article.date == dt.date(2022, 3, 3)
    assert any("only the first" in m for m in messages)


def test_a_50_mb_jsonl_line_and_a_50_mb_binary_file_are_handled(tmp_path):
    line = tmp_path / "one-line.jsonl"
    line.write_text(json.dumps({"id": "big", "text": "Kyiv. " * (FIFTY_MB // 6)}))
    (article,), messages = collected(read_path, line)
    assert len(article.text) == MAX_TEXT_CHARS and any("only the first" in m for m in messages)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\xff" * (FIFTY_MB // 2))
    articles, messages = collected(read_path, binary)
    assert articles == [] and any("binary" in m for m in messages)


def test_a_50_mb_csv_field_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("id,text\nok,Kyiv was shelled.\nbig," + "x" * FIFTY_MB + "\n")
    articles, messages = collected(read_path, path)
    assert [a.id for a in articles] == ["ok"]
    assert any("malformed CSV" in m and "field larger than field limit" in m for m in messages)


def test_a_very_long_line_of_many_records_is_read_record_by_record(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(i), "text": "Kherson. " * 20_000}) for i in range(30)))
    articles, messages = collected(read_path, path)
    assert len(articles) == 30 and not messages


# --- the extractor ---------------------------------------------------------------

@fuzz(CASES["extractor"], any_text | st.lists(st.sampled_from(
    list("abc .,;:!?\n\"'()-") + ["Kyiv", "Kharkiv", "Mariupol", "captured", "shelled", "not", "Donbas"]),
    min_size=1, max_size=300).map("".join))
def test_the_extractor_survives_any_text(text: str) -> None:
    extractor = _extractor()
    article = Article(id="fuzz", text=text, date=dt.date(2022, 3, 3), date_precision="day")
    for obs in extractor.extract(article):
        assert obs.article == "fuzz"
        assert obs.evidence is None or isinstance(obs.evidence, str)
        if obs.lat is not None:
            assert -90 <= obs.lat <= 90 and -180 <= obs.lon <= 180


_EXTRACTOR: list = []


def _extractor():
    """The real pipeline's extractor, built once (it loads the gazetteer)."""
    if not _EXTRACTOR:
        pipeline = pytest.importorskip("geo.pipeline", reason="geo.pipeline has not landed yet")
        _EXTRACTOR.append(pipeline.Extractor())
    return _EXTRACTOR[0]


# --- store ingest ----------------------------------------------------------------

hostile_articles = st.lists(
    st.builds(lambda text, date, boom: (text + (" EXPLODE" if boom else ""), date),
              any_text.filter(lambda s: s.strip()) | st.sampled_from(
                  ["Kherson was captured. <script>alert(1)</script>", "Kyiv \ud800 was shelled.",
                   "Mariupol was surrounded.\x00", "Ukraine " * 500]),
              st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
              st.booleans()),
    min_size=1, max_size=6)


@fuzz(CASES["ingest"], hostile_articles)
def test_ingest_stores_each_article_whole_or_not_at_all(items: list[tuple[str, dt.date | None]]) -> None:
    from geo.ingest import IngestWarning
    from geo.store import Store

    batch = [Article(id=f"a{i}", text=text, date=date, date_precision="day" if date else None)
             for i, (text, date) in enumerate(items)]
    expected = {}
    for article in batch:
        try:
            expected[article.id] = len(keyword_extractor().extract(article))
        except RuntimeError:
            pass
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/store.sqlite") as store:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            summary = store.ingest(batch, factory=keyword_extractor, chunk_size=3)
        assert summary.read == len(batch)
        assert summary.new + summary.updated + summary.skipped + summary.failed == len(batch)
        failures = [str(w.message) for w in caught if issubclass(w.category, IngestWarning)]
        assert len(failures) == summary.failed
        frame = store.observations_frame()
        stored = dict(store.engine.connect().execute(__import__("sqlalchemy").text(
            "select id, (select count(*) from observations o where o.article_id = a.id) from articles a")).all())
        for article_id, n in stored.items():
            assert expected.get(article_id) == n, "a stored article must have all of its observations"
        for article in batch:
            if article.id not in stored:
                assert article.id not in expected or any(m.startswith(f"{article.id}:") for m in failures) \
                    or any(a.content_hash == article.content_hash and a.id in stored for a in batch)
        assert len(frame) == sum(stored.values())


# --- dashboard uploads ------------------------------------------------------------

upload_names = st.one_of(
    st.tuples(st.text(max_size=300), st.sampled_from([".txt", ".jsonl", ".csv", ".TXT", "", ".html"]))
    .map("".join),
    st.sampled_from(["../../etc/passwd.txt", "/abs/path.jsonl", "a\x00b.txt", "C:\\evil\\x.csv", ".txt", "..txt",
                     "x" * 400 + ".txt", "名前.jsonl", "<script>.csv", "noext", "a.TXT", "a.exe"]),
)


@fuzz(CASES["uploads"], st.lists(st.tuples(upload_names, st.binary(max_size=300) | csv_files), max_size=4))
def test_any_uploaded_files_give_articles_or_a_message_per_file(files: list[tuple[str, bytes]]) -> None:
    from geo.uploads import read_uploads

    with tempfile.TemporaryDirectory() as base, warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may escape as a stray warning
        inner = Path(base) / "inner"
        inner.mkdir()
        saved, tempfile.tempdir = tempfile.tempdir, str(inner)
        try:
            batch = read_uploads(files)
        finally:
            tempfile.tempdir = saved
        # nothing written outside the upload's own temporary folder, and that folder is gone
        assert [p.name for p in Path(base).iterdir()] == ["inner"] and not list(inner.iterdir())
    for article in batch.articles:
        assert_sound(article)
    for name, _content in files:
        assert batch.per_file.get(name) or batch.problems.get(name), f"{name!r}: neither articles nor a message"
