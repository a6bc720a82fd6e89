"""Conflict news map: the analysts' dashboard (``streamlit run dashboard.py``).

Top to bottom, every rerun: open the store (cached per process), load its
observations (cached until the store changes), read the sidebar's filters (from
session state: the sidebar itself is drawn after the map, see ``read_controls``),
pick the date, compute that day's view (:func:`geo.timeline.view_at`, one row per
place), draw the map (:func:`geo.mapview.base_map` + a places layer holding a run of
days around the date, :func:`geo.timeline.marker_steps`: the map's own code redraws
the markers as the slider moves, before the server's rerun arrives), show the
evidence for the selected place, then the sidebar and the editing tabs. Tables (areas,
undated articles) run only when their tab or expander is opened: a new visitor's
browser then sets up the map without loading the table code.

Editing (upload, re-date, delete) lives in its own functions (``upload_panel``,
``redate_controls``, ``delete_controls``) so that hosted mode can gate them.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import auth, browser, config, mapview, snapshot, timeline
from geo.observations import STATUSES
from geo.safety import escape, escape_markdown, highlight, link, spreadsheet_safe
from geo.settings import SettingsError, load_settings
from geo.store import Store
from geo.uploads import ACCEPTED, read_uploads

TITLE = "Conflict news map"
PLAY_SECONDS = 1.2
MAP_HEIGHT = 700
EVIDENCE_LIMIT = 200
STEPS = {"Day": 1, "Week": 7}
#: The date slider's label; the map finds the slider by it (``GeoMap.steps``).
SLIDER_LABEL = "Date"


# -- data --------------------------------------------------------------------------------------
@st.cache_resource(show_spinner="Opening the store...")
def get_store(url: str) -> Store:
    """The store for this server process (the embedded default is filled from seeds/ once).

    Keyed by the configured URL, so a changed configuration opens the right store.
    """
    return Store.open_default()


def store_version(store: Store) -> tuple:
    """The cache key of the store's contents: its URL and revision.

    The revision grows with every change (an ingest, a new date, a deletion), in this
    session or another process, so cached frames and views refresh; reading it is
    one indexed row, cheap enough for every rerun.
    """
    return (repr(store), store.revision())


@st.cache_resource(max_entries=2, show_spinner="Loading observations...")
def load_frame(_store: Store, version: tuple) -> pd.DataFrame:
    """Every observation, sorted by date (undated last) so that each slider step is a binary search.

    ``cache_resource``, not ``cache_data``: one read-only copy shared by all sessions
    instead of a pickled copy per rerun (which would double memory and cost a second).
    """
    return timeline.sort_for_timeline(_store.observations_frame())


@st.cache_data(max_entries=64, show_spinner=False)
def compute_view(_frame: pd.DataFrame, version: tuple, day: dt.date, window_days: int,
                 filters: timeline.Filters) -> timeline.View:
    """The day's view, cached per (store version, date, window, filters): stepping back is instant.

    At most 64 days are kept (about 1 MB each with a thousand places): a long play
    through two years must not grow the server past a small hosting tier.
    """
    return timeline.view_at(_frame, day, window_days=window_days, filters=filters)


#: Most options a filter list offers (the most frequent): every option is sent on every rerun.
MAX_CHOICES = 500


@st.cache_data(max_entries=4, show_spinner=False)
def choices(_frame: pd.DataFrame, version: tuple) -> dict[str, list[str]]:
    """Filter options: the outlets and sources present in the store, the most frequent first kept."""
    def distinct(column: str) -> list[str]:
        counts = _frame[column].dropna().astype(str).value_counts()
        return sorted(v for v in counts.index[:MAX_CHOICES] if v)
    return {"outlets": distinct("outlet"), "sources": distinct("source")}


@st.cache_data(max_entries=4, show_spinner=False)
def data_span(_frame: pd.DataFrame, version: tuple) -> tuple[dt.date, dt.date] | None:
    """First and last article date (:func:`geo.timeline.date_range`), once per store version, not every rerun."""
    return timeline.date_range(_frame)


def refresh_data() -> None:
    """Forget cached frames and views after this session changed the store."""
    load_frame.clear()
    compute_view.clear()
    choices.clear()
    data_span.clear()
    undated_articles.clear()
    run_of_days.clear()
    steps_data.clear()
    place_rows.clear()


# -- sidebar -----------------------------------------------------------------------------------
@dataclass
class Controls:
    """What the sidebar asks for."""

    basemap: str
    window_days: int
    step_days: int
    filters: timeline.Filters


#: The sidebar's widgets (session-state keys) and their values on a session's first run.
CONTROL_DEFAULTS: dict[str, object] = {
    "window_days": timeline.DEFAULT_WINDOW_DAYS, "step": next(iter(STEPS)), "f_status": [], "f_outlet": [],
    "f_source": [], "f_conf": 0.0, "f_place": "",
}


def read_controls(span: tuple[dt.date, dt.date] | None, basemap: str) -> Controls:
    """What the sidebar's widgets hold, read before they are drawn (see :func:`sidebar`).

    The map is drawn first so that a new visitor's browser sets up the map before the
    sidebar's widgets (it fetches and builds page parts in the order they arrive). A
    widget's value is in session state before the script reruns, and on a session's
    first run it is :data:`CONTROL_DEFAULTS`, put there for the widgets to start from.
    """
    state = st.session_state
    state.setdefault("basemap", basemap)
    for key, value in CONTROL_DEFAULTS.items():
        state.setdefault(key, value)
    start = end = None
    if span:
        if state.get("f_range_span") != span:  # new data widens the range: show all of it
            state["f_range"], state["f_range_span"] = span, span
        picked = state["f_range"]
        if isinstance(picked, (list, tuple)) and len(picked) == 2:
            start, end = picked
    filters = timeline.Filters.make(state["f_status"], state["f_outlet"], state["f_source"], state["f_conf"],
                                    state["f_place"], start, end)
    return Controls(state["basemap"], int(state["window_days"]), STEPS[state["step"]], filters)


def sidebar(frame: pd.DataFrame, version: tuple, span: tuple[dt.date, dt.date] | None) -> None:
    """Map options and filters, starting from the values :func:`read_controls` read; nothing here touches the store."""
    options = choices(frame, version)
    side = st.sidebar
    side.header("Map")
    side.selectbox("Basemap", mapview.BASEMAPS, key="basemap",
                   format_func={"vector": "Offline vector (Natural Earth)",
                                "osm": "OpenStreetMap tiles (online)",
                                "carto": "CARTO light tiles (online)"}.get)
    side.number_input("Look-back window (days)", min_value=1, max_value=365, key="window_days",
                      help="A place shows its latest reports from at most this many days before the date.")
    side.radio("Play step", list(STEPS), horizontal=True, key="step")
    side.header("Filters")
    side.multiselect("Status", STATUSES, key="f_status", placeholder="All statuses")
    side.multiselect("Outlet", options["outlets"], key="f_outlet", placeholder="All outlets")
    side.multiselect("Claimed by", options["sources"], key="f_source", placeholder="Anyone")
    side.slider("Minimum confidence", 0.0, 1.0, step=0.05, key="f_conf")
    side.text_input("Place search", key="f_place", placeholder="e.g. Kherson")
    if span:
        side.date_input("Date range", min_value=span[0], max_value=span[1], key="f_range")


# -- time --------------------------------------------------------------------------------------
def _clamp(day: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    return min(max(day, lo), hi)


def _sync_slider() -> None:
    st.session_state["map_date"] = st.session_state["date_slider"]


def _toggle_play(lo: dt.date, hi: dt.date) -> None:
    state = st.session_state
    state["playing"] = not state.get("playing", False)
    state["last_tick"] = time.monotonic()
    if state["playing"] and state.get("map_date", hi) >= hi:
        state["map_date"] = lo  # play from the start when already at the end


def _step(days: int, lo: dt.date, hi: dt.date) -> None:
    st.session_state["map_date"] = _clamp(st.session_state["map_date"] + dt.timedelta(days=days), lo, hi)


def time_controls(lo: dt.date, hi: dt.date, step_days: int) -> dt.date:
    """Date slider with play/pause and single steps. ``map_date`` in session state is the truth."""
    state = st.session_state
    state["map_date"] = _clamp(state.get("map_date", hi), lo, hi)
    state["date_slider"] = state["map_date"]
    play, back, slider, forward = st.columns([1.1, 0.6, 8, 0.6], vertical_alignment="bottom")
    playing = state.get("playing", False)
    play.button("⏸ Pause" if playing else "▶ Play", key="play", on_click=_toggle_play, args=(lo, hi), width="stretch",
                help=f"Advance {'a week' if step_days == 7 else 'a day'} every {PLAY_SECONDS:g} s")
    back.button("◀", key="step_back", on_click=_step, args=(-step_days, lo, hi), help="Step back")
    forward.button("▶", key="step_forward", on_click=_step, args=(step_days, lo, hi), help="Step forward")
    if lo < hi:
        slider.slider(SLIDER_LABEL, min_value=lo, max_value=hi, step=dt.timedelta(days=1), key="date_slider",
                      on_change=_sync_slider, format="D MMM YYYY")
    return state["map_date"]


def _advance_if_due(lo: dt.date, hi: dt.date, step_days: int) -> None:
    """While playing, one step per :data:`PLAY_SECONDS` (a click in between does not add a step)."""
    state = st.session_state
    if time.monotonic() - state.get("last_tick", 0.0) < PLAY_SECONDS * 0.9:
        return
    state["last_tick"] = time.monotonic()
    if state.get("map_date", lo) >= hi:
        state["playing"] = False
    else:
        _step(step_days, lo, hi)


# -- map and evidence ----------------------------------------------------------------------------
def counts_row(day: dt.date, view: timeline.View) -> None:
    counts = view.counts
    date_col, a, p, o = st.columns([2, 1, 1, 1])
    date_col.metric("Status as of", day.strftime("%d %b %Y"))
    a.metric("Articles in view", f"{counts['articles']:,}")
    p.metric("Places in view", f"{counts['places']:,}")
    o.metric("Observations in view", f"{counts['observations']:,}")


@st.cache_data(max_entries=8, show_spinner=False)
def theatre_bounds(_frame: pd.DataFrame, version: tuple) -> tuple[float, float, float, float]:
    """Frame of the whole data set (fixed across dates, so the map keeps the analyst's zoom)."""
    points = _frame.dropna(subset=["lat", "lon"])
    points = points[points["status"].notna() & ~points["kind"].isin(mapview.AREA_KINDS)]
    if points.empty:
        return mapview.THEATRE_BOUNDS
    west, south = points["lon"].quantile(0.01), points["lat"].quantile(0.01)
    east, north = points["lon"].quantile(0.99), points["lat"].quantile(0.99)
    return (min(west, 30.0) - 1, min(south, 44.5) - 0.5, max(east, 38.5) + 1, max(north, 51.5) + 0.5)


def take_click(places: pd.DataFrame) -> None:
    """A marker click selects its place, before anything is drawn, so the map can highlight it at once.

    streamlit-folium keeps its last value under the map's key (set before this rerun).
    """
    clicked = (st.session_state.get("map") or {}).get("last_object_clicked")
    if not clicked or clicked == st.session_state.get("last_click"):
        return
    st.session_state["last_click"] = clicked
    place = nearest_place(places, clicked.get("lat"), clicked.get("lng"))
    if place is not None:
        st.session_state["place_pick"] = place


#: Days of markers the browser gets at once: the map follows the slider through them by itself.
STEP_BLOCK_DAYS = 28
#: How far each run of days reaches into its neighbours, so that a step across the edge is drawn at once too.
STEP_MARGIN_DAYS = 3


def step_days(day: dt.date, lo: dt.date, hi: dt.date) -> list[dt.date]:
    """The run of days whose markers go to the browser with ``day``'s map.

    Runs are fixed blocks counted from ``lo`` (plus a margin each side), not centred on
    ``day``: while the slider moves inside one, every rerun sends the same layer, which
    streamlit-folium leaves in place, and the map's own code draws each day as the slider
    moves (see ``GeoMap.steps``).
    """
    block = (day - lo).days // STEP_BLOCK_DAYS
    first = max(lo, lo + dt.timedelta(days=block * STEP_BLOCK_DAYS - STEP_MARGIN_DAYS))
    last = min(hi, lo + dt.timedelta(days=(block + 1) * STEP_BLOCK_DAYS - 1 + STEP_MARGIN_DAYS))
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


@st.cache_data(max_entries=16, show_spinner=False)
def run_of_days(_frame: pd.DataFrame, version: tuple, days: list[dt.date], window_days: int,
                filters: timeline.Filters) -> pd.DataFrame:
    """Status and articles of each place on every day in ``days`` (:func:`geo.timeline.marker_steps`).

    Cached apart from the selected place: a click on a marker changes which marker is
    outlined, not what the markers show, so it must not recompute the run of days.
    """
    return timeline.marker_steps(_frame, days[0], days[-1], window_days=window_days, filters=filters)


@st.cache_data(max_entries=16, show_spinner=False)
def steps_data(_frame: pd.DataFrame, version: tuple, days: list[dt.date], window_days: int,
               filters: timeline.Filters, selected: str | None) -> dict:
    """The map's markers for a run of days with the selected place outlined (:func:`geo.mapview.steps_data`)."""
    steps = run_of_days(_frame, version, days, window_days, filters)
    return mapview.steps_data(steps, place_rows(_frame, version), days=days, slider=SLIDER_LABEL, selected=selected)


@st.cache_data(max_entries=2, show_spinner=False)
def place_rows(_frame: pd.DataFrame, version: tuple) -> pd.DataFrame:
    """One row per place (its latest report's name, kind and point): what the map needs to draw it on any day."""
    return _frame.drop_duplicates("place_id", keep="last")[["place_id", "place", "kind", "lat", "lon", "country"]]


def draw_map(frame: pd.DataFrame, version: tuple, day: dt.date, span: tuple[dt.date, dt.date],
             controls: Controls, bounds: tuple) -> None:
    """The map, following the date slider in the browser, with the selected place's marker outlined.

    The places layer holds a run of days around ``day`` (:func:`step_days`), so a slider
    step redraws the markers at once in the browser; the server's rerun that follows
    updates the rest of the page and, past the run's end, sends the next run.
    """
    base = mapview.base_map(basemap=controls.basemap, bounds=bounds, assets="static")
    data = steps_data(frame, version, step_days(day, *span), controls.window_days, controls.filters,
                      st.session_state.get("place_pick"))
    st_folium(base, key="map", height=MAP_HEIGHT, use_container_width=True,
              feature_group_to_add=mapview.steps_layer(data), returned_objects=["last_object_clicked"])


def nearest_place(places: pd.DataFrame, lat: float | None, lon: float | None) -> str | None:
    """The place whose marker sits at the clicked point (markers are drawn at the place's coordinates)."""
    located = places.dropna(subset=["lat", "lon"])
    if lat is None or lon is None or located.empty:
        return None
    distance = (located["lat"] - lat) ** 2 + (located["lon"] - lon) ** 2
    best = distance.idxmin()
    return located.at[best, "place_id"] if distance[best] < 1e-6 else None


def place_picker(view: timeline.View) -> str | None:
    """Select a place (the list mirrors the map; a click on a marker selects it here too)."""
    places = view.places
    # Plain column lists: itertuples over the view's Arrow strings costs a quarter second at a thousand places.
    columns = (places[c].tolist() for c in ("place_id", "place", "status", "n_articles"))
    labels = {place_id: f"{name} ({mapview.STATUS_STYLES[status].label.lower()}, "
                        f"{timeline.plural(n, 'article')})"
              for place_id, name, status, n in zip(*columns)}
    if st.session_state.get("place_pick") not in labels and st.session_state.get("place_pick") is not None:
        labels[st.session_state["place_pick"]] = f"{st.session_state['place_pick']} (not in view)"
    return st.selectbox("Place", list(labels), format_func=labels.get, index=None, key="place_pick",
                        placeholder="Click a marker or choose a place")


def evidence_html(rows: pd.DataFrame) -> str:
    """Every observation of a place as escaped HTML: date, status, who claims it, the sentence, the article."""
    items = []
    for row in rows.head(EVIDENCE_LIMIT).itertuples():
        day = row.article_date.date().isoformat() if pd.notna(row.article_date) else "undated"
        status = mapview.STATUS_STYLES[row.status].label if isinstance(row.status, str) else "mentioned"
        colour = mapview.STATUS_STYLES[row.status].fill if isinstance(row.status, str) else "#888"
        flags = " · negated" if row.negated else (" · hedged" if row.hedged else "")
        claim = f" · claimed by {escape(row.source)}" if isinstance(row.source, str) and row.source else ""
        outlet = f" · {escape(row.outlet)}" if isinstance(row.outlet, str) and row.outlet else ""
        title = row.title if isinstance(row.title, str) and row.title else row.article_id
        items.append(
            '<div style="margin:0 0 12px 0;padding:6px 10px;border-left:4px solid {c};background:#fafafa">'
            '<div style="font-size:0.85em;color:#444"><b style="color:{c}">{s}</b> · {d} · confidence {conf:.2f}'
            "{flags}{claim}</div>"
            '<div style="margin:4px 0">{sentence}</div>'
            '<div style="font-size:0.85em">{link}{outlet} · <span style="color:#777">id {aid}</span></div></div>'.format(
                c=colour, s=escape(status), d=day, conf=float(row.confidence or 0), flags=flags, claim=claim,
                sentence=highlight(row.evidence, row.trigger), link=link(row.url, title), outlet=outlet,
                aid=escape(row.article_id)))
    return "".join(items) + "<style>mark{background:#ffe066;padding:0 1px}</style>"


def status_chart(rows: pd.DataFrame, day: dt.date) -> alt.Chart:
    """The place's statuses over time: one point per observation, shaped and coloured as on the map."""
    data = rows.dropna(subset=["article_date", "status"])[["article_date", "status", "outlet", "source",
                                                           "confidence"]].copy()
    data["outlet"] = data["outlet"].fillna("")
    data["source"] = data["source"].fillna("")
    star = "M0,-1L0.24,-0.33L0.95,-0.31L0.39,0.13L0.59,0.81L0,0.4L-0.59,0.81L-0.39,0.13L-0.95,-0.31L-0.24,-0.33Z"
    altair_shapes = {"square": "square", "diamond": "diamond", "star": star, "triangle": "triangle-up",
                     "cross": "cross", "ring": "triangle-down", "circle": "circle"}
    styles = mapview.STATUS_STYLES
    points = alt.Chart(data).mark_point(filled=True, size=110, opacity=0.9).encode(
        x=alt.X("article_date:T", title=None),
        y=alt.Y("status:N", sort=list(STATUSES), title=None, scale=alt.Scale(domain=list(STATUSES))),
        color=alt.Color("status:N", legend=None, scale=alt.Scale(domain=list(styles),
                                                                 range=[s.fill for s in styles.values()])),
        shape=alt.Shape("status:N", legend=None, scale=alt.Scale(
            domain=list(styles), range=[altair_shapes[s.shape] for s in styles.values()])),
        tooltip=[alt.Tooltip("article_date:T", title="date"), "status:N", "outlet:N",
                 alt.Tooltip("source:N", title="claimed by"), alt.Tooltip("confidence:Q", format=".2f")],
    )
    today = alt.Chart(pd.DataFrame({"d": [pd.Timestamp(day)]})).mark_rule(color="#555", strokeDash=[4, 3]).encode(
        x="d:T")
    return (points + today).properties(height=230)


def evidence_panel(frame: pd.DataFrame, view: timeline.View, day: dt.date) -> None:
    st.subheader("Evidence")
    place_id = place_picker(view)
    if place_id is None:
        st.caption("Hover a marker for the place and its status; click it (or choose above) for every "
                   "report behind it.")
        return
    rows = timeline.place_history(frame, place_id)
    if rows.empty:
        st.info("No observations for this place under the current store.")
        return
    shown = view.places[view.places["place_id"] == place_id]
    name = rows["place"].iloc[0]
    if len(shown):
        place = shown.iloc[0]
        style = mapview.STATUS_STYLES[place["status"]]
        st.html(f'<div style="font-size:1.25em"><b>{escape(name)}</b>: '
                f'<span style="color:{style.fill};font-weight:bold">{escape(style.label)}</span> as of '
                f'{day:%d %b %Y}</div><div style="color:#444">{escape(place["claims"])}</div>')
    else:
        st.html(f'<div style="font-size:1.25em"><b>{escape(name)}</b>: no status in view on {day:%d %b %Y}</div>')
    if rows["status"].notna().any() and rows["article_date"].notna().any():
        st.altair_chart(status_chart(rows, day), width="stretch")
    st.caption(f"{timeline.plural(len(rows), 'observation')}, newest first"
               + (f" (first {EVIDENCE_LIMIT} shown)" if len(rows) > EVIDENCE_LIMIT else ""))
    with st.container(height=420, border=False):
        st.html(evidence_html(rows))


# -- lists and downloads ---------------------------------------------------------------------------
def areas_table(view: timeline.View) -> None:
    """Region-, country- and water-level reports, and places without coordinates: listed, not dotted."""
    places = view.places
    listed = places[places["kind"].isin(mapview.AREA_KINDS) | places["lat"].isna() | places["lon"].isna()]
    if listed.empty:
        st.caption("No region-, country- or water-level reports in view.")
        return
    st.dataframe(listed[["place", "kind", "status", "n_articles", "n_outlets", "outlets", "claims"]],
                 hide_index=True, width="stretch")


def places_geojson(places: pd.DataFrame) -> str:
    """The view's places as a GeoJSON FeatureCollection (null geometry where there is no point)."""
    features = []
    for row in places.to_dict("records"):
        has_point = pd.notna(row.get("lat")) and pd.notna(row.get("lon"))
        properties = {k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else
                          v.isoformat() if isinstance(v, (pd.Timestamp, dt.date)) else v)
                      for k, v in row.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "properties": properties,
                         "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]} if has_point
                         else None})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, default=str)


