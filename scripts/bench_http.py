"""Load the production server over HTTP on 127.0.0.1 and compare routes with a baseline.

Usage:
    .venv/bin/python scripts/bench_http.py [--server gunicorn-sync|gunicorn-gthread|granian]
        [--workers N] [--threads N] [--duration S] [--concurrency N]
        [--database sqlite|postgresql] [--routes healthz,static,stats,...] [--json PATH]

A benchmark, not a test. It makes a throw-away instance (SQLite file in a temporary folder,
or a throw-away PostgreSQL database on 127.0.0.1), runs `advocacy db upgrade`, starts the
production server on a free port of 127.0.0.1 as a subprocess, waits for /healthz, then
loads each route with N concurrent keep-alive clients for a fixed time: with `wrk` when it
is installed (apt-get install wrk), else with a Python asyncio client. For each route it
prints requests/s, p50/p95/p99 latency, errors, the server's CPU time per request, and the
ratios to the baseline route measured in the same run, so the ratios hold across machines.
The baseline is measured first and again at the end, to show the run's own noise.

Every target is 127.0.0.1; every phase has a time limit; the server, the temporary folder
and the PostgreSQL database are removed at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"  # the only address this benchmark ever sends traffic to
ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SLUG = "uyghur-policy-act"
CORES = os.cpu_count() or 1
MAX_DURATION = 300.0
MAX_CONCURRENCY = 1024
APP_PATHS = ("advocacy", "templates", "static", "migrations", "wsgi.py", "pyproject.toml")
REQUEST_TIMEOUT = 10.0  # seconds; a slower answer counts as an error


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    expect: int  # the status every answer should have
    headers: dict[str, str] = field(default_factory=dict)
    pledge_body: bool = False  # POST a JSON pledge with an email unique to the request
    conditional: bool = False  # send If-None-Match with the ETag fetched just before
    note: str = ""


ROUTES = {
    r.name: r
    for r in [
        Route("healthz", "GET", "/healthz", 200, note="one SELECT 1 (and the pool's ping)"),
        Route("static", "GET", "/static/css/site.css", 200, note="baseline: Flask, no database"),
        Route("stats", "GET", f"/api/v1/campaigns/{SLUG}", 200, note="stats API, 1 s cache"),
        Route(
            "stats-304",
            "GET",
            f"/api/v1/campaigns/{SLUG}",
            304,
            conditional=True,
            note="stats API revalidation (If-None-Match)",
        ),
        Route("page", "GET", f"/c/{SLUG}", 200, note="campaign page: form, CSRF, session"),
        Route("reps", "GET", "/api/v1/representatives?zip=98105", 200, note="ZIP look-up"),
        Route(
            "pledge",
            "POST",
            f"/api/v1/campaigns/{SLUG}/pledges",
            201,
            headers={"Content-Type": "application/json"},
            pledge_body=True,
            note="pledge: DB write",
        ),
    ]
}
DEFAULT_ROUTES = "healthz,static,stats,stats-304,page,reps,pledge"


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
    errors: int  # connection errors, timeouts and unexpected statuses
    unexpected_status: int
    server_cpu_ms_per_req: float
    server_cpu_pct: float  # of the whole machine
    client_cpu_pct: float  # the load generator, of the whole machine
    process_split: str  # % of the server's CPU time per process, busiest first
    db_cpu_pct: float  # PostgreSQL's processes, of the whole machine
    other_cpu_pct: float  # everything else on the machine: high means a noisy measurement
    generator: str
    rps_ratio: float = 0.0  # against the baseline of the same run
    p50_ratio: float = 0.0
    cpu_ratio: float = 0.0


# --- the server under test -------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed (looked in {BIN} and on PATH).")
    return found


def server_command(args: argparse.Namespace, port: int) -> list[str]:
    if args.server.startswith("gunicorn"):
        command = [
            tool("gunicorn"),
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--no-control-socket",
        ]
        if args.server == "gunicorn-gthread":
            command += ["--worker-class", "gthread", "--threads", str(args.threads)]
        else:
            command += ["--worker-class", "sync"]
        return command + args.server_arg + ["wsgi:app"]
    command = [
        tool("granian"),
        "--interface",
        "wsgi",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if args.threads:
        command += ["--blocking-threads", str(args.threads)]
    return command + args.server_arg + ["wsgi:app"]


def server_version(server: str) -> str:
    name = "granian" if server == "granian" else "gunicorn"
    try:
        return f"{name} {metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return name


def process_cpu_seconds(pgid: int) -> tuple[dict[int, float], float]:
    """CPU seconds of each live process in a process group, and of all PostgreSQL server
    processes (the database's share of the work), each with its reaped children."""
    ticks = os.sysconf("SC_CLK_TCK")
    times: dict[int, float] = {}
    database = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.find("(") + 1 : stat.rfind(")")]
        rest = stat[stat.rfind(")") + 2 :].split()
        # utime + stime, plus cutime + cstime: the reaped children's (workers restarted,
        # database connections closed: the postmaster reaps their backends).
        used = sum(int(x) for x in rest[11:15])
        if int(rest[2]) == pgid:
            times[int(entry)] = used / ticks
        elif comm in ("postgres", "postmaster"):
            database += used
    return times, database / ticks


