"""Who says it: sources of claims."""
import pytest

from geo.attribution import find_source


@pytest.mark.parametrize("sentence, source", [
    ("According to a senior Pentagon official, Kyiv is encircled.", "a senior Pentagon official"),
    ("Russian troops have control of Kherson, Russia's Defense Ministry said.", "Russia's Defense Ministry"),
    ("“The town has been liberated,” said Russia’s defence ministry in a statement.", "Russia’s defence ministry"),
    ("CNN reported that the city may still contain pockets of resistance.", "CNN"),
    ("Times reporter Michael Schwirtz tweeted that Kherson had fallen.", "Times reporter Michael Schwirtz"),
    ("The mayor said the city is surrounded.", "The mayor"),
    ("Russia's defence ministry claims to have captured Lyman.", "Russia's defence ministry"),
    ("The Russian military claimed to have fully captured Mariupol.", "The Russian military"),
    # the attributing words are read in any case, the reporting verbs in lower case only
    ("ACCORDING TO the governor, Kherson is encircled.", "the governor"),
    ("Citing the mayor, Ukrainska Pravda wrote that the city was shelled.", "the mayor"),
    ("“Kherson has fallen,” the governor SAID, and the mayor said so too.", "the mayor"),
])
def test_the_source_is_named(sentence, source):
    assert find_source(sentence) == source


def test_a_pronoun_takes_the_previous_sentences_source():
    assert find_source("“The city is surrounded,” he said.", previous="the mayor") == "the mayor"


def test_no_source_when_none_is_given():
    assert find_source("Kherson has fallen.") is None


def test_the_subject_of_a_later_clause_is_named():
    sentence = "In Kharkiv, Mariupol and Izium the shelling went on; the governor said the city held."
    assert find_source(sentence) == "the governor"


def test_a_pronoun_after_a_clause_takes_the_previous_sentences_source():
    assert find_source("Russian forces have captured the town, he said.", previous=lambda: "the mayor") == "the mayor"


def test_the_previous_source_is_asked_for_only_when_a_pronoun_speaks():
    def previous() -> str:
        raise AssertionError("asked for the previous source")

    assert find_source("Kherson has fallen, the mayor said.", previous=previous) == "the mayor"


def test_said_to_be_names_no_source():
    assert find_source("The town is said to be surrounded.") is None
