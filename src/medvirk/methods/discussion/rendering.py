"""A post as HTML: the text is stored as typed (``Contribution.text``); what is shown
(``Post.html``) is built from it here, once, when the post is written.

1. Everything typed is text. It is HTML-escaped first, so ``<script>`` or
   ``<img onerror=…>`` shows as those characters and never becomes a tag.
2. A little plain-text structure becomes HTML: a blank line starts a new paragraph, a line
   break stays a line break, lines starting with "- " or "* " make a bulleted list and
   "1. " a numbered one, ``**bold**`` and ``_emphasis_`` (or ``*emphasis*``), bare
   ``http(s)://`` addresses become links, and ``[words](https://…)`` a link with words.
   A link goes only to ``http``, ``https`` or ``mailto`` addresses; anything else
   (``javascript:``, ``data:``, a relative path) stays plain text.
3. nh3 (the Rust sanitiser ammonia) cleans the result with a small allow-list — ``p``,
   ``br``, ``strong``, ``em``, ``ul``, ``ol``, ``li`` and ``a`` with ``href`` only — and
   sets ``rel="nofollow ugc noopener"`` on every link. This is a second wall: even a
   mistake in step 2 cannot let a script, an event handler or a ``javascript:`` or
   ``data:`` link through.

Bidirectional override characters (U+202A–U+202E, U+2066–U+2069) and control characters
are left out of what is shown, so a post cannot turn the text after it around; the stored
text keeps them as typed.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from django.utils.html import escape

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# [words](target) or a bare http(s) address. Targets are checked in _safe_target.
_LINK = re.compile(
    r"\[(?P<label>[^\[\]\n]{1,300})\]\((?P<target>[^()\s]{1,2000})\)"
    r"|(?P<bare>\bhttps?://[^\s<>\"'\[\]]{1,2000})",
    re.IGNORECASE,
)
_SAFE_TARGET = re.compile(r"^(?:https?://[^\s<>\"']+|mailto:[^\s<>\"'@/]+@[^\s<>\"'@/]+)$", re.I)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
_BULLET = re.compile(r"^[ \t]{0,3}[-*•][ \t]+(?P<item>\S.*)$")
_NUMBERED = re.compile(r"^[ \t]{0,3}\d{1,3}[.)][ \t]+(?P<item>\S.*)$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
# Characters that reorder or hide the text after them (bidi embeddings, overrides, isolates).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Trailing characters that end a sentence rather than an address.
_TRAILING = ".,;:!?"


def _visible(text: str) -> str:
    """The text without bidi controls and control characters (line breaks and tabs kept)."""
    kept = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char in _BIDI:
            continue
        if char not in "\n\t" and unicodedata.category(char) == "Cc":
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _emphasis(escaped: str) -> str:
    """``**bold**`` and ``_emphasis_`` in already escaped text."""
    escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
    return _EMPHASIS.sub(r"<em>\2</em>", escaped)


def _trim_address(address: str) -> tuple[str, str]:
    """A bare address without the sentence's punctuation after it: (address, the rest)."""
    end = len(address)
    while end and (
        address[end - 1] in _TRAILING
        or (address[end - 1] == ")" and address[:end].count("(") < address[:end].count(")"))
    ):
        end -= 1
    return address[:end], address[end:]


def _safe_target(target: str) -> bool:
    return bool(_SAFE_TARGET.match(target))


def _anchor(href: str, label_html: str) -> str:
    return f'<a href="{escape(href)}">{label_html}</a>'


def _inline(line: str) -> str:
    """One line of text as escaped HTML with its emphasis and links."""
    out: list[str] = []
    position = 0
    for match in _LINK.finditer(line):
        out.append(_emphasis(escape(line[position : match.start()])))
        bare = match.group("bare")
        if bare:
            address, rest = _trim_address(bare)
            if address and _safe_target(address):
                out.append(_anchor(address, escape(address)))
            else:
                out.append(escape(address))
            out.append(escape(rest))
        else:
            target = match.group("target")
            label = _emphasis(escape(match.group("label")))
            if _safe_target(target):
                out.append(_anchor(target, label))
            else:
                out.append(_emphasis(escape(match.group(0))))
        position = match.end()
    out.append(_emphasis(escape(line[position:])))
    return "".join(out)


def _block(lines: list[str]) -> str:
    """One paragraph's lines: runs of list items as lists, other runs as a paragraph."""
    html: list[str] = []
    run: list[str] = []
    run_kind = ""

    def flush() -> None:
        if not run:
            return
        if run_kind == "ul" or run_kind == "ol":
            items = "".join(f"<li>{_inline(item)}</li>" for item in run)
            html.append(f"<{run_kind}>{items}</{run_kind}>")
        else:
            html.append("<p>" + "<br>".join(_inline(item) for item in run) + "</p>")
        run.clear()

    for raw in lines:
        line = raw.rstrip()
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        kind, text = ("ul", bullet.group("item")) if bullet else ("", line)
        if numbered and not bullet:
            kind, text = "ol", numbered.group("item")
        if kind != run_kind:
            flush()
            run_kind = kind
        run.append(text if kind else text.strip())
    flush()
    return "".join(html)


def clean(html: str) -> str:
    """``html`` through the allow-list (any HTML: also for a stored post shown again)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def to_html(text: str) -> str:
    """The HTML shown for a post's text (see the module's docstring); "" for no text."""
    visible = _visible(text).strip()
    if not visible:
        return ""
    blocks = [_block(part.split("\n")) for part in _PARAGRAPH_BREAK.split(visible)]
    return clean("".join(blocks))


def excerpt(text: str, length: int = 200) -> str:
    """The first words of a post as plain text on one line (e-mails, link labels)."""
    words = " ".join(_visible(text).split())
    if len(words) <= length:
        return words
    return words[: length - 1].rsplit(" ", 1)[0] + " …"
