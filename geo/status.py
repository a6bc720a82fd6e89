"""What does a sentence report about a place? Status rules over trigger words.

A status is decided by a *trigger* (words such as "has fallen", "under siege",
"shelling of", "recaptured", "remained in Ukrainian hands") and attached to a
*target*, the place mention the trigger speaks about: for a passive or
intransitive trigger the place before it ("Kherson has fallen"), for a
transitive or prepositional one the nearest place after it, of any kind
("captured the city", "attack on Mykolaiv"; "a blockade on Ukraine" is about a
country, which takes no status), for a scene word the nearest place
("continuous shelling … in Mariupol"). A relative clause or a participle with
"by" looks back ("Mariupol, which if captured", "Crimea, annexed by Russia").
A target in a coordinated list ("Kharkiv and Zaporizhzhia were struck") takes
the whole list with it; an apposition ("Bucha, a suburb … recently retaken")
takes its head. Only towns and regions take statuses: not countries, seas,
continents, or a capital standing for its government ("Moscow claimed").

Each trigger is then read in its clause:

- **negation** ("have not yet fallen", "failed to encircle", "was not captured"):
  a negated capture of a still-defended place becomes ``held``; anything else
  negated reports nothing;
- **intent and condition** ("plan to surround", "in position to attack", "which
  if captured"): the place is ``threatened``, not taken; trying to *re*take a
  place is a fight for it, ``disputed``; a movement threatens only when the
  sentence is military ("troops advancing on", not "the president heading to");
- **side** ("Ukraine retook", "Russian troops retreated from", "liberated from
  Ukrainian nationalists", a scare-quoted "liberation"): who acted turns a
  capture into a retaking and back;
- **hedging** ("appears to be", "may still", "reportedly"): the status stands
  with lower confidence.

Why rules and not a model: nothing statistical can be downloaded here, the
seven statuses have small, stable vocabularies in news English, and a rule
that fired can be shown to the analyst (``trigger``), which a classifier's
score cannot. Triggers are bucketed by the first letters of their anchor word,
so a sentence is read once, word by word, and only the few patterns its words
can start are tried, which keeps extraction fast.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Final

from geo.regex_trie import opening_a_word, trie

# --------------------------------------------------------------------------------------------
# Trigger lexicon. Direction says where the target is: "before" (subject of a
# passive/intransitive), "after" (object / prepositional), "near" (scene words).
# Patterns are matched case-insensitively on the sentence with quote marks blanked.
# --------------------------------------------------------------------------------------------
# A passive or copular verb group ending right before the participle ("has been ", "was now ").
_BE = (r"(?:is|are|was|were|be|been|being|remains?|remained)\s+"
       r"(?:(?:now|already|fully|completely|entirely|effectively|totally|largely|almost|nearly|virtually|reportedly|"
       r"still|also|partially|partly|firmly|recently|finally)\s+)*$")
_RU = r"(?:russian|russia's|moscow's|the attacker's|enemy|the enemy's|occupation|separatist|pro-russian|russian-backed)"
_UA = r"(?:ukrainian|ukraine's|kyiv's|kiev's|government|their own|our)"

#: Who can be captured without a place being taken ("captured a secretary of the city council").
_PEOPLE = (r"(?:secretar(?:y|ies)|mayors?|officials?|soldiers?|troops|civilians?|people|journalists?|reporters?|residents?|"
           r"prisoners?|fighters?|servicem[ae]n|members?|commanders?|pilots?|sailors?|crews?|volunteers?|activists?|"
           r"children|women|men|heads?|chiefs?|deput(?:y|ies)|hostages?|citizens?|nationals?|mercenar(?:y|ies)|marines?)\b")

#: (status, direction, anchor words, core, prefix). The core is matched where an anchor word
#: starts (anchors are words or word beginnings, e.g. "encircl"); the optional prefix must end
#: right before it ("has been " + "captured"). Earlier entries win over later ones that overlap.
TRIGGERS: list[tuple[str, str, str, str, str | None]] = [
    # ---- held (before captured, so "not yet fallen" wins over "fallen") ----
    ("held", "before", "not", r"not\s+(?:yet\s+)?(?:fallen|been\s+(?:captured|taken|seized))", r"(?:has|have|had)\s+$"),
    ("held", "before", "not", r"not\s+yet\s+(?:fallen|captured|taken|under\s+" + _RU + r"\s+control)", None),
    ("held", "before", "in under", r"(?:in|under)\s+" + _UA + r"\s+(?:hands|control)",
     r"(?:remains?|remained|still|is|are|was|were|stays?|stayed)\s+(?:firmly\s+|still\s+)?$"),
    ("held", "before", "held", r"held\s+by\s+(?:ukrain\w*|kyiv|kiev|its defenders|the defenders)", None),
    ("held", "near", "hold holds holding held", r"(?:hold|holds|holding|held)\s+(?:the\s+defen[cs]e|out|the\s+line)\b", None),
    ("held", "near", "defenders", r"defenders\s+(?:hold|held|are\s+holding|have\s+been\s+holding|could\s+now\s+hold)", None),
    ("held", "after", "still", r"still\s+under\s+" + _UA + r"\s+control", None),
    ("held", "near", "repelled repulsed", r"(?:repelled|repulsed)\b", None),
    # ---- disputed ----
    ("disputed", "near", "pocket", r"pockets?\s+of\s+resistance", None),
    ("disputed", "before", "not", r"not\s+(?:been\s+)?(?:captured|taken|controlled|seized)\s+(?:totally|fully|completely|entirely)", None),
    ("disputed", "near", "reclassified disputed", r"(?:reclassified\s+as\s+a\s+)?disputed\s+(?:area|territory|town|city)", None),
    ("disputed", "after", "disputed", r"disputed\s+(?:russian|ukrainian|the)\s+claims?", None),
    ("disputed", "before", "no", r"no\s+longer\s+(?:has|have|had|holds?|in)\s+(?:firm\s+|full\s+|complete\s+|total\s+)?control", None),
    ("disputed", "after", "trying tried try tries attempt seeking seek bid struggl push fight battl",
     r"(?:trying|tried|try|tries|attempt\w*|seeking|seek|bid|struggl\w+|push\w*|fight\w*|battl\w+)\s+to\s+(?:recapture|retake|regain|win\s+back|take\s+back|liberate)", None),
    ("disputed", "after", "counter", r"counter-?\s?attacks?\s+(?:on|in|at|near|around)", None),
    ("disputed", "after", "battle battles fight struggle", r"(?:battles?|fight|struggle)\s+(?:for|over)\b(?:\s+control\s+of)?", None),
    ("disputed", "near", "contested", r"contested\b", None),
    ("disputed", "after", "street urban house heavy fierce intense bitter",
     r"(?:street|urban|house-to-house|heavy|fierce|intense|bitter)\s+(?:fighting|combat|battles?|clashes)\b", None),
    ("disputed", "after", "fighting", r"fighting\s+(?:and\s+resistance\s+)?(?:\w+\s+){0,5}?(?:in|inside|for|within)\b", None),
    ("disputed", "near", "site scene", r"(?:site|scene)\s+of\s+(?:intense\s+|heavy\s+|fierce\s+)?(?:combat|fighting|battles?)", None),
    ("disputed", "after", "recaptured retook retaken regained liberated controlled controls control captured took",
     r"(?:recaptured|retook|retaken|regained|liberated|controlled|controls|control|captured|took)\s+(?:around\s+|about\s+|roughly\s+|nearly\s+)?"
     r"(?:parts?|most|half|some|a\s+fifth|a\s+third|a\s+quarter|\d+\s?%|\d+\s+per\s?cent)\s+of", None),
    ("disputed", "near", "fighting", r"fighting\s+inside\b", None),
    ("disputed", "after", "established gained secured holding foothold",
     r"(?:(?:established|gained|secured|holding|held)\s+(?:a\s+|their\s+|its\s+)?)?footholds?\b", None),
    ("disputed", "after", "offensive counteroffensive counter", r"(?:counter-?\s?)?offensives?\s+in\b", None),
    ("disputed", "after", "counteroffensive counter",
     r"counter-?\s?offensive\s+(?:operations|actions)\s+(?:\w+\s+)?(?:near|around|towards?|on|against)\b", None),
    # ---- encircled ----
    ("encircled", "before", "surrounded encircled besieged blockaded cut isolated blocked",
     r"(?:surrounded|encircled|besieged|blockaded|cut\s+off|isolated|blocked)\b", _BE),
    ("encircled", "near", "under remain", r"(?:under|remains?\s+under)\s+(?:a\s+)?(?:siege|blockade)", None),
    ("encircled", "near", "encircled", r"encircled\s+and\s+blocked", None),
    ("encircled", "near", "semi half partially nearly almost", r"(?:semi|half|partially|nearly|almost)-?\s?(?:encircl|surround)\w*", None),
    ("encircled", "after", "encircl surround besieg blockad", r"(?:encircl|surround|besieg|blockad)\w*", None),
    ("encircled", "after", "laying lay laid lays", r"(?:laying|lay|laid|lays)\s+siege\s+to", None),
    ("encircled", "after", "siege encirclement blockade", r"(?:siege|encirclement|blockade)\s+of\b", None),
    ("encircled", "after", "isolated", r"isolated\b", r"(?:has|have|had)\s+(?:\w+\s+)?$"),
    # ---- retaken ----
    ("retaken", "before", "retaken recaptured liberated freed regained", r"(?:retaken|recaptured|liberated|freed|regained)\s+by\b",
     r"(?:(?:is|are|was|were|be|been|being|now)\s+|\b(?:recently|since|later|now|just)\s+)$"),
    ("retaken", "before", "liberated recaptured retaken freed regained",
     r"(?:liberated|recaptured|retaken|freed|regained)\b(?!\s+(?:parts?|most|half|some|a\s+\w+\s+of))", _BE),
    ("retaken", "after", "recaptur retook retak regain reclaim took taken won de re",
     r"(?:recaptured|recapture|recaptures|recapturing|retook|retake|retakes|retaking|retaken|regained|regain|reclaimed|"
     r"took\s+back|taken\s+back|won\s+back|de-occupied|re-?established\s+(?:ukrainian\s+)?control)\b", None),
    ("retaken", "after", "liberat freed", r"(?:liberated|liberate|liberates|liberating|liberation|freed)\b", None),
    # ---- captured ----
    ("captured", "before", "has have had", r"(?:has|have|had)\s+(?:now\s+|already\s+|finally\s+)?fallen\b", None),
    ("captured", "before", "fell falls", r"(?:fell|falls)\b", None),
    ("captured", "before", "captured seized taken occupied overrun annexed lost",
     r"(?:captured|seized|taken|occupied|overrun|annexed|lost)\b(?!\s+(?:hostage|prisoner|captive))", _BE),
    ("captured", "before", "under", r"under\s+" + _RU + r"\s+(?:military\s+)?(?:control|occupation)",
     r"(?:came|come|comes|fell|is|are|was|were|remains?|remained|been|now)\s+"
     r"(?:(?:firmly|now|fully|completely|entirely|effectively|already|still|largely|mostly|partly|partially)\s+)*$"),
    ("captured", "before", "under", r"under\s+the\s+control\s+of\s+(?:the\s+)?(?:russia\w*|moscow|separatists?)",
     r"(?:is|are|was|were|been|remains?|remained|came|come|comes|fell|now)\s+(?:\w+\s+)?$"),
    ("captured", "after", "under", r"under\s+the\s+control\s+of\s+(?:the\s+)?(?:russia\w*|moscow|separatists?)", None),
    ("captured", "before", "'s", r"'s\s+(?:fall|capture|seizure|occupation)\b", None),
    ("captured", "after", "captur seiz took tak occup overran overrun annexed",
     r"(?:captured|capture|captures|capturing|seized|seize|seizes|seizing|took|take|takes|taking|taken|occupied|occupy|"
     r"occupies|occupying|overran|overrun|annexed)\b(?!\s+(?:in|at|near|during|part|place|hostage|prisoner|captive|aim|steps?|action|time|positions|"
     r"photos?|pictures?|on|over|off|up|care|notes?|questions?|shelter|refuge|turns?|advantage|responsibility|office|power)\b)"
     r"(?!\s+(?:(?:a|an|the|two|three|several|dozens\s+of|hundreds\s+of|thousands\s+of|\d+)\s+)?(?:\w+\s+)?"
     + _PEOPLE + r")", None),
    ("captured", "after", "took taken take takes taking gained seized established have has had in assumed claims claimed",
     r"(?:took|taken|take|takes|taking|gained|seized|established|have|has|had|in|assumed|claims?|claimed)\s+"
     r"(?:full\s+|complete\s+|total\s+|effective\s+)?control\s+(?:of|over)\b", None),
    ("captured", "after", "controls", r"controls\b", None),
    ("captured", "after", "fall capture seizure occupation takeover annexation",
     r"(?:fall|capture|seizure|occupation|takeover|annexation)\s+of\b", None),
    ("captured", "after", "withdr retreat pull left",
     r"(?:withdr[ae]wn?|withdrawal|withdrawing|withdraw|retreat\w*|pulled\s+out|pull\s+out|pulling\s+out|left)\s+(?:\w+\s+)?(?:from|out\s+of)\b", None),
    ("captured", "after", "pushed forced driven kicked thrown",
     r"(?:pushed|forced|driven|kicked|thrown)\s+(?:back\s+)?out\s+of\b", None),
    ("captured", "after", "entered entering", r"(?:entered|entering)\b(?!\s+(?:the\s+)?(?:war|conflict|talks|service|office|force|negotiations))", None),
    ("captured", "after", "raised hoisted planted",
     r"(?:raised|hoisted|planted)\s+(?:the\s+|their\s+|a\s+)?(?:\w+\s+)?flags?\s+(?:over|in|above|on|at)\b", None),
    ("captured", "after", "russian russia moscow separatist",
     r"(?:russian|russia|moscow|separatist)-(?:held|occupied|controlled|annexed|installed)\b", None),
    # ---- threatened ----
    ("threatened", "after", "advanc mov march push press head bear converg closing driv",
     r"(?:advanc\w*|mov\w*|march\w*|push\w*|press\w*|head\w*|bear\w*\s+down|converg\w*|closing\s+in|driv\w*)\s+"
     r"(?:\w+ly\s+)?(?:from\s+the\s+(?:north|south|east|west)\w*\s+)?(?:(?:farther|further|deeper|closer)\s+)?(?:in\s+)?"
     r"(?:on|towards?|onto|into|to|in\s+on|near|around|outside|(?:north|south|east|west)\w*\s+of)\b"
     r"(?!\s+the\s+(?:north|south|east|west)\w*\b(?!\s+of))", None),
    # "continued offensive operations near Kreminna": attacks toward the place (ISW's wording)
    ("threatened", "after", "offensive",
     r"offensive\s+(?:operations|actions)\s+(?:\w+\s+)?(?:near|around|towards?|on|against|in\s+the\s+direction\s+of)\b", None),
    ("threatened", "after", "made making make makes",
     r"(?:made|making|make|makes)\s+(?:\w+\s+)?(?:gains|advances|progress)\s+(?:around|near|towards?|outside|on)\b", None),
    ("threatened", "after", "approach encroach threaten", r"(?:approach\w*|encroach\w*\s+on|threaten\w*)\b", None),
    ("threatened", "near", "in", r"in\s+(?:their|its|russia's|moscow's|the\s+kremlin's)\s+sights", None),
    ("threatened", "near", "headed", r"headed\s+in\s+its\s+direction", None),
    ("threatened", "near", "under", r"under\s+(?:\w+\s+)?threat\b", None),
    ("threatened", "near", "brace", r"braces?\s+for\b", None),
    ("threatened", "after", "regroup prepar poised readying massing gearing",
     r"(?:regroup\w*|prepar\w*|poised|readying|massing|gearing\s+up)\s+(?:for\s+)?(?:an?\s+|the\s+)?"
     r"(?:attack|assault|offensive|push|storm|advance)\w*(?:\s+(?:on|against|towards?))?", None),
    ("threatened", "after", "possible planned imminent expected looming potential future new ground",
     r"(?:possible|planned|imminent|expected|looming|potential|future|new|ground)\s+(?:ground\s+)?(?:attack|assault|offensive)\s+"
     r"(?:on|against|towards?)\b", None),
    ("threatened", "after", "break breakthrough", r"(?:break\s+through|breakthrough)\s+to\b", None),
    ("threatened", "after", "miles mi km kilometres kilometers",
     r"(?:miles|mi|km|kilometres|kilometers)\s+(?:\(\d+\s*(?:miles|km)\)\s+)?(?:from|outside|of)\b", r"\d+\s*$"),
    ("threatened", "near", "vulnerable", r"vulnerable\b", None),
    ("threatened", "after", "in", r"in\s+the\s+direction\s+of\b", None),
    ("threatened", "after", "seek seeking trying tried attempt aim", r"(?:seek\w*|trying|tried|attempt\w*|aim\w*)\s+to\s+reach\b", None),
    ("threatened", "near", "key", r"key\s+(?:russian\s+|ukrainian\s+)?(?:target|objective)\b", None),
    # ---- attacked ----
    ("attacked", "before", "under", r"under\s+(?:\w+\s+){0,2}?(?:attack|fire|shelling|bombardment|bombing|missile\s+fire|artillery\s+fire|assault)",
     r"(?:came|come|comes|coming|is|are|was|were|been|remains?)\s+$"),
    ("attacked", "before", "shelled bombed struck hit attacked targeted pounded bombarded pummel rocketed battered destroyed",
     r"(?:shelled|bombed|struck|hit|attacked|targeted|pounded|bombarded|pummel+ed|rocketed|battered|destroyed)\b", _BE),
    ("attacked", "near", "shelling shells bombardment bombing airstrike air missile strike explosion blast barrage artillery rocket drone",
     r"(?:shelling|shells|bombardments?|bombings?|airstrikes?|air\s+strikes?|air\s+raids?(?!\s+(?:sirens?|alerts?|warnings?|shelters?))|missile\s+strikes?|strikes?|explosions?|blasts?|"
     r"attacks|barrage(?!\s+of\s+(?:questions|criticism|calls|complaints|sanctions|insults|messages|emails|abuse|attention))|artillery\s+(?:fire|attacks?)|rocket\s+attacks?|missile\s+attacks?|drone\s+attacks?)\b"
     r"(?!\s+(?:systems?|launchers?|capabilit\w+|defen[cs]e|boats?|ships?|cruisers?|carriers?|batter\w+|units?|range))", None),
    ("attacked", "near", "killed wounded injured", r"(?:killed|wounded|injured)\b", None),
    ("attacked", "before", "subjected", r"subjected\s+to\s+(?:\w+\s+){0,2}?(?:shelling|attacks?|bombardments?|strikes?|fire|bombing)", None),
    ("attacked", "near", "damaged destroyed burning ablaze on razed flattened reduced devastated",
     r"(?:damaged|destroyed|burning|ablaze|on\s+fire|razed|flattened|reduced\s+to\s+(?:rubble|ruins|ashes)|devastated)\b"
     # "warplanes destroyed two Ukrainian battalions": what was destroyed is the object, not the place
     r"(?!\s+(?!by\b)(?:\w+\s+){0,3}?(?:battalions?|brigades?|regiments?|units?|tanks?|vehicles?|aircraft|planes?|helicopters?|"
     r"drones?|missiles?|launchers?|howitzers?|artillery|boats?|ships?|equipment|depots?|positions?)\b)", None),
    ("attacked", "after", "shell bomb struck strik hitting hit pound pummel attack assault target slam rain fir storm",
     r"(?:shelled|shell|shelling|bombed|bomb|bombing|bombard\w*|struck|strike|striking|strikes|hitting|hit|pound\w*|pummel\w*|"
     r"attack\w*|assault\w*|targeted|targeting|slam\w*\s+into|rain\w*\s+down\s+on|fir\w+\s+on|storm\w*)\b", None),
]

class _AnyCase:
    """A case-insensitive rule, also compiled case-sensitively for ASCII-lower-cased text, where it
    finds the same matches (its words are lower-case ASCII) about three times faster, when the text
    has none of the characters IGNORECASE also folds onto ASCII letters (see :func:`_search`).

    A rule whose every match opens a word (each alternative begins with ``\\b`` and a word
    character) says so (``opens_word``): its lower-case twin then opens on the character before
    that word (:func:`geo.regex_trie.opening_a_word`) and is matched behind a space (``behind``),
    a tenth to a quarter fewer instructions on the corpus's windows."""

    __slots__ = ("any_case", "lower", "behind")

    def __init__(self, source: str, opens_word: bool = False) -> None:
        self.any_case = re.compile(source, re.I)
        self.lower = opening_a_word(source) if opens_word else re.compile(source)
        self.behind = " " if opens_word else ""


