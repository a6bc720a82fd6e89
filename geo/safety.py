"""Show untrusted text safely: the one place that escapes article content for HTML.

Titles, texts, evidence sentences, outlet and place names come from strangers'
articles. Wherever they end up in HTML (folium popups and tooltips, the evidence
panel, the HTML export) they must be shown as text and never run.

Why plain :func:`html.escape` is not enough here: folium puts popup and tooltip
HTML inside JavaScript *template literals* (```<div>...</div>```), so a
backtick ends the literal and ``${...}`` is evaluated as code, even in text
that contains no ``<``. folium's own ``escape_backticks`` misses ``\\````.
:func:`escape` therefore also turns `` ` ``, ``$`` and ``\\`` into character
references, which a browser shows as the same characters once the HTML is
parsed. The result is safe in HTML text, in a double- or single-quoted
attribute, and in a folium template literal.

Links: only absolute ``http``/``https`` URLs with a host become clickable
(:func:`safe_url`); ``javascript:``, ``data:``, ``vbscript:``, relative and
malformed URLs are shown as plain text. Browsers ignore tabs, newlines and
leading control characters in a URL's scheme (``java\\tscript:``), so those are
removed before the scheme is checked.
"""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import pandas

__all__ = ["escape", "safe_url", "link", "highlight", "escape_markdown", "spreadsheet_safe"]

#: Characters that are harmless in HTML but break out of a JavaScript template
#: literal (folium's popups/tooltips) or start an interpolation.
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})

#: What a browser strips from a URL before parsing it: C0 controls, space, DEL.
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")

SAFE_SCHEMES = frozenset({"http", "https"})

#: A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

#: Characters that start Markdown (or Streamlit extension) syntax anywhere in a line:
#: emphasis, code, links/images, HTML, tables, strike-through, ``$maths$``, ``:red[...]``/``:icon:``.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>!|~$:#])")
#: Syntax that only counts at the start of a line: list items ("- ", "+ ", "1. ") and setext rules.
_MARKDOWN_LINE_START = re.compile(r"(?m)^(\s*)(\d*)([-+.)=])")


def escape(value: object) -> str:
    """``value`` as HTML text: safe in element content, quoted attributes and folium's template literals.

    ``None`` (and NaN, as pandas gives for missing cells) is shown as an empty string.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True).translate(_TEMPLATE_LITERAL)


def safe_url(url: object) -> str | None:
    """The URL if it may become a link (absolute ``http``/``https`` with a host), else ``None``."""
    if not isinstance(url, str):
        return None
    cleaned = _URL_JUNK.sub("", url.strip())
    if len(cleaned) > 4096:
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # e.g. an invalid IPv6 literal
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    return cleaned


def link(url: object, label: object = None) -> str:
    """An ``<a>`` to ``url`` showing ``label`` (or the URL), or just the escaped text if the URL is unsafe.

    Links open in a new tab without giving the target page access to ours
    (``rel="noopener noreferrer"``).
    """
    text = escape(label if label not in (None, "") else url)
    target = safe_url(url)
    if target is None:
        return text
    return f'<a href="{escape(target)}" target="_blank" rel="noopener noreferrer">{text}</a>'


def highlight(sentence: object, term: object, tag: str = "mark") -> str:
    """``sentence`` escaped, with each case-insensitive occurrence of ``term`` wrapped in ``<tag>``.

    The match is found in the raw text and each piece is escaped separately, so
    a trigger can never splice markup into the sentence.
    """
    text = "" if sentence is None else str(sentence)
    needle = "" if term is None or (isinstance(term, float) and term != term) else str(term).strip()
    if not needle:
        return escape(text)
    out: list[str] = []
    position = 0
    for m in re.finditer(re.escape(needle), text, flags=re.IGNORECASE):
        out.append(escape(text[position:m.start()]))
        out.append(f"<{tag}>{escape(m.group(0))}</{tag}>")
        position = m.end()
    out.append(escape(text[position:]))
    return "".join(out)


def escape_markdown(value: object) -> str:
    """``value`` as literal text for ``st.markdown``/``st.caption``/``st.write`` strings.

    Backslash-escapes Markdown syntax and Streamlit's extensions (``:red[…]``
    colours, ``$…$`` maths, ``:material/…:`` icons), so article text cannot
    turn into links, images (which would load from another host) or formatting,
    and HTML tags show as text. Plain words, file names and sentences stay
    readable: ``.``, ``-`` and ``(`` are escaped only where they would start syntax.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = _MARKDOWN_INLINE.sub(r"\\\1", str(value))
    return _MARKDOWN_LINE_START.sub(r"\1\2\\\3", text)


def spreadsheet_safe(frame: pandas.DataFrame) -> pandas.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas (for CSV downloads).

    An article title such as ``=HYPERLINK("http://evil.example", "open")`` would
    become a live formula when an analyst opens the CSV in a spreadsheet (CSV
    injection). Text cells that start like a formula get a leading ``'``, which
    spreadsheets show as plain text; numbers, dates and every other cell are unchanged.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out
