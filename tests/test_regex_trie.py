"""A trie regex matches exactly its words, the longest first, and puts the caller's check where each word ends."""
from __future__ import annotations

import re

from geo.regex_trie import trie

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