#: Characters that IGNORECASE matches with ASCII letters: "ſ" (s), Kelvin "K" (k), "ı" and "İ" (i).
_FOLDS_TO_ASCII: Final = ("ſ", "\u212a", "ı", "İ")


def _search(rule: _AnyCase, text: str, lower: str | None, start: int, end: int) -> bool:
    """Whether ``rule`` occurs in ``text[start:end]``; ``lower`` is the text's ASCII-lower-cased
    twin, ``None`` when the text has a character of :data:`_FOLDS_TO_ASCII`."""
    if lower is None:
        return rule.any_case.search(text[start:end]) is not None
    return rule.lower.search(rule.behind + lower[start:end]) is not None


# Clause-internal cues, looked for in a window before the trigger.
_NEGATION: Final = _AnyCase(r"(?:\b(?:not|never|no|without|failed|fail|fails|failing|unable|yet\s+to|den(?:y|ies|ied)|refute\w*|rejected|"
                       r"thwart\w*|foil\w*|prevent\w*|averted)\b|n't\b)[^,;:]*$")
_NEGATION_WINDOW: Final = 40
_INTENT: Final = _AnyCase(
    r"\b(?:plans?|planning|planned|effort|efforts|attempt\w*|try|tries|trying|tried|aims?|aimed|aiming|hopes?|hoping|want\w*|seek\w*|intend\w*|intent|objective|goal|bid|push|preparing|prepares?|poised|ready|set|order|designs|expected|going|threat\w*|determined|mission|offensive|assault|seek)\s+(?:is\s+|was\s+)?(?:to|on)\s+(?:\w+\s+){0,2}$"
    r"|\b(?:planning|planned|plans|preparing|prepares|readying|threatening)\s+(?:an?|the|its|their)\s+(?:\w+\s+)?$"
    r"|\bsucceed\w*\s+in\s+$"
    r"|\b(?:hopes?|hoping|plans?|aims?|goal|chances?|bid|attempts?|efforts?|ambitions?)\s+of\s+$"
    r"|\b(?:for|towards?)\s+an?\s+(?:possible\s+|planned\s+|potential\s+|eventual\s+)?$"
    r"|\b(?:if|unless|should|would|could|might|will)\s+(?:\w+\s+){0,2}$", opens_word=True)
