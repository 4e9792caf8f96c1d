"""US Census Geocoder client: an address to the congressional district on the sitting map.

Errors: `GeocoderUnavailableError` when the service gave no usable answer (timeout,
connection error, 5xx, an HTML page, malformed JSON, an unexpected shape); `WrongMapError`
when it answered, promptly and well formed, but on another Congress's district map;
`GeocoderBusyError` when as many look-ups as the client allows are already waiting on it;
plain `GeocoderError` when it refused the request (4xx) or the caller asked for something
we cannot do. "No match" is not an error: `geocode` returns None.

How long anyone waits on it. A look-up waits at most `deadline` seconds. Only
`max_waiting` look-ups may wait at once in a process: the server's other threads must stay
free for every other page while the Census is slow, so a look-up beyond that is refused at
once (`GeocoderBusyError`) and answered from the ZIP code by the caller. A look-up's place
is kept until its fetch has really finished, not only until the look-up stopped waiting:
otherwise fetches stuck in a slowly arriving answer would pile up behind the bound, and
look-ups after the Census recovered would queue behind them. At the deadline the waiting
look-up shuts the socket of an answer still arriving, which ends the fetch.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import requests

from advocacy.congress.calendar import ordinal
from advocacy.congress.states import STATE_BY_FIPS

DEFAULT_BASE_URL = "https://geocoding.geo.census.gov/geocoder"
BENCHMARK = "Public_AR_Current"
# Short: the Census answers in well under a second when it is healthy, and the supporter
# waits on this before the ZIP fallback.
DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 5.0)

# The vintage whose congressional layer is each Congress's map (see the reference notes).
# Pinned per Congress: the default Current_Current has answered either map minutes apart.
VINTAGES: Mapping[int, str] = {119: "ACS2025_Current", 120: "ACS2026_Current"}
# For a Congress with no pinned vintage (the 121st, until the Census names one): the
# service's default. It may answer another Congress's map, but parse_geographies checks the
# layer and CDSESSN, so such an answer is a WrongMapError and never taken for this map.
DEFAULT_VINTAGE = "Current_Current"

# How many look-ups may wait on the geocoder at once in a process: half the production
# server's four threads per worker (README, Deployment), so two are always free.
DEFAULT_MAX_WAITING = 2

# An answer is a few KB; a much larger one is not the geocoder's.
MAX_ANSWER_BYTES = 1024 * 1024

LAYER_PATTERN = re.compile(r"^(\d+)(st|nd|rd|th) Congressional Districts$")
NON_VOTING_CODE = "98"  # DC's delegate and Puerto Rico's resident commissioner
AT_LARGE_CODE = "00"
WATER_CODE = "ZZ"


class GeocoderError(Exception):
    """The geocoder could not give a district for the address."""


class GeocoderUnavailableError(GeocoderError):
    """The geocoder gave no usable answer: down, slow, garbled, or on another map."""


class GeocoderBusyError(GeocoderError):
    """As many look-ups as allowed are waiting on the geocoder: this one was not sent.

    Not an outage: the service may be answering well, only not to this many of our
    look-ups at once, so callers should not pause it.
    """


class WrongMapError(GeocoderError):
    """The geocoder answered with another Congress's map than the one asked for.

    Not an outage: the service answered, quickly, and may answer on the right map the next
    time (it has been seen flipping minutes apart), so callers should not pause it.
    """


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """Where an address lies: state, district (0 at-large or non-voting, None in water)."""

    state: str
    district: int | None
    matched_address: str
    congress: int


def layer_name(congress: int) -> str:
    """Return the Census layer name of a Congress's districts."""
    return f"{ordinal(congress)} Congressional Districts"


def vintage_for(congress: int, vintages: Mapping[int, str] = VINTAGES) -> str:
    """Return the Census vintage to ask for this Congress's map: pinned, else the default."""
    return vintages.get(congress, DEFAULT_VINTAGE)


def _unavailable(why: str) -> GeocoderUnavailableError:
    return GeocoderUnavailableError(f"Census geocoder: {why}")


