"""Choosing among namesakes (geo.disambiguate) and what the resolver's memo may reuse of a choice."""
from __future__ import annotations

from collections import Counter

from geo.disambiguate import Candidate, Context, choose, depends_on_rank
from geo.gazetteer import MATCH_PREFERRED, Gazetteer
from geo.geocoder import Resolver
from gazetteer_places import place

#: One name, three namesakes: one in the theatre outside the hinted region, and one in each of two
#: other countries that both have a region called Limburg.
HAMLETS = [place("ua", "Testdorp", country="UA", admin1="Kharkiv Oblast"),
           place("be", "Testdorp", 51.0, 5.3, country="BE", admin1="Limburg"),
           place("nl", "Testdorp", 51.2, 5.9, country="NL", admin1="Limburg")]
#: Two articles about the war that name Belgium and the Netherlands in opposite order.
MORE_BELGIUM = Counter({"UA": 5, "BE": 2, "NL": 1})
MORE_NETHERLANDS = Counter({"UA": 5, "NL": 2, "BE": 1})


def candidates(*places) -> list[Candidate]:
    return [Candidate(p, MATCH_PREFERRED, False) for p in places]


def test_an_oblast_hint_that_leaves_no_theatre_namesake_lets_the_articles_other_countries_decide():
    field_ = candidates(*HAMLETS)
    assert choose(field_, Context(countries=MORE_BELGIUM, admin1="Limburg")) == (HAMLETS[1], "article-country")
    assert choose(field_, Context(countries=MORE_NETHERLANDS, admin1="Limburg")) == (HAMLETS[2], "article-country")


def test_a_choice_narrowed_by_an_oblast_hint_to_namesakes_abroad_depends_on_the_countries_ranking():
    field_ = candidates(*HAMLETS)
    assert depends_on_rank(field_, Context(countries=MORE_BELGIUM, admin1="Limburg"))
    assert not depends_on_rank(field_, Context(countries=MORE_BELGIUM))  # the theatre's namesake decides
    assert not depends_on_rank(field_, Context(countries=MORE_BELGIUM, admin1="Kharkiv"))


def test_the_memo_does_not_hand_one_articles_ranking_to_another_under_the_same_oblast_hint():
    resolver = Resolver(Gazetteer.from_places(HAMLETS))
    first = resolver.resolve("Testdorp", Context(countries=MORE_BELGIUM, admin1="Limburg"))
    second = resolver.resolve("Testdorp", Context(countries=MORE_NETHERLANDS, admin1="Limburg"))
    assert (first.place.id, second.place.id) == ("be", "nl")
    # and each answer is still served from the memo to its own ranking
    assert resolver.resolve("Testdorp", Context(countries=MORE_BELGIUM, admin1="Limburg")) is first


GEORGIAS = [place("state", "Georgia", 32.7, -83.4, kind="region", country="US", population=10_700_000,
                  source="supplement"),
            place("country", "Georgia", 42.2, 43.5, kind="country", country="GE", population=3_700_000,
                  source="natural-earth"),
            place("town", "Georgia", 35.0, -82.0, country="US", population=20_000)]


def test_a_country_name_is_the_theatres_region_of_that_name_when_the_article_is_about_that_country():
    field_ = candidates(*GEORGIAS)
    american = Context(countries=Counter({"US": 9, "GE": 1}))
    level = Context(countries=Counter({"US": 8, "UA": 8, "GE": 3}))  # ties share the theatre
    assert choose(field_, american) == (GEORGIAS[0], "theatre-region")
    assert choose(field_, level) == (GEORGIAS[0], "theatre-region")


def test_a_country_name_stays_the_country_in_an_article_about_another_theatre_or_about_it():
    field_ = candidates(*GEORGIAS)
    about_the_war = Context(countries=Counter({"UA": 30, "US": 12, "GE": 1}))
    about_georgia = Context(countries=Counter({"GE": 5, "US": 5}))
    assert choose(field_, about_the_war) == (GEORGIAS[1], "country")
    assert choose(field_, about_georgia) == (GEORGIAS[1], "country")
    assert choose(field_, Context()) == (GEORGIAS[1], "country")


def test_the_theatre_is_the_most_counted_countries_with_their_ties_and_none_without_a_positive_count():
    assert Context(countries=Counter({"RU": 2, "UA": 5, "PL": 5, "BY": 1})).theatre() == {"UA", "PL"}
    assert Context(countries=Counter({"UA": 1, "RU": 3})).theatre() == {"RU"}
    assert Context(countries=Counter({"UA": 0, "RU": -1})).theatre() == frozenset()
    assert Context().theatre() == frozenset()
    # the memo key lists the theatre in a fixed order, whatever order the counts came in
    assert Context(countries=Counter({"UA": 5, "PL": 5})).key() == Context(countries=Counter({"PL": 5, "UA": 5})).key()


def test_the_main_country_is_the_first_counted_of_the_theatre():
    # whose capital "the capital" is: of tied countries, the one the article's names voted for first
    assert Context(countries=Counter({"RU": 2, "UA": 5, "PL": 5})).main_country() == "UA"
    assert Context(countries=Counter({"PL": 5, "UA": 5})).main_country() == "PL"
    assert Context(countries=Counter({"UA": 0})).main_country() is None and Context().main_country() is None
