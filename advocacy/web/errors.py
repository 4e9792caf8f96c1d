"""Error pages for people and error objects for the API; never a bare 500 page."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from advocacy.i18n.languages import ENGLISH
from advocacy.web.languages import current_language, speaking

log = logging.getLogger(__name__)

# Every message is said in the page's language (lazy: read when the page is made).
MESSAGES: dict[int, str | LazyString] = {
    400: lazy_gettext(
        "Something in that request did not make sense to us. Please go back and try again."
    ),
    404: lazy_gettext(
        "We could not find that page. It may have moved; the campaign home page has the form."
    ),
    405: lazy_gettext("That page cannot be used that way. Please go back and use the form."),
    410: lazy_gettext(
        "This campaign has ended, and it no longer takes pledges. Thank you to everyone who "
        "added their name."
    ),
    413: lazy_gettext("That was more text than we can take. Please shorten it and try again."),
    # Only the API answers 415, and the API speaks English.
    415: "Send the request body as JSON (Content-Type: application/json).",
    429: lazy_gettext(
        "Too many attempts from your connection. Please wait a minute, then go back and "
        "send the form again; your browser keeps what you typed."
    ),
    500: lazy_gettext(
        "Something went wrong on our side. Nothing you did caused it. Please try again soon."
    ),
}


def error_response(message: str, status: int, fields: dict[str, str] | None = None) -> Response:
    """Return the API's error shape."""
    response = jsonify(error=message, fields=fields or {})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# A database that does not answer: try again soon, nothing typed is lost.
DATABASE_DOWN_MESSAGE = lazy_gettext(
    "We cannot save or show anything just now: our database is not answering. Please try "
    "again in a minute; nothing you typed has been lost."
)
RETRY_AFTER_SECONDS = 30
# What a database that is down, unreachable or frozen raises (not a bug in a query).
DATABASE_DOWN_ERRORS = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    # No pooled connection within the pool's deadline, or the database paused after it did
    # not answer (advocacy.db.DatabasePausedError).
    sa.exc.TimeoutError,
)


def database_down(exc: Exception) -> tuple[str | Response, int, dict[str, str]]:
    """Log one line (no traceback: an outage would fill the disk) and answer 503."""
    log.error("database unavailable on %s %s: %s", request.method, request.endpoint,
              type(exc).__name__)  # fmt: skip
    body, status = render_error(503, DATABASE_DOWN_MESSAGE)
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}


CSRF_MESSAGE = lazy_gettext(
    "This form had expired or was sent from somewhere else. Please go back, reload "
    "the page and send it again."
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str | LazyString) -> tuple[str | Response, int]:
    """Return the error page (or the API's error object under /api/) with this message."""
    if request_ctx.url_adapter is None:
        # The Host header could not be routed (a label over 63 characters, say), so no
        # URL can be built: answer without the page template.
        title = escape(gettext("Error %(status)s", status=status))
        page = f"<!doctype html><title>{title}</title><p>{escape(message)}</p>"
        return Response(page, status, mimetype="text/html"), status
    if _wants_json():
        # The API is English whatever prefix its address was asked under (/ug/api/… is 404).
        with speaking(ENGLISH):
            return error_response(str(message), status), status
    # As text, escaped like any other (a lazy message would be taken as markup).
    return render_template("errors/error.html", status=status, message=str(message)), status


def page_message(status: int, description: str | None) -> str | LazyString:
    """Return what an error page says: ours, in the page's language.

    A status we have no message for keeps the description it was raised with (the
    organizers' pages, in English) on an English page; any other language gets our
    message for its kind of error rather than an English sentence.
    """
    if status in MESSAGES:
        return MESSAGES[status]
    if description and current_language().is_english:
        return description
    return MESSAGES[500 if status >= 500 else 400]


def exception_headers(error: HTTPException) -> list[tuple[str, str]]:
    """Return the headers an HTTP error calls for (a 405's Allow), but its content type."""
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def init_app(app: Flask) -> None:
    """Register the handlers."""

    for error_class in DATABASE_DOWN_ERRORS:
        app.register_error_handler(error_class, database_down)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str | Response, int]:
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(
        error: HTTPException,
    ) -> tuple[str | Response, int, list[tuple[str, str]]] | HTTPException:
        status = error.code or 500
        if status < 400:
            return error
        message = page_message(status, error.description)
        # An API client is told what was not found ("No campaign has that name.").
        if status == 404 and _wants_json() and error.description != NotFound.description:
            message = error.description or message
        return (*render_error(status, message), exception_headers(error))

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str | Response, int]:
        log.exception("unhandled error on %s %s", request.method, request.endpoint)
        return render_error(500, MESSAGES[500])
