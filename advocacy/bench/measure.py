"""Measure one route: throughput, latency, errors, and where the machine's CPU went."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from advocacy.bench.load import Request, run_load
from advocacy.bench.routes import Route
from advocacy.bench.server import RunningServer, ServerError, cpu_sample, fetch

CORES = os.cpu_count() or 1
PRIME_TIMEOUT = 60.0  # seconds for a first answer, which may load data


@dataclass
class Result:
    route: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    unexpected_status: int  # answers with another status than the route's
    connection_errors: int
    server_cpu_ms_per_request: float
    server_cpu_pct: float  # all the server's processes, as a share of the machine
    load_cpu_pct_of_core: float  # the load generator, as a share of one core
    database_cpu_pct: float  # every PostgreSQL process on the machine
    other_cpu_pct: float  # everything else: high means a noisy measurement
    steal_pct: float  # of that, CPU the hypervisor gave to other machines (a shared VM)
    ratio: float = 0.0  # requests/s against the baseline of the same run

    @property
    def errors(self) -> int:
        return self.unexpected_status + self.connection_errors


def request_headers(route: Route, port: int) -> dict[str, str]:
    """Return the route's headers; a conditional route first fetches the ETag it revalidates."""
    if not route.conditional:
        return {}
    status, headers = fetch(port, route.path)
    if status != 200 or "etag" not in headers:
        raise ServerError(f"{route.path} gave no ETag to revalidate (status {status}).")
    return {"If-None-Match": headers["etag"]}


def measure(
    route: Route,
    server: RunningServer,
    generator: str,
    concurrency: int,
    seconds: int,
    workdir: Path,
    tag: str,
) -> Result:
    """Load the route for `seconds` and return what was measured."""
    request = Request(route, server.port, request_headers(route, server.port), tag)
    before = cpu_sample(server.pgid)
    wall_before = time.monotonic()
    numbers = run_load(generator, request, concurrency, seconds, workdir)
    wall = time.monotonic() - wall_before
    after = cpu_sample(server.pgid)
    server_cpu = sum(t - before.server.get(pid, 0.0) for pid, t in after.server.items())
    database_cpu = after.database - before.database
    busy = after.machine_busy - before.machine_busy
    machine = wall * CORES
    return Result(
        route=route.name,
        requests=numbers.requests,
        seconds=round(numbers.seconds, 2),
        rps=numbers.requests / numbers.seconds if numbers.seconds else 0.0,
        p50_ms=numbers.p50_ms,
        p95_ms=numbers.p95_ms,
        p99_ms=numbers.p99_ms,
        max_ms=numbers.max_ms,
        unexpected_status=numbers.unexpected_status,
        connection_errors=numbers.connection_errors,
        server_cpu_ms_per_request=(
            server_cpu * 1e3 / numbers.requests if numbers.requests else 0.0
        ),
        server_cpu_pct=100 * server_cpu / machine,
        load_cpu_pct_of_core=100 * numbers.cpu_seconds / wall,
        database_cpu_pct=100 * database_cpu / machine,
        other_cpu_pct=max(
            0.0, 100 * (busy - server_cpu - numbers.cpu_seconds - database_cpu) / machine
        ),
        steal_pct=100 * (after.machine_steal - before.machine_steal) / machine,
    )


def prime(server: RunningServer, routes: list[Route], parallel: int) -> dict[str, float]:
    """Send each GET route two bursts of `parallel` requests, so that every worker has
    loaded what it loads on first use (the members directory, templates) before the
    measurement; return the slowest answer of each route's first burst, in seconds."""

    def timed(path: str) -> float:
        began = time.perf_counter()
        status, _ = fetch(server.port, path, timeout=PRIME_TIMEOUT)
        if status != 200:
            raise ServerError(f"GET {path} answered {status} before the load began")
        return time.perf_counter() - began

    cold: dict[str, float] = {}
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for route in routes:
            if route.method != "GET":
                continue
            for burst in range(2):
                slowest = max(pool.map(timed, [route.path] * parallel))
                if burst == 0:
                    cold[route.name] = slowest
    return cold


def machine_busy_share(seconds: float = 1.0) -> float:
    """Return the share of the machine's CPU in use over the next `seconds`, in %."""

    def read() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as handle:
            ticks = [int(x) for x in handle.readline().split()[1:]]
        return sum(ticks[:8]) - ticks[3] - ticks[4], sum(ticks[:8])

    busy0, total0 = read()
    time.sleep(seconds)
    busy1, total1 = read()
    return 100 * (busy1 - busy0) / max(total1 - total0, 1)


def wait_for_quiet(limit_pct: float, timeout: float, calm: int = 5) -> float:
    """Wait up to `timeout` seconds until the machine's CPU use stays under `limit_pct`
    for `calm` seconds in a row; return the last second's use, in %."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while True:
        used = machine_busy_share()
        quiet = quiet + 1 if used < limit_pct else 0
        if quiet >= calm or time.monotonic() >= deadline:
            return used