@dataclass
class MapRequest:
    """Everything needed to redraw the current view elsewhere (PNG snapshot, HTML export)."""

    date: dt.date
    places: pd.DataFrame
    basemap: str
    bounds: tuple[float, float, float, float]
    filters: timeline.Filters
    window_days: int
    title: str = TITLE


def map_downloads(request: MapRequest, view: timeline.View, frame: pd.DataFrame, stem: str) -> None:
    """The map as a slide-sized PNG of this date and as an offline HTML file with the time slider.

    Both are made only when clicked (a browser renders the PNG; the HTML walks every date),
    in Streamlit's download thread, so reruns stay fast. Filters apply to both.
    """
    png, html = st.columns(2)
    can_render = browser.chromium_available()
    png.download_button(
        "Map as PNG (1920×1080, this date)", on_click="ignore", width="stretch", mime="image/png",
        file_name=f"{stem}.png", disabled=not can_render,
        help=None if can_render else "Needs Chromium on the server (apt-get install -y chromium)",
        data=lambda: snapshot.view_png(view, request.date, bounds=request.bounds, title=request.title,
                                       window_days=request.window_days))
    html.download_button(
        "Map as HTML with time slider (opens offline)", on_click="ignore", width="stretch", mime="text/html",
        file_name=f"{stem}.html",
        data=lambda: snapshot.timeline_page(frame, start=request.date, bounds=request.bounds, title=request.title,
                                            window_days=request.window_days, filters=request.filters)[0])


