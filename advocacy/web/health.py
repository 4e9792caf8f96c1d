"""Liveness for load balancers: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, Response, jsonify

from advocacy.db import get_session

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        get_session().execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        log.error("health check: database unavailable: %s", type(exc).__name__)
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200
