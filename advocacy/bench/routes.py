"""What `advocacy bench` measures, what each answer must be, and the targets of issue 13."""

from __future__ import annotations

from dataclasses import dataclass

BASELINE = "baseline"
# Measured unless --routes says otherwise, in this order, after the baseline.
DEFAULT_ROUTES = ("stats", "lookup", "page", "pledge")
# Also available with --routes: the health check, a static file, and a 304 revalidation.
EXTRA_ROUTES = ("healthz", "static", "stats-304")
LOOKUP_ZIP = "98105"
# p99 limit for every target route but pledges, at the 32 clients.
P99_TARGET_MS = 50.0


@dataclass(frozen=True)
class Route:
    """One request, repeated by every client; any other status than `expect` is an error."""

    name: str
    method: str
    path: str
    expect: int
    note: str
    # Minimum throughput as a share of the bare route's, and maximum p99 (issue 13).
    target_ratio: float | None = None
    target_p99_ms: float | None = None
    # POST a JSON pledge with an email of its own on every request.
    pledge_body: bool = False
    # Send If-None-Match with the ETag the route answered just before the run.
    conditional: bool = False
    # Served by the bare app instead of the real one.
    on_baseline: bool = False


def routes_for(slug: str) -> dict[str, Route]:
    """Return every route `advocacy bench` knows, for the campaign with this slug."""
    stats = f"/api/v1/campaigns/{slug}"
    routes = [
        Route(BASELINE, "GET", "/", 200, "bare Flask app, one JSON route", on_baseline=True),
        Route("stats", "GET", stats, 200, "stats API", 0.8, P99_TARGET_MS),
        Route(
            "lookup",
            "GET",
            f"/api/v1/representatives?zip={LOOKUP_ZIP}",
            200,
            "ZIP look-up API",
            0.7,
            P99_TARGET_MS,
        ),
        Route("page", "GET", f"/c/{slug}", 200, "campaign page", 0.5, P99_TARGET_MS),
        Route(
            "pledge",
            "POST",
            f"{stats}/pledges",
            202,
            "pledge API, a new email each time",
            0.2,
            pledge_body=True,
        ),
        Route("healthz", "GET", "/healthz", 200, "health check: one SELECT 1"),
        Route("static", "GET", "/static/css/site.css", 200, "a static file served by Flask"),
        Route("stats-304", "GET", stats, 304, "stats API revalidated", conditional=True),
    ]
    return {route.name: route for route in routes}
