"""The production server as a subprocess on loopback: its command, settings, life and CPU."""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from nacl.public import PrivateKey

HOST = "127.0.0.1"  # the only address the benchmark sends traffic to
APP_TARGET = "wsgi:app"  # the README's production entry point
BASELINE_TARGET = "advocacy.bench.baseline:app"
STOP_TIMEOUT = 15


class ServerError(RuntimeError):
    """The server did not start or answer."""


SERVERS = ("granian", "gunicorn")


@dataclass(frozen=True)
class ServerConfig:
    """The production server's settings (README, Deployment), the same for both apps."""

    name: str  # "granian" (production) or "gunicorn" (the README's fallback, sync workers)
    workers: int
    threads: int  # granian's blocking threads per worker; gunicorn sync has one

    def command(self, target: str, port: int) -> list[str]:
        """Return the README's command for this server on loopback, without access logs."""
        if self.name == "gunicorn":
            return [
                executable("gunicorn"),
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "30",
                "--graceful-timeout",
                "30",
                "--no-control-socket",
                "--log-level",
                "warning",
                target,
            ]
        return [
            executable("granian"),
            "--interface",
            "wsgi",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(self.workers),
            "--blocking-threads",
            str(self.threads),
            "--respawn-failed-workers",
            "--workers-kill-timeout",
            "30",
            "--no-ws",
            "--no-access-log",
            "--log-level",
            "warning",
            target,
        ]

    def version(self) -> str:
        try:
            return metadata.version(self.name)
        except metadata.PackageNotFoundError:
            return "?"

    def describe(self) -> str:
        if self.name == "gunicorn":
            return f"gunicorn {self.version()} {self.workers} sync workers"
        return f"granian {self.version()} {self.workers} workers x {self.threads} threads"


def executable(name: str) -> str:
    """Return the console script installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ServerError(f"{name} is not installed (pip install -e .)")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def app_environment(
    instance: Path, database_url: str, geocoder_url: str, threads: int
) -> dict[str, str]:
    """Production settings for a throw-away instance: none of the caller's ADVOCACY_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")}
    env.update(
        ADVOCACY_ENV="production",
        ADVOCACY_SECRET_KEY=secrets.token_hex(32),
        ADVOCACY_HASH_KEY=secrets.token_hex(32),
        # Consenting pledges are sealed as in production; the private half is thrown away.
        ADVOCACY_CONTACT_PUBLIC_KEY=base64.b64encode(
            bytes(PrivateKey.generate().public_key)
        ).decode(),
        ADVOCACY_SESSION_COOKIE_SECURE="false",
        ADVOCACY_RATELIMIT_ENABLED="false",
        ADVOCACY_DATABASE_URL=database_url,
        # The README: keep the server's threads at or under the pool size (default 5).
        ADVOCACY_DATABASE_POOL_SIZE=str(max(5, threads)),
        ADVOCACY_GEOCODER_URL=geocoder_url,
        # Production needs both; the pledges' emails stay in the outbox (no sender runs),
        # and go with the throw-away database.
        ADVOCACY_PUBLIC_URL="https://bench.invalid",
        ADVOCACY_MAIL_SERVER="127.0.0.1",
        ADVOCACY_MAIL_FROM="bench@bench.invalid",
        ADVOCACY_MAIL_SEND_IN_APP="false",
        # No data paths: a fresh instance folder has no downloaded copy, so the server
        # reads the snapshot shipped in the package, as a new install does.
        ADVOCACY_INSTANCE_PATH=str(instance),
    )
    return env


@dataclass(frozen=True)
class RunningServer:
    port: int
    pgid: int  # the server's process group: its master and its workers
    command: tuple[str, ...]
    log: Path


@contextmanager
def running_server(
    command: list[str], port: int, env: dict[str, str], cwd: Path, log: Path
) -> Iterator[RunningServer]:
    """Start the server in a process group of its own; yield it; stop the whole group."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield RunningServer(port, proc.pid, tuple(command), log)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=STOP_TIMEOUT)
        # Workers that outlived their master, if any.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)


def fetch(
    port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 5.0
) -> tuple[int, dict[str, str]]:
    """GET a path from the server; return the status and the headers (lower-case names)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def wait_ready(server: RunningServer, path: str, timeout: float) -> float:
    """Wait until the path answers 200; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            os.killpg(server.pgid, 0)
        except ProcessLookupError:
            break
        with contextlib.suppress(OSError, http.client.HTTPException):
            if fetch(server.port, path)[0] == 200:
                return time.monotonic() - start
        time.sleep(0.1)
    tail = server.log.read_text(errors="replace")[-3000:]
    raise ServerError(f"the server did not answer {path} within {timeout:.0f} s:\n{tail}")


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds so far: the server's processes, PostgreSQL's, the whole machine's busy
    time (counting steal), and the time the hypervisor gave to other machines (steal)."""

    server: dict[int, float]
    database: float
    machine_busy: float
    machine_steal: float


def cpu_sample(pgid: int) -> CpuSample:
    """Read /proc: each live process of the group, every postgres process, the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    server: dict[int, float] = {}
    database = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        name = stat[stat.find("(") + 1 : stat.rfind(")")]
        fields = stat[stat.rfind(")") + 2 :].split()
        # utime + stime + cutime + cstime: reaped children count too (a restarted worker;
        # PostgreSQL backends of closed connections, reaped by the postmaster).
        used = sum(int(x) for x in fields[11:15])
        if int(fields[2]) == pgid:
            server[int(entry)] = used / ticks
        elif name in ("postgres", "postmaster"):
            database += used
    with open("/proc/stat", encoding="ascii") as handle:
        total = [int(x) for x in handle.readline().split()[1:]]
    busy = sum(total[:8]) - total[3] - total[4]  # all but idle and iowait
    return CpuSample(server, database / ticks, busy / ticks, total[7] / ticks)