def downloads(request: MapRequest, view: timeline.View, frame: pd.DataFrame) -> None:
    """Downloads of the current view (date and filters applied)."""
    stem = f"conflict-map-{request.date.isoformat()}"
    map_downloads(request, view, frame, stem)
    # Files are made only when clicked (``data`` callables): a rerun per slider step must not build them.
    a, b, c = st.columns(3)
    a.download_button("Places (GeoJSON)", lambda: places_geojson(view.places), f"{stem}.geojson",
                      "application/geo+json", on_click="ignore", width="stretch")
    b.download_button("Places (CSV)", lambda: spreadsheet_safe(view.places).to_csv(index=False),
                      f"{stem}-places.csv", "text/csv", on_click="ignore", width="stretch")
    c.download_button("Observations behind them (CSV)",
                      lambda: spreadsheet_safe(view.observations).to_csv(index=False),
                      f"{stem}-observations.csv", "text/csv", on_click="ignore", width="stretch")


# -- editing (hosted mode gates these) ------------------------------------------------------------
@st.cache_data(max_entries=4, show_spinner=False)
def undated_articles(_store: Store, version: tuple) -> pd.DataFrame:
    """The undated list, queried once per store version rather than on every slider step."""
    return _store.undated_articles()


def undated_panel(store: Store, version: tuple, editable: bool) -> None:
    """Articles without a date are not on the map; list them, and let an editor date them."""
    undated = undated_articles(store, version)
    if undated.empty:
        st.caption("Every article has a date.")
        return
    st.caption(f"{timeline.plural(len(undated), 'article')} without a date: not on the map "
               "until dated.")
    # Run only when opened: the page's first table would load about a megabyte of table
    # JavaScript into a new visitor's browser while it sets up the map.
    listing = st.expander("List them", key="undated_list", on_change="rerun")
    if listing.open:
        with listing:
            st.dataframe(undated[["article_id", "title", "outlet", "n_observations", "excerpt"]], hide_index=True,
                         width="stretch")
    if editable:
        redate_controls(store, undated)


