"""The one cache shape (advocacy.cache): its freshness rules, and caches kept per app."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask

from advocacy import cache as cache_module
from advocacy.cache import Cache


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticker(monkeypatch: pytest.MonkeyPatch) -> Ticker:
    ticker = Ticker()
    monkeypatch.setattr(cache_module.time, "monotonic", ticker)
    return ticker


def test_a_value_is_made_once_and_kept() -> None:
    cache: Cache[str, int] = Cache(max_size=4)
    made: list[str] = []

    def make(key: str) -> int:
        made.append(key)
        return len(key)

    assert cache.get("abc", lambda: make("abc")) == 3
    assert cache.get("abc", lambda: make("abc")) == 3
    assert made == ["abc"]


def test_past_max_size_the_least_recently_used_goes() -> None:
    cache: Cache[str, str] = Cache(max_size=2)
    cache.get("a", lambda: "A")
    cache.get("b", lambda: "B")
    cache.get("a", lambda: "not made")  # a used again: b is now the oldest use
    cache.get("c", lambda: "C")
    assert len(cache) == 2
    assert cache.get("a", lambda: "made again") == "A"
    assert cache.get("b", lambda: "made again") == "made again"


def test_a_value_older_than_max_age_is_made_again(ticker: Ticker) -> None:
    cache: Cache[str, int] = Cache(max_size=4, max_age=1.0)
    cache.get("k", lambda: 1)
    ticker.now += 0.9
    assert cache.get("k", lambda: 2) == 1
    ticker.now += 0.2
    assert cache.get("k", lambda: 3) == 3


def test_without_max_age_a_value_stays_until_evicted(ticker: Ticker) -> None:
    cache: Cache[str, int] = Cache(max_size=4)
    cache.get("k", lambda: 1)
    ticker.now += 10**9
    assert cache.get("k", lambda: 2) == 1


def test_a_value_that_fails_the_fresh_test_is_made_again() -> None:
    cache: Cache[str, tuple[str, int]] = Cache(max_size=4)
    cache.get("k", lambda: ("v1", 1))
    assert cache.get("k", lambda: ("v1", 2), fresh=lambda v: v[0] == "v1") == ("v1", 1)
    assert cache.get("k", lambda: ("v2", 3), fresh=lambda v: v[0] == "v2") == ("v2", 3)
    assert cache.get("k", lambda: ("v2", 4), fresh=lambda v: v[0] == "v2") == ("v2", 3)


def test_none_is_a_value_like_any_other() -> None:
    cache: Cache[str, int | None] = Cache(max_size=4)
    assert cache.get("unknown", lambda: None) is None
    assert cache.get("unknown", lambda: 1) is None


def test_a_make_that_raises_keeps_nothing() -> None:
    cache: Cache[str, int] = Cache(max_size=4)

    def fail() -> int:
        raise LookupError("no such thing")

    with pytest.raises(LookupError):
        cache.get("k", fail)
    assert len(cache) == 0
    assert cache.get("k", lambda: 1) == 1


def test_forget_and_forget_where_drop_values() -> None:
    cache: Cache[tuple[str, int], str] = Cache(max_size=8)
    for slug in ("one", "two"):
        for n in range(3):
            cache.get((slug, n), lambda slug=slug, n=n: f"{slug}{n}")
    cache.forget(("one", 0))
    cache.forget(("absent", 0))
    assert len(cache) == 5
    cache.forget_where(lambda key: key[0] == "two")
    assert len(cache) == 2
    cache.clear()
    assert len(cache) == 0


def test_threads_sharing_a_cache_never_exceed_its_size() -> None:
    cache: Cache[int, int] = Cache(max_size=50)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(2000):
                key = (n * 7 + offset) % 120
                assert cache.get(key, lambda key=key: key * 2) == key * 2
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(cache) <= 50


def test_a_cache_refuses_to_hold_nothing() -> None:
    with pytest.raises(ValueError):
        Cache(max_size=0)


# --- kept per app ----------------------------------------------------------------------------


def test_each_app_keeps_its_own_zip_answers_and_counts(make_app: Any) -> None:
    first: Flask = make_app()
    second: Flask = make_app()
    assert first.test_client().get("/api/v1/representatives?zip=98105").status_code == 200
    assert first.test_client().get("/api/v1/campaigns/uyghur-policy-act").status_code == 200
    for app in (first, second):
        assert isinstance(app.extensions["advocacy.finder"].zip_answers, Cache)
        assert isinstance(app.extensions["advocacy.stats_cache"], Cache)
    assert len(first.extensions["advocacy.finder"].zip_answers) == 1
    assert len(first.extensions["advocacy.stats_cache"]) == 1
    assert len(second.extensions["advocacy.finder"].zip_answers) == 0
    assert len(second.extensions["advocacy.stats_cache"]) == 0


def test_the_pledge_form_and_the_api_share_one_zip_answer(app: Flask) -> None:
    from advocacy.representatives.inputs import Address
    from advocacy.representatives.service import find_members, zip_answer

    body = app.test_client().get("/api/v1/representatives?zip=98105").get_data()
    with app.test_request_context():
        lookup = find_members(Address(zip5="98105"))
        answer = zip_answer("98105")
    assert len(app.extensions["advocacy.finder"].zip_answers) == 1
    assert answer.lookup is lookup
    assert answer.json == body