#: A bare infinitive ("in position to attack the port"): purpose, not an event; unless the verb
#: before it says the action goes on ("continues to shell") or it is a hedge ("appears to be").
_TO_INTENT: Final = _AnyCase(r"\bto(?<!continue\sto)(?<!continues\sto)(?<!continued\sto)(?<!began\sto)"
                       r"(?<!begun\sto)(?<!started\sto)(?<!starts\sto)(?<!appears\sto)"
                       r"(?<!appear\sto)(?<!appeared\sto)(?<!seems\sto)(?<!seem\sto)(?<!seemed\sto)"
                       r"(?<!likely\sto)(?<!said\sto)(?<!reported\sto)(?<!believed\sto)(?<!used\sto)"
                       r"(?<!able\sto)(?<!managed\sto)\s+$", opens_word=True)
#: Verbs before "to" that make the infinitive something that happened ("forcing Russia to withdraw").
_DONE_TO: Final = _AnyCase(r"\b(?:forc(?:ed|ing)|compell\w*|made|continu\w*|began|begun|start\w*|appear\w*|seem\w*|likely|said|"
                      r"reported|believed|used|able|managed|had)\s+(?:\w+\s+){0,3}to\s+$", opens_word=True)
_HEDGE: Final = _AnyCase(
    r"\b(?:appears?|appeared|seems?|seemed|may|might|could|reportedly|allegedly|apparently|likely|possibly|probably|"
    r"believed|thought|said\s+to|claim\w*|unconfirmed|unverified|rumou?r\w*|supposedly|purported\w*)\b", opens_word=True)
