"""A local stand-in for the Census geocoder, so a benchmark run never leaves the machine."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# What the Census geocoder answers for an address it cannot match.
NO_MATCH = b'{"result": {"input": {}, "addressMatches": []}}'


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # the name http.server calls
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(NO_MATCH)))
        self.end_headers()
        self.wfile.write(NO_MATCH)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the benchmark prints its own report


@contextmanager
def fake_geocoder() -> Iterator[str]:
    """Serve "no match" to every request on a free loopback port; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fake-geocoder", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/geocoder"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