def parse_geographies(payload: Any, congress: int) -> GeocodeResult | None:
    """Read the first address match's district from a geographies answer; None if no match."""
    try:
        matches = payload["result"]["addressMatches"]
    except (KeyError, TypeError):
        raise _unavailable("answer has no result.addressMatches") from None
    if not isinstance(matches, list):
        raise _unavailable("answer's addressMatches is not a list")
    if not matches:
        return None
    match = matches[0]
    geographies = match.get("geographies") if isinstance(match, dict) else None
    if not isinstance(geographies, dict):
        raise _unavailable("address match has no geographies")
    layers = {
        int(found[1]): value
        for key, value in geographies.items()
        if (found := LAYER_PATTERN.match(key))
    }
    if not layers:
        # No district map at all is a garbled answer, not another Congress's map.
        raise _unavailable("address match has no congressional districts layer")
    if congress not in layers:
        seen = ", ".join(ordinal(n) for n in sorted(layers))
        raise WrongMapError(
            f"Census geocoder: asked for the {ordinal(congress)} Congress map, got: {seen}"
        )
    entries = layers[congress]
    if not isinstance(entries, list) or not entries or not isinstance(entries[0], dict):
        raise _unavailable(f"{layer_name(congress)} layer is empty")
    district_info = entries[0]
    session = district_info.get("CDSESSN")
    if session is not None and str(session) != str(congress):
        raise WrongMapError(
            f"Census geocoder: asked for the {ordinal(congress)} Congress map, CDSESSN {session}"
        )
    geoid = district_info.get("GEOID")
    if not isinstance(geoid, str) or len(geoid) != 4:
        raise _unavailable(f"unexpected GEOID {geoid!r}")
    state = STATE_BY_FIPS.get(geoid[:2])
    if state is None:
        raise _unavailable(f"unknown state FIPS code in GEOID {geoid!r}")
    code = geoid[2:]
    district: int | None
    if code == WATER_CODE:
        district = None
    elif code in (AT_LARGE_CODE, NON_VOTING_CODE):
        district = 0
    elif code.isdigit():
        district = int(code)
    else:
        raise _unavailable(f"unexpected district code in GEOID {geoid!r}")
    matched = match.get("matchedAddress")
    return GeocodeResult(
        state=state,
        district=district,
        matched_address=matched if isinstance(matched, str) else "",
        congress=congress,
    )


Answer = tuple[int, str, bytes]  # status, content type, body