#: A single quote mark that is no apostrophe (not between letters); written to open with the quote
#: so that the regex engine jumps from quote to quote.
_SINGLE_QUOTE: Final = re.compile(r"'(?:(?![A-Za-z])|(?<![A-Za-z]'))")
#: Quote marks are blanked and apostrophes made plain before the rules read a sentence.
_QUOTE_FOLDS: Final = tuple((c, " ") for c in "\"“”«»„") + tuple((c, "'") for c in "’‘´`")
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]+")
_SIDE: Final = re.compile(
    r"(?P<ua>\bukrain\w*|\bkyiv'?s?\b|\bkiev'?s?\b|\bzelensk\w*|\bdefenders\b)|(?P<ru>\bruss\w*|\bmoscow\b|\bkremlin\b|\bputin\w*|\bseparatists?\b|\bwagner\b|\bchechen\w*|\bdpr\b|\blpr\b|\bdonbass\s+militias?)",
    re.I)


class Target:
    """A place mention inside a sentence, as the status rules see it (one is made for every
    place in every sentence that has a trigger: a plain class with a written-out ``__init__``,
    which compiled is a direct call with fields read as struct members, where a named tuple's
    ``__new__`` runs interpreted).

    ``key`` identifies the place (what the status is attached to); ``is_reference``
    marks a reference back ("the city") resolved to that place. ``pronoun``: an "it" standing
    for the place (:func:`_with_pronouns`), the object or the subject of a trigger verb, never
    the scene of a scene word ("when it ordered a strike on ..."). ``owner``: the side whose
    country the place lies in, "ua", or "ru" for a place in Russia ("Sudzha"), where a Ukrainian
    capture is no retaking and a Russian one is (:func:`_apply_side`).
    """

    __slots__ = ("start", "end", "key", "kind", "is_reference", "pronoun", "owner")

    def __init__(self, start: int, end: int, key: str, kind: str | None = "city", is_reference: bool = False,
                 pronoun: bool = False, owner: str = "ua") -> None:
        self.start, self.end, self.key, self.kind = start, end, key, kind
        self.is_reference, self.pronoun, self.owner = is_reference, pronoun, owner


@dataclass(init=False)
class Finding:
    """A status reported in a sentence about one target."""

    key: str
    status: str
    trigger: str
    trigger_start: int
    confidence: float
    negated: bool
    hedged: bool
    via_reference: bool

    def __init__(self, key: str, status: str, trigger: str, trigger_start: int, confidence: float,
                 negated: bool = False, hedged: bool = False, via_reference: bool = False) -> None:
        """Written out, not the dataclass' own: mypyc compiles this one (see Target)."""
        self.key, self.status, self.trigger, self.trigger_start = key, status, trigger, trigger_start
        self.confidence, self.negated, self.hedged, self.via_reference = confidence, negated, hedged, via_reference


_Entry = tuple[int, str, str, "re.Pattern[str]", "re.Pattern[str] | None"]


def _compile() -> dict[str, list[_Entry]]:
    """Bucket the triggers by the first three letters of their anchor words."""
    buckets: dict[str, list[_Entry]] = {}
    for order, (status, direction, anchors, core, prefix) in enumerate(TRIGGERS):
        entry = (order, status, direction, re.compile(core), re.compile(prefix) if prefix else None)
        for key in {anchor[:3] for anchor in anchors.split()}:
            buckets.setdefault(key, []).append(entry)
    return buckets


