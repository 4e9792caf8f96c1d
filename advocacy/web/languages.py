"""The language of a page, chosen by its address: `/ug/c/<slug>` is the campaign page in
Uyghur (Arabic script), `/ug-Latn/c/<slug>` in Latin script, `/c/<slug>` in English.

An address per language keeps every page cacheable and shareable as it is, and needs no
cookie. `LanguagePrefix`, a WSGI middleware, takes the prefix off the path and puts it in
the script name, so every view, rule and `url_for` works unchanged and every link a page
makes stays in its language. Static files have one address for all languages
(`url_for` in templates drops the prefix for them), and the organizers' room and the JSON
API have no language: under a prefix they answer with their English address.

Flask-Babel translates (`_`, `{% trans %}`, `lazy_gettext`) with the catalogue of the
language the address names (`LanguageDomain`); Babel's CLDR data gives plural rules and
dates. The `Accept-Language` header only suggests: a visitor arriving from elsewhere
whose browser prefers a language this page is not in is offered it, in that language,
and nothing is remembered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import flask_babel
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_app_context, has_request_context, redirect, request
from flask import url_for as flask_url_for
from flask_babel import gettext
from jinja2 import pass_context
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response

from advocacy.i18n import catalogues
from advocacy.i18n.languages import ENGLISH, Language, by_tag, languages, tags
from advocacy.models import REF_MAX

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ENVIRON_KEY = "advocacy.language"
SUGGESTION_KEY = "advocacy.suggested_language"
CATALOGUES_EXTENSION = "advocacy.catalogues"
# How each language made by rule writes the catalogue's script (catalogues.writer).
SCRIPTS_EXTENSION = "advocacy.scripts"
# Parts with no language: their pages are the organizers' (English) or machine-read.
ENGLISH_ONLY_BLUEPRINTS = frozenset({"organizers", "api", "health"})


class LanguagePrefix:
    """WSGI middleware: /<tag>/rest is served as /rest, in the language tag names."""

    def __init__(self, app: WSGIApplication, prefixed: tuple[Language, ...]) -> None:
        self.app = app
        self.prefixes = [(language.prefix, language.tag) for language in prefixed]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        path = environ.get("PATH_INFO", "")
        for prefix, tag in self.prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                environ["PATH_INFO"] = path[len(prefix) :] or "/"
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ[ENVIRON_KEY] = tag
                break
        return self.app(environ, start_response)


def language_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A template filter whose answer depends on the page's language.

    Jinja works a filter of constants out once, when it compiles a template
    (`"K7QX2-…"|isolate`), and keeps that answer for every page after, in whatever
    language; a filter that asks for the template's context is never worked out early.
    """

    @pass_context
    @functools.wraps(function)
    def filter_in_page(_context: Any, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return filter_in_page


def current_language() -> Language:
    """The language of this request's page, or the one `speaking` chose (else English)."""
    chosen = _speaking.get()
    if chosen is not None:
        return chosen
    if not has_request_context():
        return ENGLISH
    return by_tag(request.environ.get(ENVIRON_KEY, "en")) or ENGLISH


# The language `speaking` chose for this thread (or task), over any page's.
_speaking: ContextVar[Language | None] = ContextVar("advocacy_speaking", default=None)


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Translate in language outside a page: an email composed by the background sender
    in the language its supporter pledged in. Needs an app context."""
    token = _speaking.set(language)
    flask_babel.refresh()
    try:
        yield
    finally:
        _speaking.reset(token)
        flask_babel.refresh()


class LanguageDomain(flask_babel.Domain):
    """Flask-Babel's messages, from the catalogue of the page's language."""

    def get_translations(self) -> Translations | NullTranslations:
        if not has_app_context():
            return NullTranslations()
        loaded: dict[str, Translations] = current_app.extensions[CATALOGUES_EXTENSION]
        return loaded.get(current_language().tag) or NullTranslations()


class Babel(flask_babel.Babel):
    @property
    def domain_instance(self) -> flask_babel.Domain:
        return LANGUAGE_DOMAIN


LANGUAGE_DOMAIN = LanguageDomain()


def address_in(language: Language, path: str | None = None) -> str:
    """Return this page's address in another language.

    Only the partner's ref goes along (cut to its 64 characters): the rest of a query is
    not this page's, and a cached page must not carry one visitor's query to the next.
    A page that answers a form (a POST) is not an address of its own: the link goes to
    the nearest page above it that is (the results page above the choice of district).
    """
    if path is None:
        path = request.path if request.method in ("GET", "HEAD") else _nearest_page(request.path)
    address = language.prefix + path if language.prefix else path
    ref = request.args.get("ref", "")[:REF_MAX] if request.method == "GET" else ""
    return f"{address}?{urlencode({'ref': ref})}" if ref else address


def _nearest_page(path: str) -> str:
    """The path, or the nearest one above it, that a link may lead to (a GET route)."""
    adapter = current_app.url_map.bind("localhost")
    while path.strip("/"):
        try:
            adapter.match(path, method="GET")
            return path
        except HTTPException:
            path = path.rsplit("/", 1)[0]
    return "/"


def language_links() -> list[tuple[Language, str]]:
    """Each language with this page's address in it, for the switcher and hreflang; none
    on a page of a part that has no language (an organizers' error page)."""
    if set(request.blueprints) & ENGLISH_ONLY_BLUEPRINTS:
        return []
    return [(language, address_in(language)) for language in languages()]


def public_address(address: str) -> str:
    """An address on this site as the public URL (hreflang links are absolute)."""
    root: str = current_app.config["PUBLIC_URL"]
    return root.rstrip("/") + address


def suggested_language() -> Language | None:
    """The language the visitor's browser prefers, when this page is not in it.

    Only for someone arriving from elsewhere (no Referer of this site): a visitor who
    followed a link here, or switched language, is not asked again. Worked out once per
    request (the campaign page asks twice: for its cache and for its Cache-Control).
    """
    environ = request.environ
    if not environ.get("HTTP_ACCEPT_LANGUAGE"):
        return None
    if SUGGESTION_KEY not in environ:
        environ[SUGGESTION_KEY] = _suggestion()
    suggestion: Language | None = environ[SUGGESTION_KEY]
    return suggestion


def _suggestion() -> Language | None:
    referrer = request.referrer
    if referrer and urlsplit(referrer).netloc == request.host:
        return None
    if set(request.blueprints) & ENGLISH_ONLY_BLUEPRINTS:
        return None
    best = request.accept_languages.best_match(tags())
    if best is None or best == current_language().tag:
        return None
    return by_tag(best)


def suggestion_text(language: Language) -> str:
    """The offer of a page in language, written in it (from its own catalogue)."""
    loaded: dict[str, Translations] = current_app.extensions[CATALOGUES_EXTENSION]
    messages = loaded.get(language.tag) or NullTranslations()
    text: str = messages.gettext("This page in %(language)s")
    return text % {"language": language.name}


def in_script(text: str) -> str:
    """Text in the page's script: a language made by rule (ULY) writes the Arabic-script
    text it is given in its own letters; any other language gets it as it is."""
    language = current_language()
    if not language.script:
        return text
    written: Callable[[str], str] = current_app.extensions[SCRIPTS_EXTENSION][language.tag]
    return written(text)


def isolated(value: object) -> str:
    """A name as plain text that never reorders the sentence around it (between Unicode's
    isolates, the plain-text <bdi>), where markup cannot go: a title, an attribute.
    English pages, all left to right, show it as it is."""
    if current_language().is_english:
        return str(value)
    return f"\u2068{value}\u2069"


def format_date(value: date, format: str = "long") -> str:
    """A date as the page's language writes it (CLDR's patterns, in the page's script)."""
    return in_script(flask_babel.format_date(value, format))


def format_number(value: int) -> str:
    """A count as the page's language writes it (CLDR's digits and grouping)."""
    return str(flask_babel.format_number(value))


def format_list(items: list[str]) -> str:
    """Items joined as a sentence says them: "A", "A and B", "A, B and C".

    The joins are messages in the catalogue, not CLDR's list patterns: CLDR's Uyghur
    pattern has the English word "and" in it.
    """
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    joined = items[0]
    for item in items[1:-1]:
        joined = str(gettext("%(first)s, %(second)s") % {"first": joined, "second": item})
    return str(gettext("%(first)s and %(last)s") % {"first": joined, "last": items[-1]})


def url_for(endpoint: str, **values: Any) -> str:
    """Flask's url_for, but a static file has one address in every language."""
    url = flask_url_for(endpoint, **values)
    prefix = current_language().prefix
    if endpoint == "static" and prefix and url.startswith(request.script_root):
        url = request.script_root[: -len(prefix)] + url[len(request.script_root) :]
    return url


def english_only() -> Response | None:
    """Send a prefixed address of an English-only part to its English address."""
    tag = request.environ.get(ENVIRON_KEY)
    if tag is None:  # an English address: every request but a prefixed one, cheaply
        return None
    language = by_tag(tag) or ENGLISH
    if set(request.blueprints) & ENGLISH_ONLY_BLUEPRINTS:
        if request.blueprints and request.blueprints[-1] == "api":
            raise NotFound()
        root = request.script_root[: -len(language.prefix)]
        return redirect(root + request.full_path.rstrip("?"), code=308)
    return None


def init_app(app: Flask) -> None:
    """Serve each language at its prefix, with its catalogue; refuse a stale catalogue."""
    prefixed = tuple(language for language in languages() if not language.is_english)
    app.wsgi_app = LanguagePrefix(app.wsgi_app, prefixed)  # type: ignore[method-assign]
    app.extensions[CATALOGUES_EXTENSION] = {
        language.tag: catalogues.load(language) for language in prefixed
    }
    app.extensions[SCRIPTS_EXTENSION] = {
        language.tag: catalogues.writer(language) for language in prefixed
    }
    Babel(app, locale_selector=lambda: current_language().cldr)
    # {% trans %} blocks are written across lines; their messages are one line each.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.before_request(english_only)
    app.jinja_env.globals["url_for"] = url_for
    for name, function in (
        ("in_script", in_script),
        ("isolated", isolated),
        ("format_date", format_date),
        ("format_number", format_number),
        ("format_list", format_list),
    ):
        app.jinja_env.filters[name] = language_filter(function)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        if not has_request_context():
            return {}
        return {
            "language": current_language(),
            "language_links": language_links,
            "suggested_language": suggested_language,
            "suggestion_text": suggestion_text,
            "public_address": public_address,
        }
