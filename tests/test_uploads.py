"""Uploaded files become articles; every problem is reported next to the file it came from."""
from __future__ import annotations

import datetime as dt

from geo.uploads import read_uploads


def test_good_files_of_each_type_become_articles_with_their_dates():
    batch = read_uploads([
        ("kherson.txt", b" date 2022-03-03 Russian forces captured Kherson."),
        ("corpus.jsonl", b'{"id": "j1", "date": "2022-03-04", "title": "T", "text": "Kyiv held."}\n'),
        ("corpus.csv", b"id,date,text\nc1,2022-03,Mariupol encircled.\n"),
    ])
    assert batch.problems == {}
    assert {a.id: a.date for a in batch.articles} == {
        "kherson.txt": dt.date(2022, 3, 3), "j1": dt.date(2022, 3, 4), "c1": dt.date(2022, 3, 1)}
    assert batch.per_file == {"kherson.txt": 1, "corpus.jsonl": 1, "corpus.csv": 1}
    assert {a.path for a in batch.articles} == {"upload:kherson.txt", "upload:corpus.jsonl", "upload:corpus.csv"}


def test_bad_files_are_named_with_what_is_wrong_and_do_not_stop_the_others():
    batch = read_uploads([
        ("slides.pdf", b"%PDF-1.4"),
        ("empty.txt", b""),
        ("binary.txt", b"\x00\x01\x02\xff" * 10),
        ("half.jsonl", b'{"id": "ok", "date": "2022-03-05", "text": "Odesa attacked."}\n{broken\n'),
        ("fine.txt", b"Kharkiv was shelled overnight."),
    ])
    assert "not an article file" in batch.problems["slides.pdf"][0]
    assert batch.problems["empty.txt"] == ["the file is empty"]
    assert batch.problems["binary.txt"]
    assert any("not JSON" in p for p in batch.problems["half.jsonl"])
    assert sorted(a.id for a in batch.articles) == ["fine.txt", "ok"]


def test_a_malformed_date_is_reported_and_the_article_kept_undated():
    batch = read_uploads([("dated.csv", b"id,date,text\nx,31/02/2022,Kyiv.\n")])
    assert batch.articles[0].date is None
    assert any("date" in p for p in batch.problems["dated.csv"])


def test_hostile_file_names_cannot_escape_the_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    batch = read_uploads([("../../evil.txt", b"Kherson captured."), ("/etc/passwd.txt", b"Kyiv held.")])
    assert len(batch.articles) == 2
    assert list(tmp_path.iterdir()) == []