def _gate(key: str) -> str:
    """What must hold where a bucket's anchor ``key`` ends (see :data:`_ANCHOR`): a three-letter
    key starts the word, a shorter one is the whole word; and the bucket's gate, the alternation
    of its cores, matches from the word's start. Where the gate does not match, no entry of the
    bucket does, which is the common case (only about one anchor word in twelve passes: "in" is
    an anchor), so it is tested inside the regex engine, not in Python: a lookbehind over the key
    holds a lookahead for the gate."""
    gate = "|".join(f"(?:{entry[3].pattern})" for entry in _BUCKETS[key])
    whole_word = "" if len(key) == 3 else "(?![a-z])"
    return f"{whole_word}(?<=(?={gate}){re.escape(key)})"


_BUCKETS: Final = _compile()
#: A word that opens some bucket, where that bucket's gate matches (see :func:`_gate`), with the
#: character before it, which must be no letter or hyphen. Matched on the text behind a space, so
#: that the first word has one: the pattern opening with a character class, not a lookbehind, lets
#: the regex engine skip from one such character to the next. The possessive bucket ("'s") is
#: looked for apart.
_ANCHOR: Final = re.compile(r"[^a-z\-](" + trie([key for key in _BUCKETS if key.isalpha()], _gate) + ")")
# Partial control also reports the retaking/capture itself: run those verbs a second time.
_PARTIAL_VERB: Final = re.compile(r"(?:recaptured|retook|retaken|regained|liberated)\b")


def _fold(sentence: str) -> tuple[str, str]:
    """The sentence as the rules read it, quote marks blanked and apostrophes plain, and that
    text lower-cased in ASCII only (both of the sentence's length, so offsets carry over)."""
    text = sentence
    for mark, plain in _QUOTE_FOLDS:
        if mark in text:
            text = text.replace(mark, plain)
    if "'" in text:
        text = _SINGLE_QUOTE.sub(" ", text)
    return text, _ascii_lower(text)


def _ascii_lower(text: str) -> str:
    """``text`` with A-Z lower-cased and every other character kept (str.lower() would also fold
    "Ж" and could lengthen the string: "İ")."""
    if text.isascii():
        return text.lower()
    pieces, at = [], 0
    for m in _NON_ASCII.finditer(text):
        run = m.group()
        if run.lower() != run:
            pieces.append(text[at:m.start()].lower())
            pieces.append(run)
            at = m.end()
    if not pieces:
        return text.lower()
    pieces.append(text[at:].lower())
    return "".join(pieces)


def _trigger_spans(lower: str) -> list[tuple[int, int, str, str]]:
    """(start, end, status, direction) of the triggers in a lower-cased sentence, leftmost first,
    earlier table entries winning over later ones they overlap."""
    found = []
    for w in _ANCHOR.finditer(" " + lower):
        at = w.start()  # of the character before the word behind the space: of the word in ``lower``
        for order, status, direction, core, prefix in _BUCKETS[w.group(1)]:
            m = core.match(lower, at)
            if m is None:
                continue
            start = at
            if prefix is not None:
                p = prefix.search(lower, max(0, at - 60), at)
                if p is None:
                    continue
                start = p.start()
            found.append((start, order, m.end(), status, direction))
    at = lower.find("'s")
    while at != -1:
        for order, status, direction, core, prefix in _BUCKETS["'s"]:
            m = core.match(lower, at)
            if m is not None:
                found.append((at, order, m.end(), status, direction))
        at = lower.find("'s", at + 2)
    found.sort()
    spans, taken_to = [], -1
    for start, _order, end, status, direction in found:
        if start >= taken_to:
            spans.append((start, end, status, direction))
            taken_to = end
    return spans


#: Places that statuses attach to: a change of control of a country or a sea is
#: not what these words report in war news ("Russia has taken control of its
#: first major Ukrainian city" is about the city).
STATUS_KINDS: Final = frozenset({"city", "region"})

#: Targets are put in text order by these (C-level key functions).
_BY_START: Final = attrgetter("start")
_BY_END: Final = attrgetter("end")
_TARGET_WINDOW: Final = 90     # characters from trigger to a target in its own direction
_FALLBACK_WINDOW: Final = 30   # characters to a target on the other side
_APPOSITION_REACH: Final = 160  # characters from an apposition's head to the trigger
_CLAUSE_REACH: Final = 200      # characters before a trigger read as its clause (subject, side, hedges)
#: Words between a trigger and a place after it that end the trigger's reach: the place is
#: then where something else happens ("advancing to the northwest out of Crimea").
_GAP_STOP: Final = _AnyCase(r"\b(?:out|from|after|before|while|when|because|which|who|whose|said|says|told|but|than|"
                       r"since|until|during|if|where|despite|although|though|whether|unless|and\s+then)\b", opens_word=True)
# Each alternative opens with a plain character, so that the regex engine skips to those.
_CLAUSE_BREAK: Final = re.compile(r";|:|,\s+(?:but|while|although|though)\b|b(?<!\wb)ut\b")
_NEGATION_IN_TRIGGER: Final = re.compile(r"\bnot\b|\bno\s+longer\b")
_NOT_ONLY: Final = re.compile(r"\bnot\s+only\b", re.I)
_HARD_BREAK: Final = re.compile(r";|:|\.\s")
_POSSESSIVE_BEFORE: Final = re.compile(r"\b(?:his|her|their|my|our|your)\s+$", re.I)
_BY: Final = re.compile(r"\s+by\b", re.I)
#: Words that say a movement is military (a president "heading to Madrid" threatens nothing).
_MILITARY: Final = _AnyCase(r"\b(?:troops?|forces?|army|armies|units?|convoy|column|tanks?|soldiers|fighters|militar\w*|offensive|"
                       r"enemy|russians|ukrainians|battalions?|brigades?|btgs?|divisions?|artillery|marines|paratroopers|"
                       r"mercenar\w+|wagner|invad\w+|attack\w*|assault|advance\w*)\b", opens_word=True)
_MOVEMENT: Final = re.compile(r"(?:advanc|mov|march|push|press|head|bear|converg|closing|driv|approach|encroach)", re.I)
#: After a capture or control trigger: it holds only part of the place ("controls almost all of
#: Mariupol", "in control of some parts of", "took control of most of", "have control of 97% of",
#: "the Russia-controlled part of the region"), which makes control split, ``disputed``; "all of"
#: alone is no part, and the part is of a named place or "the" city or region, not "swathes of
#: territory including the cities of ..." nor "taking some of her children to Moscow".
_PARTIAL_AFTER: Final = re.compile(
    r"\s+(?:control\s+(?:of|over)\s+)?(?:(?:almost|nearly|virtually|practically)\s+all|"
    r"(?:(?:about|around|roughly|over|more\s+than|at\s+least|less\s+than)\s+)?"
    r"(?:most|much|half|some|(?:(?:some|large|small|several|many|most)\s+)?parts?|swathe?s|the\s+(?:(?:\w+ern|larger|greater|bigger|smaller)\s+)?(?:part|half)|"
    r"an?\s+(?:(?:large|small|big|significant|substantial|major)\s+)?(?:part|portion|chunk|swathe?|third|fifth|quarter|half)|"
    r"(?:two|one)[\s-](?:thirds?|fifths?|quarters?)|\d+(?:\.\d+)?\s?(?:%|per\s?cent)))\s+of\s+"
    r"(?=(?-i:[A-Z])|the\b)(?!the\s+(?:\w+\s+)?(?:territory|territories|land|lands|ground)\b)", re.I)
