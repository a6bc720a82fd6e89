"""When did the reported event happen? Resolve a sentence's time words against the publication date.

News dates events relative to the day it is published: "on Wednesday", "six
days ago", "last week", "earlier this month", "on March 2". The map places an
observation at the publication date; when the sentence dates the event itself,
the observation also carries ``event_date`` with a precision (``day``, ``week``,
``month``) so the timeline can put a capture on the day it happened rather
than the day it was reported.

Rules, all relative to the publication date ``pub``:

- weekday names are the latest such day on or before ``pub`` ("on Wednesday" in
  an article of Wednesday is that day); "last Wednesday" is the one before that
  when ``pub`` is itself a Wednesday;
- "today"/"tonight"/"this morning" is ``pub``; "yesterday"/"overnight"/"last
  night" is the day before;
- "N days/weeks/months ago" counts back; "last week"/"last month" gives the
  start of the previous week/month with week/month precision;
- month-day dates ("March 2", "2 March", "Feb. 24") take ``pub``'s year, or the
  year before when that would put them more than a few days after ``pub``;
- a month alone ("in March", "since early February") is that month, with month
  precision, in ``pub``'s year or the year before if it is still to come.

Nothing is resolved for an undated article or a month-precision date where a
day is needed: a guess there would look exact on the map and be wrong.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from geo.regex_trie import opening_a_word

WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS: Final = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], 1) for name in names}
NUMBERS: Final = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "a couple of": 2, "a few": 3, "several": 3}

# Month names are matched capitalised only, so that "may still" is not a date.
_MONTH_RE: Final = "|".join(sorted((name.capitalize() for name in MONTHS), key=len, reverse=True))
_NUM_RE: Final = r"\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True))


_PATTERNS: Final[list[tuple[str, re.Pattern[str]]]] = [
    ("month_day", opening_a_word(rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>20\d\d))?")),
    ("day_month", opening_a_word(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_RE})\b\.?(?:,?\s+(?P<year>20\d\d))?")),
    ("month", opening_a_word(rf"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|[Bb]y|[Tt]hroughout|[Ss]ince\s+early|"
                         rf"[Ss]ince\s+late)\s+(?:(?:early|late|mid)-?\s*)?(?P<month>{_MONTH_RE})\b(?!\.?\s+\d{{1,2}}\b)(?:,?\s+(?P<year>20\d\d))?")),
    ("ago", opening_a_word(rf"\b(?P<n>{_NUM_RE})\s+(?P<unit>day|week|month)s?\s+ago\b", re.I)),
    ("last_unit", opening_a_word(r"\b(?P<which>last|past|previous|earlier this|this)\s+(?P<unit>week|month)\b", re.I)),
    ("weekday", opening_a_word(rf"\b(?P<last>last\s+)?(?P<weekday>{'|'.join(WEEKDAYS)})\b", re.I)),
    ("relative_day", opening_a_word(r"\b(?P<word>today|tonight|this morning|this afternoon|this evening|yesterday|overnight|last night)\b", re.I)),
]


#: What each pattern's matches always contain: a capitalised month name that ends a word (not the
#: "Mar" of "Mariupol" or the "Nov" of "Nova Kakhovka": written with no word boundary before it,
#: so that the regex engine skips from capital to capital) ...
_MONTH_CUE: Final = re.compile(rf"(?:{_MONTH_RE})\b")
_MONTH_KINDS: Final = frozenset({"month_day", "day_month", "month"})
#: ... and the other patterns' matches contain one of these words (lower-cased).
_CUES: Final = {"ago": ("ago",), "last_unit": ("week", "month"), "weekday": ("day",),
         "relative_day": ("today", "yesterday", "night", "morning", "afternoon", "evening")}


@dataclass(frozen=True)
class EventDate:
    """A resolved event date: ``date`` with its ``precision`` and the words that gave it."""

    date: dt.date
    precision: str  # "day" | "week" | "month"
    words: str


def _fold(words: str) -> str:
    """Lower case as the patterns' IGNORECASE reads it: "ı" and "İ" are i, "ſ" is s (Kelvin "K"
    lower-cases to k), so that "ſunday" is looked up as "sunday"."""
    lower = words.lower()
    if lower.isascii():
        return lower
    return lower.replace("ı", "i").replace("ſ", "s").replace("\u0307", "")


def _month_day(m: re.Match[str], pub: dt.date) -> dt.date | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    day = int(m["day"])
    year = int(m["year"]) if m["year"] else pub.year
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    if not m["year"] and value > pub + dt.timedelta(days=3):
        try:
            value = dt.date(year - 1, month, day)
        except ValueError:
            return None
    return value


def _resolve(kind: str, m: re.Match[str], pub: dt.date) -> tuple[dt.date, str] | None:
    if kind in ("month_day", "day_month"):
        value = _month_day(m, pub)
        return (value, "day") if value else None
    if kind == "month":
        month = MONTHS[m["month"].lower()]
        year = int(m["year"]) if m["year"] else pub.year
        if not m["year"] and (year, month) > (pub.year, pub.month):
            year -= 1
        return dt.date(year, month, 1), "month"
    if kind == "ago":
        raw = _fold(m["n"])
        n = int(raw) if raw.isdigit() else NUMBERS[raw]
        unit = _fold(m["unit"])
        if unit == "day":
            return pub - dt.timedelta(days=n), "day"
        if unit == "week":
            return pub - dt.timedelta(weeks=n), "week"
        return _months_back(pub, n), "month"
    if kind == "last_unit":
        which, unit = _fold(m["which"]), _fold(m["unit"])
        back = 0 if which in ("this", "earlier this") else 1
        if unit == "week":
            monday = pub - dt.timedelta(days=pub.weekday())
            return monday - dt.timedelta(weeks=back), "week"
        return _months_back(pub, back), "month"
    if kind == "weekday":
        target = WEEKDAYS.index(_fold(m["weekday"]))
        delta = (pub.weekday() - target) % 7
        if m["last"] and delta == 0:
            delta = 7
        return pub - dt.timedelta(days=delta), "day"
    word = _fold(m["word"])
    if word in ("yesterday", "overnight", "last night"):
        return pub - dt.timedelta(days=1), "day"
    return pub, "day"


def _months_back(pub: dt.date, n: int) -> dt.date:
    index = pub.year * 12 + pub.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def find_event_date(sentence: str, published: dt.date | None, published_precision: str | None = "day",
                    near: int | None = None) -> EventDate | None:
    """The event date a sentence gives, resolved against the publication date.

    ``near`` (an offset in ``sentence``, e.g. the status trigger) picks the time
    expression closest to it when there are several. Returns ``None`` when the
    sentence has no time words, the article is undated, or its date is only
    known to the month.
    """
    if published is None or published_precision == "month":
        return None
    found: list[tuple[int, EventDate]] = []
    taken: list[tuple[int, int]] = []
    lower = _fold(sentence)
    months = _MONTH_CUE.search(sentence) is not None
    spaced = " " + sentence  # what the patterns read (see geo.regex_trie.opening_a_word)
    for kind, pattern in _PATTERNS:
        # Most sentences have no time words: a pattern runs only if its cue is there.
        if not (months if kind in _MONTH_KINDS else any(cue in lower for cue in _CUES[kind])):
            continue
        # The pattern's matches in the sentence, as finditer would give them: in ``spaced`` a
        # match opens on the character before its word, whose offset there is the word's in the
        # sentence, and the next is looked for from the last character of this one (which, in
        # the sentence, ends where the next may begin).
        m = pattern.search(spaced)
        while m is not None:
            start, end = m.start(), m.end() - 1  # of the match in the sentence
            match, m = m, pattern.search(spaced, end)
            if any(s < end and start < e for s, e in taken):
                continue  # "last Wednesday" is not also "last week"-like text; first pattern wins
            resolved = _resolve(kind, match, published)
            if resolved is None:
                continue
            taken.append((start, end))
            distance = abs(start - near) if near is not None else start
            found.append((distance, EventDate(resolved[0], resolved[1], match["at"])))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]
