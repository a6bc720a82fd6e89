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
