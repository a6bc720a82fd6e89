"""What the map shows on a given day: each place's status as of that date.

The store holds every observation ever made; a map needs one answer per place.
This module turns the first into the second, with rules an analyst can check:

* **Look-back window.** A place's status comes from observations dated on or before
  the chosen day and no older than ``window_days``: a claim from months ago is not a
  current status. Observations use their article's publication date (undated
  articles are never on the map; they are listed apart by the dashboard).
* **Latest reports win.** Within the window only the place's *current* reports
  count: those published within ``concurrent_days`` of its latest one. An older
  "encircled" is superseded by a newer "retaken".
* **Disagreement is shown, not resolved.** When current reports disagree about who
  controls the place (``captured`` against ``held`` or ``retaken``), or one of them
  says it is ``disputed``, the place is ``disputed``; this covers both rival sources
  in one article and rival articles on the same days. Compatible reports (a city
  ``encircled`` and ``attacked``) give the highest-ranked status (``STATUSES``
  order).
* **Repetition is one report.** Fifty articles repeating one claim are one status
  with fifty articles and N outlets behind it, never fifty markers.

Negated observations ("has not fallen") and bare mentions (status ``None``) never
set a status.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.observations import STATUSES

#: Default look-back: two weeks keeps a quiet front on the map without freezing it.
DEFAULT_WINDOW_DAYS = 14
#: A status's rank on the map (0 = captured, the highest).
STATUS_RANK: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}
#: Reports this many days apart still describe the same situation.
DEFAULT_CONCURRENT_DAYS = 2

#: Claims that cannot both be true at once: one side holds the place or the other.
_ATTACKER_CONTROL = "captured"
_DEFENDER_CONTROL = ("held", "retaken")

#: Columns of a snapshot, in order (one row per place).
SNAPSHOT_COLUMNS = [
    "place_id", "place", "kind", "lat", "lon", "country", "admin1", "geo_precision", "status",
    "claims", "n_observations", "n_articles", "n_outlets", "outlets", "sources", "confidence",
    "first_date", "last_date", "evidence", "trigger", "evidence_source", "title", "url",
]


def fold(text: object) -> str:
    """Case- and accent-insensitive form for place search ("kyïv" finds "Kyiv")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, plural unless one ("1 article", "3 articles"): the counts of the map, the
    snapshot and the dashboard, which all read this module."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _as_set(values: Iterable[str] | str | None) -> frozenset[str]:
    if values is None:
        return frozenset()
    if isinstance(values, str):
        return frozenset([values])
    return frozenset(values)


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the map to. Empty collections mean "all".

    ``statuses`` applies to the status a place *shows* (filtering the reports behind
    it would turn a disputed place into an undisputed one); the other filters choose
    which observations count at all.
    """

    statuses: frozenset[str] = field(default_factory=frozenset)
    outlets: frozenset[str] = field(default_factory=frozenset)
    sources: frozenset[str] = field(default_factory=frozenset)
    min_confidence: float = 0.0
    place_query: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def make(
        cls,
        statuses: Iterable[str] | str | None = None,
        outlets: Iterable[str] | str | None = None,
        sources: Iterable[str] | str | None = None,
        min_confidence: float = 0.0,
        place_query: str | None = "",
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Filters:
        """Build from loose arguments (lists, single strings, ``None``)."""
        unknown = _as_set(statuses) - set(STATUSES)
        if unknown:
            raise ValueError(f"unknown status filter {sorted(unknown)}; expected some of {list(STATUSES)}")
        if start and end and start > end:
            raise ValueError(f"date range starts {start} after it ends {end}")
        return cls(_as_set(statuses), _as_set(outlets), _as_set(sources), float(min_confidence or 0.0),
                   (place_query or "").strip(), start, end)


def filter_observations(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The observations that count under ``filters`` (all but the status filter)."""
    mask = np.ones(len(frame), dtype=bool)
    if filters.outlets:
        mask &= frame["outlet"].isin(filters.outlets).to_numpy()
    if filters.sources:
        mask &= frame["source"].isin(filters.sources).to_numpy()
    if filters.min_confidence > 0:
        mask &= (frame["confidence"].fillna(0.0) >= filters.min_confidence).to_numpy()
    if filters.start is not None:
        mask &= (frame["article_date"] >= pd.Timestamp(filters.start)).to_numpy()
    if filters.end is not None:
        mask &= (frame["article_date"] <= pd.Timestamp(filters.end)).to_numpy()
    if filters.place_query:
        needle = fold(filters.place_query)
        names = frame["place"].fillna("").map(fold)
        mask &= names.str.contains(needle, regex=False).to_numpy()
    return frame if mask.all() else frame[mask]


