"""A trie regex matches exactly its words, the longest first, and puts the caller's check where each word ends;
a pattern opening a word finds the same matches behind a space."""
from __future__ import annotations

import re

from geo.regex_trie import opening_a_word, trie

WORDS = ["of", "off", "on", "oblast", "in", "i", "de", "del", "della"]


def test_matches_each_word_and_nothing_else():
    pattern = re.compile(trie(WORDS))
    for word in WORDS:
        assert pattern.fullmatch(word), word
    for other in ["o", "ob", "dell", "offf", "d", ""]:
        assert not pattern.fullmatch(other), other


def test_prefers_the_longest_word_that_fits():
    pattern = re.compile(trie(WORDS))
    assert pattern.match("della Robbia").group() == "della"
    assert pattern.match("offshore").group() == "off"


def test_the_end_check_is_given_the_word_it_ends():
    only_long = re.compile(trie(WORDS, at_end=lambda word: "" if len(word) > 2 else "(?!)"))
    assert only_long.fullmatch("oblast") and only_long.fullmatch("del")
    assert not only_long.fullmatch("of") and not only_long.fullmatch("i")
    assert only_long.match("offer").group() == "off"


def test_a_pattern_opening_a_word_finds_in_the_spaced_text_what_it_finds_in_the_text():
    text = "Last week, shelling hit Kharkiv; unshelled areas were spared. Shelled again."
    plain = re.compile(r"\bshell(?:ing|ed)\b", re.I)
    spaced = opening_a_word(plain.pattern, re.I)
    found = [(m.start(), m["at"]) for m in spaced.finditer(" " + text)]
    assert found == [(m.start(), m.group()) for m in plain.finditer(text)] == [(11, "shelling"), (62, "Shelled")]
    assert spaced.search(" unshelled") is None  # inside a word: no match, as with \b
