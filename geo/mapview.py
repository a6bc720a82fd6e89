"""The one map builder: the dashboard, the PNG snapshot and the HTML export all draw with it.

``build_map(places)`` takes a snapshot from :func:`geo.timeline.snapshot_at` (one row
per place) and returns a ``folium.Map`` that needs no network:

* **Assets are local.** folium's defaults load Leaflet, jQuery, Bootstrap and Font
  Awesome from CDNs; with no network the map is a blank box and nothing says why.
  Each map *instance* gets ``default_js``/``default_css`` pointing at the files
  vendored in ``geo/static`` (Leaflet 1.9.4 and our ``geomap.js``/``geomap.css``),
  never a class-level change that would leak into other maps. ``assets`` chooses
  how they are referenced: ``"static"`` (Streamlit's static serving of the app's
  ``static/`` folder, a link to ``geo/static``), ``"file"`` (``file://`` paths, for
  a local snapshot), ``"inline"`` (embedded: one self-contained file), or any URL
  prefix ending in ``/``.
* **Basemap.** ``"vector"`` draws Natural Earth layers from ``geo/static/basemap``
  (Ukraine within its internationally recognised borders): embedded in ``file``
  and ``inline`` pages, fetched once from the server otherwise (so a dashboard
  rerun does not resend them). ``"osm"`` and ``"carto"`` use online tiles for
  hosted use.
* **Markers.** One per place, differing by colour *and* shape per status
  (:data:`STATUS_STYLES`, readable in greyscale), sized by how many articles
  stand behind it, with a legend. Region-, country- and water-level reports are
  shaded areas, or listed in a box when we have no shape for them: never a dot
  that looks like a town.
* **Days.** For the dashboard, :func:`steps_data` packs a run of days (each place once,
  then what changes each day) and ``GeoMap.steps`` draws the day the page's date
  slider shows, following it without a server round trip.
* **Text is escaped.** Every string from an article reaches the page through
  :mod:`geo.safety` and is embedded as JSON that cannot close its ``<script>``.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo import basemap as basemap_data
from geo.observations import STATUSES
from geo.safety import escape, highlight, link
from geo.timeline import plural

ASSET_DIR = Path(__file__).resolve().parent / "static"
JS_ASSETS = ("leaflet/leaflet.js", "geomap/geomap.js")
CSS_ASSETS = ("leaflet/leaflet.css", "geomap/geomap.css")
#: Where Streamlit serves the app's ``static/`` folder (``server.enableStaticServing``).
STREAMLIT_STATIC_URL = "/app/static/"
BASEMAPS = ("vector", "osm", "carto")
#: West, south, east, north: Ukraine and its neighbours' border regions.
THEATRE_BOUNDS = (22.0, 44.2, 40.3, 52.5)

_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
    "carto": ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
              '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
              '&copy; <a href="https://carto.com/attributions">CARTO</a>'),
}
#: Hosts the online basemaps load tiles from (the only hosts a map may contact, and only then).
TILE_HOSTS = {"osm": ("tile.openstreetmap.org",),
              "carto": tuple(f"{s}.basemaps.cartocdn.com" for s in "abcd")}


@dataclass(frozen=True)
class StatusStyle:
    """How one status looks: Okabe-Ito colours (colour-blind safe) and a distinct shape."""

    label: str
    fill: str
    stroke: str
    shape: str
    dash: str | None = None


STATUS_STYLES: dict[str, StatusStyle] = {
    "captured": StatusStyle("Captured", "#D55E00", "#2b1200", "square"),
    "encircled": StatusStyle("Encircled", "#E69F00", "#3b2a00", "diamond", "8 4"),
    "disputed": StatusStyle("Disputed", "#CC79A7", "#3d1030", "star", "2 5"),
    "retaken": StatusStyle("Retaken", "#0072B2", "#001b2e", "triangle"),
    "attacked": StatusStyle("Attacked", "#1a1a1a", "#ffffff", "cross", "10 3 2 3"),
    "threatened": StatusStyle("Threatened", "#56B4E9", "#0b3d5c", "ring", "4 4"),
    "held": StatusStyle("Held", "#009E73", "#00291e", "circle"),
}
assert tuple(STATUS_STYLES) == STATUSES, "every status needs a style, in rank order"

#: Kinds whose point stands for an area (ACLED geo-precision 2 and 3).
AREA_KINDS = frozenset({"region", "country", "water"})


def _script_safe(json_text: str) -> str:
    """JSON text made safe inside ``<script>``: no ``</script>``, no HTML comment, no JS line breaks."""
    return (json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def script_json(value: object) -> str:
    """``value`` as a JavaScript literal that is safe inside ``<script>``."""
    return _script_safe(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def asset_url(relative: str, assets: str = "static") -> str:
    """The URL under which the map page loads one vendored asset."""
    if assets == "static":
        return STREAMLIT_STATIC_URL + relative
    if assets == "file":
        return (ASSET_DIR / relative).as_uri()
    if assets.endswith("/"):
        return assets + relative
    raise ValueError(f"assets must be 'static', 'file', 'inline' or a URL prefix ending in '/', not {assets!r}")


class _Script(MacroElement):
    """A line of our own JavaScript run against the parent layer (no folium template logic)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "GeoMapScript"
        self.code = code

    def render(self, **kwargs) -> None:  # noqa: D102 - resolve the parent's JS name at render time
        self.code = self.code.replace("__PARENT__", self._parent.get_name())
        super().render(**kwargs)


