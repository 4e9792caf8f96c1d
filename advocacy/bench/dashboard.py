"""Time the queries behind the organizers' campaign dashboard on the seeded pledges."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from advocacy.organizers import stats

REPEAT = 3


def _best_ms(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return best * 1e3


def time_dashboard(engine: Engine, campaign_id: int) -> dict[str, float]:
    """Return the best of 3 runs of each query the dashboard page makes, in ms."""
    today = datetime.now(UTC).date()
    with Session(engine) as session:
        queries: dict[str, Callable[[], object]] = {
            "totals": lambda: stats.totals(session, campaign_id, today),
            "per_day": lambda: stats.per_day(session, campaign_id),
            "by_state": lambda: stats.by_state(session, campaign_id),
            "by_district": lambda: stats.by_district(session, campaign_id),
            "by_ref": lambda: stats.by_ref(session, campaign_id),
        }
        return {name: _best_ms(run) for name, run in queries.items()}
