"""A post's text as HTML: hostile input is shown as text, never run; the little structure
people type (paragraphs, lists, emphasis, links) is kept, and every link is safe."""

from __future__ import annotations

import re

import pytest

from medvirk.methods.discussion import rendering
from medvirk.methods.discussion.rendering import to_html

TAGS = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")


def _tags(html: str) -> set[str]:
    return {t.lower() for t in TAGS.findall(html)}


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=https://evil.example></iframe>",
    "<<script>script>alert(1)<</script>/script>",
    "<p onclick=alert(1)>hi</p>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<!--<script>-->alert(1)",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_html_typed_in_a_post_is_shown_as_text(text: str) -> None:
    html = to_html(text)
    # A bare address in it may become a safe link; nothing else becomes a tag.
    assert _tags(html) <= {"p", "br", "a"}, html
    assert all(h.startswith("https://") for h in re.findall(r'<a href="([^"]*)"', html))
    assert "<script" not in html.lower()
    assert "onerror=" not in html.lower() or "&lt;" in html  # only ever as escaped text
    assert "&lt;" in html  # the angle brackets are there, escaped: the person sees them


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "[click](//evil.example/path)",
        "[click](/stab/)",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_only_http_https_and_mailto_links_are_made(text: str) -> None:
    html = to_html(text)
    assert "<a" not in html, html
    assert "href" not in html


def test_bare_addresses_become_links_without_the_sentences_punctuation() -> None:
    html = to_html("See https://lillevik.kommune.no/skule. Or (https://example.org/a_(b)), ok")
    assert html == (
        '<p>See <a href="https://lillevik.kommune.no/skule" rel="nofollow ugc noopener">'
        "https://lillevik.kommune.no/skule</a>. Or "
        '(<a href="https://example.org/a_(b)" rel="nofollow ugc noopener">'
        "https://example.org/a_(b)</a>), ok</p>"
    )


def test_every_link_is_nofollow_ugc_and_attributes_cannot_be_injected() -> None:
    html = to_html(
        '[words](https://example.org/x" onmouseover="alert(1)) and [mail](mailto:kari@example.org)'
    )
    links = re.findall(r"<a [^>]*>", html)
    assert links
    assert all('rel="nofollow ugc noopener"' in a for a in links)
    assert "onmouseover" not in "".join(links)
    assert '<a href="mailto:kari@example.org" rel="nofollow ugc noopener">mail</a>' in html


def test_paragraphs_line_breaks_lists_and_emphasis() -> None:
    text = (
        "First line\nsecond line\n\n**Bold** and _italic_ but snake_case_word\n\n"
        "- one\n- two\n1. first\n2) second"
    )
    assert to_html(text) == (
        "<p>First line<br>second line</p>"
        "<p><strong>Bold</strong> and <em>italic</em> but snake_case_word</p>"
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"
    )


def test_nested_and_unbalanced_markup_stays_text() -> None:
    html = to_html("<b><i>x</b></i> **bold _both** end_")
    assert "<b>" not in html and "<i>" not in html
    assert _tags(html) <= {"p", "strong", "em"}


def test_bidi_overrides_and_controls_are_not_shown() -> None:
    html = to_html("Kari \u202esays\u202c hi\x00\x07")
    assert "\u202e" not in html and "\x00" not in html and "\x07" not in html
    assert html == "<p>Kari says hi</p>"


def test_the_allow_list_cleans_any_html_too() -> None:
    raw = (
        '<p onclick="x">ok <a href="javascript:alert(1)">j</a> <a href="https://a.no" '
        'target="_blank" rel="opener">a</a><script>alert(1)</script><img src=x></p>'
    )
    cleaned = rendering.clean(raw)
    assert "onclick" not in cleaned and "script" not in cleaned and "<img" not in cleaned
    assert "javascript" not in cleaned and "target" not in cleaned
    assert '<a href="https://a.no" rel="nofollow ugc noopener">a</a>' in cleaned


def test_a_huge_text_renders_quickly_and_whole() -> None:
    text = ("word **bold** https://example.org/x " * 3000)[:100_000]
    html = to_html(text)
    assert html.startswith("<p>") and html.endswith("</p>")


def test_empty_text_is_empty_html() -> None:
    assert to_html("   \n\n ") == ""


def test_excerpt_is_one_line_and_cut_at_a_word() -> None:
    assert rendering.excerpt("a\nb  c") == "a b c"
    cut = rendering.excerpt("word " * 100, 30)
    assert len(cut) <= 32 and cut.endswith(" …")