class _Reading:
    """The answer a fetch is reading, for the look-up waiting on it to cut off at its deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._response: requests.Response | None = None
        self._cut = False

    def attach(self, response: requests.Response) -> bool:
        """Keep the answer being read; False if the look-up has already given up on it."""
        with self._lock:
            if self._cut:
                return False
            self._response = response
            return True

    def detach(self) -> None:
        """Forget the answer: the fetch is done with it (and may give its connection back)."""
        with self._lock:
            self._response = None

    def cut(self) -> None:
        """End the fetch: shut the socket of an answer still arriving, refuse a later one."""
        with self._lock:
            self._cut = True
            response = self._response
            if response is None:
                return
            # Under the lock: a detached answer's connection may already serve another fetch.
            try:
                # urllib3 2.3+: a read blocked in another thread returns at once.
                response.raw.shutdown()
            except (AttributeError, ValueError, RuntimeError, OSError):
                response.close()  # the next read fails instead


class CensusGeocoder:
    """Ask the Census Geocoder which congressional district an address lies in."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        vintages: Mapping[int, str] | None = None,
        max_waiting: int = DEFAULT_MAX_WAITING,
    ) -> None:
        """Set up the client; vintages pins more Congresses' vintages, or overrides VINTAGES."""
        # Added to the shipped pins rather than replacing them: an operator who learns the
        # 121st's vintage should not have to restate the 119th's and 120th's.
        pinned = {**VINTAGES, **(vintages or {})}
        for congress, vintage in pinned.items():
            if not isinstance(congress, int) or congress < 1:
                raise ValueError(f"a vintage's Congress must be a positive number: {congress!r}")
            if not isinstance(vintage, str) or not vintage.strip():
                raise ValueError(f"the {ordinal(congress)} Congress's vintage is empty")
        if isinstance(max_waiting, bool) or not isinstance(max_waiting, int) or max_waiting < 1:
            raise ValueError(f"max_waiting must be a positive whole number: {max_waiting!r}")
        self._vintages = {congress: vintage.strip() for congress, vintage in pinned.items()}
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        # requests' timeouts bound each socket read, not the call: a server trickling a
        # byte a second would hold the supporter for minutes. The call runs in a small
        # pool of its own and the supporter waits at most `deadline` seconds for it.
        read = timeout if isinstance(timeout, int | float) else timeout[1]
        self._deadline = float(deadline if deadline is not None else read)
        self._max_waiting = max_waiting
        self._in_use = 0
        self._places = threading.Lock()
        # One thread per place: a fetch holds its place until it has finished, so a fetch
        # never queues behind another in the pool.
        self._pool = ThreadPoolExecutor(max_workers=max_waiting, thread_name_prefix="geocoder")

    @property
    def vintages(self) -> dict[int, str]:
        """Return each pinned Congress's vintage; any other Congress asks DEFAULT_VINTAGE."""
        return dict(self._vintages)

    @property
    def max_waiting(self) -> int:
        """Return how many look-ups may wait on the geocoder at once."""
        return self._max_waiting

    @property
    def in_use(self) -> int:
        """Return the places taken: look-ups waiting, and fetches still ending after theirs."""
        with self._places:
            return self._in_use

    def geocode(
        self,
        street: str,
        city: str | None = None,
        state: str | None = None,
        zip: str | None = None,  # shadows the builtin to match the form and API field name
        *,
        congress: int,
    ) -> GeocodeResult | None:
        """Return the district of a street address on a Congress's map; None if no match."""
        if not street or not street.strip():
            raise GeocoderError("a street address is required")
        fields = {"street": street, "city": city, "state": state, "zip": zip}
        params = {k: v.strip() for k, v in fields.items() if v and v.strip()}
        return self._query("geographies/address", params, congress)

    def geocode_oneline(self, address: str, *, congress: int) -> GeocodeResult | None:
        """Return the district of a one-line address on a Congress's map; None if no match."""
        if not address or not address.strip():
            raise GeocoderError("an address is required")
        return self._query("geographies/onelineaddress", {"address": address.strip()}, congress)

    def _take_place(self) -> bool:
        with self._places:
            if self._in_use >= self._max_waiting:
                return False
            self._in_use += 1
            return True

    def _give_place_back(self, _fetch: object = None) -> None:
        with self._places:
            self._in_use -= 1

    def _query(self, endpoint: str, params: dict[str, str], congress: int) -> GeocodeResult | None:
        if not self._take_place():
            raise GeocoderBusyError(
                f"Census geocoder: {self._max_waiting} look-ups already waiting on it"
            )
        # The look-up's last fetch; the place goes back once it has finished.
        fetches: list[Future[Answer]] = []
        try:
            deadline = time.monotonic() + self._deadline
            try:
                return self._ask(endpoint, params, congress, deadline, fetches)
            except WrongMapError:
                # The service has been seen answering another map minutes apart for the same
                # request: one more try before the supporter is sent to the ZIP fallback.
                if time.monotonic() >= deadline:
                    raise
                return self._ask(endpoint, params, congress, deadline, fetches)
        finally:
            if fetches:
                # Run at once if the fetch is done, else by its thread when it ends.
                fetches[-1].add_done_callback(self._give_place_back)
            else:
                self._give_place_back()

    def _ask(
        self,
        endpoint: str,
        params: dict[str, str],
        congress: int,
        deadline: float,
        fetches: list[Future[Answer]],
    ) -> GeocodeResult | None:
        params = {
            **params,
            "benchmark": BENCHMARK,
            "vintage": vintage_for(congress, self._vintages),
            "layers": layer_name(congress),
            "format": "json",
        }
        url = f"{self._base_url}/{endpoint}"
        reading = _Reading()
        try:
            future = self._pool.submit(self._fetch, url, params, deadline, reading)
        except RuntimeError:  # the pool is shut down (the app is stopping)
            raise _unavailable("not accepting requests") from None
        fetches.append(future)
        try:
            status, content_type, body = future.result(
                timeout=max(0.0, deadline - time.monotonic())
            )
        except FutureTimeout:
            future.cancel()
            reading.cut()
            raise _unavailable(f"no answer within {self._deadline:g} s") from None
        if status >= 500:
            raise _unavailable(f"HTTP {status}")
        if status >= 400:
            raise GeocoderError(f"Census geocoder: refused, HTTP {status}")
        try:
            payload = json.loads(body)
        except ValueError:
            html = "html" in content_type or body.lstrip()[:1] == b"<"
            raise _unavailable(
                f"answered with {'an HTML page' if html else 'malformed JSON'}"
            ) from None
        return parse_geographies(payload, congress)

    def _fetch(
        self, url: str, params: dict[str, str], deadline: float, reading: _Reading
    ) -> Answer:
        """Return the answer's status, content type and body, read until the deadline."""
        # "from None" throughout: requests' messages and tracebacks carry the URL, whose
        # query string is the supporter's address, and an address must not reach the logs.
        try:
            with self._session.get(url, params=params, timeout=self._timeout, stream=True) as r:
                # Until the headers have come, only the per-read timeout bounds the fetch; from
                # here the waiting look-up can cut the answer off at its deadline.
                if not reading.attach(r):
                    raise _unavailable("answer began after the deadline")
                try:
                    chunks, size = [], 0
                    for chunk in r.iter_content(chunk_size=8192):
                        size += len(chunk)
                        if time.monotonic() > deadline:
                            raise _unavailable("answer still arriving at the deadline")
                        if size > MAX_ANSWER_BYTES:
                            raise _unavailable("answer too large")
                        chunks.append(chunk)
                finally:
                    reading.detach()
                return r.status_code, r.headers.get("Content-Type", ""), b"".join(chunks)
        except requests.Timeout:
            raise _unavailable("timed out") from None
        except requests.RequestException as exc:
            raise _unavailable(f"request failed ({type(exc).__name__})") from None
