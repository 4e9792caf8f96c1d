"""Helpers to use the HTML pages as a browser would: read the page, fill its form, send it.

Every test reads HTML through this module's one parser (the standard library's): `parse`
gives a tree of Elements, `text` what a reader sees, `hidden_value` a form's field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

SLUG = "uyghur-policy-act"

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


# --- reading a page ---------------------------------------------------------------------------


@dataclass
class Element:
    """One element of a parsed page (or fragment): its tag, attributes and children."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        """Return the text inside, as written (character references decoded)."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Element]:
        found: list[Element] = [self]
        for child in self.children:
            if isinstance(child, Element):
                found.extend(child.iter())
        return found

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        """Return the elements with this tag (any tag for "*") and these attribute values;
        write `class_` for class, `for_` for for."""
        wanted = {k.rstrip("_"): v for k, v in attrs.items()}
        return [
            e
            for e in self.iter()
            if tag in ("*", e.tag) and all(e.attrs.get(k) == v for k, v in wanted.items())
        ]

    def by_class(self, name: str) -> list[Element]:
        return [e for e in self.iter() if name in e.attrs.get("class", "").split()]

    def by_id(self, id_: str) -> Element:
        found = self.find_all("*", id=id_)
        assert len(found) == 1, f"expected one element with id {id_!r}, found {len(found)}"
        return found[0]

    def one(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def strings(self) -> list[str]:
        """Return the text nodes inside, in order."""
        found: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                found.append(child)
            else:
                found.extend(child.strings())
        return found

    def squeezed(self) -> str:
        """Return the text inside as a reader sees it: a space between elements, spaces
        squeezed."""
        return " ".join(" ".join(self.strings()).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v if v is not None else "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@lru_cache(maxsize=32)
def parse(html: str) -> Element:
    """Return a page (or a fragment of one) as a tree. Treat it as read-only: the same
    HTML gives the same tree, kept for the next call."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def page_text(html: str) -> str:
    """Return what a reader sees of the HTML: its text, a space between elements, spaces
    squeezed."""
    return parse(html).squeezed()


def hidden_value(html: str, name: str) -> str:
    """Return the value of the first input with this name (a form's hidden field)."""
    for element in parse(html).find_all("input", name=name):
        return element.attrs.get("value", "")
    raise AssertionError(f"no input named {name!r} in the page")


def without_handoff(html: str) -> str:
    """The widget's thank-you without its handoff token (random: it names a new visit)."""
    token = hidden_value(html, "token")
    assert token, "no handoff token in the page"
    return html.replace(token, "")


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """Return the text of each cell of a table's rows, below its header row."""
    rows = parse(html).by_id(table_id).find_all("tr")
    return [
        [cell.squeezed() for cell in row.iter() if cell.tag in ("th", "td")] for row in rows[1:]
    ]


# --- filling the forms ------------------------------------------------------------------------


def pledge_fields(**fields: Any) -> dict[str, Any]:
    """Return a valid set of pledge fields, with the given ones replaced."""
    data: dict[str, Any] = {
        "name": "Amina Tursun",
        "email": "amina@example.org",
        "zip": "98105",
        "city": "Seattle",
        "state": "WA",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def submit_pledge(
    client: FlaskClient, slug: str = SLUG, page_url: str | None = None, **fields: Any
) -> TestResponse:
    """Load the campaign page, then post its form with the given fields."""
    page = client.get(page_url or f"/c/{slug}")
    html = page.get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        **pledge_fields(**fields),
    }
    return client.post(f"/c/{slug}", data=data)


def session_csrf_token(client: FlaskClient, slug: str = SLUG) -> str:
    """Return a valid CSRF token for the client's session, from a page whose form has one.

    The campaign page has none (it is the same for everyone); the withdraw page asks
    before it acts, with a session-bound form.
    """
    page = client.get(f"/c/{slug}/withdraw").get_data(as_text=True)
    return hidden_value(page, "csrf_token")
