"""Articles in, dated and evidenced place observations out.

The flow is one way: text -> sentences -> place names (:mod:`geo.recognize`)
-> document context (which countries the article is about) -> geocodes
(:class:`geo.geocoder.Resolver`) -> salience filter -> references back ->
statuses per sentence (:mod:`geo.status`) with their source
(:mod:`geo.attribution`) and event date (:mod:`geo.eventdates`) ->
observations, one per (article, place, status), and a bare mention
(``status=None``) for every place that has no status.

:class:`Extractor` holds the loaded gazetteer, recogniser index and resolver,
so it is built once and reused; it pickles by reference to those singletons,
so a worker process rebuilds it cheaply. A failure on one article never stops
a batch: :func:`extract` warns and goes on.
"""
from __future__ import annotations

import re
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from operator import attrgetter
from typing import TYPE_CHECKING, Final

from geo.articles import Article, ArticleWarning, date_label
from geo.attribution import find_source
from geo.disambiguate import CURATED_SOURCES, Context
from geo.eventdates import EventDate, find_event_date
from geo.gazetteer import MATCH_ALTERNATE, Place
from geo.observations import Observation
from geo.recognize import SMALL_TOWN, Mention, Recognizer, find_references, keep_salient, resolve_references
from geo.sentences import Sentence, split_sentences
from geo.status import STATUS_KINDS, Finding, Reading, Target

if TYPE_CHECKING:
    from geo.geocoder import Resolution

#: Stored with every observation; bump when the rules change so stored articles can be re-extracted.
EXTRACTOR_VERSION: Final = "extract-5"

#: Words that say an article is about the war in Ukraine even when it names no Ukrainian place
#: unambiguously: the theatre its bare town names are read in.
THEATRE: Final = "UA"
_THEATRE_WORDS: Final = ("Ukrain", "Kyiv", "Kiev", "Donbas", "Zelensk")
#: The other side's country: a place in it is retaken by that side's capture, captured by Ukraine's
#: ("Ukrainian troops entered Sudzha"); see :func:`geo.status._apply_side`.
INVADER: Final = "RU"

#: Most candidate tuples whose country vote, and most (name, resolution) pairs whose reading, an
#: extractor remembers.
_VOTE_MEMO: Final = 50_000

#: What a name reads as in an article: (place, geocode rule, match quality), see Extractor._reading.
_Read = tuple[Place | None, str, int | None]

#: Mentions are put in text order by this (a C-level key function).
_START: Final = attrgetter("start")


#: The stages of :meth:`Extractor.extract`, in order, as its ``timings`` name them.
STAGES: Final = ("sentences", "recognise", "geocode", "references", "observations")


class _Laps:
    """Adds the CPU time since the previous lap to ``totals[stage]``."""

    def __init__(self, totals: dict[str, float]) -> None:
        self.totals = totals
        self.last = time.process_time()

    def __call__(self, stage: str) -> None:
        now = time.process_time()
        self.totals[stage] = self.totals.get(stage, 0.0) + now - self.last
        self.last = now


def _no_lap(stage: str) -> None:
    """Timing off."""


