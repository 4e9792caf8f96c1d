"""A stand-in for the US Census Geocoder: recorded answers, on the map the vintage draws.

Like the real service, the vintage decides the map and the layer asked for is ignored:
ACS2025_Current answers on the 119th Congress's map, ACS2026_Current on the 120th's, and
the default Current_Current (or any vintage it does not know) on whichever map
`current_current` says (it has been seen answering either; set it to 121 to stand for a
later Congress with no pinned vintage). The recorded answers are on the 119th map; for
later Congresses they are relabelled, except where the address moved district (1100
Congress Ave, Austin: TX-37 on the 119th map, TX-10 on the 120th and after), which has its
own recorded 120th answer.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from data_files import geocoder_payload, geocoder_text

from advocacy.congress.calendar import ordinal

LAYER = re.compile(r"^(\d+)(st|nd|rd|th) Congressional Districts$")

# Which recorded answer a street gets; any other street is not matched.
ANSWERS_BY_STREET = {
    "400 broad st": "match_seattle",
    "1100 congress ave": "match_austin",
    "1600 pennsylvania ave nw": "dc",
    "2600 fairview ave e": "water",
    "200 w 24th st": "at_large_wyoming",
}

# On the 120th map, where the 119th answer would be wrong.
ANSWERS_ON_120 = {"match_austin": "wrong_congress_120"}
VINTAGE_CONGRESS = {"ACS2025_Current": 119, "ACS2026_Current": 120}

Mode = Literal["ok", "error500", "html", "slow", "trickle"]


def other_map(congress: int) -> int:
    """Return the map a flipping service answers with instead: the other of the 119th and
    120th, or for a later Congress the one before it."""
    return 239 - congress if congress in (119, 120) else congress - 1


def answer_on_map(stem: str, congress: int, vintage: str) -> dict[str, Any]:
    """Return the recorded answer for a street as the vintage's map draws it."""
    payload = answer_for(ANSWERS_ON_120.get(stem, stem) if congress >= 120 else stem, "")
    for match in payload["result"]["addressMatches"]:
        geographies = match["geographies"]
        for key in [k for k in geographies if LAYER.match(k)]:
            entries = geographies.pop(key)
            for entry in entries:
                entry["CDSESSN"] = str(congress)
            geographies[f"{ordinal(congress)} Congressional Districts"] = entries
    payload["result"].setdefault("input", {})["vintage"] = {"vintageName": vintage}
    return payload


def answer_for(stem: str, layer: str) -> dict[str, Any]:
    """Return a recorded answer relabelled to the congressional layer the request asked for."""
    payload = copy.deepcopy(geocoder_payload(stem))
    found = LAYER.match(layer)
    if found is None:
        return payload
    for match in payload["result"]["addressMatches"]:
        geographies = match["geographies"]
        for key in [k for k in geographies if LAYER.match(k)]:
            entries = geographies.pop(key)
            for entry in entries:
                entry["CDSESSN"] = found[1]
            geographies[layer] = entries
    return payload


def stem_for_query(path: str, query: dict[str, list[str]]) -> str:
    """Choose the recorded answer by the street (or the start of a one-line address)."""
    if path.endswith("/onelineaddress"):
        street = query.get("address", [""])[0].split(",")[0]
    else:
        street = query.get("street", [""])[0]
    key = " ".join(street.lower().replace(".", " ").split())
    return ANSWERS_BY_STREET.get(key, "no_match")


@dataclass
class FakeCensus:
    """What the fake has been asked, and how it should answer next."""

    port: int = 0
    mode: Mode = "ok"
    slow_seconds: float = 3.0
    # The map the default vintage answers with, and how many answers come on the other map
    # whatever the vintage (the flip seen in the real service).
    current_current: int = 120
    wrong_map_answers: int = 0
    requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    # Requests being answered now, and the most seen at once.
    active: int = 0
    most_active: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/geocoder"


def _handler(fake: FakeCensus) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            with fake.lock:
                fake.requests.append((url.path, query))
                fake.active += 1
                fake.most_active = max(fake.most_active, fake.active)
            try:
                self._answer(url.path, query)
            except OSError:
                pass  # the app gave up waiting (the slow mode) and closed the connection
            finally:
                with fake.lock:
                    fake.active -= 1

        def _answer(self, path: str, query: dict[str, list[str]]) -> None:
            if path not in (
                "/geocoder/geographies/address",
                "/geocoder/geographies/onelineaddress",
            ):
                self._send(404, "text/plain", b"not found")
            elif fake.mode == "error500":
                self._send(500, "text/plain", b"Internal Server Error")
            elif fake.mode == "trickle":
                # Headers at once, then a byte at a time: each read is quick, the whole
                # answer never comes.
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                # For 8 s at most, so a client without a deadline fails rather than hangs.
                for _ in range(40):
                    if fake.stopping.wait(0.2):
                        break
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif fake.mode == "html":
                self._send(200, "text/html", geocoder_text("error_page.html").encode())
            else:
                if fake.mode == "slow":
                    fake.stopping.wait(fake.slow_seconds)
                vintage = query.get("vintage", ["Current_Current"])[0]
                congress = VINTAGE_CONGRESS.get(vintage, fake.current_current)
                with fake.lock:
                    if fake.wrong_map_answers > 0:
                        fake.wrong_map_answers -= 1
                        congress = other_map(congress)
                payload = answer_on_map(stem_for_query(path, query), congress, vintage)
                self._send(200, "application/json", json.dumps(payload).encode())

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    return Handler


@contextmanager
def running_fake_census() -> Iterator[FakeCensus]:
    """Serve a FakeCensus on 127.0.0.1 on a free port until the block ends."""
    fake = FakeCensus()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    # Join the request threads on close, so none outlives the test.
    server.daemon_threads = False
    server.block_on_close = True
    fake.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="fake-census",
        daemon=True,
    )
    thread.start()
    try:
        yield fake
    finally:
        fake.stopping.set()  # release a slow answer at once
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
