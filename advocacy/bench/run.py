"""One benchmark run: database, fake geocoder, both servers, the routes, the report."""

from __future__ import annotations

import secrets
import signal
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from advocacy.bench import report
from advocacy.bench.dashboard import time_dashboard
from advocacy.bench.database import BenchDatabaseError, Seeder, migrate, throwaway_database
from advocacy.bench.fakegeocoder import fake_geocoder
from advocacy.bench.load import choose_generator
from advocacy.bench.measure import Result, measure, prime, wait_for_quiet
from advocacy.bench.routes import BASELINE, Route, routes_for
from advocacy.bench.server import (
    APP_TARGET,
    BASELINE_TARGET,
    RunningServer,
    ServerConfig,
    ServerError,
    app_environment,
    free_port,
    running_server,
    wait_ready,
)
from advocacy.paths import PROJECT_ROOT

STARTUP_TIMEOUT = 60.0
# --wait-quiet waits for the machine's CPU use to stay under this share, in %.
QUIET_PCT = 10.0


class BenchError(RuntimeError):
    """The benchmark could not run; the message says why."""


@dataclass(frozen=True)
class BenchOptions:
    pledges: int
    duration: int
    warmup: int
    concurrency: int
    database_url: str | None
    server: str
    workers: int
    threads: int
    routes: list[str]
    load_generator: str
    scaling: list[int]
    wait_quiet: int = 0


@dataclass
class _Servers:
    bare: RunningServer
    app: RunningServer

    def serving(self, route: Route) -> RunningServer:
        return self.bare if route.on_baseline else self.app


def _stop(_signum: int, _frame: object) -> NoReturn:
    # A plain `kill` ends the run as Ctrl-C does: servers stopped, database dropped.
    sys.exit(143)


