"""Reading articles: dates, corpora, and bad input that warns instead of stopping a batch."""
import datetime as dt
import json
from pathlib import Path

import pytest

from geo.articles import ArticleWarning, read_path, read_paths

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_seeds_keep_their_date_header_and_the_undated_one_stays_undated():
    articles = {a.id: a for a in read_path(SEEDS)}
    assert set(articles) == {"000_e3a7060363aa521f.txt", "001_cc083424b2151726.txt", "002_6eefd0a96a37e230.txt"}
    first = articles["000_e3a7060363aa521f.txt"]
    assert first.date == dt.date(2022, 3, 3) and first.date_precision == "day"
    assert first.text.startswith("As Ukraine")  # the header is not part of the text
    undated = articles["001_cc083424b2151726.txt"]
    assert undated.date is None and undated.date_label is None
    assert undated.title.startswith("1 million flee Ukraine")


def test_month_precision_header(tmp_path):
    (article,) = read_path(write(tmp_path / "a.txt", " date 2022-03 Kherson was shelled."))
    assert article.date == dt.date(2022, 3, 1)
    assert article.date_precision == "month" and article.date_label == "2022-03"
    assert article.text == "Kherson was shelled."


@pytest.mark.parametrize("header", [" date 2022-13-45 ", " date yesterday ", " date 2022-02-30 "])
def test_malformed_date_header_warns_and_keeps_the_article_undated(tmp_path, header):
    with pytest.warns(ArticleWarning, match="malformed date"):
        (article,) = read_path(write(tmp_path / "a.txt", header + "Kherson was shelled."))
    assert article.date is None and "Kherson" in article.text


def test_bad_files_are_skipped_with_a_warning_naming_them_and_the_batch_goes_on(tmp_path):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.txt", "  \n\t\n")
    write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    write(tmp_path / "header_only.txt", " date 2022-03-03 ")
    write(tmp_path / "good.txt", " date 2022-03-03 Kyiv is under siege.")
    with pytest.warns(ArticleWarning) as caught:
        articles = list(read_path(tmp_path))
    assert [a.id for a in articles] == ["good.txt"]
    messages = " ".join(str(w.message) for w in caught)
    for name in ("empty.txt", "blank.txt", "binary.txt", "header_only.txt"):
        assert name in messages


def test_non_utf8_text_is_decoded_with_replacement_and_a_warning(tmp_path):
    with pytest.warns(ArticleWarning, match="not valid UTF-8"):
        (article,) = read_path(write(tmp_path / "latin1.txt", "Kharkiv caf\xe9 shelled".encode("latin-1")))
    assert article.text == "Kharkiv caf\ufffd shelled"


def test_jsonl_corpus_records_read_title_blank_line_text_and_skip_bad_records(tmp_path):
    lines = [
        json.dumps({"id": "n1", "date": "2022-03-08", "source": "BBC", "url": "https://example.org/a",
                    "title": "Mariupol encircled", "text": "Russian forces surround the city."}),
        "{not json",
        json.dumps({"id": "n2", "date": "2022-03-09", "title": "No body"}),
        json.dumps({"id": "n3", "date": "March 9th", "text": "Odesa braces."}),
        json.dumps(["a", "list"]),
        json.dumps({"date": "2022-03-09", "text": "no id"}),
        json.dumps({"id": 4, "date": None, "text": 17}),
    ]
    with pytest.warns(ArticleWarning) as caught:
        articles = list(read_path(write(tmp_path / "c.jsonl", "\n".join(lines))))
    assert [a.id for a in articles] == ["n1", "n3"]
    first = articles[0]
    assert first.text == "Mariupol encircled\n\nRussian forces surround the city."
    assert (first.outlet, first.url, first.date) == ("BBC", "https://example.org/a", dt.date(2022, 3, 8))
    assert articles[1].date is None
    assert len(caught) == 6
    assert all("c.jsonl:" in str(w.message) for w in caught)


def test_csv_corpus_with_missing_fields(tmp_path):
    csv_text = 'id,date,title,text\nc1,2022-04-01,Bucha,"Bodies found in Bucha, north of Kyiv."\nc2,,,\nc3,2022-04,,Irpin retaken.\n'
    with pytest.warns(ArticleWarning, match="no text"):
        articles = list(read_path(write(tmp_path / "c.csv", csv_text)))
    assert [(a.id, a.date_label) for a in articles] == [("c1", "2022-04-01"), ("c3", "2022-04")]


def test_csv_without_text_column_is_refused_clearly(tmp_path):
    with pytest.warns(ArticleWarning, match="without a 'text' column"):
        assert list(read_path(write(tmp_path / "c.csv", "id,body\n1,hello\n"))) == []


def test_missing_path_warns(tmp_path):
    with pytest.warns(ArticleWarning, match="no such file"):
        assert list(read_paths([tmp_path / "nope.txt"])) == []


def test_huge_text_is_cut_not_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("geo.articles.MAX_TEXT_CHARS", 1000)
    with pytest.warns(ArticleWarning, match="only the first 1,000"):
        (article,) = read_path(write(tmp_path / "big.txt", "Kyiv. " * 1000))
    assert len(article.text) == 1000


def test_content_hash_identifies_the_same_text():
    a, b = list(read_path(SEEDS))[:2]
    assert a.content_hash != b.content_hash
    assert a.content_hash == next(iter(read_path(SEEDS / a.id))).content_hash


def test_lone_surrogates_in_a_jsonl_record_become_replacement_characters(tmp_path):
    # JSON may escape half of a surrogate pair; such text cannot be encoded, so no store could keep it.
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a\\ud800", "date": "2022-03-01", "title": "Kherson \\udc00",'
                      ' "text": "Kherson was shelled \\ud83d\\ude00 today \\ud800.", "source": "X\\udfff"}\n')
    with pytest.warns(ArticleWarning, match="lone surrogate"):
        (article,) = read_path(corpus)
    assert article.text == "Kherson \ufffd\n\nKherson was shelled \U0001F600 today \ufffd."
    assert (article.id, article.title, article.outlet) == ("a\ufffd", "Kherson \ufffd", "X\ufffd")
    article.text.encode("utf-8")  # storable as it is
