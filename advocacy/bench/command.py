"""The `advocacy bench` command: options only; the run itself is in advocacy.bench.run.

Imported by the CLI whenever the app starts, so it imports nothing heavy until it runs.
"""

from __future__ import annotations

import os

import click

from advocacy.bench.routes import DEFAULT_ROUTES, EXTRA_ROUTES


def _sizes(_ctx: click.Context, _param: click.Parameter, value: str | None) -> list[int]:
    """Parse --scaling: comma-separated pledge counts."""
    if not value:
        return []
    try:
        sizes = sorted({int(part.replace("_", "")) for part in value.split(",") if part.strip()})
    except ValueError as error:
        raise click.BadParameter("give pledge counts separated by commas") from error
    if any(size < 0 or size > 10_000_000 for size in sizes):
        raise click.BadParameter("each count must be between 0 and 10,000,000")
    return sizes


def _routes(_ctx: click.Context, _param: click.Parameter, value: str) -> list[str]:
    known = [*DEFAULT_ROUTES, *EXTRA_ROUTES]
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise click.BadParameter(f"choose from {', '.join(known)}")
    return list(dict.fromkeys(names))


@click.command("bench")
@click.option(
    "--pledges",
    type=click.IntRange(0, 10_000_000),
    default=100_000,
    show_default=True,
    help="Pledges seeded into the throw-away database before the routes are measured.",
)
@click.option(
    "--duration",
    type=click.IntRange(1, 300),
    default=10,
    show_default=True,
    help="Seconds of measured load per route.",
)
@click.option(
    "--warmup",
    type=click.IntRange(0, 60),
    default=2,
    show_default=True,
    help="Seconds of unmeasured load before each route's measurement.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1024),
    default=32,
    show_default=True,
    help="Concurrent keep-alive clients.",
)
@click.option(
    "--database-url",
    metavar="URL",
    help="A PostgreSQL server on this machine (postgresql+psycopg://user@127.0.0.1/postgres): "
    "the benchmark creates a database of its own there and drops it at the end. "
    "Default: a SQLite file in a temporary folder.",
)
@click.option(
    "--server",
    type=click.Choice(["granian", "gunicorn"]),
    default="granian",
    show_default=True,
    help="granian: the production command; gunicorn: the README's fallback (sync workers).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Server worker processes [default: granian 2, one per core as in the README; "
    "gunicorn 2 x cores + 1].",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    default=4,
    show_default=True,
    help="granian's threads per worker (--blocking-threads); gunicorn's sync workers have one.",
)
@click.option(
    "--routes",
    default=",".join(DEFAULT_ROUTES),
    show_default=True,
    callback=_routes,
    help=f"Routes to measure after the bare one; also: {', '.join(EXTRA_ROUTES)}.",
)
@click.option(
    "--load-generator",
    type=click.Choice(["auto", "wrk", "python"]),
    default="auto",
    show_default=True,
    help="auto: wrk when it is installed (apt-get install wrk), else a Python client, "
    "which needs more CPU and may be the bottleneck on the light routes.",
)
@click.option(
    "--scaling",
    metavar="COUNTS",
    callback=_sizes,
    help="Also measure the stats API and time the organizers' dashboard queries at these "
    "pledge counts, e.g. 1000,100000,1000000.",
)
@click.option(
    "--wait-quiet",
    type=click.IntRange(0, 600),
    default=0,
    metavar="SECONDS",
    help="On a shared machine: before each route, wait up to this long for the machine's "
    "CPU use to stay under 10% for 5 s.",
)
def bench_command(
    pledges: int,
    duration: int,
    warmup: int,
    concurrency: int,
    database_url: str | None,
    server: str,
    workers: int | None,
    threads: int,
    routes: list[str],
    load_generator: str,
    scaling: list[int],
    wait_quiet: int,
) -> None:
    """Load the production server on loopback and compare routes with a bare Flask app.

    Starts the app and a one-route Flask app under the production server (the README's
    granian command) on a throw-away database, seeds pledges, loads each route, prints a
    table and a last line of JSON. Exits 1 when any request failed; a missed target does
    not change the exit status.
    """
    from advocacy.bench.run import BenchError, BenchOptions, run_bench

    options = BenchOptions(
        pledges=pledges,
        duration=duration,
        warmup=warmup,
        concurrency=concurrency,
        database_url=database_url,
        server=server,
        workers=workers or (2 if server == "granian" else 2 * (os.cpu_count() or 1) + 1),
        threads=threads if server == "granian" else 1,
        routes=routes,
        load_generator=load_generator,
        scaling=scaling,
        wait_quiet=wait_quiet,
    )
    try:
        errors = run_bench(options)
    except BenchError as error:
        raise click.ClickException(str(error)) from error
    if errors:
        raise SystemExit(1)
