"""Error pages for people and error objects for the API; never a bare 500 page."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

log = logging.getLogger(__name__)

MESSAGES = {
    400: "Something in that request did not make sense to us. Please go back and try again.",
    404: "We could not find that page. It may have moved; the campaign home page has the form.",
    405: "That page cannot be used that way. Please go back and use the form.",
    413: "That was more text than we can take. Please shorten it and try again.",
    415: "Send the request body as JSON (Content-Type: application/json).",
    429: "Too many attempts from your connection. Please wait a minute, then go back and "
    "send the form again; your browser keeps what you typed.",
    500: "Something went wrong on our side. Nothing you did caused it. Please try again soon.",
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
DATABASE_DOWN_MESSAGE = (
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


CSRF_MESSAGE = (
    "This form had expired or was sent from somewhere else. Please go back, reload "
    "the page and send it again."
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str) -> tuple[str | Response, int]:
    """Return the error page (or the API's error object under /api/) with this message."""
    if request_ctx.url_adapter is None:
        # The Host header could not be routed (a label over 63 characters, say), so no
        # URL can be built: answer without the page template.
        page = f"<!doctype html><title>Error {status}</title><p>{escape(message)}</p>"
        return Response(page, status, mimetype="text/html"), status
    if _wants_json():
        return error_response(message, status), status
    return render_template("errors/error.html", status=status, message=message), status


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
        message = MESSAGES.get(status) or error.description or MESSAGES[400]
        # An API client is told what was not found ("No campaign has that name.").
        if status == 404 and _wants_json() and error.description != NotFound.description:
            message = error.description or message
        return (*render_error(status, message), exception_headers(error))

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str | Response, int]:
        log.exception("unhandled error on %s %s", request.method, request.endpoint)
        return render_error(500, MESSAGES[500])
