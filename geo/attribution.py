"""Who says it: the source of a claim in a sentence.

Claims count whoever makes them, and rival claims about one place are what a
``disputed`` marker is made of, so every observation names its source when the
sentence does: "according to a senior Pentagon official", "Russia's Defense
Ministry said", "said Russia's defence ministry in a statement", "CNN reported
that", "Times reporter Michael Schwirtz tweeted". A bare pronoun ("he said")
takes the source of the sentence before, which is how quotes run on in news
copy. The patterns are plain regular expressions over reporting verbs; the
noun phrase is cut at clause punctuation and capped in length so that a source
never swallows the claim.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

from geo.regex_trie import opening_a_word, trie

_VERBS: Final = (r"said|says|say|told|tells|reported|reports|claimed|claims|announced|announces|confirmed|confirms|"
          r"stated|states|wrote|writes|tweeted|posted|added|warned|warns|insisted|insists|acknowledged|"
          r"admitted|noted|estimated|believes|believed|alleged|alleges|accused|declared|asserted|"
          r"explained|argued|cautioned|suggested|indicated|revealed|disclosed|denied|denies")
#: The verbs as a trie (:func:`geo.regex_trie.trie`): the regex engine tests each letter once where
#: a verb may stand, not every verb in turn, which the patterns below do at every word.
_VERB: Final = trie(_VERBS.split("|"))
_NP: Final = r"(?P<src>(?:[A-Z0-9“\"'‘(]|the\s|a\s|an\s|its\s|his\s|her\s|their\s|our\s)[^,;:.!?“”\"]{1,90}?)"

# _ACCORDING and _CUE are matched on the sentence behind a space (see find_source), on the
# character before the word (geo.regex_trie.opening_a_word: two and a half times as fast); the
# case-insensitive words open with both cases of their first letter, so that the pattern opens
# with a literal class too (those letters have no other case in IGNORECASE).
_ACCORDING: Final = opening_a_word(r"(?:[Aa](?i:ccording\s+to|s\s+reported\s+by)|[Cc](?i:it(?:ing|ed\s+by))|[Rr](?i:eports?\s+from))\s+"
                                   + _NP +
                                   r"(?=\s*(?:[,.;:!?”\"]|$|\s+(?:on|in|at|which|who|that|as|after|,)\b))")
_SUBJECT_VERB: Final = re.compile(_NP + r"\s+(?:(?:has|have|had|also|later|previously|earlier|then|now)\s+)*" + _VERB +
                           r"\b(?!\s+by\b)(?!(?<!claimed)(?<!claims)\s+to\b)")
_VERB_SUBJECT: Final = re.compile(r"(?:[,”\"]\s*|^)" + _VERB + r"\s+" + _NP + r"(?=\s*(?:[,.;:!?]|$|\s+(?:in|on|at|during|after)\b))")
_PRONOUN_SAYS: Final = re.compile(r"\b(?i:he|she|they|we)\s+(?:also\s+|later\s+|had\s+|has\s+)?" + _VERB + r"\b")
_CUE: Final = opening_a_word(r"(?:" + _VERB + r"|[Aa](?i:ccording)|[Cc](?i:it(?:ing|ed))|[Rr](?i:eports?))\b")
_PRONOUN_SUBJECT: Final = re.compile(r"\b(?i:he|she|they|it|we|i|officials)\s+(?:\w+\s+){0,2}" + _VERB + r"\b")
_PRONOUN: Final = re.compile(r"^(?:he|she|they|it|we|i|you|officials|the\s+official|this|that|there|which|who)$", re.I)
_NOT_SOURCE: Final = re.compile(r"^(?:it\s+is|there|this|that|which|who|what|officials?\s+have)$", re.I)
_LEADING: Final = re.compile(r"^(?:and|but|while|as|so|also|meanwhile|however|then|earlier|later|previously)\s+", re.I)


def _clean(src: str) -> str | None:
    src = src.strip(" \t\"“”'‘’(")
    src = _LEADING.sub("", src)
    if not src or len(src.split()) > 12:
        return None
    if _NOT_SOURCE.match(src):
        return None
    return src


def find_source(sentence: str, previous: str | Callable[[], str | None] | None = None) -> str | None:
    """The source the sentence attributes its claim to, or ``None``.

    ``previous`` is the source of the sentence before (or a function giving
    it, called only when needed); a pronoun subject ("he said") inherits it.
    """
    spaced = " " + sentence  # what _CUE and _ACCORDING read
    first = _next_cue(spaced, 0)
    if first < 0:
        return None  # no reporting word: nothing to attribute (the common case, checked cheaply)
    # Every pattern below but _ACCORDING ends with a reporting verb, so none starts long before
    # the first cue word: each is searched for from the earliest place it can start (see
    # _from_clause and _from_run), not from the start of the sentence.
    if callable(previous):
        # _PRONOUN_SUBJECT matches wherever _PRONOUN_SAYS does (its pronouns and gap include
        # the other's), so it alone says whether the sentence has a pronoun subject.
        previous = previous() if _PRONOUN_SUBJECT.search(sentence, _from_run(sentence, first)) else None
    m = _ACCORDING.search(spaced)
    if m:
        cleaned = _clean(m["src"])
        if cleaned:
            return cleaned
    # "..., said X": the verb follows a comma or quote mark (and white space) or opens the sentence.
    for m in _VERB_SUBJECT.finditer(sentence, max(0, len(sentence[:first].rstrip()) - 1)):
        cleaned = _clean(m["src"])
        if cleaned and not _PRONOUN.match(cleaned):
            return cleaned
    best = previous if previous is not None and _PRONOUN_SAYS.search(sentence, _from_run(sentence, first)) else None
    for m in _subjects(sentence, spaced, first):
        cleaned = _clean(m["src"])
        if cleaned is None:
            continue
        if _PRONOUN.match(cleaned):
            best = best or previous
            continue
        return cleaned
    return best


#: The characters a subject never spans (the body of :data:`_NP` excludes them).
_CLAUSE_PUNCT: Final = ",;:.!?“”\""
#: What a pronoun and its verb are never apart by (_PRONOUN_SUBJECT spans words and spaces only).
_NOT_WORD_OR_SPACE: Final = re.compile(r"[^\w\s]")


def _from_run(sentence: str, cue: int) -> int:
    """Where a pronoun ending with a reporting verb at or after ``cue`` can start: after the
    last character before ``cue`` that is neither a word character nor white space."""
    start = 0
    for m in _NOT_WORD_OR_SPACE.finditer(sentence, 0, cue):
        start = m.end()
    return start


def _next_cue(spaced: str, at: int) -> int:
    """Where the first :data:`_CUE` word at or after offset ``at`` of a sentence starts, or -1,
    given ``spaced``, the sentence behind a space: there the match opens on the character before
    the word, whose offset in ``spaced`` is the word's in the sentence."""
    m = _CUE.search(spaced, at)
    return -1 if m is None else m.start()


def _subjects(sentence: str, spaced: str, cue: int) -> Iterator[re.Match[str]]:
    """The matches of ``_SUBJECT_VERB.finditer(sentence)``, given ``spaced`` (see :func:`_next_cue`)
    and the offset of the sentence's first :data:`_CUE` word, each searched for from the clause of
    the next cue word instead of from where the last match ended.

    The pattern's lazy subject tries every verb after every space from every capitalised word,
    most of the cost of :func:`find_source`, while a subject and its verb are never apart by
    clause punctuation: no match starts before the punctuation mark that opens the clause of the
    first cue word (the cue words include every verb the pattern ends with) after the search
    position, so the search starts there (on that mark, which can open a quoted subject).
    """
    at = 0
    while True:
        if cue <= at:
            cue = _next_cue(spaced, at + 1)
            if cue < 0:
                return
        clause = max(sentence.rfind(mark, at, cue) for mark in _CLAUSE_PUNCT)
        m = _SUBJECT_VERB.search(sentence, max(at, clause))
        if m is None:
            return
        yield m
        at = m.end()
