"""One way to build the outbound HTTP session: retries for idempotent GETs, our User-Agent."""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER_AGENT = "advocacy/0.1 (+https://github.com/advocacy)"

# (connect, read) in seconds; callers still pass a timeout on every request, since
# requests has no session-wide default and a forgotten timeout hangs a worker.
DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 10.0)

RETRY_STATUSES = frozenset({500, 502, 503, 504})


def build_session(
    user_agent: str = USER_AGENT, retries: int = 2, backoff: float = 0.3
) -> requests.Session:
    """Return a session that retries failed GETs and identifies us to the servers."""
    retry = Retry(
        total=retries,
        connect=retries,
        # A read timeout is not retried: the caller's timeout is its latency budget, and a
        # retry would multiply it. False also keeps requests' ReadTimeout type intact.
        read=False,
        status=retries,
        # Only GET and HEAD: a repeated POST could record something twice upstream.
        allowed_methods=frozenset({"GET", "HEAD"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=backoff,
        # Hand the last 5xx back to the caller instead of raising MaxRetryError, so
        # callers handle "server said no" in one place, by status code.
        raise_on_status=False,
        # A Retry-After of minutes would hold the request far past its timeout.
        respect_retry_after_header=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session
