"""Time the organizers' dashboard queries on 10^3 and 10^6 seeded pledges.

    .venv/bin/python scripts/bench_dashboard.py                 # a throw-away SQLite file
    .venv/bin/python scripts/bench_dashboard.py --url postgresql+psycopg://postgres@127.0.0.1/bench
    .venv/bin/python scripts/bench_dashboard.py --sizes 1000

The database is emptied and refilled: never point it at one that matters. Pledges are
made in the database with one INSERT … SELECT (a recursive CTE on SQLite,
generate_series on PostgreSQL): 20 states, 8 districts each, 60 cities, 6 refs, a third
consented, spread over 60 days. Each stats function runs 5 times; the best time is shown.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy import models
from advocacy.db import Base, create_db_engine
from advocacy.organizers import stats

STATES = "WACAVANYTXFLILPAOHGANCMIAZMAMNORCOMDWIUT"  # 20 two-letter codes
START = datetime(2026, 9, 25, tzinfo=UTC)

SQLITE_SEED = """
INSERT INTO pledges (campaign_id, name, email, email_normalized, zip, city, state, district,
                     note, consent, ref, created_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
SELECT :campaign, 'Supporter ' || i, 'p' || i || '@example.org', 'p' || i || '@example.org',
       '98105', 'City ' || (i % 60), substr(:states, (i % 20) * 2 + 1, 2), (i % 8) + 1,
       CASE WHEN i % 7 = 0 THEN 'Please act, note ' || i ELSE '' END, i % 3 = 0,
       CASE i % 6 WHEN 0 THEN '' ELSE 'partner' || (i % 6) END,
       strftime('%Y-%m-%d %H:%M:%S.000000', :start, '+' || (i % (60 * 86400)) || ' seconds')
FROM n
"""

POSTGRES_SEED = """
INSERT INTO pledges (campaign_id, name, email, email_normalized, zip, city, state, district,
                     note, consent, ref, created_at)
SELECT :campaign, 'Supporter ' || i, 'p' || i || '@example.org', 'p' || i || '@example.org',
       '98105', 'City ' || (i % 60), substr(:states, (i % 20) * 2 + 1, 2), (i % 8) + 1,
       CASE WHEN i % 7 = 0 THEN 'Please act, note ' || i ELSE '' END, i % 3 = 0,
       CASE i % 6 WHEN 0 THEN '' ELSE 'partner' || (i % 6) END,
       CAST(:start AS timestamptz) + make_interval(secs => i % (60 * 86400))
FROM generate_series(1, :count) AS i
"""


def seed(engine: sa.Engine, count: int) -> int:
    """Empty the tables, add one campaign and count pledges; return the campaign id."""
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        Base.metadata.create_all(connection)
        campaign = connection.execute(
            sa.insert(models.Campaign)
            .values(
                slug="bench",
                title="Bench",
                goal=count,
                is_default=True,
                content={},
                pledge_count=count,
                created_at=START,
                updated_at=START,
            )
            .returning(models.Campaign.id)
        ).scalar_one()
        postgres = engine.dialect.name == "postgresql"
        if postgres:
            # The app's engine stops statements after 10 s; seeding a million may take longer.
            connection.execute(sa.text("SET LOCAL statement_timeout = 0"))
        start = START.isoformat() if postgres else START.strftime("%Y-%m-%d %H:%M:%S")
        connection.execute(
            sa.text(POSTGRES_SEED if postgres else SQLITE_SEED),
            {"campaign": campaign, "count": count, "states": STATES, "start": start},
        )
    with engine.connect() as connection:
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    return int(campaign)


def best_of(run: Callable[[], Any], times: int = 5) -> float:
    best = float("inf")
    for _ in range(times):
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return best


def time_queries(session: Session, campaign: int, today: date) -> None:
    """Print the best time of each stats function, and of the dashboard's whole set."""
    checks: dict[str, Callable[[], Any]] = {
        "totals": lambda: stats.totals(session, campaign, today),
        "per_day": lambda: stats.per_day(session, campaign),
        "by_state": lambda: stats.by_state(session, campaign),
        "by_district": lambda: stats.by_district(session, campaign),
        "by_ref": lambda: stats.by_ref(session, campaign),
        "district_cities": lambda: stats.district_cities(session, campaign, "WA", 3),
        "district_notes": lambda: stats.district_notes(session, campaign, "WA", 3),
    }
    total = 0.0
    for name, run in checks.items():
        seconds = best_of(run)
        total += seconds
        print(f"  {name:<16} {seconds * 1000:9.1f} ms")
    print(f"  {'all (dashboard)':<16} {total * 1000:9.1f} ms")


def bench(url: str, sizes: list[int]) -> None:
    engine = create_db_engine(url)
    today = (START + timedelta(days=59)).date()
    print(f"database: {engine.dialect.name}")
    for count in sizes:
        began = time.perf_counter()
        campaign = seed(engine, count)
        print(f"\n{count:,} pledges seeded in {time.perf_counter() - began:.1f} s")
        with Session(engine) as session:
            time_queries(session, campaign, today)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="database URL (default: a throw-away SQLite file)")
    parser.add_argument("--sizes", default="1000,1000000", help="comma-separated counts")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.url:
        bench(args.url, sizes)
        return
    with tempfile.TemporaryDirectory() as folder:
        bench(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", sizes)


if __name__ == "__main__":
    main()