def redate_controls(store: Store, undated: pd.DataFrame) -> None:
    """Give an undated article its publication date (editor only)."""
    auth.require_editor()
    with st.form("redate", border=True):
        article = st.selectbox("Article", undated["article_id"].tolist(), key="redate_article")
        when = st.date_input("Publication date", value=None, key="redate_date")
        precision = st.radio("Precision", ["day", "month"], horizontal=True, key="redate_precision")
        if st.form_submit_button("Set date"):
            if when is None:
                st.error("Choose a date first.")
                return
            store.set_article_date(article, when, precision)
            refresh_data()
            shown = when.isoformat() if precision == "day" else when.strftime("%Y-%m")
            st.success(f"{escape_markdown(article)} dated {shown}.")
            st.rerun()


def delete_controls(store: Store) -> None:
    """Delete one article and its observations (editor only)."""
    auth.require_editor()
    with st.form("delete", border=True):
        # A text box, not a list: a store of 20,000 articles would send every id to each browser on every rerun.
        article = st.text_input("Article id to delete", key="delete_article",
                                help="As shown in the evidence panel and the undated list.").strip()
        sure = st.checkbox("Yes, delete it and every observation from it", key="delete_sure")
        if st.form_submit_button("Delete article"):
            if not article or not sure:
                st.error("Give an article id and tick the confirmation.")
                return
            if store.delete_article(article):
                refresh_data()
                st.success(f"Deleted {escape_markdown(article)}.")
                st.rerun()
            st.warning(f"There is no article {escape_markdown(repr(article))}.")


