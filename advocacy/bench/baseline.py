"""The ceiling of the stack: a bare Flask app with one JSON route, served like the real one.

`advocacy bench` serves this module (`advocacy.bench.baseline:app`) with the same server
command and settings as `wsgi:app`, so the ratio of a route's throughput to this one's
says what the app itself costs, whatever the machine.
"""

from __future__ import annotations

from flask import Flask


def create_baseline_app() -> Flask:
    """Build a Flask app with one route answering a small JSON object."""
    app = Flask(__name__)

    @app.get("/")
    def index() -> dict[str, str]:
        return {"status": "ok"}

    return app


# The WSGI entry point, as wsgi.py is for the real app.
app = create_baseline_app()
