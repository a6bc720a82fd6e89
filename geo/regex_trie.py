"""Regular expressions for "any of these words", factored by letters.

An alternation of words (``of|on|oblast``) makes the regex engine try every word at each
position; the same words as a trie (``o(?:blast|f|n)``) test each character once. The recogniser
(words that may stand inside a place name) and the status rules (the anchor words of the trigger
buckets) both scan every article with such sets.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def trie(words: Iterable[str], at_end: Callable[[str], str] | None = None, prefix: str = "") -> str:
    """A regular expression matching any of ``words`` (greedily: the longest word that fits).

    ``at_end(word)``, when given, is a pattern placed where ``word`` ends (the status rules put a
    gate there); ``prefix`` is the part of the words already matched by the caller's pattern (what
    ``at_end`` is given before each word's rest). The empty word, where one ends inside a longer
    one, is the last alternative, so the engine tries the longer words first.
    """
    heads: dict[str, set[str]] = {}
    for word in words:
        heads.setdefault(word[:1], set()).add(word[1:])
    branches = [re.escape(head) + trie(rests, at_end, prefix + head)
                for head, rests in sorted(heads.items()) if head]
    if "" in heads:
        branches.append(at_end(prefix) if at_end is not None else "")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
