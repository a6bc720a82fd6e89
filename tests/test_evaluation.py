"""The package's scorer agrees with the reference scorer (``../shared/eval/score.py``).

``tests/data/seeds_predictions_sample.jsonl`` holds extractor output on the
seeds with deliberate faults (a missing place, extra places, a wrong status, a
variant spelling, a status outside the protocol, a path as article id). The
figures below are what the reference scorer printed for it
(``score.py tests/data/seeds_gold.jsonl tests/data/seeds_predictions_sample.jsonl``),
copied here so the test does not read outside the repository.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.cli import main
from geo.evaluation import GoldError, fold, read_jsonl, score, score_files

DATA = Path(__file__).resolve().parent / "data"
GOLD = DATA / "seeds_gold.jsonl"
SAMPLE = DATA / "seeds_predictions_sample.jsonl"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

REFERENCE_SUMMARY = ("places P/R/F1 0.912/0.969/0.939  geocoding acc@25km 1.000 (n=15, median 0.0 km)  "
                     "statuses P/R/F1 0.800/1.000/0.889")
REFERENCE_LINES = [
    '  001_cc083424b2151726.txt: place Belarus not found',
    '  000_e3a7060363aa521f.txt: Kharkiv wrong status captured',
    "  001_cc083424b2151726.txt: extra place Lviv ['attacked']",
    '  002_6eefd0a96a37e230.txt: Donbas wrong status retaken',
    '  002_6eefd0a96a37e230.txt: Mykolaiv wrong status held',
    '  002_6eefd0a96a37e230.txt: extra place Élysée Palace',
    "  002_6eefd0a96a37e230.txt: extra place Somewhere ['liberated']",
]


def test_figures_agree_with_the_reference_scorer():
    report = score_files(GOLD, SAMPLE)
    assert report.places == {"precision": 0.9118, "recall": 0.9688, "f1": 0.9394, "tp": 31, "fp": 3, "fn": 1}
    assert report.geocoding == {"cities": 15, "acc_at_25km": 1.0, "median_km": 0.0}
    assert report.statuses == {"precision": 0.8, "recall": 1.0, "f1": 0.8889, "tp": 20, "fp": 5, "fn": 0}
    assert report.unknown_statuses == ["liberated"]
    assert report.summary_line() == REFERENCE_SUMMARY
    assert sorted("  " + line for line in report.misses + report.wrong) == sorted(REFERENCE_LINES)


def test_per_status_counts_add_up_to_the_totals():
    report = score_files(GOLD, SAMPLE)
    for outcome in ("tp", "fp", "fn"):
        assert sum(c[outcome] for c in report.per_status.values()) == report.statuses[outcome]
    assert report.per_status["captured"]["fp"] == 1
    assert "held" in report.status_table() and "captured" in report.status_table()


def test_names_fold_across_spellings():
    assert fold("Kiev") == fold("KYIV") == "kyiv"
    assert fold("the Crimea") == "crimea" and fold("Azov Sea") == "sea of azov"
    assert fold("Zaporizhia") == "zaporizhzhia"


def test_a_city_matches_by_distance_and_counts_its_geocoding_error():
    gold = [{"article": "a", "places": [{"name": "Kyiv", "kind": "city", "lat": 50.45, "lon": 30.52,
                                          "statuses": ["encircled"]}]}]
    near = [{"article": "a", "place": "Kyjiw", "lat": 50.50, "lon": 30.50, "status": "encircled"}]
    far = [{"article": "a", "place": "Kyjiw", "lat": 51.5, "lon": 31.3, "status": "encircled"}]
    assert score(gold, near).statuses["tp"] == 1
    report = score(gold, far)
    assert report.places["fp"] == 1 and report.places["fn"] == 1


def test_optional_gold_places_are_neither_rewarded_nor_punished():
    gold = [{"article": "a", "places": [{"name": "Moscow", "kind": "city", "lat": 55.75, "lon": 37.62,
                                          "optional": True}]}]
    assert score(gold, [{"article": "a", "place": "Moscow", "lat": 55.75, "lon": 37.62}]).places["fp"] == 0
    assert score(gold, []).places["fn"] == 0


def test_unreadable_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article": 1}\n{oops\n')
    with pytest.raises(GoldError, match="bad.jsonl:2"):
        read_jsonl(bad)


def test_eval_command_prints_the_reference_figures_and_the_table(capsys):
    code = main(["eval", "--gold", str(GOLD), str(SEEDS), "--min-place-f1", "0.95", "--min-status-f1", "0.85",
                 "--min-geo-acc", "1.0"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "places P/R/F1" in out and "statuses P/R/F1" in out
    assert "encircled" in out.split("statuses P/R/F1")[1]  # the per-status table follows


def test_eval_command_fails_a_floor_and_refuses_bad_gold(tmp_path, capsys):
    assert main(["eval", "--gold", str(GOLD), str(SEEDS), "--min-status-f1", "1.01"]) == 1
    missing = tmp_path / "none.jsonl"
    assert main(["eval", "--gold", str(missing), str(SEEDS)]) == 2
    assert "eval:" in capsys.readouterr().err


def test_eval_json_output(capsys):
    assert main(["eval", "--gold", str(GOLD), str(SEEDS), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["per_status"]) >= {"captured", "encircled", "disputed"}