def upload_panel(store: Store) -> None:
    """Upload .txt/.jsonl/.csv articles; each file's problems are shown; whole articles are stored or none."""
    auth.require_editor()
    settings = load_settings()
    files = st.file_uploader("Articles", type=[t for t in settings.upload_types if f".{t}" in ACCEPTED],
                             accept_multiple_files=True, max_upload_size=settings.max_upload_mb,
                             key="upload_files", help="Plain-text articles (optionally starting with "
                             "' date YYYY-MM-DD'), or JSONL/CSV corpora with id, date, title, text.")
    if not st.button("Add to the map", key="upload_go", disabled=not files):
        return
    # The widget's type and size limits are enforced in the browser; check again here.
    refused = {f.name: reason for f in files if (reason := settings.upload_refusal(f.name, f.size))}
    for reason in refused.values():
        st.error(escape_markdown(reason), icon="⚠️")
    batch = read_uploads((f.name, f.getvalue()) for f in files if f.name not in refused)
    for name, problems in batch.problems.items():
        # file names and reader messages come from the upload: shown as text, never as Markdown
        st.error(f"**{escape_markdown(name)}**: " + "; ".join(map(escape_markdown, problems)), icon="⚠️")
    if not batch.articles:
        st.warning("Nothing to add.")
        return
    progress = st.progress(0.0, text=f"Extracting 0 of {len(batch.articles)} articles...")

    def report(done: int, total: int | None) -> None:
        total = total or len(batch.articles)
        progress.progress(min(done / total, 1.0), text=f"Extracting {done} of {total} articles...")

    # In this process (workers=1): a pool would load the gazetteer once more per worker (~300 MB
    # each), which a hosted dashboard's memory cannot spare; bulk loads belong to `geo ingest`.
    summary = store.ingest(batch.articles, progress=report, workers=1)
    progress.progress(1.0, text="Done.")
    refresh_data()
    for article_id, why in summary.failures:
        st.error(f"**{escape_markdown(article_id)}** was not stored: {escape_markdown(why)}", icon="⚠️")
    st.success(f"Read {summary.read}: {summary.new} new, {summary.updated} updated, {summary.skipped} already "
               f"stored, {summary.failed} failed; {summary.observations} observations.")


