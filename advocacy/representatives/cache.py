"""Geocoder answers kept in the database, so a repeated address costs no network call."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from advocacy.models import GeocodeCacheEntry, as_utc
from advocacy.representatives.geocoder import GeocodeResult

NON_WORD = re.compile(r"[\W_]+")


def normalize_address(address: str) -> str:
    """Return the address with case, accents of width, punctuation and spacing made uniform."""
    text = unicodedata.normalize("NFKC", address).casefold()
    return " ".join(NON_WORD.sub(" ", text).split())


def cache_key(address: str, congress: int) -> str:
    """Return the key for an address on a Congress's map; the address itself is not stored."""
    return hashlib.sha256(f"{congress}|{normalize_address(address)}".encode()).hexdigest()


class DatabaseGeocodeCache:
    """A GeocodeCache on the geocode_cache table, in short transactions of its own."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        max_age: timedelta,
        no_match_max_age: timedelta = timedelta(days=1),
    ) -> None:
        self._sessions = sessions
        self._max_age = max_age
        self._no_match_max_age = no_match_max_age

    def get(self, address: str, congress: int) -> GeocodeResult | None | Literal["miss"]:
        """Return the remembered answer, None for a remembered no-match, or "miss"."""
        try:
            with self._sessions() as session:
                entry = session.get(GeocodeCacheEntry, cache_key(address, congress))
        except SQLAlchemyError:
            return "miss"  # the cache only saves time; never fail a look-up over it
        if entry is None or as_utc(entry.expires_at) <= datetime.now(UTC):
            return "miss"
        if not entry.matched or entry.state is None:
            return None
        return GeocodeResult(
            state=entry.state,
            district=entry.district,
            matched_address=entry.matched_address or "",
            congress=entry.congress,
        )

    def put(self, address: str, congress: int, result: GeocodeResult | None) -> None:
        """Remember an answer (a match or a definite no-match) until it expires."""
        age = self._max_age if result is not None else self._no_match_max_age
        entry = GeocodeCacheEntry(
            key=cache_key(address, congress),
            congress=congress,
            matched=result is not None,
            state=result.state if result else None,
            district=result.district if result else None,
            matched_address=result.matched_address[:300] if result else None,
            expires_at=datetime.now(UTC) + age,
        )
        try:
            with self._sessions() as session:
                # Expired answers go as new ones arrive; the table never grows unbounded.
                session.execute(
                    sa.delete(GeocodeCacheEntry).where(
                        GeocodeCacheEntry.expires_at < datetime.now(UTC)
                    )
                )
                session.merge(entry)
                session.commit()
        except SQLAlchemyError:
            # Two requests for one new address race to insert it; either answer will do.
            pass