#: Right before the place a status is said of: only part of it ("parts of the region still under
#: Kyiv's control", "most of Luhansk, which fell"), so control is split.
_PART_OF_BEFORE: Final = re.compile(r"\b(?:parts?|most|much|half|some|large\s+parts|swathes?|districts|areas)\s+of\s+(?:the\s+)?(?:neighbou?ring\s+|nearby\s+|southern\s+|northern\s+|"
                             r"eastern\s+|western\s+)?$", re.I)
_NOT_CAPTURE: Final = re.compile(r"(?:photo|picture|image|video|footage|decision|step|action|measure|snapshot|screenshot|note)s?\s+$", re.I)
_RELATIVE: Final = re.compile(r"\b(?:which|that|who)\s+(?:\w+\s+){0,2}$", re.I)
_QUOTE_CHARS: Final = frozenset("\"“”«»„'‘’")
_LIST_GAP: Final = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s+)(?:the\s+(?:cities|towns|villages|city|town)\s+of\s+)?"
                       r"(?:\d+\s?%\s+of\s+)?$", re.I)
_APPOSITION: Final = re.compile(
    r"^,\s+(?:in\s+)?(?:a|an|the|two|one|both|its|this)\b[^,;]*?\b(?:suburb|town|city|cities|village|villages|settlement|port|"
    r"centres?|centers?|hub|area|capital|stronghold|outpost|island|region|oblast|province|district)\b"
    # "the Sviatohirsk monastery, around 12 miles north of Slavyansk": the other place is a landmark
    r"|^(?:\s+[a-z]+)?,\s+(?:(?:around|about|some|roughly|nearly|just|only)\s+)?\d+\s*(?:miles|mi|km|kilometres|kilometers)\s+"
    r"(?:\(\d+\s*(?:miles|mi|km)\)\s+)?(?:north|south|east|west)[\w-]*\s+of\b", re.I)

# The rules' fixed patterns, compiled once: these run for every trigger, and re.search with a
# pattern string pays a lookup in re's cache each time. Triggers are lower-cased.
#: Trigger words that report an attempt ("trying to recapture", "a bid to retake").
_ATTEMPT_WORDS: Final = ("trying", "tried", "try", "tries", "attempt", "seek", "bid", "struggl", "push", "fight", "battl")
_ATTEMPT_BEFORE: Final = re.compile(r"\b(?:succeed\w*\s+in|try\w*|tri\w+|attempt\w*|bid|seek\w*|struggl\w*|fight\w*|push\w*)\b", re.I)
_NOT_YET_BEFORE: Final = re.compile(r"\bnot\s+(?:yet\s+)?(?:been\s+)?$", re.I)
#: A denial that the place was taken, right before the trigger's clause ("Ukraine denied that Bakhmut
#: had fallen", "Kyiv denies Russian claims that Soledar was captured"): the defenders say they hold it.
_DENIED_BEFORE: Final = re.compile(r"\bden(?:y|ies|ied)\s+(?:(?:russian\s+|the\s+)?claims?\s+)?that\s+[^,;:]*$", re.I)
_TAKEN_WORD: Final = re.compile(r"fallen|fell|captured|taken|control")
_MODAL_BEFORE: Final = re.compile(r"\b(?:would|could|will|might)\s+$", re.I)
#: How a trigger that says a side left a place opens ("withdrew from", "were driven out of"): who
#: left decides the status (:func:`_apply_side`), also for part of a place ("areas of Kharkiv region").
_LEAVING: Final = ("withdr", "retreat", "pull", "left", "pushed", "forced", "driven", "kicked", "thrown")
_PARTLY: Final = re.compile(r"\b(?:part(?:ial)?ly|largely|mostly)\b")
_PASSIVE_OR_GERUND: Final = re.compile(r"(?:be|been|being|is|are|was|were|come|came|fall|fell)\s|\w+ing\b")
_FROM_UKRAINE: Final = re.compile(r"\s*(?:\w+\s+){0,3}from\s+(?:the\s+)?(?:ukrain|kyiv|kiev|nationalists|neo-?nazi)")
_FROM_RUSSIA: Final = re.compile(r"\s*(?:\w+\s+){0,3}from\s+(?:the\s+)?(?:russ|occupation|occupiers)")
#: A capture trigger that names the side or the fall itself ("fell", "under Russian control").
_SIDE_IN_TRIGGER: Final = re.compile(r"fall|fell|russia|moscow|separatist|under|occupied")


def find_statuses(sentence: str, targets: Sequence[Target]) -> list[Finding]:
    """Every status the sentence reports about its targets (see module docstring)."""
    if not any(t.kind in STATUS_KINDS for t in targets):
        return []
    return Reading(sentence).statuses(list(targets))


class Reading:
    """A sentence read for triggers, before its targets are known: when it has none
    (``triggers`` is empty), a caller need not work out its targets at all."""

    __slots__ = ("sentence", "text", "lower", "triggers")

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence
        self.text, self.lower = _fold(sentence)
        #: (start, end, status, direction) of every trigger, leftmost first.
        self.triggers = _trigger_spans(self.lower)

    def statuses(self, targets: list[Target]) -> list[Finding]:
        """Every status the sentence reports about ``targets`` (see module docstring)."""
        sentence, text, lower = self.sentence, self.text, self.lower
        # The case-insensitive rules read the lower-cased twin unless that could change a match.
        twin = None if not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII) else lower
        findings: list[Finding] = []
        if " it" in lower:
            targets = _with_pronouns(lower, text, targets)
        for start, end, status, direction in self.triggers:
            if _inside_target(start, end, targets):
                continue
            quoted = _scare_quoted(sentence, start, end)
            findings.extend(_judge(text, twin, start, end, status, direction, targets, quoted))
            if status == "disputed" and (verb := _PARTIAL_VERB.match(lower, start)):
                findings.extend(_judge(text, twin, verb.start(), verb.end(), "retaken", "after", targets, quoted))
        return findings


#: "it" as a word: a pronoun that may stand for the place named before it in the sentence.
_IT: Final = re.compile(r"\bit\b")
#: How far (characters) back "it" reaches for the place it stands for.
_PRONOUN_REACH: Final = 150
#: Between a place and an "it" that stands for it: a new clause ("and", "as", "while", a comma...),
#: so that the place is not the subject of the verb whose object the "it" is ("Moscow annexed it").
_NEW_CLAUSE: Final = re.compile(r",|\b(?:and|as|while|after|before|when|since|until|but|because|if|that)\b")
#: A noun phrase between the place and "it" that the "it" more likely stands for ("captured the
#: site and has controlled it", "the vehicle came under fire as it went"); "the most" is no noun.
_OTHER_NOUN: Final = re.compile(r"\b(?:the|a|an|this|that|its|their)\s+(?!most\b|least\b)[a-z]")


