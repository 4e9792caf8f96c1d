"""Only a few look-ups wait on the geocoder at once; the rest of the site never waits on it.

The fake Census answers over HTTP on this machine (slowly, or a byte at a time), and the
app is served by a server with four threads, as in production (granian, four threads per
worker), so a look-up that waits holds a server thread the way it does there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from data_files import snapshot_clock, snapshot_directory
from fake_census import FakeCensus, running_fake_census
from fake_geocoder import FakeGeocoder
from flask import Flask
from pages import SLUG, submit_pledge
from werkzeug.serving import BaseWSGIServer

from advocacy.config import ConfigError
from advocacy.http import build_session
from advocacy.representatives.finder import RepresentativeFinder
from advocacy.representatives.geocoder import (
    CensusGeocoder,
    GeocoderBusyError,
    GeocodeResult,
    GeocoderUnavailableError,
)
from advocacy.representatives.inputs import LookupInputError

STREET = {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98101"}
# Far more than any page needs, far less than the geocoder's deadline in these tests: a
# route slower than this waited on the geocoder.
QUICK = 1.5


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with running_fake_census() as fake:
        yield fake


def wait_for(condition: Callable[[], bool], within: float, what: str) -> float:
    """Poll until condition holds; return how long it took, or fail after `within` s."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > within:
            raise AssertionError(f"{what}: not within {within} s")
        time.sleep(0.01)
    return time.monotonic() - started


# The client on its own.


def geocoder_for(census: FakeCensus, **options: Any) -> CensusGeocoder:
    return CensusGeocoder(build_session(retries=0), census.base_url, **options)


def ask(geocoder: CensusGeocoder) -> tuple[str, float]:
    """Geocode one address; return what came of it and how long it took."""
    started = time.monotonic()
    try:
        geocoder.geocode("400 Broad St", "Seattle", "WA", "98101", congress=119)
        outcome = "answered"
    except GeocoderBusyError:
        outcome = "busy"
    except GeocoderUnavailableError:
        outcome = "unavailable"
    return outcome, time.monotonic() - started


def test_beyond_the_bound_a_lookup_is_refused_at_once(census: FakeCensus) -> None:
    census.mode = "trickle"
    geocoder = geocoder_for(census, timeout=(2.0, 5.0), deadline=1.5, max_waiting=2)
    start = threading.Barrier(5)

    def together() -> tuple[str, float]:
        start.wait()
        return ask(geocoder)

    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(lambda _: together(), range(5)))
    waited = [elapsed for outcome, elapsed in results if outcome == "unavailable"]
    turned_away = [elapsed for outcome, elapsed in results if outcome == "busy"]
    assert (len(waited), len(turned_away)) == (2, 3), results
    assert all(elapsed >= 1.4 for elapsed in waited)
    assert all(elapsed < 0.5 for elapsed in turned_away)
    # Only two were ever sent: the others never reached the Census.
    assert len(census.requests) == 2
    assert census.most_active == 2


def test_a_trickling_answer_is_cut_off_at_the_deadline(census: FakeCensus) -> None:
    # The fake trickles for 8 s; the deadline is 1 s.
    census.mode = "trickle"
    geocoder = geocoder_for(census, timeout=(2.0, 5.0), deadline=1.0, max_waiting=1)
    outcome, elapsed = ask(geocoder)
    assert outcome == "unavailable"
    assert 0.9 <= elapsed < 1.5
    # The fetch ends with its look-up: its place is free and the connection closed.
    wait_for(lambda: geocoder.in_use == 0, 0.5, "the fetch still holds its place")
    wait_for(lambda: census.active == 0, 1.0, "the Census still sends the answer")
    census.mode = "ok"
    outcome, elapsed = ask(geocoder)
    assert outcome == "answered" and elapsed < QUICK


def test_a_fetch_keeps_its_place_until_its_thread_has_finished(census: FakeCensus) -> None:
    # Headers only after 1.5 s: until they come the fetch cannot be cut off, and only its
    # per-read timeout (5 s) bounds it. The look-up gives up at 0.5 s.
    census.mode, census.slow_seconds = "slow", 1.5
    geocoder = geocoder_for(census, timeout=(2.0, 5.0), deadline=0.5, max_waiting=1)
    assert ask(geocoder)[0] == "unavailable"
    # Nobody waits now, but the fetch is still running: it keeps the place, so a stuck
    # fetch can never pile up beside new ones.
    assert geocoder.in_use == 1
    assert ask(geocoder)[0] == "busy"
    assert len(census.requests) == 1
    # The late answer is dropped as it comes, and the place is free again.
    wait_for(lambda: geocoder.in_use == 0, 2.5, "the late fetch never ended")
    census.mode = "ok"
    assert ask(geocoder)[0] == "answered"
    assert len(census.requests) == 2


