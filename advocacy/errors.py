"""Error pages for people and error objects for the API; never a bare 500 page."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from advocacy.api import ApiError, error_response

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


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, message: str) -> tuple[str | Response, int]:
    if _wants_json():
        return error_response(message, status), status
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return error_response(error.message, error.status, error.fields)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str | Response, int]:
        return _render(
            400,
            "This form had expired or was sent from somewhere else. Please go back, reload "
            "the page and send it again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int] | HTTPException:
        status = error.code or 500
        if status < 400:
            return error
        return _render(status, MESSAGES.get(status) or error.description or MESSAGES[400])

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str | Response, int]:
        log.exception("unhandled error on %s %s", request.method, request.endpoint)
        return _render(500, MESSAGES[500])
