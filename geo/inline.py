"""Make an HTML page self-contained: scripts, stylesheets and the files they use, inlined.

A map e-mailed to someone without the dashboard must open from ``file://`` on a
machine with no network: every ``<script src>``, ``<link rel=stylesheet>`` and
CSS ``url(...)`` (Leaflet's icons, icon fonts) becomes part of the one file.
The caller says where a referenced asset lives on disk (``resolve``); anything
it cannot resolve is left in place and reported by :func:`external_references`,
so an export can refuse to write a file that would need the network.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

#: Given a URL as written in the page (or in a stylesheet, already joined with the
#: stylesheet's own URL), the local file holding it, or ``None`` if unknown.
Resolver = Callable[[str], "Path | None"]

_SCRIPT_SRC = re.compile(
    r"""<script\b(?P<attrs>[^>]*?)\bsrc\s*=\s*(?P<q>["']?)(?P<url>[^"'\s>]+)(?P=q)(?P<rest>[^>]*)>\s*</script\s*>""",
    re.IGNORECASE,
)
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(?P<name>[a-z-]+)\s*=\s*(?P<q>["'])(?P<value>.*?)(?P=q)""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)(?P=q)\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?(?P<url>[^"')\s;]+)["']?\s*\)?[^;]*;""", re.IGNORECASE)
#: Attributes and CSS through which a page loads something by itself.
_LOADING_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']?(?P<url>[^"'\s>]+)""", re.IGNORECASE)

_FONT_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf",
               ".eot": "application/vnd.ms-fontobject", ".svg": "image/svg+xml"}


class InlineError(ValueError):
    """A page still needs the network after inlining; the message lists what."""


def is_remote(url: str) -> bool:
    """Whether following ``url`` would go to another machine (``http(s)``, ``ws``, ``//host``)."""
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = urlsplit(url).scheme.lower()
    return scheme in {"http", "https", "ws", "wss", "ftp"}


def data_uri(path: Path) -> str:
    """``path`` as a ``data:`` URI with a sensible MIME type."""
    mime = _FONT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _split_url(url: str) -> str:
    """Drop a fragment and query (``font.woff2?v=4.7#iefix``): they do not name another file."""
    return unquote(urlsplit(url)._replace(query="", fragment="").geturl())


def inline_css(css: str, base_url: str, resolve: Resolver) -> str:
    """Inline ``@import`` and ``url(...)`` references of a stylesheet found at ``base_url``."""

    def replace_import(match: re.Match) -> str:
        url = urljoin(base_url, match["url"])
        path = resolve(_split_url(url))
        if path is None:
            return match[0]
        return inline_css(path.read_text(encoding="utf-8"), url, resolve)

    def replace_url(match: re.Match) -> str:
        raw = match["url"].strip()
        if raw.startswith(("data:", "#")):
            return match[0]
        fragment = urlsplit(raw).fragment
        path = resolve(_split_url(urljoin(base_url, raw)))
        if path is None:
            return match[0]
        return f'url("{data_uri(path)}{"#" + fragment if fragment and path.suffix == ".svg" else ""}")'

    return _CSS_URL.sub(replace_url, _CSS_IMPORT.sub(replace_import, css))


def _script_text(code: str) -> str:
    # "</script" inside code would end the element early; "<\/" is the same string in JS.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _style_text(css: str) -> str:
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


def inline_assets(html: str, resolve: Resolver, *, base_url: str = "") -> str:
    """``html`` with every resolvable script and stylesheet (and their files) inlined.

    Order is kept (a ``<script>`` stays where its ``src`` was), so scripts that
    depend on each other (Leaflet before its plugins) still run in order.
    """

    def replace_script(match: re.Match) -> str:
        url = urljoin(base_url, match["url"])
        path = resolve(_split_url(url))
        if path is None:
            return match[0]
        attrs = (match["attrs"] + match["rest"]).strip()
        attrs = re.sub(r"\b(?:async|defer)\b|\bcrossorigin\s*=\s*\S+|\bintegrity\s*=\s*\S+", "", attrs).strip()
        opening = f"<script {attrs}>" if attrs else "<script>"
        return f"{opening}{_script_text(path.read_text(encoding='utf-8'))}</script>"

    def replace_link(match: re.Match) -> str:
        attrs = {m["name"].lower(): m["value"] for m in _ATTR.finditer(match[0])}
        if "stylesheet" not in attrs.get("rel", "").lower().split() or "href" not in attrs:
            return match[0]
        url = urljoin(base_url, attrs["href"])
        path = resolve(_split_url(url))
        if path is None:
            return match[0]
        css = inline_css(path.read_text(encoding="utf-8"), url, resolve)
        media = f' media="{attrs["media"]}"' if "media" in attrs else ""
        return f"<style{media}>{_style_text(css)}</style>"

    html = _SCRIPT_SRC.sub(replace_script, html)
    html = _LINK.sub(replace_link, html)
    return html


_SCRIPT_BLOCK = re.compile(r"(<script\b[^>]*>)(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)


def external_references(html: str) -> list[str]:
    """Every remote URL the page's markup and styles would load by themselves.

    Looks at ``src``/``href`` of loading tags, ``<style>`` blocks and ``style``
    attributes. Plain ``<a href>`` links are not loads (a recipient may click
    one; the page does not fetch it). Script *code* is not parsed (a URL in a
    string, like Leaflet's link to its home page, is not a load); what scripts
    fetch at run time is what the browser tests catch (:mod:`geo.browser`).
    """
    styles = [m[1] for m in _STYLE_BLOCK.finditer(html)]
    markup = _STYLE_BLOCK.sub(" ", _SCRIPT_BLOCK.sub(lambda m: m[1], html))
    found: list[str] = []
    for tag in re.finditer(r"<(?P<name>[a-z][a-z0-9-]*)\b[^>]*>", markup, re.IGNORECASE):
        attrs = {m["name"].lower(): m["value"] for m in _ATTR.finditer(tag[0])}
        styles.append(attrs.get("style", ""))
        if tag["name"].lower() != "a":
            found += [m["url"] for m in _LOADING_ATTR.finditer(tag[0]) if is_remote(m["url"])]
    for css in styles:
        found += [m["url"] for m in _CSS_URL.finditer(css) if is_remote(m["url"])]
        found += [m["url"] for m in _CSS_IMPORT.finditer(css) if is_remote(m["url"])]
    return sorted(set(found))


def directory_resolver(mounts: dict[str, Path]) -> Resolver:
    """Resolve URLs that start with a mount prefix to files under its directory.

    ``{"/app/static/": Path("geo/static")}`` maps ``/app/static/leaflet/leaflet.js``
    to ``geo/static/leaflet/leaflet.js``. A URL that climbs out of its directory
    (``../``) resolves to nothing, so a page cannot pull arbitrary files in.
    """
    roots = {prefix: root.resolve() for prefix, root in mounts.items()}

    def resolve(url: str) -> Path | None:
        for prefix, root in roots.items():
            if url.startswith(prefix):
                candidate = (root / url[len(prefix):]).resolve()
                if candidate.is_file() and candidate.is_relative_to(root):
                    return candidate
        return None

    return resolve


def make_self_contained(html: str, resolve: Resolver, *, base_url: str = "") -> str:
    """Inline every asset, then refuse (:class:`InlineError`) if any remote load remains."""
    result = inline_assets(html, resolve, base_url=base_url)
    remaining = external_references(result)
    if remaining:
        shown = ", ".join(remaining[:5]) + (f" and {len(remaining) - 5} more" if len(remaining) > 5 else "")
        raise InlineError(f"the page still loads {len(remaining)} remote asset(s): {shown}")
    return result
