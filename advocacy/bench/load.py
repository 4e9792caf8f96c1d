"""Load generators: wrk when it is installed, else a Python asyncio client.

Either keeps `concurrency` keep-alive connections busy for a number of seconds, sends
the route's request again as soon as an answer comes back, and returns the count,
latency percentiles, errors, and its own CPU time (to tell whether it was the bottleneck).
"""

from __future__ import annotations

import asyncio
import json
import re
import resource
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from advocacy.bench.routes import Route
from advocacy.bench.server import HOST

REQUEST_TIMEOUT = 10.0  # seconds; a slower answer counts as an error
GENERATORS = ("auto", "wrk", "python")


@dataclass(frozen=True)
class LoadNumbers:
    requests: int  # answers received within the run, whatever their status
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    unexpected_status: int  # answers with another status than the route's
    connection_errors: int  # failed connects, reads, writes, timeouts
    cpu_seconds: float  # the load generator's own


@dataclass(frozen=True)
class Request:
    """What each client sends: the route, its headers, and a tag for unique pledge emails."""

    route: Route
    port: int
    headers: dict[str, str]
    tag: str


def choose_generator(wanted: str) -> str:
    """Return "wrk" or "python" for --load-generator auto|wrk|python."""
    if wanted == "python" or (wanted == "auto" and shutil.which("wrk") is None):
        return "python"
    if shutil.which("wrk") is None:
        raise RuntimeError(
            "wrk is not installed (apt-get install wrk), try --load-generator python"
        )
    return "wrk"


def pledge_json(tag: str, client: int, n: int) -> bytes:
    email = f"bench-{tag}-{client}-{n}@example.org"
    # Consenting, so each pledge pays for sealing its contact (the costlier case).
    body = {"name": "Bench Supporter", "email": email, "zip": "98105", "consent": True}
    return json.dumps(body).encode()


def run_load(
    generator: str, request: Request, concurrency: int, seconds: int, workdir: Path
) -> LoadNumbers:
    """Drive the load with the chosen generator."""
    if generator == "wrk":
        return run_wrk(request, concurrency, seconds, workdir)
    return run_python(request, concurrency, seconds)


# --- wrk -------------------------------------------------------------------------------

WRK_SCRIPT = """
local threads = {}
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
  if status ~= %(expect)d then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,' ..
    '"write":%%d,"timeout":%%d,"unexpected":%%d,"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, bad,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

WRK_PLEDGE = """
function request()
  n = n + 1
  local body = string.format(
    '{"name":"Bench Supporter","email":"bench-%s-%%d-%%d@example.org","zip":"98105",'
    .. '"consent":true}',
    tid, n)
  return wrk.format(nil, nil, nil, body)
end
"""


def run_wrk(request: Request, concurrency: int, seconds: int, workdir: Path) -> LoadNumbers:
    """Run wrk with one thread (it drives tens of thousands of requests/s and leaves the
    CPU to the server); return its numbers."""
    route = request.route
    headers = dict(request.headers)
    if route.pledge_body:
        headers["Content-Type"] = "application/json"
    script = workdir / f"{route.name}-{request.tag}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "method": route.method,
            "expect": route.expect,
            "headers": "\n".join(
                f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()
            ),
            "request": WRK_PLEDGE % request.tag if route.pledge_body else "",
        }
    )
    wrk = shutil.which("wrk") or "wrk"
    command = [
        wrk,
        "-t1",
        f"-c{concurrency}",
        f"-d{seconds}s",
        f"--timeout={REQUEST_TIMEOUT:.0f}s",
        "-s",
        str(script),
        f"http://{HOST}:{request.port}{route.path}",
    ]
    # wrk is the only child that ends during the run: the servers are still running.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + REQUEST_TIMEOUT + 30
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = re.search(r"^BENCH_JSON (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    numbers = json.loads(found.group(1))
    return LoadNumbers(
        requests=int(numbers["requests"]),
        seconds=numbers["duration_us"] / 1e6,
        p50_ms=numbers["p50"] / 1e3,
        p95_ms=numbers["p95"] / 1e3,
        p99_ms=numbers["p99"] / 1e3,
        max_ms=numbers["max"] / 1e3,
        unexpected_status=int(numbers["unexpected"]),
        connection_errors=sum(int(numbers[k]) for k in ("connect", "read", "write", "timeout")),
        cpu_seconds=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
    )


# --- the Python client -----------------------------------------------------------------


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    unexpected: int = 0
    errors: int = 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; return its status and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    protocol, status_text = lines[0].split(None, 2)[:2]
    status = int(status_text)
    length: int | None = None
    chunked = False
    keep = protocol == b"HTTP/1.1"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            keep = b"close" not in value
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


async def _client(client: int, request: Request, deadline: float, tally: _Tally) -> None:
    route = request.route
    head = f"{route.method} {route.path} HTTP/1.1\r\nHost: {HOST}:{request.port}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
    plain = (head + "\r\n").encode()
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    n = 0
    while time.monotonic() < deadline:
        if reader is None or writer is None:
            try:
                reader, writer = await asyncio.open_connection(HOST, request.port)
            except OSError:
                tally.errors += 1
                await asyncio.sleep(0.05)
                continue
        data = plain
        if route.pledge_body:
            n += 1
            body = pledge_json(request.tag, client, n)
            data = (
                head + f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
        start = time.perf_counter()
        try:
            writer.write(data)
            status, keep = await asyncio.wait_for(_read_response(reader), REQUEST_TIMEOUT)
        except (OSError, ValueError, IndexError, TimeoutError, asyncio.IncompleteReadError):
            tally.errors += 1
            writer.close()
            reader = writer = None
            continue
        if time.monotonic() <= deadline:
            tally.latencies.append(time.perf_counter() - start)
            if status != route.expect:
                tally.unexpected += 1
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _drive(request: Request, concurrency: int, seconds: int) -> tuple[_Tally, float]:
    tally = _Tally()
    start = time.monotonic()
    deadline = start + seconds
    await asyncio.gather(*(_client(i, request, deadline, tally) for i in range(concurrency)))
    return tally, min(time.monotonic(), deadline) - start


def percentile(ordered: list[float], pct: float) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def run_python(request: Request, concurrency: int, seconds: int) -> LoadNumbers:
    """Run the asyncio client in this process; return its numbers."""
    cpu_before = time.process_time()
    tally, elapsed = asyncio.run(_drive(request, concurrency, seconds))
    cpu = time.process_time() - cpu_before
    ordered = sorted(x * 1e3 for x in tally.latencies)
    return LoadNumbers(
        requests=len(ordered),
        seconds=elapsed,
        p50_ms=percentile(ordered, 50),
        p95_ms=percentile(ordered, 95),
        p99_ms=percentile(ordered, 99),
        max_ms=ordered[-1] if ordered else 0.0,
        unexpected_status=tally.unexpected,
        connection_errors=tally.errors,
        cpu_seconds=cpu,
    )