class _InlineAssets(MacroElement):
    """Leaflet and geomap embedded in the page header: the file opens with no network and no folder."""

    _template = Template("{% macro header(this, kwargs) %}{{ this.html }}{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeoMapAssets"
        parts = [f"<style>{(ASSET_DIR / css).read_text(encoding='utf-8')}</style>" for css in CSS_ASSETS]
        for js in JS_ASSETS:
            code = (ASSET_DIR / js).read_text(encoding="utf-8").replace("</script", "<\\/script")
            parts.append(f"<script>{code}</script>")
        self.html = "\n".join(parts)


def places_bounds(places: pd.DataFrame) -> tuple[float, float, float, float] | None:
    """A (W, S, E, N) frame around the places' points, padded; areas (countries' far points) left out."""
    points = places.dropna(subset=["lat", "lon"]) if len(places) else places
    points = points[~points["kind"].isin(AREA_KINDS)] if len(points) else points
    if not len(points):
        return None
    west, east = points["lon"].min(), points["lon"].max()
    south, north = points["lat"].min(), points["lat"].max()
    pad_x, pad_y = max((east - west) * 0.15, 0.8), max((north - south) * 0.15, 0.6)
    return (west - pad_x, south - pad_y, east + pad_x, north + pad_y)


def base_map(
    *,
    basemap: str = "vector",
    bounds: tuple[float, float, float, float] | None = None,
    title: str | None = None,
    date: dt.date | str | None = None,
    assets: str = "static",
    legend: bool = True,
) -> folium.Map:
    """Everything but the places: basemap, legend, title and date stamp, framed on ``bounds`` (W, S, E, N)."""
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap must be one of {BASEMAPS}, not {basemap!r}")
    west, south, east, north = bounds or THEATRE_BOUNDS
    m = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=6, tiles=None,
                   control_scale=True, zoom_snap=0.25, min_zoom=3, max_zoom=14)
    if assets == "inline":
        m.default_js, m.default_css = [], []
        m.add_child(_InlineAssets())
    else:
        m.default_js = [(f"geomap_js_{js}", asset_url(js, assets)) for js in JS_ASSETS]
        m.default_css = [(f"geomap_css_{css}", asset_url(css, assets)) for css in CSS_ASSETS]
    m.add_child(_Script("GeoMap.panes(__PARENT__);"))
    if basemap == "vector" and assets in ("file", "inline"):  # a file:// page cannot fetch: embed the layers
        m.add_child(_Script(f"GeoMap.basemap(__PARENT__, {_script_safe(basemap_data.layers_json())}, "
                            f"{script_json(basemap_data.ATTRIBUTION)});"))
    elif basemap == "vector":  # served: fetched once by the page instead of sent with every rerun
        m.add_child(_Script(f"GeoMap.basemapFrom(__PARENT__, {script_json(asset_url('basemap/', assets))}, "
                            f"{script_json(list(basemap_data.LAYERS))}, {script_json(basemap_data.ATTRIBUTION)});"))
    else:
        url, attribution = _TILES[basemap]
        folium.TileLayer(url, attr=attribution, name=basemap, max_zoom=19).add_to(m)
    if legend:
        items = [{"status": s, "label": st.label, "fill": st.fill, "stroke": st.stroke, "shape": st.shape}
                 for s, st in STATUS_STYLES.items()]
        note = "Bigger: more articles. Shaded: a whole region."
        m.add_child(_Script(f"GeoMap.legend(__PARENT__, {script_json(items)}, {script_json(note)}, 'bottomleft');"))
    if title or date:
        stamp = pd.Timestamp(date).strftime("%d %B %Y") if date else None
        m.add_child(_Script(f"GeoMap.stamp(__PARENT__, {script_json(title)}, {script_json(stamp)});"))
    # After the legend and stamp exist: frame the bounds in the space they leave free.
    m.add_child(_Script(f"GeoMap.fit(__PARENT__, {script_json([[south, west], [north, east]])}, 24);"))
    return m


