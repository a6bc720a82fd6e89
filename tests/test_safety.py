"""Untrusted article text is shown as text: escaping and link rules of geo.safety."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.safety import escape, escape_markdown, highlight, link, safe_url, spreadsheet_safe

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    "`;alert(1);`",
    "${alert(1)}",
    "\\`${alert(1)}\\`",
    "</div></script><script>alert(1)</script>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_has_no_markup_and_no_template_literal_syntax(text):
    out = escape(text)
    assert not set("<>\"'`$\\") & set(out)


@pytest.mark.parametrize("text", HOSTILE + ["Kyiv & Kharkiv", "Київ — «Ірпінь»", "a\nb"])
def test_escaped_text_reads_back_as_the_original(text):
    import html

    assert html.unescape(escape(text)) == text


def test_missing_values_show_as_empty():
    assert escape(None) == ""
    assert escape(float("nan")) == ""
    assert escape(3) == "3"


@pytest.mark.parametrize("url", [
    "https://example.org/news/1",
    "http://example.org",
    "  HTTPS://Example.org/a?b=c&d=e#f  ",
])
def test_http_and_https_urls_become_links(url):
    assert safe_url(url) == url.strip()
    assert link(url, "story").startswith('<a href="')
    assert 'rel="noopener noreferrer"' in link(url, "story")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "/relative/path",
    "https://",
    "http://[::1",
    "",
    None,
    42,
])
def test_other_urls_are_never_links(url):
    assert safe_url(url) is None
    out = link(url, "<b>label</b>")
    assert "<a" not in out and "href" not in out
    assert out == "&lt;b&gt;label&lt;/b&gt;"


def test_unsafe_url_without_label_is_shown_as_escaped_text():
    assert link("javascript:alert('x')") == "javascript:alert(&#x27;x&#x27;)"


def test_link_escapes_quotes_in_the_url_attribute():
    out = link('https://example.org/"onmouseover="alert(1)', "x")
    assert out.count('"') == 6  # href, target, rel: the URL adds none
    assert "&quot;onmouseover=&quot;" in out


def test_highlight_marks_the_trigger_and_escapes_everything_else():
    out = highlight("<b>Russian forces captured Kherson</b>", "CAPTURED")
    assert out == "&lt;b&gt;Russian forces <mark>captured</mark> Kherson&lt;/b&gt;"


def test_highlight_cannot_splice_markup_through_the_trigger():
    out = highlight("a <img src=x onerror=alert(1)> b", "<img")
    assert "<img" not in out
    assert "<mark>&lt;img</mark>" in out


def test_highlight_without_a_trigger_is_plain_escaping():
    assert highlight("<i>x</i>", None) == escape("<i>x</i>")
    assert highlight(None, "x") == ""


def test_markdown_escaping_neutralises_links_images_colours_and_maths():
    out = escape_markdown("[click](javascript:alert(1)) ![x](http://evil.example/x.png) :red[x] $x^2$ **bold**")
    assert re.search(r"(?<!\\)[\[\]*$:!]", out) is None


def test_markdown_escaping_keeps_plain_text_readable_and_blocks_line_start_syntax():
    assert escape_markdown("siege.txt: 3 articles (2022-03-03), a-b") == "siege.txt\\: 3 articles (2022-03-03), a-b"
    assert escape_markdown("- item\n1. two\n# head") == "\\- item\n1\\. two\n\\# head"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_escapes_to_markup_free_html(text):
    import html

    out = escape(text)
    assert not set("<>\"'`$\\") & set(out)
    assert html.unescape(out) == text


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_any_highlight_is_markup_free_apart_from_its_tags(sentence, term):
    out = highlight(sentence, term).replace("<mark>", "").replace("</mark>", "")
    assert not set("<>\"'`$\\") & set(out)


def test_csv_cells_that_look_like_formulas_are_neutralised_and_nothing_else_changes():
    import pandas as pd

    frame = pd.DataFrame({
        "title": ['=HYPERLINK("http://evil.example","open")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                  "\tx", "Kyiv", None],
        "confidence": [0.9, -0.5, 1.0, 0.1, 0.2, 0.3, 0.4],
    })
    safe = spreadsheet_safe(frame)
    assert list(safe["title"][:5]) == ["'" + t for t in frame["title"][:5]]
    assert safe["title"][5] == "Kyiv" and pd.isna(safe["title"][6])
    assert list(safe["confidence"]) == list(frame["confidence"])
    assert frame["title"][0].startswith("=")  # the input is not modified