class Extractor:
    """Reusable extraction: ``Extractor().extract(article) -> list[Observation]``."""

    def __init__(self, gazetteer=None, resolver=None) -> None:
        from geo.gazetteer import Gazetteer
        from geo.geocoder import Resolver

        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.load()
        if resolver is None:
            resolver = Resolver.default() if gazetteer is None else Resolver(self.gazetteer)
        self.resolver = resolver
        self.recognizer = Recognizer(self.gazetteer)
        self.version = EXTRACTOR_VERSION
        # Typed to the item (not bare ``tuple``), so the compiled code reads the items natively.
        self._votes: dict[int, tuple[tuple[Place, ...], str | None, str | None]] = {}
        self._readings: dict[tuple[str, int], tuple[Resolution, _Read]] = {}
        # The recogniser's match qualities, read from the resolver's memoised candidates when both
        # read one gazetteer (a name new to the recogniser then costs no second lookup).
        self._quality = resolver.match_quality if resolver.gazetteer is self.gazetteer \
            else self.recognizer.match_quality

    def __reduce__(self):
        # Workers rebuild from the process-wide gazetteer instead of pickling 100 MB of index.
        return (Extractor, ())

    # ------------------------------------------------------------------------------------------
    def extract(self, article: Article, timings: dict[str, float] | None = None) -> list[Observation]:
        """Every place the article mentions, with every status it reports about each.

        ``timings``, when given, has the CPU seconds of each stage (:data:`STAGES`) added to it,
        so a benchmark can say where the time goes.
        """
        text = article.text or ""
        if not text.strip():
            return []
        lap = _Laps(timings) if timings is not None else _no_lap
        sentences = split_sentences(text)
        lap("sentences")
        names = self.recognizer.find(text)
        lap("recognise")
        theatre = _is_theatre(text)
        context = self._geocode(names, theatre, text)
        # An article whose names vote for Ukraine above all is about the war even when it names none
        # of the theatre words ("In the Bakhmut direction, the enemy is trying to encircle Chasiv Yar").
        keep_salient(names, context.countries, {THEATRE} if theatre or THEATRE in context.theatre() else ())
        names = [m for m in names if m.dropped is None]
        lap("geocode")
        references = find_references(text)
        if references:  # most articles have none, and need no capital
            references = resolve_references(references, names, self._capital(context))
        mentions = names + references
        if not _in_text_order(mentions):
            mentions.sort(key=_START)
        lap("references")
        observations = self._observations(article, sentences, mentions, text)
        lap("observations")
        return observations

    def _geocode(self, names: list[Mention], theatre: bool, text: str) -> Context:
        """Resolve every name in the article's context; return that context (its country counts).

        ``theatre``: the article is about the war (:func:`_is_theatre`). Names written side by
        side read each other first (:meth:`_neighbours`), for the whole article."""
        # Counted natively into a dict, in the order of the votes, then made the Counter the
        # article's context takes: Counter(list) and Counter's __missing__ run interpreted.
        counts: dict[str, int] = {}
        votes = self._votes
        for m in names:
            # A name's vote depends only on its (immutable) candidates, which the recogniser hands
            # out as one memoised tuple per name: memoised by the tuple's identity, and the memo
            # holds the tuple, so that identity cannot pass to another tuple while it is there.
            places = m.places
            hit = votes.get(id(places))
            if hit is None or hit[0] is not places:
                if len(votes) >= _VOTE_MEMO:
                    votes.clear()
                named = self._named_by(m.name)
                hit = votes[id(places)] = (places, _country_vote(places, True, named),
                                           _country_vote(places, False, named))
            vote = hit[2] if m.common or m.person_like else hit[1]
            if vote is not None:
                counts[vote] = counts.get(vote, 0) + 1
        if theatre:
            counts[THEATRE] = counts.get(THEATRE, 0) + max(1, max(counts.values(), default=0))
        countries = Counter(counts)
        context = Context(countries=countries)
        resolve = self.resolver.resolver_in(context)
        spelled = [m.name for m in names]  # a property: read once per mention
        memo: dict[str, _Read] = {}
        for name in dict.fromkeys(spelled):
            try:
                memo[name] = self._reading(name, resolve(name))
            except Exception as e:  # noqa: BLE001 - one name never empties the article
                warnings.warn(f"geocoding {name!r} failed ({type(e).__name__}: {e}); reported without a point",
                              ArticleWarning, stacklevel=2)
                memo[name] = (None, "error", None)
        memo.update(self._neighbours(names, spelled, text, context, memo))
        for m, name in zip(names, spelled):
            m.place, m.rule, quality = memo[name]
            if quality is not None:
                m.quality = quality
        return context

    def _neighbours(self, names: list[Mention], spelled: list[str], text: str, context: Context,
                    alone: dict[str, _Read]) -> dict[str, _Read]:
        """(place, rule, quality) of the names that a name written next to them decides, given
        ``spelled``, the :attr:`~geo.recognize.Mention.name` of each mention, and ``alone``, each
        name's (place, rule, quality) read by itself.

        "X, Y" or "X in Y": X is its namesake inside the region or country Y, and Y that container
        (:meth:`geo.geocoder.Resolver.resolve_within`: "Atlanta, Georgia", "Dovercourt, Essex",
        "Dorchester in Dorset").
        "X, Y" or "X and Y": a name that alone reads as a country is the region of that name
        in the country of the region beside it (:meth:`~geo.geocoder.Resolver.resolve_beside`:
        "Georgia and Nevada"). The first reading found wins for the whole article.
        """
        decided: dict[str, _Read] = {}
        resolver = self.resolver
        for m, n, first, second in zip(names, names[1:], spelled, spelled[1:]):
            if n.start - m.end not in (2, 4, 5, 8):
                continue  # cannot be ", ", " in ", " and " or " in the ": skip the slice
            gap = text[m.end:n.start]
            if gap == " in the ":
                gap = " in "  # "Seversk in the Donetsk People's Republic", "Korenevo in the Kursk region"
            if (gap != ", " and gap != " and " and gap != " in ") or first == second:
                continue
            try:
                found = list(resolver.resolve_within(first, second, context) or ()) if gap != " and " else []
                if not any(found) and gap != " in ":
                    found = [resolver.resolve_beside(first, alone[first][0], alone[second][0]),
                             resolver.resolve_beside(second, alone[second][0], alone[first][0])]
            except Exception as e:  # noqa: BLE001 - the names are then resolved one by one
                warnings.warn(f"reading {first!r} next to {second!r} failed ({type(e).__name__}: {e})",
                              ArticleWarning, stacklevel=2)
                continue
            for name, res in zip((first, second), found):
                if res is not None and name not in decided:
                    decided[name] = self._reading(name, res)
        return decided

    def _reading(self, name: str, res: Resolution) -> _Read:
        """(place, rule, quality) of ``name`` resolved as ``res``: the quality is how well the name
        fits that place (:meth:`~geo.recognize.Recognizer.match_quality`), None without a place."""
        # Memoised by the name and the resolution's identity (the resolver hands out one memoised
        # resolution per name and context); the memo holds the resolution, so its identity cannot
        # pass to another while it is there.
        key = (name, id(res))
        hit = self._readings.get(key)
        if hit is None or hit[0] is not res:
            if len(self._readings) >= _VOTE_MEMO:
                self._readings.clear()
            quality = None if res.place is None else self._quality(name, res.place.id)
            hit = self._readings[key] = (res, (res.place, res.rule, quality))
        return hit[1]

    def _named_by(self, name: str) -> Callable[[Place], bool]:
        """Whether a candidate of ``name`` has it as its own or a curated name, not only as a GeoNames
        alternate ("Salisbury" is Harare's old name, "White House" Casablanca's translation)."""
        quality = self._quality
        return lambda place: quality(name, place.id) != MATCH_ALTERNATE

    def _capital(self, context: Context) -> Place | None:
        top = context.main_country()
        return self.recognizer.index.capital(top) if top is not None else None

    def _observations(self, article: Article, sentences: list[Sentence],
                      mentions: list[Mention], text: str) -> list[Observation]:
        date = article.date_label
        best: dict[tuple[str, str | None], tuple[Finding, Sentence, int]] = {}
        first_seen: dict[str, tuple[Mention, Sentence]] = {}
        speakers = _Speakers(sentences)
        k, n = 0, len(mentions)
        for i, sentence in enumerate(sentences):
            if k == n:
                break  # later sentences name no place
            start, end = sentence.start, sentence.end
            if mentions[k].start >= end:
                continue
            inside: list[Mention] = []
            # Statuses attach to towns and regions only, through a trigger word: the sentence is
            # read for its triggers only when it names one that stands for no actor (a target's
            # kind is None then: a sixth of the sentences naming a town or region name it only
            # so, "Moscow said"), its targets built only when it has a trigger.
            statable = False
            while k < n and mentions[k].start < end:
                m = mentions[k]
                k += 1
                if m.start < start:
                    continue
                inside.append(m)
                if m.reference is None:
                    key = m.key
                    if key not in first_seen:
                        first_seen[key] = (m, sentence)
                if not statable:
                    statable = (m.place.kind if m.place is not None else m.kind_hint) in STATUS_KINDS \
                        and not _stands_for_someone(m, sentence, text)
            if not statable:
                continue
            reading = Reading(sentence.text)
            if not reading.triggers:
                continue
            targets = [Target(m.start - start, m.end - start, m.key,
                              None if _stands_for_someone(m, sentence, text) else
                              (m.place.kind if m.place is not None else m.kind_hint), m.reference is not None,
                              owner="ru" if m.place is not None and m.place.country == INVADER else "ua")
                       for m in inside]
            for finding in reading.statuses(targets):
                slot = (finding.key, finding.status)
                held = best.get(slot)
                if held is None or finding.confidence > held[0].confidence:
                    best[slot] = (finding, sentence, i)
        # The source is looked for only in the sentences whose findings won, which a third of the
        # sentences with findings are not, in text order (a "he said" takes the speaker of the last
        # sentence before it that had one, which _Speakers finds for ascending sentences).
        sources = {i: find_source(sentences[i].text, partial(speakers.before, i))
                   for i in sorted({held[2] for held in best.values()})}
        statuses_of: dict[str, list[tuple[str | None, tuple]]] = {}
        for (key, status), (finding, sentence, i) in best.items():
            statuses_of.setdefault(key, []).append((status, (finding, sentence, sources[i])))
        out: list[Observation] = []
        event_dates: dict[tuple[int, int], EventDate | None] = {}
        for key, (mention, sentence) in first_seen.items():
            statuses = statuses_of.get(key, ())
            if not statuses:
                out.append(self._observation(article, date, mention, None, sentence, None, None))
            for status, (finding, evidence, source) in statuses:
                at = (evidence.start, finding.trigger_start)
                if at not in event_dates:
                    event_dates[at] = find_event_date(evidence.text, article.date, article.date_precision,
                                                      near=finding.trigger_start)
                out.append(self._observation(article, date, mention, finding, evidence, source, event_dates[at]))
        # A status can reach a place only named through a reference in the same article;
        # such places are always also named (resolve_references only points at named places).
        return out

    def _observation(self, article: Article, date: str | None, mention: Mention, finding: Finding | None,
                     sentence: Sentence, source: str | None, event: EventDate | None) -> Observation:
        place = mention.place
        # Positional, in the order of Observation's fields: an article makes about nine records,
        # and passing these 22 fields by keyword took 1.5 us more per record (timeit).
        return Observation(
            article.id,
            date,
            place.name if place is not None else mention.surface,  # place
            place.lat if place is not None else None,
            place.lon if place is not None else None,
            finding.status if finding is not None else None,
            sentence.text,  # evidence
            source if finding is not None else None,
            finding.confidence if finding is not None else 1.0,
            place.kind if place is not None else mention.kind_hint,
            place.geonameid if place is not None else None,
            place.country if place is not None else None,
            finding.trigger if finding is not None else None,
            finding.negated if finding is not None else False,
            finding.hedged if finding is not None else False,
            date_label(event.date) if event else None,  # event_date (at day precision)
            event.precision if event else None,  # event_date_precision
            article.date_precision,
            mention.rule if place is not None else "not-found",  # geocode_rule
            mention.surface,  # mention
            place.id if place is not None else None,  # place_id
            place.admin1 if place is not None else None,
        )


