"""Self-contained HTML: every script, stylesheet and the files they use end up inside the page."""
from __future__ import annotations

import base64

import pytest

from geo.inline import (
    InlineError,
    directory_resolver,
    external_references,
    inline_assets,
    is_remote,
    make_self_contained,
)


@pytest.fixture
def static(tmp_path):
    """A miniature asset folder shaped like Leaflet's and Font Awesome's."""
    root = tmp_path / "static"
    (root / "leaflet" / "images").mkdir(parents=True)
    (root / "fa" / "fonts").mkdir(parents=True)
    (root / "leaflet" / "leaflet.js").write_text("window.L = {version: '1.9'}; var s = '</script>';")
    (root / "leaflet" / "plugin.js").write_text("window.L.plugin = true;")
    (root / "leaflet" / "leaflet.css").write_text(
        '@import "extra.css";\n.leaflet-control-layers-toggle { background-image: url(images/layers.png); }'
    )
    (root / "leaflet" / "extra.css").write_text(".extra { color: red; }")
    (root / "leaflet" / "images" / "layers.png").write_bytes(b"\x89PNG-layers")
    (root / "fa" / "fa.css").write_text(
        "@font-face { src: url('fonts/fa.woff2?v=4.7.0') format('woff2'), url(\"data:font/woff;base64,AA\"); }"
    )
    (root / "fa" / "fonts" / "fa.woff2").write_bytes(b"wOF2-font")
    return root


def test_scripts_and_stylesheets_are_inlined_in_order_with_their_files(static):
    html = """<head>
      <script src="/app/static/leaflet/leaflet.js"></script>
      <script defer src="/app/static/leaflet/plugin.js"></script>
      <link rel="stylesheet" href="/app/static/leaflet/leaflet.css"/>
      <link rel="stylesheet" href="/app/static/fa/fa.css">
      <link rel="icon" href="/app/static/favicon.ico">
    </head><body><a href="https://example.com/article">source</a></body>"""
    out = inline_assets(html, directory_resolver({"/app/static/": static}))

    assert "/app/static/leaflet/" not in out and "/app/static/fa/" not in out
    assert out.index("window.L = ") < out.index("window.L.plugin")  # dependency order kept
    assert "<\\/script>" in out  # a "</script>" inside code cannot end the element early
    assert "defer" not in out  # an inline script cannot be deferred; it runs where it stands
    assert ".extra { color: red; }" in out  # @import followed
    layers = base64.b64encode(b"\x89PNG-layers").decode()
    assert f'url("data:image/png;base64,{layers}")' in out
    font = base64.b64encode(b"wOF2-font").decode()
    assert f'url("data:font/woff2;base64,{font}")' in out
    assert 'url("data:font/woff;base64,AA")' in out  # data URIs untouched
    assert 'href="/app/static/favicon.ico"' in out  # not a stylesheet, left alone (and not remote)
    assert external_references(out) == []  # the clickable article link is not a load


def test_unresolvable_remote_assets_are_reported_and_refused(static):
    html = """<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>
      <link rel="stylesheet" href="//cdnjs.cloudflare.com/ajax/libs/font-awesome.css">
      <img src="https://tile.openstreetmap.org/1/1/1.png">
      <style>.x { background: url(https://example.com/bg.png) }</style>
      <script src="/app/static/leaflet/leaflet.js"></script>"""
    resolve = directory_resolver({"/app/static/": static})
    assert external_references(inline_assets(html, resolve)) == [
        "//cdnjs.cloudflare.com/ajax/libs/font-awesome.css",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "https://example.com/bg.png",
        "https://tile.openstreetmap.org/1/1/1.png",
    ]
    with pytest.raises(InlineError, match="still loads 4 remote asset"):
        make_self_contained(html, resolve)


def test_a_cdn_url_can_be_mapped_to_a_local_copy(static):
    html = '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
    resolve = directory_resolver({"https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/": static / "leaflet"})
    assert "window.L = " in make_self_contained(html, resolve)


def test_resolver_does_not_escape_its_directory(static, tmp_path):
    (tmp_path / "secret.txt").write_text("secret")
    resolve = directory_resolver({"/app/static/": static})
    assert resolve("/app/static/../secret.txt") is None
    assert resolve("/app/static/leaflet/missing.js") is None
    files = directory_resolver({static.as_uri() + "/": static})
    assert files((static / "leaflet" / "leaflet.js").as_uri()) == static / "leaflet" / "leaflet.js"
    assert files((tmp_path / "secret.txt").as_uri()) is None


def test_urls_inside_script_code_are_not_loads_but_inline_styles_are():
    html = """<script>var prefix = '<a href="https://leafletjs.com">Leaflet</a>', x = a<b && c>d;
      var img = '<img src="https://example.com/in-a-string.png">';</script>
      <div style="background: url('https://example.com/bg.png')"></div>"""
    assert external_references(html) == ["https://example.com/bg.png"]


def test_relative_urls_resolve_against_the_page_base(static):
    html = '<script src="leaflet/leaflet.js"></script>'
    out = make_self_contained(html, directory_resolver({"/app/static/": static}), base_url="/app/static/")
    assert "window.L = " in out


@pytest.mark.parametrize("url,remote", [
    ("https://a.b/c.js", True), ("//a.b/c.js", True), ("wss://a.b", True),
    ("/app/static/x.js", False), ("x.js", False), ("data:text/css,a", False), ("file:///x.js", False),
])
def test_is_remote(url, remote):
    assert is_remote(url) is remote