def _with_pronouns(lower: str, text: str, targets: list[Target]) -> list[Target]:
    """``targets`` and each "it" of the sentence that stands for a town or region named before it
    in the sentence, as a reference to that place ("Russian forces have isolated Mariupol and
    continue to bombard it", "the Russians were destroying Severodonetsk as they gradually
    surrounded it"); the trigger rules then choose it, or not, like any target. The place is the
    last one named before the "it", in an earlier clause (:data:`_NEW_CLAUSE`) with no other noun
    phrase between them (:data:`_OTHER_NOUN`, read on the sentence as written: "the Russians" is
    no other noun). An "it" after a country stands for the country, which takes no status, so it
    is not added ("Russia said it had captured Kherson" reads Kherson after the verb)."""
    pronouns = []
    for m in _IT.finditer(lower):
        start = m.start()
        last = max((t for t in targets if t.end <= start), key=lambda t: t.end, default=None)
        if last is None or last.kind not in STATUS_KINDS or start - last.end > _PRONOUN_REACH:
            continue
        if _NEW_CLAUSE.search(lower, last.end, start) and not _OTHER_NOUN.search(text, last.end, start):
            pronouns.append(Target(start, m.end(), last.key, last.kind, True, True))
    return sorted([*targets, *pronouns], key=lambda t: t.start) if pronouns else targets


def _scare_quoted(sentence: str, start: int, end: int) -> bool:
    """The trigger alone in quote marks ('the "liberation" of Donbas'): one side's wording, not the report's."""
    before = sentence[max(0, start - 1):start]
    after = sentence[end:end + 1]
    return bool(before) and before in _QUOTE_CHARS and after in _QUOTE_CHARS


def _inside_target(start: int, end: int, targets: list[Target]) -> bool:
    """A trigger word that is part of a place name ("Kherson Region"-like cases) is no trigger."""
    return any(t.start <= start and end <= t.end for t in targets)


def _judge(text: str, lower: str | None, start: int, end: int, status: str, direction: str,
           targets: list[Target], quoted: bool = False) -> list[Finding]:
    """The findings of one trigger. ``lower``: the text's twin for :func:`_search`."""
    if direction == "after" and (_RELATIVE.search(text, max(0, start - 25), start) or _BY.match(text, end)):
        direction = "before"  # "Mariupol, which if captured ...", "Crimea, annexed by Moscow": the antecedent
    # After the trigger, the nearest place of any kind is what it speaks of ("a blockade on
    # Ukraine"); before it, a country is usually a modifier ("Kharkiv in Ukraine's northeast").
    pool = targets if direction == "after" else [t for t in targets if t.kind in STATUS_KINDS
                                                  and not (t.pronoun and direction == "near")]
    chosen = [t for t in _targets_for(text, lower, start, end, direction, pool) if t.kind in STATUS_KINDS]
    if not chosen:
        return []
    trigger = text[start:end].strip()
    before = text[max(0, start - _NEGATION_WINDOW):start]
    clause_before = _CLAUSE_BREAK.split(text[max(0, start - _CLAUSE_REACH):start])[-1]
    confidence = 0.9
    negated = _search(_NEGATION, text, lower, max(0, start - _NEGATION_WINDOW), start) and not _NOT_ONLY.search(before)
    lowered = trigger.lower()
    # A trigger that is itself a negation ("have not yet fallen" -> held, "not captured
    # totally" -> disputed) is read as such and says so; it is not negated a second time.
    read_through_negation = status in ("held", "disputed") and bool(_NEGATION_IN_TRIGGER.search(lowered))
    if status == "held" or read_through_negation:
        negated = False
    if negated and status == "disputed" and lowered.startswith(_ATTEMPT_WORDS):
        negated = False  # "a failed bid to recapture the island": there was a fight for it
    if negated:
        if status == "captured" and _NOT_YET_BEFORE.search(before) and _TAKEN_WORD.search(lowered):
            status, confidence = "held", 0.8
        elif status == "captured" and _DENIED_BEFORE.search(before) and _TAKEN_WORD.search(lowered):
            status, confidence = "held", 0.7
        else:
            return []
    elif status in ("captured", "encircled", "retaken") and _intent(text, lower, start, lowered):
        if status == "retaken":
            # Trying to retake a place is a fight for it; vowing or planning to is a threat to it.
            attempt = _ATTEMPT_BEFORE.search(text[max(0, start - 45):start])
            status, confidence = ("disputed", 0.8) if attempt else ("threatened", 0.7)
        else:
            status, confidence = "threatened", 0.7
    elif status in ("attacked", "disputed") and _intent(text, lower, start, lowered) \
            and not _MODAL_BEFORE.search(text[max(0, start - 20):start]) and not lowered.startswith(_ATTEMPT_WORDS):
        status, confidence = "threatened", 0.7
    if status == "captured" and _POSSESSIVE_BEFORE.search(text, max(0, start - 8), start):
        return []  # "his capture in Mariupol": a person was captured there
    if (status == "threatened" and _MOVEMENT.match(lowered) or "foothold" in lowered) and not _search(_MILITARY, text, lower, 0, len(text)):
        return []  # a president heading to Madrid, a foothold in politics
    if status == "captured" and "taken" in lowered and _NOT_CAPTURE.search(text, max(0, start - 25), start):
        return []  # "this photo was taken"
    if status == "captured" and (_PARTLY.search(lowered) or _PARTIAL_AFTER.match(text, end)) \
            or status in ("captured", "held") and not lowered.startswith(_LEAVING) \
            and _PART_OF_BEFORE.search(text, max(0, chosen[0].start - 30), chosen[0].start):
        # "partially occupied", "controls most of", "the Russia-held part of", "parts of the region
        # still under Kyiv's control": control is split
        status = "disputed"
    # Who took the place decides between captured and retaken, by whose country it lies in:
    # read for Ukraine's places, and again only if a target lies in Russia.
    by_owner = {"ua": _apply_side(status, lowered, text, start, end, clause_before, quoted)}
    if any(t.owner != "ua" for t in chosen):
        by_owner["ru"] = _apply_side(status, lowered, text, start, end, clause_before, quoted, owner="ru")
    if not any(by_owner.values()):
        return []
    hedged = _search(_HEDGE, text, lower, max(start - len(clause_before), start - 80), start) \
        or bool(_HEDGE.any_case.match(text[end:end + 12].lstrip()))
    if hedged:
        confidence = min(confidence, 0.6)
    negated = negated or read_through_negation
    # Positional, in the order of Finding's fields: passing the last three by keyword cost a
    # dataclass __init__ a tenth more per finding.
    return [Finding(target.key, read, trigger, start,
                    round(confidence - (0.1 if target.is_reference else 0.0), 2), negated, hedged, target.is_reference)
            for target in chosen if (read := by_owner[target.owner]) is not None]


