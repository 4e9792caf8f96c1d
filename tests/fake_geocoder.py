"""The finder's geocoder in process: prepared replies, and a record of what it was asked.

The one in-process stand-in for advocacy's Geocoder (tests/fake_census.py is the other
fake: the Census service itself, on a port, for the app's real HTTP client).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advocacy.representatives.geocoder import GeocodeResult

# An answer, None for "no match", an exception to raise, or a function of the Congress
# whose map was asked for that returns (or raises) one of those.
Reply = GeocodeResult | None | BaseException | Callable[[int], GeocodeResult | None]


class FakeGeocoder:
    """Answers each request with the next of its replies (the last one again once they run
    out), and remembers every request."""

    def __init__(self, *replies: Reply) -> None:
        self.replies: list[Reply] = list(replies) or [None]
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @property
    def answer(self) -> Reply:
        return self.replies[-1]

    @answer.setter
    def answer(self, reply: Reply) -> None:
        """Answer every request from now on with this reply."""
        self.replies = [reply]

    @property
    def congresses(self) -> list[int]:
        """The Congress whose map each request asked for, in order."""
        return [int(fields["congress"]) for _kind, fields in self.calls]

    def geocode(
        self,
        street: str,
        city: str | None = None,
        state: str | None = None,
        zip: str | None = None,
        *,
        congress: int,
    ) -> GeocodeResult | None:
        fields = {"street": street, "city": city, "state": state, "zip": zip}
        return self._reply("address", {**fields, "congress": congress})

    def geocode_oneline(self, address: str, *, congress: int) -> GeocodeResult | None:
        return self._reply("oneline", {"address": address, "congress": congress})

    def _reply(self, kind: str, fields: dict[str, Any]) -> GeocodeResult | None:
        reply = self.replies[min(len(self.calls), len(self.replies) - 1)]
        self.calls.append((kind, fields))
        if callable(reply):
            reply = reply(fields["congress"])
        if isinstance(reply, BaseException):
            raise reply
        return reply
