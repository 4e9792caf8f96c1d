"""Prose that an organization writes, shown as HTML: a small, safe formatting, nothing more.

Paragraphs (a blank line between them), *emphasis* and **strong emphasis**, lists (lines
that start with `- `, `* `, `+ `, or `1. `) and links (`[words](https://…)`), in
CommonMark's syntax; everything else shows as typed, escaped. Raw HTML is never read as
HTML, and a link goes only to an `http://`, `https://` or `mailto:` address: any other
(`javascript:`, `data:`, a relative path, none) leaves its words as plain text. The campaign
rules (`campaigns.content.rules`) refuse such a link with `refused_links`, so what a check
says and what a page shows follow one parser and one rule.

`render` is the Jinja filter `prose` (registered by `web.init_app`). It lives in web rather
than campaigns because web is the plumbing every capability may use and that uses none:
every page gets the one filter (the campaign page today, an organization's own words
tomorrow) without importing campaigns, and the campaign rules reach the link test the way
campaigns already reach web (form tokens, ETags). It needs nothing of Flask.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from flask import Flask
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from advocacy.cache import Cache

# A link's address, after the parser has decoded entities and percent-encoded what a URL
# may not hold raw (so a space, tab or control character never reaches the test). The
# scheme must be the very first thing: browsers drop leading spaces and control
# characters, so "\x01javascript:" is javascript; here it is no link at all.
_ALLOWED_LINK: Final = re.compile(r"(?:https?://[^\s/?#]|mailto:\S)", re.IGNORECASE)
ALLOWED_LINKS: Final = "http://, https:// or mailto: addresses"

# Python text may hold halves of a surrogate pair (JSON's "\ud800" decodes to one), which
# no page can be encoded with: each becomes U+FFFD, the replacement character.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def link_allowed(address: str) -> bool:
    """Return whether prose may link to this address (as the parser gives it)."""
    return _ALLOWED_LINK.match(address) is not None


class _Prose(MarkdownIt):
    """CommonMark's "zero" preset (plain paragraphs) with emphasis, lists and links on.

    Off, and so shown as typed: raw HTML, headings, code, block quotes, rules, images
    (`![a](b)` is a "!" and a link), autolinks and bare addresses (linkify), line breaks
    from two spaces, backslash escapes, entities (`&amp;` shows as typed, as before), and
    typographic quotes.
    """

    def __init__(self) -> None:
        super().__init__(
            "zero", {"html": False, "linkify": False, "typographer": False, "breaks": False}
        )
        self.enable(["emphasis", "list", "link"])

    def validateLink(self, url: str) -> bool:
        # Every link is parsed as one, so that refused_links can name it; render then
        # keeps a refused link's words as plain text (_unlinked). markdown-it's own test
        # would also let through a link with no address at all, `[words]()`.
        return True


_PROSE: Final = _Prose()


def _parsed(text: str) -> list[Token]:
    return _PROSE.parse(_SURROGATE.sub("\ufffd", text))


# Rendered prose by its text, per app: a blank campaign page is cached whole
# (campaigns/page.py), but a page with a form's errors is drawn afresh each time, and
# parsing its paragraphs was most of its cost (about a millisecond).
PROSE_EXTENSION = "advocacy.prose_cache"
PROSE_CACHE_ENTRIES = 1024


def init_app(app: Flask) -> None:
    """Register the `prose` filter, with its cache of rendered texts on the app."""
    cache: Cache[str, Markup] = Cache(max_size=PROSE_CACHE_ENTRIES)
    app.extensions[PROSE_EXTENSION] = cache

    def prose_filter(text: str) -> Markup:
        return cache.get(text, lambda: render(text))

    app.add_template_filter(prose_filter, "prose")


def render(text: str) -> Markup:
    """Return the text as safe HTML: paragraphs, emphasis, lists and allowed links."""
    tokens = _parsed(text)
    for block in tokens:
        if block.children:
            block.children = _unlinked(block.children)
    # Safe: raw HTML is off, and the renderer escapes every text and attribute.
    return Markup(_PROSE.renderer.render(tokens, _PROSE.options, {}))


class RefusedLink(NamedTuple):
    """A link that render shows as plain text: its words, and the address it gives."""

    words: str
    address: str


def refused_links(text: str) -> list[RefusedLink]:
    """Return every link in the text that render shows as plain text, in order."""
    if "[" not in text:
        return []  # every link starts with one: most text needs no parse
    refused: list[RefusedLink] = []
    for block in _parsed(text):
        words: list[str] | None = None  # the refused link's words, while inside it
        for token in block.children or ():
            if token.type == "link_open":
                address = _address(token)
                if not link_allowed(address):
                    words = []
                    refused.append(RefusedLink("", address))
            elif token.type == "link_close" and words is not None:
                refused[-1] = refused[-1]._replace(words="".join(words))
                words = None
            elif words is not None:
                words.append(token.content)
    return refused


def _unlinked(tokens: list[Token]) -> list[Token]:
    # A refused link's opening and closing go; its words stay, as text.
    kept: list[Token] = []
    links: list[bool] = []  # for each link open here, whether it is kept
    for token in tokens:
        if token.type == "link_open":
            links.append(link_allowed(_address(token)))
            if not links[-1]:
                continue
        elif token.type == "link_close" and not links.pop():
            continue
        kept.append(token)
    return kept


def _address(link: Token) -> str:
    return str(link.attrGet("href") or "")