def _intent(text: str, lower: str | None, start: int, trigger: str) -> bool:
    """Whether the words before the trigger make it an aim, a plan or a condition, not an event."""
    window = max(0, start - 45)
    if _search(_INTENT, text, lower, window, start):
        return True
    if _PASSIVE_OR_GERUND.match(trigger):
        return False  # a passive ("to be encircled") or a gerund ("limited to attacking") is no aim
    return _search(_TO_INTENT, text, lower, window, start) and not _search(_DONE_TO, text, lower, window, start)


def _apply_side(status: str, trigger: str, text: str, start: int, end: int, clause_before: str,
                quoted: bool = False, owner: str = "ua") -> str | None:
    """Turn captures into retakings (and back) by who acted; ``None`` drops the finding.

    ``owner`` is the side whose country the place lies in: a side that takes, enters or raises
    its flag over a place of its own country retakes it, any other capture is a capture, and a
    side that leaves a place hands it to the other.
    """
    if status == "retaken" and ("liberat" in trigger or "freed" in trigger):
        after = text[end:end + 40].lower()
        if _FROM_UKRAINE.match(after):
            return _taken_by("ru", owner)
        if _FROM_RUSSIA.match(after):
            return _taken_by("ua", owner)
        side = "ru" if quoted else (_nearest_side(clause_before) or _first_side(text[max(0, start - 400):start]))
        if side == "ru":
            return "threatened" if trigger.startswith("liberation") else _taken_by("ru", owner)
        return "retaken" if side is None else _taken_by(side, owner)
    if status == "captured" and trigger.startswith(("raised", "hoisted", "planted")):
        side = "ua" if "ukrain" in trigger else "ru" if "russia" in trigger else _nearest_side(clause_before)
        return None if side is None else _taken_by(side, owner)
    if status == "captured" and trigger.startswith("enter"):
        side = _nearest_side(clause_before)
        return None if side is None else _taken_by(side, owner)
    if status == "captured" and trigger.startswith(_LEAVING):
        side = _nearest_side(clause_before)
        return None if side is None else _taken_by("ru" if side == "ua" else "ua", owner)
    if status == "captured" and not _SIDE_IN_TRIGGER.search(trigger) \
            and trigger.startswith(("captur", "seiz", "took", "tak", "control")):
        side = _nearest_side(clause_before[-40:])
        if side is not None:
            return _taken_by(side, owner)
    return status


def _taken_by(side: str, owner: str) -> str:
    """What taking a place is, by the side that took it and the side whose country it lies in."""
    return "retaken" if side == owner else "captured"


def _first_side(text: str) -> str | None:
    """The side named first in the sentence: usually its subject or speaker."""
    m = _SIDE.search(text)
    if m is None:
        return None
    return "ua" if m.group("ua") else "ru"


def _nearest_side(clause: str) -> str | None:
    last = None
    for m in _SIDE.finditer(clause):
        last = m
    if last is None:
        return None
    return "ua" if last.group("ua") else "ru"


def _targets_for(text: str, lower: str | None, start: int, end: int, direction: str,
                 targets: list[Target]) -> list[Target]:
    # Each side is looked at only when the direction needs it: an object that is not there is
    # not looked for behind the verb, a subject's fallback after the trigger only without a subject.
    if direction == "after":
        group = _after(text, lower, end, targets)
    elif direction == "before":
        group = _before(text, start, targets) or [t for t in _after(text, lower, end, targets)
                                                 if t.start - end <= _FALLBACK_WINDOW]
    else:
        group = sorted(_after(text, lower, end, targets) + _before(text, start, targets),
                       key=lambda t: t.start - end if t.start >= end else start - t.end)
    if not group:
        return []
    head = group[0]
    if direction == "before" or (direction == "near" and head.end <= start):
        head_group = _apposition_head(text, head, start, targets) or [head]
    else:
        head_group = [head]
    return _with_list(text, head_group, targets)


def _after(text: str, lower: str | None, end: int, targets: list[Target]) -> list[Target]:
    """The targets a trigger ending at ``end`` can reach after it, nearest first."""
    if lower is None:
        gap_stop, read, at = _GAP_STOP.any_case.search, text, end
    else:  # the twin opens on the character before the word (see _AnyCase), here the trigger's last
        gap_stop, read, at = _GAP_STOP.lower.search, lower, end - 1
    after = [t for t in targets if t.start >= end and t.start - end <= _TARGET_WINDOW
             and not _HARD_BREAK.search(text, end, t.start) and not gap_stop(read, at, t.start)
             and not (t.kind not in STATUS_KINDS and text.startswith("'s", t.end))]
    after.sort(key=_BY_START)
    return after


def _before(text: str, start: int, targets: list[Target]) -> list[Target]:
    """The targets a trigger starting at ``start`` can reach before it, nearest first."""
    before = [t for t in targets if t.end <= start and start - t.end <= _TARGET_WINDOW
              and not _HARD_BREAK.search(text, t.end, start)]
    before.sort(key=_BY_END, reverse=True)
    return before


def _apposition_head(text: str, target: Target, trigger_start: int, targets: list[Target]) -> list[Target] | None:
    """``Bucha, a suburb northwest of Kyiv recently retaken``: the status is Bucha's, not Kyiv's."""
    for other in sorted(targets, key=lambda t: -t.end):
        if other.end > target.start:
            continue
        if trigger_start - other.end > _APPOSITION_REACH:
            break
        gap = text[other.end:trigger_start]
        if _APPOSITION.match(gap) and not _HARD_BREAK.search(gap):
            return _with_list(text, [other], targets)
    return None


def _with_list(text: str, chosen: list[Target], targets: list[Target]) -> list[Target]:
    """Extend a target to the coordinated list it belongs to ("Chernihiv and Kharkiv"): every
    target linked to a chosen one through neighbours in text order with a list gap between them."""
    if len(chosen) == 1 and len(targets) < 2:
        return [chosen[0]]  # the common case: no neighbour to be listed with
    members = {id(t): t for t in chosen}
    if len(chosen) == 1:  # the common case, without two generators
        lo, hi = chosen[0].start - _CLAUSE_REACH, chosen[0].end + _CLAUSE_REACH
    else:
        lo, hi = min(t.start for t in chosen) - _CLAUSE_REACH, max(t.end for t in chosen) + _CLAUSE_REACH
    ordered = sorted((t for t in targets if lo <= t.start <= hi), key=_BY_START)
    # Walked out from each chosen target, each gap is read at most once (and only next to the list).
    for i in [i for i, t in enumerate(ordered) if id(t) in members]:
        j = i
        while j > 0 and _LIST_GAP.match(text[ordered[j - 1].end:ordered[j].start]):
            j -= 1
            members.setdefault(id(ordered[j]), ordered[j])
        j = i
        while j < len(ordered) - 1 and _LIST_GAP.match(text[ordered[j].end:ordered[j + 1].start]):
            j += 1
            members.setdefault(id(ordered[j]), ordered[j])
    if len(members) == 1:
        return list(members.values())  # no list: nothing to put in order or to tell apart
    seen, out = set(), []
    for t in sorted(members.values(), key=_BY_START):
        if t.key not in seen:
            seen.add(t.key)
            out.append(t)
    return out
