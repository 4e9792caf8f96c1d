"""Flask-Limiter without its before-request hook (advocacy/web/__init__.py), made safe.

The hook cost every request about 40 µs and applies only app-wide and blueprint limits,
which this app never sets: it is removed, and the settings that would need it are refused
at start. The hook is private to Flask-Limiter: if a version renames it, the removal does
nothing and the 40 µs come back; the first test here fails then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from advocacy import create_app
from advocacy.config import ConfigError

LIMITS_ON = {"RATELIMIT_ENABLED": True, "RATELIMIT_LOOKUP": "2 per minute"}
STATS = "/api/v1/campaigns/uyghur-policy-act"
LOOKUP = "/api/v1/representatives?zip=98105"


def _module_of(hook: Callable[..., Any]) -> str:
    function = getattr(hook, "func", hook)  # functools.partial
    function = getattr(function, "__func__", function)  # a bound method
    return str(getattr(function, "__module__", ""))


def _flask_limiter_hooks(hooks: dict[str | None, list[Callable[..., Any]]]) -> list[str]:
    return [
        f"{blueprint}: {hook!r}"
        for blueprint, functions in hooks.items()
        for hook in functions
        if _module_of(hook).startswith("flask_limiter")
    ]


def test_no_flask_limiter_hook_runs_before_a_request(make_app: Any) -> None:
    app: Flask = make_app(**LIMITS_ON)
    assert _flask_limiter_hooks(app.before_request_funcs) == []
    # The check sees the hook where nobody removed it (whatever its name).
    bare = Flask("bare")
    bare.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    Limiter(key_func=get_remote_address).init_app(bare)
    assert _flask_limiter_hooks(bare.before_request_funcs) != []


def test_limits_on_views_still_apply_and_unlimited_answers_carry_none(make_app: Any) -> None:
    client = make_app(**LIMITS_ON).test_client()
    answers = [client.get(LOOKUP) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[0].headers["X-RateLimit-Limit"] == "2"
    stats = client.get(STATS)
    assert stats.status_code == 200
    assert "X-RateLimit-Limit" not in stats.headers


@pytest.mark.parametrize("key", ["RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION"])
def test_an_app_wide_limit_is_refused_at_start_not_ignored(
    make_app: Any, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    with pytest.raises(ConfigError, match=f"ADVOCACY_{key} is not supported") as refused:
        make_app(**{key: "1 per day"})
    assert "\n" not in str(refused.value)
    # From the environment, as an operator would set it.
    monkeypatch.setenv(f"ADVOCACY_{key}", "1 per day")
    with pytest.raises(ConfigError, match=f"ADVOCACY_{key} is not supported"):
        create_app({"SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://"})


def test_an_empty_app_wide_setting_starts(make_app: Any) -> None:
    assert make_app(RATELIMIT_DEFAULT="", **LIMITS_ON).test_client().get(STATS).status_code == 200
