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
# a sentence; or a line break. Every alternative opens with one of :data:`_OPENERS`, and the
# pattern is only ever tried where one stands (see :func:`_opener_positions`).
_BOUNDARY = re.compile(r"""[.!?…\n](?:(?<=[.!?…])([.!?…]*["”’')\]]*)\s+(?=["“‘'(\[]?[A-Z0-9\u0400-\u04FF])"""
                       r"""|(?<=\n)\s*\n|(?<=\n)(?=\s*\S))""")
_OPENERS = ".!?…\n"
_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]")
_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."
#: The last three letters of the abbreviations without a dot that have three or more.
_ABBREVIATION_ENDINGS = frozenset(a[-3:] for a in ABBREVIATIONS if "." not in a and len(a) >= 3)
#: The three characters before a full stop -> whether no word ending with them is an abbreviation
#: (:func:`_plain_ending`), memoised: most stops follow one of a few thousand word endings.
_PLAIN_ENDINGS: dict[str, bool] = {}


#: Longest stretch read as one sentence; longer runs are cut at a space.
MAX_SENTENCE_CHARS = 600


class Sentence(NamedTuple):
    """A sentence and where it sits in the article text (a named tuple: articles have hundreds)."""

    start: int
    end: int
    text: str


def _ends_with_abbreviation(text: str, start: int, cut: int) -> bool:
    """Whether ``text[start:cut]``, which ends with a full stop, ends with an abbreviation.

    :func:`split_sentences` decides the common case itself (a word ending with three ASCII letters
    that end no abbreviation, :func:`_plain_ending`) and asks this only about the others."""
    chunk = text[max(start, cut - 30):cut - 1]
    word = chunk[len(chunk.rstrip(_WORD_CHARS)):]  # the letters and dots before the full stop
    if not word:
        return False
    word = word.lower().strip(".")
    # Listed abbreviations, single initials ("John F. Kennedy") and dotted acronyms ("U.S.", "D.C.").
    return word in ABBREVIATIONS or len(word) == 1 or ("." in word and bool(_ACRONYM.fullmatch(word)))


def _plain_ending(ending: str) -> bool:
    """Whether a word that ends with ``ending``, the three characters before a full stop, is no
    abbreviation, whatever precedes them: three ASCII letters (a dotted abbreviation or acronym ends
    with a dot and one letter, an initial is one letter) that end no listed abbreviation."""
    if len(_PLAIN_ENDINGS) >= 50_000:
        _PLAIN_ENDINGS.clear()
    plain = _PLAIN_ENDINGS[ending] = ending.isascii() and ending.isalpha() \
        and ending.lower() not in _ABBREVIATION_ENDINGS
    return plain


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, each with its (start, end) offsets.

    White space around sentences is not part of them; empty pieces are dropped.
    """
    sentences: list[Sentence] = []
    append, new, match = sentences.append, tuple.__new__, _BOUNDARY.match
    start = resume = 0  # where the current sentence starts; where the last boundary ended
    for at in _opener_positions(text):
        # The boundaries :meth:`re.Pattern.finditer` would find: the first match at or after the
        # end of the previous one, found by trying the pattern only where it can start.
        if at < resume:
            continue
        m = match(text, at)
        if m is None:
            continue
        resume = m.end()
        cut = m.end(1)
        if cut < 0:
            cut = at  # a line break
        elif text[cut - 1] == ".":
            # Most full stops follow a plain word: that is decided here, on the last three
            # characters of the sentence and without a call (an article has a boundary every ~130
            # characters); the others are read by _ends_with_abbreviation.
            ending = text[cut - 4:cut - 1] if cut - 4 >= start else ""
            plain = _PLAIN_ENDINGS.get(ending)
            if not (plain or plain is None and _plain_ending(ending)) \
                    and _ends_with_abbreviation(text, start, cut) and text.find("\n", cut, resume) < 0:
                continue
        piece = text[start:cut]
        if 0 < len(piece) <= MAX_SENTENCE_CHARS and len(piece.strip()) == len(piece):
            # what _append does with such a piece; tuple.__new__ skips the named tuple's Python-level __new__
            append(new(Sentence, (start, cut, piece)))
        else:
            _append(sentences, text, start, cut)
        start = resume
    _append(sentences, text, start, len(text))
    return sentences


def _opener_positions(text: str) -> list[int]:
    """Where each character of :data:`_OPENERS` stands in ``text``, in order.

    ``str.find`` skips to them several times faster than a regular expression that opens with
    a character class, which the engine tests at every position of the text."""
    found = []
    for c in _OPENERS:
        at = text.find(c)
        while at >= 0:
            found.append(at)
            at = text.find(c, at + 1)
    found.sort()
    return found


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