def test_the_bound_must_be_a_positive_number() -> None:
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError, match="max_waiting"):
            CensusGeocoder(build_session(retries=0), max_waiting=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["0", "two", "-1", "1.5", True])
def test_the_setting_refuses_anything_but_a_positive_number(
    make_app: Callable[..., Flask], bad: object
) -> None:
    with pytest.raises(ConfigError, match="ADVOCACY_GEOCODER_MAX_WAITING"):
        make_app(GEOCODER_MAX_WAITING=bad)


def test_the_setting_reaches_the_client(make_app: Callable[..., Flask]) -> None:
    app = make_app(GEOCODER_MAX_WAITING="3")
    assert app.config["GEOCODER_MAX_WAITING"] == 3
    assert app.extensions["advocacy.finder"].geocoder.max_waiting == 3


# The finder: a busy geocoder is not a failing one.


def busy_then_answering() -> FakeGeocoder:
    """A geocoder whose places are all taken for the first look-up, then answers."""
    busy = GeocoderBusyError("Census geocoder: 2 look-ups already waiting on it")
    return FakeGeocoder(busy, GeocodeResult("WA", 7, "400 BROAD ST, SEATTLE, WA, 98109", 119))


@dataclass
class RecordingBreaker:
    trips: list[float] = field(default_factory=list)

    def is_open(self) -> bool:
        return bool(self.trips)

    def trip(self, seconds: float) -> None:
        self.trips.append(seconds)


def test_a_busy_geocoder_gives_the_zip_answer_and_pauses_nobody() -> None:
    geocoder, breaker = busy_then_answering(), RecordingBreaker()
    finder = RepresentativeFinder(
        snapshot_directory(), geocoder, clock=snapshot_clock, breaker=breaker
    )
    first = finder.find(street="400 Broad St", state="WA", zip5="98109")
    assert (first.match, first.fallback, first.district) == ("zip", "geocoder_busy", 7)
    assert first.to_api()["fallback"] == "geocoder_busy"
    # The next look-up asks the geocoder as usual.
    second = finder.find(street="400 Broad St", state="WA", zip5="98109")
    assert (second.match, second.fallback) == ("address", None)
    assert breaker.trips == [] and len(geocoder.calls) == 2


def test_a_busy_geocoder_asks_for_the_zip_when_the_address_has_none() -> None:
    finder = RepresentativeFinder(
        snapshot_directory(), busy_then_answering(), clock=snapshot_clock
    )
    with pytest.raises(LookupInputError, match="busy just now. Please add your ZIP code"):
        finder.find_oneline("400 Broad St, Seattle")


# The whole app, served by four threads.


