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
from typing import Final

#: Words that end with a full stop without ending the sentence (lower-cased, no dot).
ABBREVIATIONS: Final = frozenset(
    "mr mrs ms dr prof gen lt col maj capt cpt sgt adm gov sen rep rev st mt ft jr sr "
    "no vs etc inc ltd co corp dept est approx fig al "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.k u.n e.u u.s.a d.c a.m p.m calif ga fla tex mass wash".split()
)

#: The three-letter endings of words that may be abbreviations (lower-cased): the last three letters of
#: the abbreviations without a dot that have three or more.
_ABBREVIATION_ENDINGS: Final = frozenset(a[-3:] for a in ABBREVIATIONS if "." not in a and len(a) >= 3)
#: The last four characters of a piece cut at a boundary -> whether the boundary certainly ends a
#: sentence (:func:`_certain`), memoised: most pieces end with one of a few thousand word endings.
_CERTAIN: Final[dict[str, bool]] = {}

#: A boundary inside a line: sentence-final punctuation with any closing quotes or brackets (the
#: match, which ends where the sentence does), then white space and something that can open a
#: sentence (a lookahead: one offset to read from the match, not two). It opens
#: with a full stop, which :func:`split_sentences` makes of every opener in the text it scans: a
#: pattern that opens with a literal lets the engine skip from one to the next with a fast search,
#: where an opening character class ("[.!?…]") is tested at every position of the text (several
#: times the time, same matches).
_STOP: Final = re.compile(r"""\.\.*["”’')\]]*(?=\s+["“‘'(\[]?[A-Z0-9\u0400-\u04FF])""")
_ACRONYM: Final = re.compile(r"(?:[a-z]\.)+[a-z]")
_WORD_CHARS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."


#: Longest stretch read as one sentence; longer runs are cut at a space.
MAX_SENTENCE_CHARS: Final = 600


class Sentence:
    """A sentence and where it sits in the article text.

    A plain class with a written-out ``__init__``: compiled (mypyc), making one is a direct call
    and reading a field a struct read, where a named tuple's ``__new__`` runs interpreted and its
    fields are read boxed; articles have hundreds of sentences."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, each with its (start, end) offsets.

    White space around sentences is not part of them; empty pieces are dropped. A line break always
    ends a sentence, so the lines are split one by one.
    """
    sentences: list[Sentence] = []
    # The text the boundaries are looked for in: the same characters, but every opener a full stop,
    # which _STOP opens with (str.replace returns the text itself where there is nothing to replace).
    scan = text.replace("!", ".").replace("?", ".").replace("…", ".")
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start)
        next_line = end + 1 if end >= 0 else length
        if end < 0:
            end = length
        while start < end and text[start].isspace():
            start += 1
        for m in _STOP.finditer(scan, start, end):
            cut = m.end()
            # Most boundaries certainly end a sentence, as the memo of the piece's last four
            # characters says without a call; the others may follow an abbreviation.
            tail = text[cut - 4:cut] if cut >= 4 else text[:cut]
            known = _CERTAIN.get(tail)
            if not (known or known is None and _certain(tail)) and _ends_with_abbreviation(text, cut):
                continue
            if cut - start <= MAX_SENTENCE_CHARS:
                # what _append does with such a piece (the line's leading white space is skipped,
                # and a piece cut at a boundary has none at either end)
                sentences.append(Sentence(start, cut, text[start:cut]))
            else:
                _append(sentences, text, start, cut)
            start = cut
            while text[start].isspace():  # the white space _STOP saw before the next opener
                start += 1
        _append(sentences, text, start, end)
        start = next_line
    return sentences


def _certain(tail: str) -> bool:
    """Whether a piece ending with ``tail``, its last four characters (fewer in a short text), ends
    a sentence whatever its word before: it does not end with a full stop; or no letter or dot stands
    before the stop (a number, a quote: no word, :func:`_ends_with_abbreviation`); or the three
    characters before the stop are ASCII letters (a dotted abbreviation or acronym ends with a dot
    and one letter, an initial is one letter) that end no listed abbreviation. Memoised in
    :data:`_CERTAIN`."""
    if len(_CERTAIN) >= 50_000:
        _CERTAIN.clear()
    ending = tail[:-1]
    certain = _CERTAIN[tail] = not tail.endswith(".") or not ending or ending[-1] not in _WORD_CHARS \
        or len(ending) == 3 and ending.isascii() and ending.isalpha() and ending.lower() not in _ABBREVIATION_ENDINGS
    return certain


def _ends_with_abbreviation(text: str, cut: int) -> bool:
    """Whether ``text[:cut]``, which ends with a full stop, ends with an abbreviation.

    Asked only where :func:`_certain` cannot tell. The word before the stop never reaches back past
    the start of its sentence, which follows white space."""
    chunk = text[max(0, cut - 30):cut - 1]
    word = chunk[len(chunk.rstrip(_WORD_CHARS)):]  # the letters and dots before the full stop
    if not word:
        return False
    word = word.lower().strip(".")
    # Listed abbreviations, single initials ("John F. Kennedy") and dotted acronyms ("U.S.", "D.C.").
    return word in ABBREVIATIONS or len(word) == 1 or ("." in word and bool(_ACRONYM.fullmatch(word)))


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    """Append ``text[start:end]`` to ``out`` without its white space, cut at spaces where it is too long."""
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
