"""Liveness for load balancers: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, jsonify

from advocacy.db import deadline, get_session
from advocacy.web.extensions import limiter

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

# The check's own deadline, connecting included (libpq's shortest connect timeout is 2 s):
# a load balancer hears "unavailable" within a second or two of asking, not after the
# requests' deadline, however the database fails. Paused (advocacy.db.DatabasePause), at once.
DEADLINE_SECONDS = 1.5


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        with deadline(DEADLINE_SECONDS):
            get_session().execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        log.error("health check: database unavailable: %s", type(exc).__name__)
        return jsonify(status="unavailable", database="unavailable"), 503
    # The rate-limit store (Redis) only degrades the service: limits fall back to each
    # process's memory, so it is reported without failing the check.
    body = {"status": "ok", "database": "ok", "ratelimit": "ok"}
    if not current_app.config["RATELIMIT_ENABLED"]:
        body["ratelimit"] = "disabled"
    elif not _ratelimit_storage_answers():
        body["ratelimit"] = "degraded"
    return jsonify(body), 200


def _ratelimit_storage_answers() -> bool:
    try:
        return bool(limiter.storage.check())
    except Exception:  # any failure of the store is the answer, not an error here
        return False
