"""The map at a date for briefings: a PNG for slides, a self-contained HTML file for e-mail.

Both faces draw the dashboard's own map (:func:`geo.mapview.build_map`, one code
path) from the store's observations, so a slide never disagrees with the
dashboard. The PNG is rendered by headless Chromium (:mod:`geo.browser`) from a
page that loads only the package's own files, with every other request refused,
animations off and fixed fonts, so the same store and date give the same
picture. The HTML file carries the status of every place on every date of the
data plus a slider and a play button, with every asset inlined (:mod:`geo.inline`),
and needs no network to open.

Validation happens before any rendering, with messages a user can act on: a
date outside the data, an unknown region, a path that cannot be written.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.basemap import ATTRIBUTION
from geo.timeline import plural

#: Default image size: a 16:9 slide.
DEFAULT_SIZE = (1920, 1080)
#: Sizes outside this range are refused: too small to read, or too big for a browser surface.
MIN_SIDE, MAX_SIDE = 320, 8000
#: A region named by a point only (no polygon on the basemap) is framed this many degrees wide.
POINT_REGION_SPAN = 3.0
#: Outlets named in a footnote before "and N more".
MAX_OUTLETS_NAMED = 6


#: (west, south, east, north) in degrees, the order :func:`geo.mapview.build_map` takes.
WSEN = tuple[float, float, float, float]


class SnapshotError(ValueError):
    """A snapshot cannot be made as asked; the message is one line for the user."""


@dataclass(frozen=True)
class Bounds:
    """A lon/lat box: west, south, east, north (degrees, EPSG:4326)."""

    west: float
    south: float
    east: float
    north: float

    @property
    def wsen(self) -> WSEN:
        """``(west, south, east, north)``, the order :func:`geo.mapview.build_map` takes."""
        return (self.west, self.south, self.east, self.north)

    def padded(self, fraction: float, min_span: float) -> Bounds:
        """Grown by ``fraction`` of its span on each side, and to at least ``min_span`` degrees."""
        cx, cy = (self.west + self.east) / 2, (self.south + self.north) / 2
        half_w = max((self.east - self.west) * (1 + 2 * fraction), min_span) / 2
        half_h = max((self.north - self.south) * (1 + 2 * fraction), min_span) / 2
        return Bounds(max(cx - half_w, -180.0), max(cy - half_h, -85.0), min(cx + half_w, 180.0), min(cy + half_h, 85.0))

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]]) -> Bounds | None:
        """The smallest box holding every (lon, lat) point; ``None`` for no points."""
        pts = [(lon, lat) for lon, lat in points if math.isfinite(lon) and math.isfinite(lat)]
        if not pts:
            return None
        lons, lats = zip(*pts)
        return cls(min(lons), min(lats), max(lons), max(lats))


def parse_size(text: str) -> tuple[int, int]:
    """``"1920x1080"`` -> ``(1920, 1080)``; refuses malformed or absurd sizes."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise SnapshotError(f"--size must be WIDTHxHEIGHT in pixels, e.g. 1920x1080, not {text!r}") from None
    for side in (width, height):
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise SnapshotError(f"--size {text}: each side must be between {MIN_SIDE} and {MAX_SIDE} pixels")
    return width, height