def machine_busy_seconds() -> tuple[float, float]:
    """Return (busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return (total - idle) / ticks, total / ticks


def wait_for_quiet(limit: float, seconds: float, calm: int = 5) -> float:
    """Wait up to `seconds` until the machine's CPU use stays below `limit` % for `calm`
    seconds in a row; return the last second's use."""
    deadline = time.monotonic() + seconds
    quiet = 0
    while True:
        busy0, total0 = machine_busy_seconds()
        time.sleep(1.0)
        busy1, total1 = machine_busy_seconds()
        used = 100 * (busy1 - busy0) / max(total1 - total0, 1e-9)
        quiet = quiet + 1 if used < limit else 0
        if quiet >= calm or time.monotonic() >= deadline:
            return used


@contextlib.contextmanager
def temporary_database(args: argparse.Namespace, instance: Path) -> Iterator[str]:
    """Yield a fresh, empty database URL; drop it afterwards."""
    if args.database == "sqlite":
        yield f"sqlite:///{instance / 'advocacy.sqlite3'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(args.pg_url)
    if base.host not in (None, "", "127.0.0.1", "localhost", "::1"):
        raise SystemExit("--pg-url must point at this machine (127.0.0.1).")
    name = f"advocacy_bench_{os.getpid()}_{secrets.token_hex(3)}"
    params: dict[str, Any] = {"dbname": "postgres", "user": base.username or "postgres"}
    if base.host:
        params["host"] = base.host
    if base.port:
        params["port"] = base.port
    if base.password:
        params["password"] = base.password
    with psycopg.connect(**params, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**params, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_environment(instance: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")}
    env.update(
        ADVOCACY_ENV="production",
        ADVOCACY_SECRET_KEY=secrets.token_hex(32),
        ADVOCACY_SESSION_COOKIE_SECURE="false",
        ADVOCACY_RATELIMIT_ENABLED="false",
        ADVOCACY_DATABASE_URL=database_url,
        # No data paths: the fresh instance folder has no downloaded copy, so the server
        # reads the snapshot shipped in the package, as a new install does.
        ADVOCACY_INSTANCE_PATH=str(instance),
    )
    return env


@contextlib.contextmanager
def running_server(command: list[str], env: dict[str, str], log: Path) -> Iterator[int]:
    """Start the server in its own process group; yield the group id; stop it."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        # Workers that outlived their master, if any.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)


def fetch(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def wait_healthy(port: int, pgid: int, log: Path, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            break
        with contextlib.suppress(OSError, http.client.HTTPException):
            if fetch(port, "/healthz")[0] == 200:
                return time.monotonic() - start
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:]
    raise SystemExit(f"the server did not answer /healthz within {timeout:.0f} s:\n{tail}")


# --- load generators -------------------------------------------------------------------

WRK_SCRIPT = """
local threads = {}
local expected = %(expect)d
wrk.method = "%(method)s"
%(headers)s
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  n = 0
  unexpected = 0
end
%(request)s
function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,' ..
    '"write":%%d,"status":%%d,"timeout":%%d,"unexpected":%%d,' ..
    '"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    bad, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""

WRK_PLEDGE_REQUEST = """
function request()
  n = n + 1
  local body = string.format(
    '{"name":"Bench Supporter","email":"bench-%s-%%d-%%d@example.org","zip":"98105"}',
    tid, n)
  return wrk.format(nil, nil, nil, body)
end
"""


def pledge_body(run: str, client: int, n: int) -> bytes:
    email = f"bench-{run}-{client}-{n}@example.org"
    return json.dumps({"name": "Bench Supporter", "email": email, "zip": "98105"}).encode()


def run_wrk(
    route: Route,
    headers: dict[str, str],
    port: int,
    args: argparse.Namespace,
    seconds: float,
    workdir: Path,
    run: str,
) -> tuple[dict[str, float], float]:
    """Run wrk; return its numbers (latencies in microseconds) and its CPU seconds."""
    lua_headers = "\n".join(
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()
    )
    request = WRK_PLEDGE_REQUEST % run if route.pledge_body else ""
    script = workdir / f"{route.name}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "expect": route.expect,
            "method": route.method,
            "headers": lua_headers,
            "request": request,
        }
    )
    threads = max(1, min(args.load_threads, args.concurrency))
    command = [
        args.wrk,
        f"-t{threads}",
        f"-c{args.concurrency}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={REQUEST_TIMEOUT:.0f}s",
        "-s",
        str(script),
        f"http://{HOST}:{port}{route.path}",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + REQUEST_TIMEOUT + 30
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    match = re.search(r"^BENCH_JSON (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or match is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(match.group(1)), cpu


@dataclass
class PyStats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    unexpected: int = 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; return its status and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    version, status_text = lines[0].split(None, 2)[:2]
    status = int(status_text)
    length: int | None = None
    chunked = False
    keep = version == b"HTTP/1.1"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection" and b"close" in value:
            keep = False
        elif name == b"connection" and b"keep-alive" in value:
            keep = True
    if status in (204, 304) or 100 <= status < 200:
        return status, keep
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        keep = False
    return status, keep


async def _py_client(
    client: int,
    route: Route,
    headers: dict[str, str],
    port: int,
    deadline: float,
    run: str,
    stats: PyStats,
) -> None:
    head = f"{route.method} {route.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()
    )
    static_request = (head + "\r\n").encode()
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    n = 0
    while time.monotonic() < deadline:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection(HOST, port)
            except OSError:
                stats.errors += 1
                await asyncio.sleep(0.05)
                continue
        assert reader is not None
        if route.pledge_body:
            n += 1
            body = pledge_body(run, client, n)
            data = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        else:
            data = static_request
        start = time.perf_counter()
        try:
            writer.write(data)
            status, keep = await _read_response(reader)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            stats.errors += 1
            writer.close()
            writer = reader = None
            continue
        if time.monotonic() <= deadline:
            stats.latencies.append(time.perf_counter() - start)
            if status != route.expect:
                stats.unexpected += 1
        if not keep:
            writer.close()
            writer = reader = None
    if writer is not None:
        writer.close()


async def _py_load(
    route: Route,
    headers: dict[str, str],
    port: int,
    args: argparse.Namespace,
    seconds: float,
    run: str,
) -> tuple[PyStats, float]:
    stats = PyStats()
    start = time.monotonic()
    deadline = start + seconds
    tasks = [
        asyncio.create_task(_py_client(i, route, headers, port, deadline, run, stats))
        for i in range(args.concurrency)
    ]
    done, pending = await asyncio.wait(tasks, timeout=seconds + REQUEST_TIMEOUT)
    for task in pending:  # a request that hangs past the limit counts as an error
        task.cancel()
        stats.errors += 1
    await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        task.result()
    return stats, min(time.monotonic(), deadline) - start


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def run_python(
    route: Route,
    headers: dict[str, str],
    port: int,
    args: argparse.Namespace,
    seconds: float,
    run: str,
) -> tuple[dict[str, float], float]:
    cpu_before = time.process_time()
    stats, elapsed = asyncio.run(_py_load(route, headers, port, args, seconds, run))
    cpu = time.process_time() - cpu_before
    lat = sorted(x * 1e6 for x in stats.latencies)
    numbers = {
        "requests": len(lat),
        "duration_us": elapsed * 1e6,
        "connect": stats.errors,
        "read": 0,
        "write": 0,
        "status": 0,
        "timeout": 0,
        "unexpected": stats.unexpected,
        "p50": percentile(lat, 50),
        "p95": percentile(lat, 95),
        "p99": percentile(lat, 99),
        "max": lat[-1] if lat else 0.0,
    }
    return numbers, cpu


# --- one route -------------------------------------------------------------------------


def route_headers(route: Route, port: int) -> dict[str, str]:
    headers = dict(route.headers)
    if route.conditional:
        status, answer = fetch(port, route.path)
        if status != 200 or "etag" not in answer:
            raise SystemExit(f"{route.path} gave no ETag to revalidate (status {status}).")
        headers["If-None-Match"] = answer["etag"]
    return headers


def measure(
    route: Route,
    port: int,
    pgid: int,
    args: argparse.Namespace,
    seconds: float,
    workdir: Path,
    run: str,
) -> Result:
    headers = route_headers(route, port)
    cpu_before, db_before = process_cpu_seconds(pgid)
    busy_before, _ = machine_busy_seconds()
    wall_before = time.monotonic()
    if args.wrk:
        numbers, client_cpu = run_wrk(route, headers, port, args, seconds, workdir, run)
        generator = "wrk"
    else:
        numbers, client_cpu = run_python(route, headers, port, args, seconds, run)
        generator = "python-asyncio"
    wall = time.monotonic() - wall_before
    busy_after, _ = machine_busy_seconds()
    cpu_after, db_after = process_cpu_seconds(pgid)
    db_cpu = db_after - db_before
    per_process = sorted(
        (cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after), reverse=True
    )
    server_cpu = sum(per_process)
    # How the work was spread over the processes (workers; the master is near 0).
    split = "/".join(
        f"{100 * t / server_cpu:.0f}" for t in per_process if server_cpu and t > 0.005 * server_cpu
    )
    requests = int(numbers["requests"])
    elapsed = numbers["duration_us"] / 1e6
    unexpected = int(numbers["unexpected"])
    errors = unexpected + sum(int(numbers[k]) for k in ("connect", "read", "write", "timeout"))
    return Result(
        route=route.name,
        requests=requests,
        seconds=round(elapsed, 2),
        rps=requests / elapsed if elapsed else 0.0,
        p50_ms=numbers["p50"] / 1e3,
        p95_ms=numbers["p95"] / 1e3,
        p99_ms=numbers["p99"] / 1e3,
        max_ms=numbers["max"] / 1e3,
        errors=errors,
        unexpected_status=unexpected,
        server_cpu_ms_per_req=server_cpu * 1e3 / requests if requests else 0.0,
        server_cpu_pct=100 * server_cpu / (wall * CORES),
        client_cpu_pct=100 * client_cpu / (wall * CORES),
        process_split=split,
        db_cpu_pct=100 * db_cpu / (wall * CORES),
        other_cpu_pct=max(
            0.0,
            100 * (busy_after - busy_before - server_cpu - client_cpu - db_cpu) / (wall * CORES),
        ),
        generator=generator,
    )


# --- the run ---------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    return {
        "cpu": model,
        "cores": CORES,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def source_version() -> str:
    """The measured commit, with '+changes' when the app's files differ from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *APP_PATHS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+changes" if dirty else "")


def print_table(results: list[Result], baseline: str) -> None:
    print(
        f"\n{'route':<10} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
        f" {'cpu ms/req':>10} {'server':>6} {'db':>4} {'load':>4} {'other':>5}"
        f" | {'x req/s':>7} {'x p50':>6} {'x cpu':>6} | worker split"
    )
    for r in results:
        print(
            f"{r.route:<10} {r.rps:>7.0f} {r.p50_ms:>7.2f} {r.p95_ms:>7.2f} {r.p99_ms:>7.2f}"
            f" {r.errors:>6d} {r.server_cpu_ms_per_req:>10.3f} {r.server_cpu_pct:>5.0f}%"
            f" {r.db_cpu_pct:>3.0f}% {r.client_cpu_pct:>3.0f}% {r.other_cpu_pct:>4.0f}%"
            f" | {r.rps_ratio:>7.2f} {r.p50_ratio:>6.2f} {r.cpu_ratio:>6.2f} | {r.process_split}"
        )
    for r in results:
        route = ROUTES[r.route]
        print(f"  {route.name}: {route.method} {route.path} ({route.note})")
    print(
        f"server/db/load/other: share of the machine's CPU used by the server, PostgreSQL, "
        f"the load generator and everything else; x: ratio to {baseline} in this run; "
        "worker split: % of the server's CPU per process"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        choices=["gunicorn-sync", "gunicorn-gthread", "granian"],
        default="gunicorn-gthread",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help=f"worker processes (default: 2*cores+1 = {2 * CORES + 1} for gunicorn-sync, "
        f"cores = {CORES} otherwise)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="threads per worker: gunicorn-gthread --threads (default 4), "
        "granian --blocking-threads (default: granian's own)",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per route")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per route, unmeasured")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--pg-url",
        default="postgresql+psycopg://postgres@127.0.0.1/postgres",
        help="a PostgreSQL server on this machine; a throw-away database is made on it",
    )
    parser.add_argument(
        "--routes",
        default=DEFAULT_ROUTES,
        help=f"comma-separated, from: {', '.join(ROUTES)} (default: all)",
    )
    parser.add_argument(
        "--baseline",
        default="static",
        choices=list(ROUTES),
        help="the route the others are compared with (default: static, which touches no "
        "database, so ratios compare across databases; healthz adds one SELECT 1)",
    )
    parser.add_argument(
        "--load-generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="auto: wrk when installed, else the Python asyncio client",
    )
    parser.add_argument(
        "--load-threads",
        type=int,
        default=1,
        help="wrk threads (default 1: leave the CPU "
        "to the server; one wrk thread drives tens of thousands of requests/s)",
    )
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="an extra argument for the server command line (repeatable)",
    )
    parser.add_argument("--startup-timeout", type=float, default=60.0)
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait up to this long for the machine's CPU use to stay below 10%% for 5 s",
    )
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    args = parser.parse_args(argv)

    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be in (0, {MAX_DURATION:.0f}] seconds")
    if not 0 <= args.warmup <= MAX_DURATION:
        parser.error("--warmup is out of range")
    if not 0 < args.concurrency <= MAX_CONCURRENCY:
        parser.error(f"--concurrency must be in [1, {MAX_CONCURRENCY}]")
    args.route_list = [name.strip() for name in args.routes.split(",") if name.strip()]
    unknown = [name for name in args.route_list if name not in ROUTES]
    if unknown:
        parser.error(f"unknown routes: {', '.join(unknown)}")
    if args.workers is None:
        args.workers = 2 * CORES + 1 if args.server == "gunicorn-sync" else CORES
    if args.threads is None and args.server == "gunicorn-gthread":
        args.threads = 4
    if args.server == "gunicorn-sync":
        args.threads = 1
    wrk = shutil.which("wrk")
    if args.load_generator == "wrk" and wrk is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")
    args.wrk = wrk if args.load_generator != "python" else None
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A plain `kill` ends the run like Ctrl-C does, through the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.wait_quiet:
        used = wait_for_quiet(10.0, min(args.wait_quiet, 600.0))
        print(f"machine CPU use before the run: {used:.0f}%", flush=True)
    order = [args.baseline] + [n for n in args.route_list if n != args.baseline]
    run = secrets.token_hex(4)
    source = source_version()
    total = len(order) * (args.duration + args.warmup) + args.duration
    print(
        f"{server_version(args.server)} {args.server} workers={args.workers} "
        f"threads={args.threads or 'default'} | {args.database} | "
        f"{args.concurrency} clients x {args.duration:.0f} s per route | "
        f"load: {'wrk' if args.wrk else 'python-asyncio'} | about {total:.0f} s of load | "
        f"source {source}",
        flush=True,
    )

    results: list[Result] = []
    recheck: Result | None = None
    with tempfile.TemporaryDirectory(prefix="advocacy-bench-") as tmp:
        workdir = Path(tmp)
        instance = workdir / "instance"
        instance.mkdir()
        with temporary_database(args, instance) as database_url:
            env = app_environment(instance, database_url)
            subprocess.run(
                [tool("advocacy"), "db", "upgrade"],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=120,
                stdout=subprocess.DEVNULL,
            )
            port = free_port()
            command = server_command(args, port)
            log = workdir / "server.log"
            with running_server(command, env, log) as pgid:
                startup = wait_healthy(port, pgid, log, args.startup_timeout)
                print(f"server up in {startup:.1f} s: {' '.join(command)}", flush=True)
                for name in order:
                    route = ROUTES[name]
                    if args.warmup:
                        measure(route, port, pgid, args, args.warmup, workdir, run + "w")
                    result = measure(route, port, pgid, args, args.duration, workdir, run)
                    results.append(result)
                    print(
                        f"  {name:<10} {result.rps:8.0f} req/s  p50 {result.p50_ms:7.2f} ms  "
                        f"p99 {result.p99_ms:7.2f} ms  errors {result.errors}  "
                        f"other load {result.other_cpu_pct:.0f}%",
                        flush=True,
                    )
                recheck = measure(
                    ROUTES[args.baseline], port, pgid, args, args.duration, workdir, run
                )
                server_log = log.read_text(errors="replace")

    base = results[0]
    for r in results:
        r.rps_ratio = r.rps / base.rps if base.rps else 0.0
        r.p50_ratio = r.p50_ms / base.p50_ms if base.p50_ms else 0.0
        r.cpu_ratio = (
            r.server_cpu_ms_per_req / base.server_cpu_ms_per_req
            if base.server_cpu_ms_per_req
            else 0.0
        )
    print_table(results, args.baseline)
    drift = 100 * (recheck.rps - base.rps) / base.rps if recheck and base.rps else 0.0
    print(
        f"\nbaseline again at the end: {recheck.rps if recheck else 0:.0f} req/s "
        f"({drift:+.1f}% drift)"
    )
    info = machine()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, "
        f"Linux {info['kernel']}, Python {info['python']}"
    )
    noisy = [r.route for r in results if r.other_cpu_pct > 10]
    if noisy:
        print(
            "warning: other processes used over 10% of the machine during "
            f"{', '.join(noisy)}: those numbers are unreliable"
        )
    busy_client = max(r.client_cpu_pct for r in results)
    if busy_client > 20:
        print(
            f"warning: the load generator used up to {busy_client:.0f}% of the machine: "
            "the server got less CPU than it would in production (install wrk)"
        )
    problems = [line for line in server_log.splitlines() if "Traceback" in line or "ERROR" in line]
    if problems:
        print(f"server log has {len(problems)} error lines, e.g.: {problems[0]}")

    if args.json:
        summary = {
            "machine": info,
            "source": source,
            "server": {
                "name": args.server,
                "version": server_version(args.server),
                "workers": args.workers,
                "threads": args.threads,
                "command": command,
            },
            "database": args.database,
            "concurrency": args.concurrency,
            "duration": args.duration,
            "generator": results[0].generator,
            "baseline": args.baseline,
            "baseline_recheck_rps": recheck.rps if recheck else None,
            "results": [asdict(r) for r in results],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    failed = sum(r.errors for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