class FourThreads(BaseWSGIServer):
    """A WSGI server with a fixed pool of threads, like granian's --blocking-threads."""

    def __init__(self, app: Flask, threads: int = 4) -> None:
        super().__init__("127.0.0.1", 0, app)
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="server")

    def process_request(self, request: Any, client_address: Any) -> None:
        self.pool.submit(self._serve, request, client_address)

    def _serve(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


@contextmanager
def served(app: Flask) -> Iterator[str]:
    server = FourThreads(app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.pool.shutdown(wait=True)
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Timed:
    name: str
    status: int
    body: Any
    seconds: float


def timed(name: str, method: str, url: str, **kwargs: Any) -> Timed:
    started = time.monotonic()
    response = requests.request(method, url, timeout=30, **kwargs)
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return Timed(name, response.status_code, body, time.monotonic() - started)


def address_lookup(base: str, name: str = "address") -> Timed:
    return timed(name, "POST", f"{base}/api/v1/representatives", json=STREET)


def other_routes(base: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [
        ("healthz", "GET", f"{base}/healthz", {}),
        ("campaign page", "GET", f"{base}/c/{SLUG}", {}),
        ("ZIP look-up", "GET", f"{base}/api/v1/representatives?zip=98105", {}),
        (
            "pledge without street",
            "POST",
            f"{base}/api/v1/campaigns/{SLUG}/pledges",
            {"json": {"name": "Amina Tursun", "email": "amina@example.org", "zip": "98105"}},
        ),
    ]


def test_while_the_census_trickles_the_rest_of_the_site_does_not_wait(
    make_app: Callable[..., Flask], census: FakeCensus
) -> None:
    census.mode = "trickle"
    app = make_app(GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=3, GEOCODER_MAX_WAITING=2)
    with served(app) as base, ThreadPoolExecutor(12) as clients:
        stuck = [clients.submit(address_lookup, base, f"waiting {i}") for i in range(2)]
        wait_for(lambda: census.active == 2, 2.0, "the first look-ups never reached the Census")
        # Everything else at once, address look-ups included, while two wait.
        others = [clients.submit(timed, *route[:3], **route[3]) for route in other_routes(base)]
        more = [clients.submit(address_lookup, base, f"turned away {i}") for i in range(3)]
        answers = [future.result() for future in others + more]
        waited = [future.result() for future in stuck]
    for answer in answers:
        assert answer.status in (200, 202), answer
        assert answer.seconds < QUICK, f"{answer.name} waited {answer.seconds:.1f} s"
    for answer in answers[len(others) :]:
        assert (answer.body["match"], answer.body["fallback"]) == ("zip", "geocoder_busy")
    for answer in waited:
        assert answer.status == 200 and answer.seconds >= 2.9
        assert (answer.body["match"], answer.body["fallback"]) == ("zip", "geocoder_unavailable")
    # Only the two ever waited on the Census, or reached it.
    assert len(census.requests) == 2 and census.most_active == 2


def test_after_the_census_recovers_there_is_no_second_stall(
    make_app: Callable[..., Flask], census: FakeCensus
) -> None:
    census.mode = "trickle"
    app = make_app(GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=2, GEOCODER_MAX_WAITING=2)
    holder = app.extensions["advocacy.finder"]
    # No pause after the failure: the look-ups after recovery go to the Census, as they
    # would once the breaker's 30 s are over.
    holder.get().pause_after_failure = 0.0
    with served(app) as base, ThreadPoolExecutor(8) as clients:
        # A burst of look-ups while the Census trickles (it goes on for 8 s).
        burst = [clients.submit(address_lookup, base, f"burst {i}") for i in range(6)]
        first = [future.result() for future in burst]
        assert (
            sorted(a.body["fallback"] for a in first)
            == ["geocoder_busy"] * 4 + ["geocoder_unavailable"] * 2
        )
        # The fetches stuck in the trickle end with their look-ups, not when it stops.
        wait_for(lambda: holder.geocoder.in_use == 0, 0.5, "stuck fetches kept their places")
        census.mode = "ok"
        after = [clients.submit(address_lookup, base, f"after {i}") for i in range(4)]
        others = [clients.submit(timed, *route[:3], **route[3]) for route in other_routes(base)]
        answers = [future.result() for future in after + others]
    for answer in answers:
        assert answer.status in (200, 202), answer
        assert answer.seconds < QUICK, f"{answer.name} waited {answer.seconds:.1f} s"
    fallbacks = [answer.body["fallback"] for answer in answers[:4]]
    assert set(fallbacks) <= {None, "geocoder_busy"}
    assert fallbacks.count(None) >= 2  # the Census answered them: matched by address
    # The burst's two, then one each for those that went to the Census; no more.
    assert len(census.requests) == 2 + fallbacks.count(None)


def test_a_supporter_turned_away_is_told_the_address_service_is_busy(
    make_app: Callable[..., Flask], census: FakeCensus
) -> None:
    census.mode = "trickle"
    app = make_app(GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=3, GEOCODER_MAX_WAITING=1)
    with ThreadPoolExecutor(1) as other:
        waiting = other.submit(app.test_client().post, "/api/v1/representatives", json=STREET)
        wait_for(lambda: census.active == 1, 2.0, "the first look-up never reached the Census")
        client = app.test_client()
        started = time.monotonic()
        response = submit_pledge(client, **STREET)
        assert response.status_code == 303, response.get_data(as_text=True)
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert time.monotonic() - started < QUICK
        assert waiting.result().get_json()["fallback"] == "geocoder_unavailable"
    assert "The US Census address service is busy right now, so we used your ZIP code" in html
    assert "try your street address again below in a few minutes" in html
    assert len(census.requests) == 1