def parse_bbox(text: str) -> Bounds:
    """``"W,S,E,N"`` in degrees -> :class:`Bounds`; refuses swapped or out-of-range corners."""
    try:
        west, south, east, north = (float(p) for p in text.split(","))
    except ValueError:
        raise SnapshotError(f"--bbox must be four numbers W,S,E,N in degrees, e.g. 30,45,40,51, not {text!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise SnapshotError(f"--bbox {text}: coordinates must be finite numbers")
    if not (-180 <= west < east <= 180):
        raise SnapshotError(f"--bbox {text}: need -180 <= west < east <= 180")
    if not (-90 <= south < north <= 90):
        raise SnapshotError(f"--bbox {text}: need -90 <= south < north <= 90")
    return Bounds(west, south, east, north)


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` -> date, with a message that names the expected form."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise SnapshotError(f"--date must be a day as YYYY-MM-DD, e.g. 2022-03-03, not {text!r}") from None


def _geometry_bounds(geometry: dict) -> Bounds | None:
    def points(coords):  # nested coordinate arrays of any depth
        if coords and isinstance(coords[0], (int, float)):
            yield coords[0], coords[1]
        else:
            for c in coords:
                yield from points(c)

    return Bounds.around(points(geometry.get("coordinates") or []))


@dataclass(frozen=True)
class Region:
    """A named area to frame: its box and, when the basemap has it, its outline (drawn on the snapshot)."""

    name: str
    bounds: Bounds
    outline: dict | None = None


def resolve_region(name: str, gazetteer=None) -> Region:
    """An oblast, region, country or sea, named as the basemap or the gazetteer names it.

    The basemap's polygons are tried first (countries, oblast-level units with
    their variants such as "Kharkov", "Donbas", seas and lakes); then the
    gazetteer (``gazetteer`` or the shipped one), whose regions are mapped back
    to those polygons or, for one the basemap does not draw, framed around its
    point. Cities are not regions: "--region Kyiv" means the oblast.
    """
    from geo.basemap import area_for

    name = " ".join(name.split())
    if not name:
        raise SnapshotError("--region needs a name, e.g. 'Kharkiv Oblast' or 'Ukraine'")
    for kind in ("country", "region", "water"):
        geometry = area_for(kind, name)
        if geometry:
            return Region(name, _geometry_bounds(geometry).padded(0.04, min_span=1.0), geometry)
    if gazetteer is None:
        from geo.gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    for place in gazetteer.lookup(name):
        if place.kind not in ("region", "country", "water"):
            continue
        geometry = area_for(place.kind, place.name, place.country)
        if geometry:
            return Region(place.name, _geometry_bounds(geometry).padded(0.04, min_span=1.0), geometry)
        box = Bounds(place.lon, place.lat, place.lon, place.lat).padded(0, min_span=POINT_REGION_SPAN)
        return Region(place.name, box)
    raise SnapshotError(
        f"unknown region {name!r}: give an oblast or country as the basemap names it "
        "(e.g. 'Kharkiv Oblast', 'Crimea', 'Ukraine'), or use --bbox W,S,E,N"
    )


def check_writable(path: str | os.PathLike, suffix: str) -> Path:
    """The output path, after checking it can be written, before any work is done.

    Refuses a wrong extension, a missing folder, a folder, and a folder we may
    not write to, each with a one-line message.
    """
    out = Path(path).expanduser()
    if out.suffix.lower() != suffix:
        raise SnapshotError(f"cannot write {out}: the file name must end in {suffix}")
    if out.is_dir():
        raise SnapshotError(f"cannot write {out}: it is a folder")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise SnapshotError(f"cannot write {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise SnapshotError(f"cannot write {out}: permission denied")
    return out


def write_atomically(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` via a temporary file in the same folder: never a half-written file."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, out)
    except OSError as e:
        raise SnapshotError(f"cannot write {out}: {e.strerror or e}") from e


def check_date(frame: pd.DataFrame, day: dt.date) -> None:
    """Refuse a date outside the data's first and last article dates (an empty store accepts any)."""
    dates = frame["article_date"].dropna() if "article_date" in frame else pd.Series(dtype="datetime64[ns]")
    if dates.empty:
        return
    first, last = dates.min().date(), dates.max().date()
    if not first <= day <= last:
        raise SnapshotError(f"no data on {day.isoformat()}: the store's articles run from {first} to {last}")


def _outlets_phrase(outlets: pd.Series) -> str:
    named = outlets.dropna().astype(str).str.strip()
    named = named[named != ""]
    if named.empty:
        return "outlets not recorded"
    ranked = named.value_counts()  # most articles first, then alphabetical for a stable order
    ranked = ranked.rename_axis("outlet").reset_index(name="n").sort_values(["n", "outlet"], ascending=[False, True])
    names = list(ranked["outlet"])
    shown = ", ".join(names[:MAX_OUTLETS_NAMED])
    more = len(names) - MAX_OUTLETS_NAMED
    label = "outlet" if len(names) == 1 else "outlets"
    return f"{len(names)} {label}: {shown}" + (f" and {more} more" if more > 0 else "")


def footnote(behind: pd.DataFrame, day: dt.date, window_days: int) -> str:
    """What the map rests on: articles, outlets, their dates, the look-back rule, and the data's sources.

    ``behind`` is the observations the map's statuses come from (one article may
    give several); the footnote counts articles, not observations.
    """
    rule = f"status as of {day.isoformat()} from reports of the previous {window_days} days"
    if behind.empty:
        return f"No reports in view · {rule} · {ATTRIBUTION}"
    articles = behind.drop_duplicates("article_id")
    n = len(articles)
    dates = articles["article_date"].dropna()
    first, last = dates.min().date(), dates.max().date()
    when = f"published {first}" if first == last else f"published {first} to {last}"
    noun = "article" if n == 1 else "articles"
    return f"Based on {n} {noun} ({_outlets_phrase(articles['outlet'])}), {when} · {rule} · {ATTRIBUTION}"


# -- the page -----------------------------------------------------------------------------

#: CSS px width the map is laid out for; bigger images are rendered at a higher device scale
#: so text, symbols and lines keep their proportions (a 1920x1080 PNG is 1280x720 at 1.5x).
LAYOUT_WIDTH, LAYOUT_HEIGHT = 1280, 720
#: The map's own controls that mean nothing on paper, and motion that would make two renders differ.
STATIC_MAP_OPTIONS = {"zoom_control": False, "zoom_animation": False, "fade_animation": False,
                      "marker_zoom_animation": False, "inertia": False}
#: How the region asked for with --region is outlined: dark, dashed, unfilled, under the markers.
OUTLINE_STYLE = {"color": "#333333", "weight": 2.5, "dashArray": "10 6", "fill": False, "opacity": 0.9}
#: The element that tells the page is drawn: the legend, which the map's one script adds along with
#: the basemap and the places (Leaflet draws SVG synchronously; wait_drawn adds two frames).
DRAWN_SELECTOR = ".geomap-legend"

_FOOTNOTE_CSS = """
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
.folium-map { flex: 1 1 auto; height: auto !important; min-height: 0; }
.snapshot-footnote { flex: none; order: 2; background: #fff; border-top: 1px solid #9a9a9a; color: #333;
  font: 11px/1.4 "DejaVu Sans", sans-serif; padding: 4px 10px; }
.leaflet-control-attribution { display: none; }
"""


def layout(size: tuple[int, int]) -> tuple[tuple[int, int], float]:
    """The CSS viewport and device scale that render a ``size``-pixel image at slide proportions."""
    width, height = size
    scale = max(1.0, min(width / LAYOUT_WIDTH, height / LAYOUT_HEIGHT))
    return (round(width / scale), round(height / scale)), scale


#: Title used when the caller gives none.
DEFAULT_TITLE = "Reported status of places"


@dataclass
class Snapshot:
    """A rendered map page and what it shows (for reports and tests)."""

    html: str
    day: dt.date
    places: pd.DataFrame
    footnote: str


def _html_footnote(text: str) -> str:
    """A bar under the map with what it rests on; it carries the attribution, so Leaflet's is hidden."""
    from geo.safety import escape

    return (f"<style>{_FOOTNOTE_CSS}</style>"
            f'<div class="snapshot-footnote" role="contentinfo">{escape(text)}</div>')


def view_page(view, day: dt.date, *, bounds: WSEN | None = None, title: str | None = None,
              window_days: int | None = None, note: str | None = None, outline: dict | None = None) -> Snapshot:
    """One day's map (a :class:`geo.timeline.View`, filters already applied) as a static page.

    Drawn by :func:`geo.mapview.build_map` on the vector basemap, with motion and
    the zoom buttons off, and the footnote (``note``, else made from the view's
    observations) under it. Framed on ``bounds``, else on the places shown;
    ``outline`` (a GeoJSON geometry: the region asked for) is drawn as a dashed line.
    """
    import folium

    from geo.mapview import build_map
    from geo.timeline import DEFAULT_WINDOW_DAYS

    window = window_days or DEFAULT_WINDOW_DAYS
    note = note or footnote(view.observations, day, window)
    m = build_map(view.places, basemap="vector", bounds=bounds, title=title or DEFAULT_TITLE, date=day,
                  assets="file")
    m.options.update(STATIC_MAP_OPTIONS)
    if outline:
        folium.GeoJson(outline, style_function=lambda _: OUTLINE_STYLE, pane="geomap-areas", interactive=False,
                       control=False).add_to(m)
    m.get_root().html.add_child(folium.Element(_html_footnote(note)))
    return Snapshot(m.get_root().render(), day, view.places, note)


def snapshot_page(frame: pd.DataFrame, day: dt.date, *, bounds: WSEN | None = None, title: str | None = None,
                  window_days: int | None = None, outline: dict | None = None) -> Snapshot:
    """The map of every observation in ``frame`` as of ``day``; a store with no dated article says "no data"."""
    from geo.timeline import DEFAULT_WINDOW_DAYS, SNAPSHOT_COLUMNS, View, view_at

    window = window_days or DEFAULT_WINDOW_DAYS
    if frame["article_date"].notna().any():
        return view_page(view_at(frame, day, window_days=window), day, bounds=bounds, title=title,
                         window_days=window, outline=outline)
    empty = View(pd.DataFrame(columns=SNAPSHOT_COLUMNS), frame.iloc[0:0])
    return view_page(empty, day, bounds=bounds, title=title, window_days=window, outline=outline,
                     note=f"No data in the store · {ATTRIBUTION}")


# -- PNG --------------------------------------------------------------------------------------


@dataclass
class Rendered:
    """A written snapshot: where, how big, what it shows, how long it took."""

    out: Path
    size: tuple[int, int]
    places: pd.DataFrame
    footnote: str
    seconds: float


def open_store(db: str | None):
    """The store the dashboard shows: ``db`` if given, else the embedded default (filled from the seeds)."""
    from geo.store import Store

    return Store(db) if db else Store.open_default()


def page_png(html: str, size: tuple[int, int] = DEFAULT_SIZE, *, timeout_ms: float = 60_000) -> bytes:
    """Screenshot a map page at ``size`` pixels in headless Chromium, offline, once it is drawn.

    A page that raised a script error or tried to reach the network is refused
    rather than photographed: its picture could be silently incomplete.
    """
    from geo import browser

    viewport, scale = layout(size)
    try:
        png, log = browser.render_png(html, size=viewport, scale=scale, wait_for=DRAWN_SELECTOR,
                                      timeout_ms=timeout_ms)
    except browser.PageNotDrawn as e:
        raise SnapshotError(f"the map page did not draw: {e}") from e
    if log.page_errors or log.blocked:
        raise SnapshotError(f"the map page is broken: {'; '.join(log.problems())}")
    return _exact_size(png, size)


def _exact_size(png: bytes, size: tuple[int, int]) -> bytes:
    """The PNG at exactly ``size``: a fractional device scale can be a pixel off; resample then."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if image.size == tuple(size):
        return png
    buffer = io.BytesIO()
    image.resize(size, Image.LANCZOS).save(buffer, format="PNG")
    return buffer.getvalue()


def view_png(view, day: dt.date, *, size: tuple[int, int] = DEFAULT_SIZE, bounds: WSEN | None = None,
             title: str | None = None, window_days: int | None = None) -> bytes:
    """The dashboard's current view (a :class:`geo.timeline.View`) as PNG bytes: its "Download PNG"."""
    return page_png(view_page(view, day, bounds=bounds, title=title, window_days=window_days).html, size)


def render_png(
    out: str | os.PathLike,
    day: dt.date,
    *,
    db: str | None = None,
    store=None,
    size: tuple[int, int] = DEFAULT_SIZE,
    bounds: Bounds | None = None,
    region: Region | None = None,
    title: str | None = None,
    window_days: int | None = None,
) -> Rendered:
    """Write the map of ``day`` to ``out`` as a PNG (checks first, renders, then writes atomically).

    Reads ``store`` (or opens ``db``, or the default store). Framed on ``region``
    (outlined, and named in the default title) or ``bounds``, else on the places
    shown. A date outside the data is refused; an empty store gives a map that
    says "no data".
    """
    import time

    started = time.perf_counter()
    target = check_writable(out, ".png")
    if store is None:
        with open_store(db) as opened:
            frame = opened.observations_frame()
    else:
        frame = store.observations_frame()
    check_date(frame, day)
    if region is not None:
        bounds, title = region.bounds, title or f"{DEFAULT_TITLE}: {region.name}"
    snap = snapshot_page(frame, day, bounds=bounds.wsen if bounds else None, title=title, window_days=window_days,
                         outline=region.outline if region else None)
    write_atomically(target, page_png(snap.html, size))
    return Rendered(target, size, snap.places, snap.footnote, time.perf_counter() - started)


# -- HTML with a time slider ---------------------------------------------------------------

#: Day steps up to this many; a longer range steps by week so the file stays small and the play short.
MAX_DAILY_STEPS = 400
#: Time per step when playing.
PLAY_INTERVAL_MS = 700
#: Timeline data larger than this (bytes of JSON) is embedded gzip-compressed.
GZIP_ABOVE_BYTES = 1_000_000
#: The slider's own files (inlined with Leaflet and geomap).
TIMELINE_JS, TIMELINE_CSS = "timeline/timeline.js", "timeline/timeline.css"


#: The slider bar under the exported map (timeline.js binds it; it starts paused).
_TIMELINE_BAR = """<div class="geo-timeline" role="group" aria-label="Time">
<button type="button" class="geo-timeline-play" aria-label="Play">&#9654;</button>
<input type="range" class="geo-timeline-slider" aria-label="Date">
<span class="geo-timeline-date"></span><span class="geo-timeline-counts"></span></div>"""


def timeline_steps(first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates the slider stops at: every day, or every week for long ranges; always ``last``."""
    stride = 1 if (last - first).days < MAX_DAILY_STEPS else 7
    steps = [first + dt.timedelta(days=k) for k in range(0, (last - first).days + 1, stride)]
    if steps[-1] != last:
        steps.append(last)
    return steps


class _Interner:
    """Numbers equal JSON values, so a marker unchanged over 100 days is stored once."""

    def __init__(self) -> None:
        self.values: list = []
        self._index: dict[str, int] = {}

    def __call__(self, value: object) -> int:
        import json

        key = json.dumps(value, sort_keys=True, ensure_ascii=False)
        if key not in self._index:
            self._index[key] = len(self.values)
            self.values.append(value)
        return self._index[key]


def timeline_data(frame: pd.DataFrame, steps: list[dt.date], window_days: int,
                  filters=None) -> tuple[dict, set[str]]:
    """Every step's map as indices into shared items, plus the ids of every place shown at some step.

    Each step is drawn from :func:`geo.mapview.places_data` of :func:`geo.timeline.view_at`
    (with the dashboard's ``filters``, a :class:`geo.timeline.Filters`, if given), exactly
    what the dashboard draws on that day.
    """
    import numpy as np

    from geo.mapview import places_data
    from geo.timeline import view_at

    items, geometries, notes = _Interner(), _Interner(), _Interner()
    shown: set[str] = set()
    out_steps = []
    listed_title, empty = "", "No data for this date"
    dates = np.sort(frame["article_date"].dropna().to_numpy(dtype="datetime64[ns]"))
    window = np.timedelta64(max(int(window_days), 1) - 1, "D")
    in_window, view, drawn = None, None, None
    for day in steps:
        # A day's view depends only on the reports inside its look-back window: while the
        # window holds the same articles (quiet days), the previous step's map is reused.
        end = np.datetime64(day, "ns")
        rows = (int(np.searchsorted(dates, end - window, "left")), int(np.searchsorted(dates, end, "right")))
        if rows != in_window:
            in_window = rows
            view = view_at(frame, day, window_days=window_days, filters=filters)
            data = places_data(view.places)
            listed_title = data.get("listed_title", listed_title)
            shown.update(view.places["place_id"])
            areas = [{**a, "geometry": geometries(a["geometry"])} for a in data["areas"]]
            drawn = {"p": [items(p) for p in data["points"]], "a": [items(a) for a in areas],
                     "l": [items(row) for row in data["listed"]]}
        counts = view.counts
        out_steps.append({
            "date": day.isoformat(), "label": pd.Timestamp(day).strftime("%d %B %Y"), **drawn,
            "f": notes(footnote(view.observations, day, window_days)),
            "counts": f"{plural(counts['places'], 'place')} from {plural(counts['articles'], 'article')} "
                      f"(reports of the {window_days} days to this date)",
        })
    payload = {"items": items.values, "geometries": geometries.values, "notes": notes.values,
               "steps": out_steps, "listed_title": listed_title, "empty": empty,
               "interval_ms": PLAY_INTERVAL_MS}
    return payload, shown


def _packed(data: dict) -> dict:
    """Small payloads as they are; big ones gzip-compressed (``{"gzip": base64}``).

    Popups repeat their markup for every place and step, so the JSON of a long,
    busy range runs to tens of MB and shrinks about 15-fold; browsers unpack it
    with their built-in ``DecompressionStream`` (no library). ``mtime=0`` keeps
    the same store giving the same file.
    """
    import base64
    import gzip
    import json

    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if len(text) < GZIP_ABOVE_BYTES:
        return data
    packed = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
    return {"gzip": base64.b64encode(packed).decode("ascii")}


def timeline_page(
    frame: pd.DataFrame,
    *,
    start: dt.date | None = None,
    bounds: WSEN | None = None,
    title: str | None = None,
    window_days: int | None = None,
    filters=None,
) -> tuple[str, int]:
    """A self-contained page: the map with a slider over every date of the data, and its place count.

    ``start`` is where the slider begins (default: the last date). Framed on
    ``bounds``, else on every place that shows a status at some date. ``filters``
    (:class:`geo.timeline.Filters`) narrow every step as they narrow the dashboard.
    """
    import folium

    from geo.inline import directory_resolver, make_self_contained
    from geo.mapview import ASSET_DIR, asset_url, base_map, places_bounds, script_json
    from geo.safety import escape
    from geo.timeline import DEFAULT_WINDOW_DAYS, date_range

    window = window_days or DEFAULT_WINDOW_DAYS
    span = date_range(frame)
    if span is None:
        steps = [start or dt.date.today()]
    else:
        check_date(frame, start or span[1])
        steps = timeline_steps(*span)
    data, shown = timeline_data(frame, steps, window, filters) if span else ({}, set())
    if not span:
        data = {"items": [], "geometries": [], "notes": [f"No data in the store · {ATTRIBUTION}"],
                "steps": [{"date": steps[0].isoformat(), "label": pd.Timestamp(steps[0]).strftime("%d %B %Y"),
                           "p": [], "a": [], "l": [], "f": 0, "counts": "no data"}],
                "listed_title": "", "empty": "No data in the store", "interval_ms": PLAY_INTERVAL_MS}
    first = start or steps[-1]
    data["start"] = max(i for i, day in enumerate(steps) if day <= first)
    if bounds is None:
        bounds = places_bounds(frame[frame["place_id"].isin(shown)].drop_duplicates("place_id"))
    m = base_map(basemap="vector", bounds=bounds, title=title or DEFAULT_TITLE, date=first, assets="file")
    m.default_js = [*m.default_js, ("geo_timeline_js", asset_url(TIMELINE_JS, "file"))]
    m.default_css = [*m.default_css, ("geo_timeline_css", asset_url(TIMELINE_CSS, "file"))]
    root = m.get_root()
    span_text = f"{steps[0]} to {steps[-1]}" if len(steps) > 1 else f"{steps[0]}"
    root.header.add_child(folium.Element(f"<title>{escape(title or DEFAULT_TITLE)}, {span_text}</title>"))
    root.html.add_child(folium.Element(_TIMELINE_BAR))
    root.html.add_child(folium.Element(_html_footnote(data["notes"][data["steps"][data["start"]]["f"]])))
    root.html.add_child(folium.Element(
        f"<script>window.addEventListener('load', function () {{ "
        f"window.geoTimeline = GeoTimeline.start({m.get_name()}, {script_json(_packed(data))}); }});</script>"))
    # folium names the map after 128 random bits; a fixed name makes the same store give the same file.
    html = root.render().replace(m.get_name(), "geo_timeline_map")
    html = make_self_contained(html, directory_resolver({ASSET_DIR.as_uri() + "/": ASSET_DIR}))
    return html, len(shown)


def export_html(
    store,
    out: str | os.PathLike,
    *,
    date: dt.date | None = None,
    window_days: int | None = None,
    title: str | None = None,
    bounds: WSEN | None = None,
) -> int:
    """Write the store's map as one self-contained HTML file with a time slider; return its place count.

    The file opens from ``file://`` with no network: Leaflet, the basemap, the
    styles and every date's places are inside it.
    """
    target = check_writable(out, ".html")
    html, n_places = timeline_page(store.observations_frame(), start=date, bounds=bounds, title=title,
                                   window_days=window_days)
    write_atomically(target, html.encode("utf-8"))
    return n_places
