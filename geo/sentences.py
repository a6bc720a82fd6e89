"""Split article text into sentences, keeping each sentence's offsets.

Statuses, sources and event dates are decided sentence by sentence, and every
observation quotes its sentence as evidence, so the split must be good on real
news copy: paragraphs on their own lines, but also corpus texts flattened to one
line, abbreviations ("Maj. Gen.", "U.S.", "Feb. 24"), closing quotes after the
full stop, and tweets pasted inline. A regular expression with an abbreviation
list does this in one pass at several MB/s; a statistical splitter is neither
available offline nor needed.
"""
from __future__ import annotations

import re
from typing import NamedTuple

#: Words that end with a full stop without ending the sentence (lower-cased, no dot).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt cpt sgt adm gov sen rep rev st mt ft jr sr "
    "no vs etc inc ltd co corp dept est approx fig al "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.k u.n e.u u.s.a d.c a.m p.m calif ga fla tex mass wash".split()
)

# A candidate boundary: sentence-final punctuation (with any closing quotes or
# brackets; group 1 ends where the sentence does), white space, then something that can open
# a sentence; or a line break. Every alternative opens with one of [.!?…\n], written first so
# that the regex engine skips to those characters instead of trying every position.
_BOUNDARY = re.compile(r"""[.!?…\n](?:(?<=[.!?…])([.!?…]*["”’')\]]*)\s+(?=["“‘'(\[]?[A-Z0-9\u0400-\u04FF])"""
                       r"""|(?<=\n)\s*\n|(?<=\n)(?=\s*\S))""")
_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]")
_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."
_LONGEST = max(len(a) for a in ABBREVIATIONS if "." not in a)


#: Longest stretch read as one sentence; longer runs are cut at a space.
MAX_SENTENCE_CHARS = 600


class Sentence(NamedTuple):
    """A sentence and where it sits in the article text (a named tuple: articles have hundreds)."""

    start: int
    end: int
    text: str


def _ends_with_abbreviation(text: str, start: int, cut: int) -> bool:
    """Whether ``text[start:cut]``, which ends with a full stop, ends with an abbreviation.

    :func:`split_sentences` decides the common case itself (a plain word longer than any
    abbreviation before the stop) and asks this only about the others."""
    chunk = text[max(start, cut - 30):cut - 1]
    word = chunk[len(chunk.rstrip(_WORD_CHARS)):]  # the letters and dots before the full stop
    if not word:
        return False
    word = word.lower().strip(".")
    # Listed abbreviations, single initials ("John F. Kennedy") and dotted acronyms ("U.S.", "D.C.").
    return word in ABBREVIATIONS or len(word) == 1 or ("." in word and bool(_ACRONYM.fullmatch(word)))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, each with its (start, end) offsets.

    White space around sentences is not part of them; empty pieces are dropped.
    """
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.end(1)
        if cut < 0:
            cut = m.start()  # a line break
        elif text[cut - 1] == ".":
            # Most full stops follow a plain word longer than any abbreviation: that is decided
            # here, on one slice and without a call (an article has a boundary every ~130 characters).
            tail = text[max(start, cut - 2 - _LONGEST):cut - 1]
            if not (len(tail) > _LONGEST and tail.isascii() and tail.isalpha()) \
                    and _ends_with_abbreviation(text, start, cut) and text.find("\n", cut, m.end()) < 0:
                continue
        piece = text[start:cut]
        if 0 < len(piece) <= MAX_SENTENCE_CHARS and len(piece.strip()) == len(piece):
            sentences.append(Sentence(start, cut, piece))  # what _append does with such a piece
        else:
            _append(sentences, text, start, cut)
        start = m.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        # No real sentence is this long (a list, a table, hostile input): cut it at a space so
        # that the rules, which look back within a sentence, stay linear in the text's length.
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        out.append(Sentence(start, cut, text[start:cut]))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