def _present(value: object) -> bool:
    """A real value (pandas gives NaN/NaT/None for missing cells)."""
    return value is not None and value is not pd.NaT and not (isinstance(value, float) and math.isnan(value)) \
        and value != ""


def _day(value: object) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def place_popup(row: dict) -> str:
    """The popup of one place: status, weight of reporting, claims, the latest sentence and its article."""
    style = STATUS_STYLES[row["status"]]
    first, last = _day(row.get("first_date")), _day(row.get("last_date"))
    span = first if first == last else f"{first} to {last}"
    parts = [
        f'<div class="gm-place">{escape(row["place"])}</div>',
        f'<div class="gm-status"><span style="color:{style.fill}">&#9632;</span>{escape(style.label)}</div>',
        f'<div class="gm-meta">{plural(int(row["n_articles"]), "article")} from '
        f'{plural(int(row["n_outlets"]), "outlet")}: {escape(row.get("outlets"))} ({escape(span)})</div>',
    ]
    if _present(row.get("claims")) and (row["status"] == "disputed" or "|" in str(row["claims"])):
        parts.append(f'<div class="gm-claims">{escape(row["claims"])}</div>')
    if _present(row.get("evidence")):
        parts.append(f"<blockquote>{highlight(row['evidence'], row.get('trigger'))}</blockquote>")
        source = f" ({escape(row['evidence_source'])})" if _present(row.get("evidence_source")) else ""
        title = row.get("title") if _present(row.get("title")) else "article"
        parts.append(f'<div class="gm-meta">{link(row.get("url"), title)}{source}</div>')
    return "".join(parts)


def _tip_suffix(style: StatusStyle) -> str:
    """What follows a place's (escaped) name in its tooltip: the status it shows."""
    return f" &mdash; {escape(style.label)}"


def _tooltip(row: dict) -> str:
    return escape(row["place"]) + _tip_suffix(STATUS_STYLES[row["status"]])


def _radius(n_articles: int) -> float:
    return round(min(8.5 + 2.5 * math.log2(max(n_articles, 1)), 18.0), 1)


#: How many places get a permanent name label (the most reported first); the rest show it on hover.
MAX_LABELS = 12