#: A sentence with a reporting word names the speaker a following "he said" refers to.
_SPEECH: Final = re.compile(r"\b(?:said|says|told|according|reported|claimed|announced|wrote|tweeted)\b")


class _Speakers:
    """The source a pronoun ("he said") in sentence ``i`` stands for: that of the last sentence
    before it with a reporting word. Asked only where a status needs a source, for ascending
    ``i``; each sentence is tested at most once."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self.checked = 0  # sentences before this index have been looked at
        self.last: int | None = None

    def before(self, i: int) -> str | None:
        for j in range(i - 1, self.checked - 1, -1):
            if _SPEECH.search(self.sentences[j].text):
                self.last = j
                break
        self.checked = max(self.checked, i)
        return find_source(self.sentences[self.last].text) if self.last is not None else None


#: After a capital's name, words that make it the government acting or speaking ("Moscow claimed").
_GOVERNMENT_VERB: Final = re.compile(
    # "has", "have", "had" make an actor unless what the place itself undergoes follows ("Kyiv has been
    # shelled", "has come under fire", "has not fallen"; but "has been pushing" acts)
    # A second capital may share the verb ("Kyiv and Moscow continued to accuse each other").
    r"\s*(?:and\s+\w+\s+)?(?:['’´]s\b|(?:has|have|had)\b(?!\s+(?:(?:not|now|already|also|still|repeatedly|again)\s+)*(?:been\b(?!\s+\w+ing\b)|"
    r"(?:come|fallen|remained|stayed|suffered|endured|withstood|held|seen)\b))|said|says|claim|announc|accus|den(?:y|ie)|insist|want|vow|warn|"
    r"demand|refus|reject|respond|blam|deni|recogni|stat|told|tells|sees|believ|regime|government|authorities|"
    r"administration|officials?\b|leadership|controls?\b|continu\w*\s+to\s+(?!be\b|come\b|face\b|suffer\b|endure\b|hold\b)|also\b|closes\s+in\b|took\b|"
    r"(?:is|was)\s+(?:trying|seeking|preparing|planning|pushing|using|waging|demanding|insisting|threatening|hoping|"
    r"attempting|taking))", re.I)


def _stands_for_someone(m: Mention, sentence: Sentence, text: str) -> bool:
    """A place name used for an actor takes no status: a capital for its government ("Moscow
    claimed", "Kyiv's forces"), a region's possessive ("Europe's largest plant"), a continent."""
    p = m.place
    if p is None or m.reference is not None:
        return False
    region = p.kind == "region"  # read once: Place is not compiled, each read is a generic lookup
    if region and p.country is None:
        return True  # a continent ("Europe", "the Middle East") is not where a front line runs
    if p.feature == "PPLC" and _GOVERNMENT_VERB.match(text, m.end):
        return True
    return region and text.startswith(("'s", "’s", "´s"), m.end)


def _country_vote(places: Sequence, ordinary: bool, named: Callable[[Place], bool]) -> str | None:
    """The country a name speaks for in the article's focus: a country's own, or the one home of a
    name whose every namesake lies there and one is of weight (a region, or a town of
    :data:`SMALL_TOWN`), or the home of the one curated region or water body of that name, which
    the name means whatever towns abroad share it ("Kent", "Essex": ``curated-area``), or the
    home of a town :data:`DOMINANT` times as large as every namesake and ``named`` so ("London",
    "Paris": the towns of Ontario and Texas do not make an article about them American); an
    ``ordinary`` name only (not a common word or a person's name)."""
    for p in places:
        if p.kind == "country" and p.country:
            return p.country
    if not ordinary:
        return None
    areas = [p for p in places if p.kind in ("region", "water") and p.source in CURATED_SOURCES]
    if len(areas) == 1 and areas[0].country:
        return areas[0].country
    homes = {p.country for p in places}
    if len(homes) == 1 and None not in homes \
            and any(p.kind != "city" or p.population >= SMALL_TOWN for p in places):
        return next(iter(homes))
    largest = max(places, key=_POPULATION, default=None)
    if largest is not None and largest.population >= SMALL_TOWN and largest.country \
            and all(p is largest or p.population * DOMINANT <= largest.population for p in places) \
            and named(largest):
        return largest.country
    return None


#: How many times larger than every namesake a town must be for its name to vote for its country.
DOMINANT: Final = 20
_POPULATION: Final = attrgetter("population")


def _in_text_order(mentions: list[Mention]) -> bool:
    """Whether ``mentions`` are in text order already, as most articles' are: a stable sort by
    start leaves such a list as it is, after calling its key on every mention."""
    for i in range(1, len(mentions)):
        if mentions[i - 1].start > mentions[i].start:
            return False
    return True


def _is_theatre(text: str) -> bool:
    for word in _THEATRE_WORDS:  # a plain loop: no generator to build for every article
        if word in text:
            return True
    return False


_DEFAULT: Extractor | None = None


def default_extractor() -> Extractor:
    """The process-wide extractor (gazetteer and resolver loaded once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT


def iter_observations(articles: Iterable[Article], extractor: Extractor | None = None) -> Iterator[Observation]:
    """Observations of every article in turn; an article that fails is skipped with a warning."""
    ex = extractor or default_extractor()
    for article in articles:
        try:
            yield from ex.extract(article)
        except Exception as e:  # noqa: BLE001 - one bad article never stops a batch
            warnings.warn(f"{article.id}: extraction failed ({type(e).__name__}: {e}); skipped",
                          ArticleWarning, stacklevel=2)


def extract(articles: Iterable[Article], extractor: Extractor | None = None):
    """Observations of ``articles`` as a GeoDataFrame (EPSG:4326; geometry None where not geocoded)."""
    import geopandas as gpd
    from shapely.geometry import Point

    rows = [o.to_dict() for o in iter_observations(articles, extractor)]
    columns = Observation.field_names()
    geometry = [Point(r["lon"], r["lat"]) if r["lat"] is not None and r["lon"] is not None else None for r in rows]
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geometry, crs="EPSG:4326")