def run_bench(options: BenchOptions) -> int:
    """Run the benchmark, print the table and the JSON line; return the number of errors."""
    if not (PROJECT_ROOT / "wsgi.py").exists():
        raise BenchError(f"wsgi.py is missing from {PROJECT_ROOT}: run from a clone")
    try:
        generator = choose_generator(options.load_generator)
    except RuntimeError as error:
        raise BenchError(str(error)) from error
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        return _run(options, generator)
    except (BenchDatabaseError, ServerError) as error:
        raise BenchError(str(error)) from error
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(options: BenchOptions, generator: str) -> int:
    config = ServerConfig(options.server, options.workers, options.threads)
    tag = secrets.token_hex(4)
    source = report.source_version(PROJECT_ROOT)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="advocacy-bench-")))
        instance = workdir / "instance"
        instance.mkdir()
        geocoder_url = stack.enter_context(fake_geocoder())
        database = stack.enter_context(throwaway_database(options.database_url, workdir))
        print(
            f"advocacy bench: {config.describe()} | {database.describe()} | "
            f"{options.concurrency} clients x {options.duration} s per route "
            f"(+{options.warmup} s warm-up) | load generator: {generator} | source {source}",
            flush=True,
        )
        env = app_environment(instance, database.url, geocoder_url, options.threads)
        migrate(env, PROJECT_ROOT)
        seeder = Seeder(database.url)
        stack.callback(seeder.close)
        routes = routes_for(seeder.slug)

        def start(target: str, log: str) -> RunningServer:
            port = free_port()
            command = config.command(target, port)
            return stack.enter_context(
                running_server(command, port, env, PROJECT_ROOT, workdir / log)
            )

        servers = _Servers(start(BASELINE_TARGET, "baseline.log"), start(APP_TARGET, "app.log"))
        wait_ready(servers.bare, "/", STARTUP_TIMEOUT)
        wait_ready(servers.app, "/healthz", STARTUP_TIMEOUT)
        # Twice the server's threads, so that every worker most likely gets some; the
        # look-up loads the members directory that pledges use too.
        parallel = 2 * config.workers * config.threads
        cold = prime(servers.bare, [routes[BASELINE]], parallel)
        primed = dict.fromkeys(("stats", "lookup", *options.routes))
        cold |= prime(servers.app, [routes[name] for name in primed], parallel)
        print(
            "slowest first answer (data loaded on first use): "
            + ", ".join(f"{name} {seconds * 1e3:.0f} ms" for name, seconds in cold.items()),
            flush=True,
        )

        def run_route(name: str, seconds: int, label: str) -> Result:
            route = routes[name]
            server = servers.serving(route)
            if options.wait_quiet:
                used = wait_for_quiet(QUIET_PCT, options.wait_quiet)
                if used >= QUIET_PCT:
                    print(f"  (the machine is still {used:.0f}% busy; measuring anyway)")
            if options.warmup:
                measure(
                    route,
                    server,
                    generator,
                    options.concurrency,
                    options.warmup,
                    workdir,
                    f"{tag}w{label}",
                )
            return measure(
                route, server, generator, options.concurrency, seconds, workdir, f"{tag}{label}"
            )

        results: list[Result] = []
        recheck: Result | None = None
        points: list[report.ScalePoint] = []
        for size in sorted({*options.scaling, options.pledges}):
            took = seeder.grow_to(size)
            print(f"seeded {size:,} pledges in {took:.1f} s", flush=True)
            if size in options.scaling:
                stats = run_route("stats", options.duration, f"s{size}")
                dashboard = time_dashboard(seeder.engine, seeder.campaign_id)
                points.append(report.ScalePoint(size, took, stats, dashboard))
                print(f"  stats at {size:,} pledges: {stats.rps:.0f} req/s", flush=True)
            if size == options.pledges:
                for name in [BASELINE, *options.routes]:
                    result = run_route(name, options.duration, name)
                    results.append(result)
                    print(
                        f"  {name:<10} {result.rps:8.0f} req/s  p99 {result.p99_ms:7.2f} ms  "
                        f"errors {result.errors}",
                        flush=True,
                    )
                recheck = run_route(BASELINE, options.duration, "again")
        pledge_count = seeder.pledge_count()
        pledges_recorded = seeder.pledges_recorded()
        server_log = "".join(
            (workdir / log).read_text(errors="replace") for log in ("baseline.log", "app.log")
        )
        command = list(servers.app.command)

    return _report(
        generator,
        results,
        recheck,
        points,
        routes,
        server_log,
        {
            "server": {
                "name": config.name,
                "version": config.version(),
                "workers": config.workers,
                "threads": config.threads,
                "description": config.describe(),
                "command": command,
            },
            "database": {"kind": database.kind, "version": database.version},
            "pledges": options.pledges,
            "pledge_count_after": pledge_count,
            "pledges_recorded_after": pledges_recorded,
            "campaign": seeder.slug,
            "concurrency": options.concurrency,
            "duration": options.duration,
            "warmup": options.warmup,
            "load_generator": generator,
            "source": source,
            "wait_quiet": options.wait_quiet,
            "first_answer_ms": {name: round(seconds * 1e3, 1) for name, seconds in cold.items()},
        },
    )


def _report(
    generator: str,
    results: list[Result],
    recheck: Result | None,
    points: list[report.ScalePoint],
    routes: dict[str, Route],
    server_log: str,
    run: dict[str, Any],
) -> int:
    bare = results[0].rps
    for result in results:
        result.ratio = result.rps / bare if bare else 0.0
    checks = {r.route: report.target_check(routes[r.route], r) for r in results}
    report.print_table(results, routes, checks)
    if recheck is not None:
        print(f"bare route again at the end: {recheck.rps:.0f} req/s")
    if points:
        report.print_scaling(points)
    print(report.load_generator_check(results, generator))
    for line in report.warnings(results, points, recheck, server_log):
        print(line)
    if run["database"]["kind"] != "postgresql":
        print("targets are set for PostgreSQL (--database-url); this run used SQLite")
    info = report.machine()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, "
        f"Linux {info['kernel']}, Python {info['python']}"
    )
    data = report.summary(results, checks, recheck, points, run)
    print(report.json_line(data), flush=True)
    # A run with no answer at all measured nothing: count it as failed.
    failed = len(report.unanswered(results, points))
    return sum(r.errors for r in results) + sum(p.stats.errors for p in points) + failed