def _labelled(n_articles: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Positions of the places (of one day) that get a bold name label.

    The :data:`MAX_LABELS` most reported, ties going to the place drawn first
    (smaller ``order``); when more places are shown than there are labels, a place
    needs more than one article.
    """
    n_articles = np.asarray(n_articles)
    candidates = np.flatnonzero(n_articles > 1) if len(n_articles) > MAX_LABELS else np.arange(len(n_articles))
    return candidates[np.lexsort((np.asarray(order)[candidates], -n_articles[candidates]))][:MAX_LABELS]


def _listed_row(name: str, style: StatusStyle, n_articles: int, has_point: bool) -> str:
    """A place in the box of places with no shape on the map (``name`` already escaped)."""
    reason = "" if has_point else " (no coordinates)"
    return (f'<div class="geomap-listed-row"><span style="color:{style.fill}">&#9632;</span>'
            f"{name}: {escape(style.label.lower())}{reason}, {plural(int(n_articles), 'article')}</div>")


#: What a marker needs when there is no popup.
_MARKER_COLUMNS = ("place_id", "place", "kind", "lat", "lon", "country", "status", "n_articles")


def places_data(places: pd.DataFrame, popups: bool = True, selected: str | None = None) -> dict:
    """What ``GeoMap.places`` draws: point markers, shaded areas, and a list of areas with no shape.

    ``places`` is in drawing order (a snapshot's order: status rank, most articles,
    name). The most reported places get a bold label beside their marker (standing in
    for the basemap's own name of the town, which it hides while shown). ``popups=False``
    leaves out the click popups (the dashboard shows the evidence beside the map, and a
    thousand popups are most of the page's weight). ``selected``: the place id whose
    marker is outlined (the dashboard's selected place).
    """
    points, areas, listed = [], [], []
    labelled = set(places["place_id"].to_numpy()[_labelled(places["n_articles"].to_numpy(), np.arange(len(places)))]) \
        if len(places) else set()
    # Column lists zipped into dicts: DataFrame.to_dict boxes every cell and costs half the step budget.
    columns = list(places.columns) if popups else [c for c in _MARKER_COLUMNS if c in places.columns]
    for row in (dict(zip(columns, values)) for values in zip(*(places[c].tolist() for c in columns))):
        style = STATUS_STYLES.get(row["status"])
        if style is None:
            continue
        is_area = row.get("kind") in AREA_KINDS
        has_point = _present(row.get("lat")) and _present(row.get("lon"))
        if is_area:
            geometry = basemap_data.area_for(row.get("kind"), row["place"], row.get("country"))
            if geometry is not None:
                areas.append({"geometry": geometry, "status": row["status"], "fill": style.fill,
                              "lat": float(row["lat"]) if has_point else None,
                              "lon": float(row["lon"]) if has_point else None,
                              "stroke": style.fill, "dash": style.dash, "tip": _tooltip(row),
                              "popup": place_popup(row) if popups else None})
                continue
        if is_area or not has_point:
            listed.append(_listed_row(escape(row["place"]), style, row["n_articles"], has_point))
            continue
        points.append({"lat": float(row["lat"]), "lon": float(row["lon"]), "status": row["status"],
                       "shape": style.shape, "fill": style.fill, "stroke": style.stroke,
                       "r": _radius(int(row["n_articles"])), "tip": _tooltip(row),
                       "popup": place_popup(row) if popups else None,
                       "label": row["place"] if row["place_id"] in labelled else None,
                       "selected": row["place_id"] == selected})
    data: dict = {"points": points, "areas": areas, "listed": listed,
                  "listed_title": "Reported areas without a shape on this map"}
    if not len(places):
        data["empty"] = "No data for this date and filters"
    return data


def places_layer(places: pd.DataFrame, name: str = "Places", popups: bool = True,
                 selected: str | None = None) -> folium.FeatureGroup:
    """The places of one day as one feature group (snapshots and exports; the dashboard's map
    follows its slider with :func:`steps_layer`)."""
    group = folium.FeatureGroup(name=name, control=False)
    group.add_child(_Script(f"GeoMap.places(__PARENT__, {script_json(places_data(places, popups, selected))});"))
    return group


def steps_data(steps: pd.DataFrame, places: pd.DataFrame, *, days: list[dt.date], slider: str,
               selected: str | None = None) -> dict:
    """What ``GeoMap.steps`` draws: the markers of every day in ``days``, for a map that follows a date slider.

    ``steps`` is :func:`geo.timeline.marker_steps` over those days; ``places`` has one row
    per place (``place_id``, ``place``, ``kind``, ``lat``, ``lon``, ``country``). The places
    are described once, numbered, as columns: escaped ``names``, ``lat``, ``lon``, the
    ``areas`` drawn as shapes (by number) and the numbers of those ``listed`` instead of
    drawn. The first day has an entry for every place shown, each later day only the
    places whose entry changed (``[place, -1]``: no longer shown), so a month of days
    weighs little more than one. An entry is everything the browser needs, computed here
    as :func:`places_data` computes it for one day, so the map's code only draws:
    ``[place, status, articles, radius, order, label, listed row]``: the status's index
    in ``styles``, the marker's radius, the drawing order (smaller first: status rank,
    most articles, name), the bold label's text and, for a listed place, its row of the
    list (the last two left out when there are none). A tooltip is the place's name
    followed by its style's ``tip``. ``slider`` is the label of the page's date slider
    the map follows; without one (a single day) it shows the last day.
    """
    # Index lookups rather than Series.map: these columns hold Arrow strings, slow to map one by one.
    rank_of = pd.Index(STATUSES).get_indexer(steps["status"])
    ids = pd.Index(steps["place_id"].drop_duplicates())
    columns = ["place", "kind", "lat", "lon", "country"]
    info = places.drop_duplicates("place_id").set_index("place_id")[columns].reindex(ids)
    # Places as columns (a thousand places' names and points once: most of what the map is sent).
    described: dict = {"names": [], "lat": [], "lon": [], "areas": {}, "listed": []}
    names, points = [], []
    for i, row in enumerate(dict(zip(columns, values)) for values in zip(*(info[c].tolist() for c in columns))):
        has_point = _present(row["lat"]) and _present(row["lon"])
        is_area = row["kind"] in AREA_KINDS
        shape = basemap_data.area_for(row["kind"], row["place"], row["country"]) if is_area else None
        names.append(str(row["place"]))
        points.append(has_point)
        described["names"].append(escape(row["place"]))
        described["lat"].append(float(row["lat"]) if has_point else None)
        described["lon"].append(float(row["lon"]) if has_point else None)
        if shape is not None:
            described["areas"][str(i)] = shape
        elif is_area or not has_point:
            described["listed"].append(i)
    listed = set(described["listed"])
    # Places by days: status rank (-1: not shown), articles, drawing order and label.
    rank = np.full((len(ids), len(days)), -1, dtype=np.int64)
    articles = np.zeros((len(ids), len(days)), dtype=np.int64)
    if len(steps):
        row = ids.get_indexer(steps["place_id"])
        column = ((steps["date"] - pd.Timestamp(days[0])) // pd.Timedelta(days=1)).to_numpy()
        rank[row, column], articles[row, column] = rank_of, steps["n_articles"].to_numpy()
    by_name = np.empty(len(ids), dtype=np.int64)  # each place's position in name order (ties: by id)
    by_name[sorted(range(len(ids)), key=lambda i: (names[i], ids[i]))] = np.arange(len(ids))
    most = int(articles.max()) if articles.size else 0
    order = (rank * (most + 1) + (most - articles)) * max(len(ids), 1) + by_name[:, None]
    label = np.zeros(rank.shape, dtype=bool)
    for k in range(len(days)):
        shown = np.flatnonzero(rank[:, k] >= 0)
        label[shown[_labelled(articles[shown, k], order[shown, k])], k] = True
    styles = list(STATUS_STYLES.values())

    def entry(i: int, k: int) -> list:
        if rank[i, k] < 0:
            return [i, -1]
        style = styles[rank[i, k]]
        full = [i, int(rank[i, k]), int(articles[i, k]), _radius(int(articles[i, k])), int(order[i, k]),
                names[i] if label[i, k] else None,
                _listed_row(described["names"][i], style, articles[i, k], points[i]) if i in listed else None]
        while full[-1] is None:  # most entries have no label and no row: leave them out
            full.pop()
        return full

    first = [entry(int(i), 0) for i in sorted(np.flatnonzero(rank[:, 0] >= 0), key=lambda i: order[i, 0])] \
        if len(days) else []
    changed = (rank[:, 1:] != rank[:, :-1]) | (articles[:, 1:] != articles[:, :-1]) | (label[:, 1:] != label[:, :-1])
    changes = [[entry(int(i), k) for i in np.flatnonzero(changed[:, k - 1])] for k in range(1, len(days))]
    return {"days": [day.isoformat() for day in days], "places": described, "start": first, "changes": changes,
            "styles": [{"status": s, "label": st.label, "fill": st.fill, "stroke": st.stroke, "shape": st.shape,
                        "dash": st.dash, "tip": _tip_suffix(st)} for s, st in STATUS_STYLES.items()],
            "selected": int(ids.get_indexer([selected])[0]), "slider": slider, "shown": len(days) - 1,
            "listed_title": "Reported areas without a shape on this map", "empty": "No data for this date and filters"}


def steps_layer(data: dict, name: str = "Places") -> folium.FeatureGroup:
    """The places of :func:`steps_data` as one feature group that redraws itself as the page's slider moves."""
    group = folium.FeatureGroup(name=name, control=False)
    group.add_child(_Script(f"GeoMap.steps(__PARENT__, {script_json(data)});"))
    return group


def build_map(
    places: pd.DataFrame,
    *,
    basemap: str = "vector",
    bounds: tuple[float, float, float, float] | None = None,
    title: str | None = None,
    date: dt.date | str | None = None,
    assets: str = "static",
    legend: bool = True,
) -> folium.Map:
    """The map of one snapshot (``geo.timeline.snapshot_at``): base map plus one marker per place.

    ``bounds`` (W, S, E, N) frames the map; by default it frames the places with
    data (the theatre when there are none). ``assets``: see the module docstring.
    """
    m = base_map(basemap=basemap, bounds=bounds or places_bounds(places), title=title, date=date,
                 assets=assets, legend=legend)
    places_layer(places).add_to(m)
    return m


def external_hosts(basemap: str) -> Iterable[str]:
    """Hosts a page showing this basemap may legitimately contact (tile servers only)."""
    return TILE_HOSTS.get(basemap, ())
