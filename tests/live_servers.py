"""The production server (granian, as the README runs it) started by a test, and a plain
HTTP client that says how long each answer took."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import ssl
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contact_keys import HASH_KEY, PUBLIC_KEY

from advocacy.bench.server import ServerConfig, free_port, running_server, wait_ready

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
# Nothing listens there: no test reaches the Census.
UNREACHABLE_GEOCODER = "http://127.0.0.1:9/geocoder"


def app_environment(instance: Path, database_url: str, **settings: str) -> dict[str, str]:
    """The server's environment: none of the caller's ADVOCACY_*, these settings instead."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")}
    env.update(
        ADVOCACY_SECRET_KEY=secrets.token_hex(32),
        # The tests' keys (tests/contact_keys.py): a test reads what the server hashed and sealed.
        ADVOCACY_HASH_KEY=HASH_KEY,
        ADVOCACY_CONTACT_PUBLIC_KEY=PUBLIC_KEY,
        ADVOCACY_DATABASE_URL=database_url,
        ADVOCACY_INSTANCE_PATH=str(instance),
        ADVOCACY_GEOCODER_URL=UNREACHABLE_GEOCODER,
        ADVOCACY_RATELIMIT_ENABLED="false",
        ADVOCACY_MIN_FILL_SECONDS="0",
    )
    env.update({f"ADVOCACY_{name}": value for name, value in settings.items()})
    return env


@contextmanager
def granian(env: dict[str, str], log: Path, workers: int = 2, threads: int = 4) -> Iterator[int]:
    """Serve wsgi:app with the README's granian command on a free port; yield the port."""
    port = free_port()
    command = ServerConfig("granian", workers, threads).command("wsgi:app", port)
    with running_server(command, port, env, ROOT, log) as server:
        wait_ready(server, "/healthz", timeout=60)
        yield port


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: str
    started: float  # time.monotonic()
    finished: float

    @property
    def seconds(self) -> float:
        return self.finished - self.started


def ask(
    port: int,
    method: str,
    path: str,
    *,
    json_body: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    source: str | None = None,
    tls: ssl.SSLContext | None = None,
    timeout: float = 60.0,
) -> Answer:
    """Send one request on a connection of its own (from `source`, an address on 127/8),
    over TLS with a `tls` context."""
    body: bytes | None = None
    sent = dict(headers or {})
    if json_body is not None:
        body = json.dumps(json_body).encode()
        sent["Content-Type"] = "application/json"
    elif form is not None:
        body = urllib.parse.urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.monotonic()
    address = (source, 0) if source else None
    connection = (
        http.client.HTTPSConnection(
            HOST, port, timeout=timeout, source_address=address, context=tls
        )
        if tls is not None
        else http.client.HTTPConnection(HOST, port, timeout=timeout, source_address=address)
    )
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        found = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, found, text, started, time.monotonic())
    finally:
        connection.close()