# -- page ------------------------------------------------------------------------------------------
def main() -> None:
    st.set_page_config(page_title=TITLE, page_icon="🗺️", layout="wide")
    # Less white space above the title: on a projector every row of map counts.
    st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2.2rem}</style>")
    st.title(TITLE)
    try:  # first: loading the secrets also exports GEO_DB_URL to the environment the store reads
        settings = load_settings()
    except SettingsError as e:
        st.error(f"Configuration error: {e}")
        st.stop()
    editable = auth.sidebar(settings)
    try:
        store = get_store(config.database_url())
        version = store_version(store)
        frame = load_frame(store, version)
    except Exception as e:  # a wrong GEO_DB_URL or an unreadable file: say so, not a traceback
        st.error(f"The store could not be opened: {e}")
        st.stop()
    span = data_span(frame, version)
    controls = read_controls(span, settings.basemap)

    if span is None:
        st.info("No dated observations yet. Add articles below; undated ones are listed until given a date.")
    else:
        timed = st.session_state.get("playing", False)
        st.fragment(map_section, run_every=PLAY_SECONDS if timed else None)(frame, version, controls, span, timed)
    sidebar(frame, version, span)  # after the map: see read_controls

    labels = ["Undated articles", "Add articles", "Delete"]
    if not editable:  # viewers get no editing controls at all
        labels = [label for label in labels if label not in ("Add articles", "Delete")]
    tabs = dict(zip(labels, st.tabs(labels)))
    with tabs["Undated articles"]:
        undated_panel(store, version, editable)
    if editable:
        with tabs["Add articles"]:
            upload_panel(store)
    if editable:
        with tabs["Delete"]:
            delete_controls(store)