@dataclass
class View:
    """One day's map: the places with their status and the observations behind them."""

    places: pd.DataFrame
    observations: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        """Articles, places and observations in view (what the dashboard's header shows)."""
        return {
            "articles": int(self.observations["article_id"].nunique()),
            "places": len(self.places),
            "observations": len(self.observations),
        }


def _rows_between(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Rows dated ``start``..``end``: a binary search when the frame is sorted by date (undated last).

    The dashboard keeps its frame sorted that way, so a slider step slices instead
    of comparing every one of 100,000 dates.
    """
    dates = frame["article_date"].to_numpy()
    dated = int((~np.isnat(dates)).sum())
    if dated and not np.isnat(dates[:dated]).any() and (dates[1:dated] >= dates[:dated - 1]).all():
        lo = np.searchsorted(dates[:dated], start.to_datetime64(), side="left")
        hi = np.searchsorted(dates[:dated], end.to_datetime64(), side="right")
        return frame.iloc[lo:hi]
    return frame[(frame["article_date"] >= start) & (frame["article_date"] <= end)]


def sort_for_timeline(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` sorted by article date, undated last: the order :func:`view_at` slices fastest."""
    return frame.sort_values("article_date", kind="stable", na_position="last").reset_index(drop=True)


def _current_reports(frame: pd.DataFrame, day: dt.date, window_days: int, concurrent_days: int,
                     filters: Filters) -> pd.DataFrame:
    """Status-bearing observations in the window, passing ``filters``, among their place's latest reports.

    The window is cut first, so filters (a place search folds every name) cost what
    the window holds, not what the store holds.
    """
    end = pd.Timestamp(day)
    start = end - pd.Timedelta(days=max(int(window_days), 1) - 1)
    window = filter_observations(_rows_between(frame, start, end), filters)
    in_window = window[window["status"].notna() & ~window["negated"].fillna(False).astype(bool)]
    if in_window.empty:
        return in_window
    latest = in_window.groupby("place_id", sort=False)["article_date"].transform("max")
    return in_window[in_window["article_date"] >= latest - pd.Timedelta(days=max(int(concurrent_days), 0))]


def _decide(current: pd.DataFrame) -> pd.Series:
    """Each place's status from its current reports (see the module docstring)."""
    present = current.groupby(["place_id", "status"], sort=False).size().unstack(fill_value=0) > 0

    def has(status: str) -> pd.Series:
        return present[status] if status in present.columns else pd.Series(False, index=present.index)

    decided = pd.Series(None, index=present.index, dtype=object)
    for status in reversed(STATUSES):  # highest rank assigned last, so it wins
        decided = decided.mask(has(status), status)
    conflict = has("disputed") | (has(_ATTACKER_CONTROL) & (has(_DEFENDER_CONTROL[0]) | has(_DEFENDER_CONTROL[1])))
    return decided.mask(conflict, "disputed")


def _join_unique(frame: pd.DataFrame, key: str, column: str) -> pd.Series:
    """Per ``key``, the distinct non-empty values of ``column`` sorted and joined with "; ".

    A plain loop over the de-duplicated rows: pandas' per-group Python aggregation
    costs a millisecond a group, which at a thousand places is the whole slider budget.
    """
    pairs = frame[[key, column]].dropna().drop_duplicates().sort_values([key, column])
    joined: dict[str, str] = {}
    for k, value in zip(pairs[key].to_numpy(), pairs[column].astype(str).to_numpy()):
        if value:
            joined[k] = f"{joined[k]}; {value}" if k in joined else value
    return pd.Series(joined, dtype=object)


def _claims(current: pd.DataFrame) -> pd.Series:
    """Per place, who claims what: ``captured: Russia's Defense Ministry (2 articles) | held: …``."""
    keyed = current.assign(_key=current["place_id"].astype(str) + "\x00" + current["status"].astype(str))
    grouped = keyed.groupby(["place_id", "status", "_key"], sort=False)["article_id"].nunique().reset_index(name="n")
    who = grouped["_key"].map(_join_unique(keyed, "_key", "source")).astype(object).fillna("")
    rank = grouped["status"].map(STATUS_RANK)
    articles = np.where(grouped["n"] == 1, "article", "articles")
    text = grouped["status"] + np.where(who != "", ": " + who + " ", " ") + "(" + grouped["n"].astype(str) + " " + articles + ")"
    ordered = pd.DataFrame({"place_id": grouped["place_id"], "rank": rank, "text": text}).sort_values(["place_id", "rank"])
    claims: dict[str, str] = {}
    for place_id, claim in zip(ordered["place_id"].to_numpy(), ordered["text"].to_numpy()):
        claims[place_id] = f"{claims[place_id]} | {claim}" if place_id in claims else claim
    return pd.Series(claims, dtype=object)


def view_at(
    frame: pd.DataFrame,
    date: dt.date | str,
    window_days: int = DEFAULT_WINDOW_DAYS,
    concurrent_days: int = DEFAULT_CONCURRENT_DAYS,
    filters: Filters | None = None,
    **filter_args,
) -> View:
    """The map for ``date``: one row per place (``SNAPSHOT_COLUMNS``) and its evidence rows.

    ``filters`` or keyword arguments of :meth:`Filters.make` (``statuses=``,
    ``outlets=``, ``sources=``, ``min_confidence=``, ``place_query=``, ``start=``,
    ``end=``) narrow it.
    """
    day = pd.Timestamp(date).date()
    filters = filters or Filters.make(**filter_args)
    current = _current_reports(frame, day, window_days, concurrent_days, filters)
    if current.empty:
        return View(pd.DataFrame(columns=SNAPSHOT_COLUMNS), current)
    decided = _decide(current)
    if filters.statuses:
        decided = decided[decided.isin(filters.statuses)]
    shown = current["place_id"].map(decided)
    behind = current[shown.notna() & ((current["status"] == shown) | (shown == "disputed"))]

    grouped = behind.groupby("place_id", sort=False)
    places = pd.DataFrame({
        "n_observations": grouped.size(), "n_articles": grouped["article_id"].nunique(),
        "n_outlets": grouped["outlet"].nunique(), "confidence": grouped["confidence"].max(),
        "first_date": grouped["article_date"].min(), "last_date": grouped["article_date"].max(),
    })
    places["status"] = decided.reindex(places.index)
    places["outlets"] = _join_unique(behind, "place_id", "outlet").reindex(places.index)
    places["sources"] = _join_unique(behind, "place_id", "source").reindex(places.index)
    places["claims"] = _claims(current[current["place_id"].isin(places.index)]).reindex(places.index)
    # The place's own fields, and the sentence a popup quotes: the latest, most confident report.
    quoted = (behind.sort_values(["article_date", "confidence"], ascending=False).drop_duplicates("place_id")
              .set_index("place_id")[["place", "kind", "lat", "lon", "country", "admin1", "geo_precision",
                                      "evidence", "trigger", "source", "title", "url"]]
              .rename(columns={"source": "evidence_source"}))
    places = places.join(quoted)
    places = places.reset_index()
    rank = places["status"].map(STATUS_RANK)
    places = places.assign(_rank=rank).sort_values(["_rank", "n_articles", "place"], ascending=[True, False, True])
    return View(places[SNAPSHOT_COLUMNS].reset_index(drop=True), behind)


#: Columns of :func:`marker_steps` (one row per place shown on a day).
MARKER_STEP_COLUMNS = ["date", "place_id", "status", "n_articles"]


def marker_steps(
    frame: pd.DataFrame,
    first: dt.date | str,
    last: dt.date | str,
    window_days: int = DEFAULT_WINDOW_DAYS,
    concurrent_days: int = DEFAULT_CONCURRENT_DAYS,
    filters: Filters | None = None,
) -> pd.DataFrame:
    """What the markers show on every day from ``first`` to ``last``: the status and article count per place.

    The same rules as :func:`view_at` (a test holds them equal day by day), computed for
    a whole run of days at once, so the dashboard can send the browser the next weeks'
    markers and step through them without asking the server. :func:`view_at` costs
    about 0.1 s a day at 100,000 observations; here a month costs about as much as one
    day, because only the status and the count are computed, on a grid of places by
    days. Article dates are whole days (the store keeps dates, not times).
    """
    first, last = pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize()
    filters = filters or Filters()
    window, concurrent = max(int(window_days), 1), max(int(concurrent_days), 0)
    origin = first - pd.Timedelta(days=window - 1)
    rows = filter_observations(_rows_between(frame, origin, last), filters)
    rows = rows[rows["status"].notna() & ~rows["negated"].fillna(False).astype(bool)]
    n_days = (last - first).days + 1
    if rows.empty or n_days <= 0:
        return pd.DataFrame(columns=MARKER_STEP_COLUMNS)
    codes, place_ids = pd.factorize(rows["place_id"])
    place_ids = np.asarray(place_ids, dtype=object)  # taken from once a day: plain objects, not Arrow
    day = ((rows["article_date"].dt.normalize() - origin) // pd.Timedelta(days=1)).to_numpy(dtype=np.int64)
    status = rows["status"].map(STATUS_RANK).to_numpy(dtype=np.int64)
    article = pd.factorize(rows["article_id"])[0]
    n_places, width = len(place_ids), window - 1 + n_days
    # Distinct articles per place, day and status, and per place and day (an article has one date,
    # so counts over several days add up without counting an article twice).
    keyed = pd.DataFrame({"p": codes, "d": day, "s": status, "a": article})
    by_status = np.zeros((n_places, width, len(STATUSES)), dtype=np.int32)
    distinct = keyed.drop_duplicates(["p", "d", "s", "a"])
    np.add.at(by_status, (distinct["p"].to_numpy(), distinct["d"].to_numpy(), distinct["s"].to_numpy()), 1)
    any_status = np.zeros((n_places, width), dtype=np.int32)
    distinct = keyed.drop_duplicates(["p", "d", "a"])
    np.add.at(any_status, (distinct["p"].to_numpy(), distinct["d"].to_numpy()), 1)
    # For each place and day, the last day up to it with a report (-1: none yet).
    last_seen = np.maximum.accumulate(np.where(any_status > 0, np.arange(width), -1), axis=1)
    controls = (STATUS_RANK[_ATTACKER_CONTROL], [STATUS_RANK[s] for s in _DEFENDER_CONTROL])
    wanted = np.array([not filters.statuses or s in filters.statuses for s in STATUSES])
    places = np.arange(n_places)
    out = []
    for k in range(n_days):
        today = window - 1 + k
        latest = last_seen[:, today]
        shown = latest >= today - window + 1  # a report inside the look-back window
        present = np.zeros((n_places, len(STATUSES)), dtype=np.int32)
        behind_any = np.zeros(n_places, dtype=np.int32)
        for back in range(concurrent + 1):  # the place's current reports: its latest day and the days before it
            d = latest - back
            ok = shown & (d >= today - window + 1)
            present[ok] += by_status[places[ok], d[ok]]
            behind_any[ok] += any_status[places[ok], d[ok]]
        has = present > 0
        decided = np.where(has.any(axis=1), has.argmax(axis=1), -1)  # highest rank present
        conflict = has[:, STATUS_RANK["disputed"]] | (has[:, controls[0]] & has[:, controls[1]].any(axis=1))
        decided[conflict & shown] = STATUS_RANK["disputed"]
        keep = shown & (decided >= 0)
        keep[keep] = wanted[decided[keep]]
        chosen = np.flatnonzero(keep)
        status_shown = decided[chosen]
        n_articles = np.where(status_shown == STATUS_RANK["disputed"], behind_any[chosen],
                              present[chosen, status_shown])
        out.append(pd.DataFrame({"date": first + pd.Timedelta(days=k), "place_id": place_ids[chosen],
                                 "status": np.asarray(STATUSES, dtype=object)[status_shown],
                                 "n_articles": n_articles}))
    return pd.concat(out, ignore_index=True)[MARKER_STEP_COLUMNS]


def snapshot_at(
    frame: pd.DataFrame,
    date: dt.date | str,
    window_days: int = DEFAULT_WINDOW_DAYS,
    concurrent_days: int = DEFAULT_CONCURRENT_DAYS,
    **filters,
) -> pd.DataFrame:
    """Status of each place as of ``date``: one row per place (see :func:`view_at`)."""
    return view_at(frame, date, window_days, concurrent_days, **filters).places


def date_range(frame: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First and last article date in ``frame`` (``None`` when nothing is dated)."""
    dates = frame["article_date"].dropna()
    if dates.empty:
        return None
    return dates.min().date(), dates.max().date()


def place_history(frame: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """Every observation of one place, newest first (undated last): the evidence panel's rows."""
    rows = frame[frame["place_id"] == place_id]
    return rows.sort_values(["article_date", "confidence"], ascending=[False, False], na_position="last")
