"""Event dates: time words resolved against the publication date, with their precision."""
from __future__ import annotations

import datetime as dt

import pytest

from geo.eventdates import find_event_date

THURSDAY = dt.date(2022, 3, 3)


@pytest.mark.parametrize("sentence, date, precision", [
    ("Kherson fell on Wednesday.", dt.date(2022, 3, 2), "day"),
    ("Kherson fell on Thursday.", THURSDAY, "day"),  # the publication day itself
    ("Kherson fell last Thursday.", dt.date(2022, 2, 24), "day"),
    ("Putin six days ago said he would not target cities.", dt.date(2022, 2, 25), "day"),
    ("The city was shelled 2 weeks ago.", dt.date(2022, 2, 17), "week"),
    ("The town was taken last week.", dt.date(2022, 2, 21), "week"),
    ("Shelling resumed yesterday.", dt.date(2022, 3, 2), "day"),
    ("Explosions were heard overnight.", dt.date(2022, 3, 2), "day"),
    ("Troops entered the city today.", THURSDAY, "day"),
    ("The bridge was hit on March 1.", dt.date(2022, 3, 1), "day"),
    ("The bridge was hit on 1 March.", dt.date(2022, 3, 1), "day"),
    ("The bridge was hit on Feb. 24.", dt.date(2022, 2, 24), "day"),
    ("Fighting began earlier this month.", dt.date(2022, 3, 1), "month"),
    ("The port was blockaded last month.", dt.date(2022, 2, 1), "month"),
    ("It was captured three months ago.", dt.date(2021, 12, 1), "month"),
])
def test_time_words_resolve_against_the_publication_date(sentence, date, precision):
    found = find_event_date(sentence, THURSDAY)
    assert (found.date, found.precision) == (date, precision)


def test_a_date_later_than_publication_is_last_year():
    found = find_event_date("It was occupied on December 28.", dt.date(2022, 3, 3))
    assert found.date == dt.date(2021, 12, 28)


def test_explicit_year_is_kept():
    assert find_event_date("Annexed on March 18, 2014.", THURSDAY).date == dt.date(2014, 3, 18)


def test_modal_may_is_not_a_month():
    assert find_event_date("The city may still hold pockets of resistance.", THURSDAY) is None


@pytest.mark.parametrize("published, precision", [(None, None), (dt.date(2022, 3, 1), "month")])
def test_no_event_date_without_a_day_to_count_from(published, precision):
    assert find_event_date("Kherson fell on Wednesday.", published, precision) is None


def test_the_expression_nearest_the_trigger_wins():
    sentence = "On Monday officials said the town fell on Wednesday."
    found = find_event_date(sentence, THURSDAY, near=sentence.index("fell"))
    assert found.date == dt.date(2022, 3, 2)


def test_impossible_dates_are_ignored():
    assert find_event_date("Shelled on February 30.", THURSDAY) is None


@pytest.mark.parametrize("sentence, date", [
    ("The town was captured in February.", dt.date(2022, 2, 1)),
    ("It has been occupied since early March.", dt.date(2022, 3, 1)),
    ("It was shelled in December.", dt.date(2021, 12, 1)),  # not yet come in March 2022: last year
    ("It was annexed in March 2014.", dt.date(2014, 3, 1)),
])
def test_a_month_alone_has_month_precision(sentence, date):
    found = find_event_date(sentence, THURSDAY)
    assert (found.date, found.precision) == (date, "month")


@pytest.mark.parametrize("sentence, date", [
    ("Kherson fell on \u017funday.", dt.date(2022, 2, 27)),       # long s: IGNORECASE reads it as s
    ("The town was shelled \u017fix days ago.", dt.date(2022, 2, 25)),
    ("It was struck last wee\u212a.", dt.date(2022, 2, 21)),      # Kelvin sign for k
    ("Kherson fell on Fr\u0131day.", dt.date(2022, 2, 25)),       # dotless i
])
def test_letters_that_read_as_ascii_resolve_instead_of_failing(sentence, date):
    assert find_event_date(sentence, THURSDAY).date == date


def test_time_words_opening_the_sentence_or_right_after_other_time_words_are_read():
    assert find_event_date("Yesterday the town fell.", THURSDAY, near=0).words == "Yesterday"
    sentence = "Izium fell on 1 Apr.2 March saw the first strikes."  # no space after the full stop
    found = find_event_date(sentence, dt.date(2022, 4, 5), near=sentence.index("2 March"))
    assert (found.date, found.words) == (dt.date(2022, 3, 2), "2 March")