def map_section(frame: pd.DataFrame, version: tuple, controls: Controls, span: tuple[dt.date, dt.date],
                timed: bool) -> None:
    """Date controls, counts, map, evidence, and the view's lists and downloads.

    Run as a fragment: moving the slider, playing or clicking a marker reruns only this
    part of the page (the sidebar and the editing tabs are neither recomputed nor
    redrawn). ``timed``: whether this fragment was set up with the play timer; when the
    play button changes that, the whole page reruns to set it up anew.
    """
    if st.session_state.get("playing", False) != timed:
        st.rerun()
    lo, hi = controls.filters.start or span[0], controls.filters.end or span[1]
    if timed:
        _advance_if_due(lo, hi, controls.step_days)
    day = time_controls(lo, hi, controls.step_days)
    view = compute_view(frame, version, day, controls.window_days, controls.filters)
    counts_row(day, view)
    bounds = theatre_bounds(frame, version)
    take_click(view.places)
    left, right = st.columns([2.3, 1], gap="medium")
    with left:
        draw_map(frame, version, day, (lo, hi), controls, bounds)
    with right:
        evidence_panel(frame, view, day)
    # Only the open tab runs, and the downloads open first: the areas table is the page's only
    # Arrow table above the editing tabs, and a new visitor's browser would load the table code
    # (about a megabyte of JavaScript) while it sets up the map.
    areas, files = st.tabs(["Areas and unlocated places", "Downloads"], key="view_tabs", on_change="rerun",
                           default="Downloads")
    if areas.open:
        with areas:
            areas_table(view)
    if files.open:
        with files:
            downloads(MapRequest(day, view.places, controls.basemap, bounds, controls.filters, controls.window_days),
                  view, frame)


if __name__ == "__main__":  # Streamlit and AppTest run the script as __main__; tests may import it
    main()
