"""Who may frame the widget page: any site by default, or the configured origins."""

from __future__ import annotations

import re
from collections.abc import Iterable

from advocacy.web.security import content_security_policy

# An origin as frame-ancestors takes it: scheme, host (a leading "*." for subdomains),
# optional port; no path.
ORIGIN_PATTERN = re.compile(
    r"^https?://(\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"(?::[0-9]{1,5})?$"
)


def parse_origins(setting: str | Iterable[str]) -> tuple[str, ...]:
    """Return the origins in a space- or comma-separated setting; raise ValueError on a bad one."""
    items = re.split(r"[\s,]+", setting) if isinstance(setting, str) else list(setting)
    origins: list[str] = []
    for item in items:
        origin = item.strip().rstrip("/").lower()
        if not origin:
            continue
        if not ORIGIN_PATTERN.match(origin):
            raise ValueError(f"{item!r} is not an origin such as https://partner.org")
        origins.append(origin)
    return tuple(dict.fromkeys(origins))


def widget_policy(setting: str | Iterable[str]) -> str:
    """Return the widget page's Content-Security-Policy: the site's, framable as configured."""
    origins = parse_origins(setting)
    return content_security_policy(" ".join(origins) if origins else "*")
