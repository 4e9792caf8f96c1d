"""`advocacy bench`: a whole run, tiny, through the console command; and its refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advocacy.bench.database import BenchDatabaseError, postgres_server_url

ROOT = Path(__file__).resolve().parents[2]
ROUTES = ("baseline", "stats", "lookup", "page", "pledge")


@pytest.mark.slow
def test_bench_runs_every_route_and_prints_a_table_and_a_json_line(tmp_path: Path) -> None:
    # On the PostgreSQL run of the suite, the benchmark makes (and drops) its own database
    # on the same server; otherwise it uses a SQLite file in its temporary folder.
    url = os.environ.get("ADVOCACY_DATABASE_URL", "")
    database = ["--database-url", url] if url.startswith("postgresql") else []
    # The caller's settings must not reach the benchmark's servers (this one would stop
    # the app from starting), and the run keeps its files in its own temporary folder.
    env = {**os.environ, "TMPDIR": str(tmp_path), "ADVOCACY_STATS_CACHE_SECONDS": "never"}
    done = subprocess.run(
        [sys.executable, "-m", "advocacy.cli", "bench", "--pledges", "200", "--duration", "1"]
        + ["--warmup", "0", "--concurrency", "4", "--load-generator", "python", *database],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    # The table: a header, then one row per route, unindented (progress lines are not).
    rows = {line.split()[0]: line.split() for line in lines if line and line[0] != " "}
    assert rows["route"][:3] == ["route", "req/s", "x"], done.stdout
    for route in ROUTES:
        assert float(rows[route][1]) > 0, done.stdout

    figures = json.loads(lines[-1])
    for route in ROUTES:
        assert figures[f"{route}_rps"] > 0
        assert figures[f"{route}_p99_ms"] > 0
        assert figures["errors"][route] == 0
        assert figures["routes"][route]["requests"] > 0
        assert figures["routes"][route]["p50_ms"] <= figures["routes"][route]["p99_ms"]
    for route in ROUTES[1:]:
        assert 0 < figures[f"{route}_ratio"] < 10
    assert set(figures["targets_met"]) == {"stats", "lookup", "page", "pledge"}
    assert figures["server"]["name"] == "granian"
    assert figures["server"]["workers"] == 2 and figures["server"]["threads"] == 4
    assert figures["database"]["kind"] == ("postgresql" if database else "sqlite")
    assert figures["pledges"] == 200
    # Every acknowledged pledge was recorded (more may have landed after the clock
    # stopped); none counts before its owner confirms it from the mailbox.
    assert figures["pledges_recorded_after"] >= 200 + figures["routes"]["pledge"]["requests"]
    assert figures["pledge_count_after"] == 200
    assert 0 < figures["load_generator_max_pct_of_core"]
    # Its temporary folder, with the SQLite file and the logs, is gone.
    assert list(tmp_path.iterdir()) == []


def test_bench_refuses_a_sqlite_url_and_a_remote_server() -> None:
    with pytest.raises(BenchDatabaseError, match="PostgreSQL"):
        postgres_server_url("sqlite:///instance/advocacy.sqlite3")
    with pytest.raises(BenchDatabaseError, match="this machine"):
        postgres_server_url("postgresql+psycopg://postgres@db.example.org/postgres")
    url = postgres_server_url("postgresql://postgres@127.0.0.1/postgres")
    assert url.drivername == "postgresql+psycopg"
