"""The app's representative finder: data files, geocoder and breaker wired from settings."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from flask import Flask, current_app

from advocacy.clock import system_clock
from advocacy.congress.maps import MapTable, load_map_table
from advocacy.http import build_session
from advocacy.representatives import datafiles
from advocacy.representatives.breaker import breaker_for
from advocacy.representatives.directory import Directory, DirectoryError, Roster
from advocacy.representatives.geocoder import DEFAULT_BASE_URL, CensusGeocoder
from advocacy.representatives.lookup import (
    Address,
    Lookup,
    LookupInputError,
    RepresentativeFinder,
)

log = logging.getLogger(__name__)

__all__ = [
    "Lookup",
    "LookupInputError",
    "ZipAnswers",
    "choose_seat",
    "find_members",
    "get_finder",
    "lookup_from_record",
]

# How often a running process looks for data files replaced by `advocacy data refresh`.
RELOAD_CHECK_SECONDS = 300.0
# After the data could not be loaded, how long before trying again.
RETRY_LOAD_SECONDS = 60.0

AnswerT = TypeVar("AnswerT")


class RepresentativesUnavailableError(RuntimeError):
    """The member and district data cannot be loaded (a configured file missing or broken)."""


def data_locations(app: Flask) -> list[datafiles.DataLocation]:
    """Return where the app's data files are: configured, downloaded, or shipped."""
    config = app.config
    return datafiles.locations(
        app.instance_path,
        config["LEGISLATORS_PATH"],
        config["ZCTA_PATH"],
        legislators_url=config["LEGISLATORS_URL"] or datafiles.LEGISLATORS_URL,
        zcta_url=config["ZCTA_URL"] or datafiles.ZCTA_URL,
        zcta_congress=config["ZCTA_CONGRESS"],
        snapshot=Path(config["SNAPSHOT_PATH"] or datafiles.SNAPSHOT_DIR),
    )


def map_table(app: Flask) -> MapTable:
    """Return the changed-states table the app uses: MAP_CHANGES_PATH, or the shipped one."""
    path = app.config.get("MAP_CHANGES_PATH")
    return load_map_table(Path(path)) if path else load_map_table()


class FinderHolder:
    """Builds the finder once per process and rebuilds it when the data files change."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.places = data_locations(app)
        self.maps = map_table(app)
        # One quick try: a supporter is waiting, and the ZIP answers if the geocoder cannot.
        # No cache of its answers: see RepresentativeFinder.
        self.geocoder = CensusGeocoder(
            build_session(retries=0),
            config["GEOCODER_URL"] or DEFAULT_BASE_URL,
            timeout=(2.0, float(config["GEOCODER_TIMEOUT"])),
            deadline=float(config["GEOCODER_TIMEOUT"]),
            vintages=config["GEOCODER_VINTAGES"],
            max_waiting=config["GEOCODER_MAX_WAITING"],
        )
        # Read at each call, so a test or a rehearsal can move the clock of a running app.
        self.clock = lambda: (app.config.get("CLOCK") or system_clock)()
        self.breaker = breaker_for(
            str(config["RATELIMIT_STORAGE_URI"]), str(config.get("RATELIMIT_KEY_PREFIX") or "")
        )
        self._finder: RepresentativeFinder | None = None
        self._stamp: tuple[tuple[str, float], ...] | None = None
        self._checked = 0.0
        self._retry_after = 0.0
        self._last_error = ""
        self._lock = threading.Lock()

    def get(self) -> RepresentativeFinder:
        """Return the finder, loading the data on first use."""
        now = time.monotonic()
        finder = self._finder
        if finder is not None and now - self._checked < RELOAD_CHECK_SECONDS:
            return finder
        with self._lock:
            if self._finder is None and now < self._retry_after:
                raise RepresentativesUnavailableError(self._last_error)
            self._checked = now
            stamp = self._file_stamp()
            if self._finder is None or stamp != self._stamp:
                try:
                    self._finder = self._load()
                except RepresentativesUnavailableError as error:
                    # Supporters should not each wait for a failing download.
                    self._retry_after = now + RETRY_LOAD_SECONDS
                    self._last_error = str(error)
                    if self._finder is None:
                        raise
                    log.error("keeping the loaded member data: %s", error)
                # The stamp read before loading: a refresh that lands mid-load is
                # picked up at the next check instead of being taken as loaded.
                self._stamp = stamp if stamp is not None else self._file_stamp()
            return self._finder

    def _file_stamp(self) -> tuple[tuple[str, float], ...] | None:
        """Return which copies are in use and when each was written."""
        try:
            return tuple(_stamp(place.in_use()[0]) for place in self.places)
        except OSError:
            return None

    def _load(self) -> RepresentativeFinder:
        members_place, zip_place = self.places
        legislators = members_place.in_use()[0]
        # The shipped tables stay at hand: for states whose lines the table in use does
        # not draw right for the sitting Congress (Missouri's, say), one of them may.
        shipped = datafiles.snapshot_zip_tables(zip_place.snapshot)
        zcta, origin = zip_place.in_use()
        try:
            congress = datafiles.zip_table_congress(zip_place)
        except datafiles.DataFileError as error:
            if origin == "snapshot":
                raise RepresentativesUnavailableError(str(error)) from error
            # A table whose map nobody can name would pair districts with the wrong
            # members: the shipped tables answer instead (data status says so).
            log.error("not using the ZIP table %s: %s", zcta, error)
            congress, zcta = next(iter(shipped.items()))
        more = {c: path for c, path in shipped.items() if c != congress}
        try:
            directory = _load_directory(legislators, zcta, congress, more)
        except (DirectoryError, OSError) as error:
            raise RepresentativesUnavailableError(str(error)) from error
        return RepresentativeFinder(
            directory,
            self.geocoder,
            clock=self.clock,
            maps=self.maps,
            breaker=self.breaker,
        )


def _stamp(path: Path) -> tuple[str, float]:
    return str(path), path.stat().st_mtime


_directories: dict[tuple[object, ...], Directory] = {}
_directories_lock = threading.Lock()


def _load_directory(
    legislators_path: Path, zcta_path: Path, zip_congress: int, more_zip_tables: dict[int, Path]
) -> Directory:
    """Load the directory, sharing it between apps in one process while the files are unchanged.

    The directory is read-only, so apps built from the same files (workers reloading,
    tests building many apps) need not parse 1.7 MB again.
    """
    key = (
        _stamp(legislators_path),
        _stamp(zcta_path),
        zip_congress,
        *(_stamp(path) for path in more_zip_tables.values()),
    )
    with _directories_lock:
        directory = _directories.get(key)
        if directory is None:
            directory = Directory.from_files(
                legislators_path,
                zcta_path,
                zip_congress=zip_congress,
                more_zip_tables=more_zip_tables,
            )
            log.info("loaded %d members of Congress", len(directory))
            if len(_directories) >= 4:
                _directories.clear()
            _directories[key] = directory
        return directory


def init_app(app: Flask) -> None:
    """Attach a finder holder to the app; nothing is loaded until first needed."""
    app.extensions["advocacy.finder"] = FinderHolder(app)


def get_finder() -> RepresentativeFinder:
    """Return the current app's finder, or raise RepresentativesUnavailableError."""
    holder: FinderHolder = current_app.extensions["advocacy.finder"]
    return holder.get()


class ZipAnswers(Generic[AnswerT]):
    """What each ZIP code (and state) answers, made once while the same members sit.

    An answer from the ZIP code needs no geocoder: it depends only on the data and on who
    sits, which changes only when a term starts or ends (the roster) or new data is
    loaded (a new roster). A spike of look-ups or pledges from a partner's page is mostly
    the same few ZIPs. make turns the look-up into what is kept (the look-up itself, or
    its JSON).
    """

    def __init__(self, make: Callable[[Lookup], AnswerT], size: int = 4096) -> None:
        self.make = make
        self.size = size
        self._answers: OrderedDict[tuple[str, str, int], tuple[Roster, AnswerT]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, finder: RepresentativeFinder, zip5: str, state: str = "") -> AnswerT:
        """Return the answer for a ZIP code and state; raise LookupInputError for a bad one."""
        roster, key = finder.roster(), (zip5, state, finder.sitting())
        with self._lock:
            cached = self._answers.get(key)
            if cached is not None and cached[0] is roster:
                self._answers.move_to_end(key)
                return cached[1]
        answer = self.make(finder.find(zip5=zip5, state=state))
        with self._lock:
            self._answers[key] = (roster, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return answer


_zip_lookups: ZipAnswers[Lookup] = ZipAnswers(lambda lookup: lookup)


def find_members(address: Address) -> Lookup:
    """Find a supporter's members; with no data loaded, fall back to nothing but the state.

    A pledge must still be recorded when the member data cannot be loaded.
    """
    try:
        finder = get_finder()
    except RepresentativesUnavailableError as error:
        log.error("member data unavailable: %s", error)
        return Lookup(
            match="state",
            state=address.state or None,
            district=None,
            fallback="data_unavailable",
            zip=address.zip5,
        )
    if address.street.strip():
        return finder.find_address(address)
    # Without a street the city is not used: the ZIP code and the state decide.
    return _zip_lookups.get(finder, address.zip5, address.state)


def get_directory() -> Roster | None:
    """Return who sits now, or None when the member data cannot be loaded."""
    try:
        return get_finder().roster()
    except RepresentativesUnavailableError:
        return None


def lookup_from_record(data: dict[str, Any], address: Address | None = None) -> Lookup:
    """Rebuild the look-up kept with the supporter's visit, for the Congress sitting now.

    address is what the supporter typed, to look up again when the kept look-up was made
    for an earlier Congress.
    """
    try:
        finder = get_finder()
    except RepresentativesUnavailableError:
        return Lookup(
            match=data["match"],
            state=data.get("state"),
            district=data.get("district"),
            fallback="data_unavailable",
            zip=data.get("zip") or "",
        )
    return finder.from_record(data, address)


def choose_seat(record: dict[str, Any], choice: str) -> Lookup:
    """Settle the kept look-up's ZIP that spans districts with the supporter's choice.

    Raises LookupInputError for a choice that is not one of the candidates, and when the
    member data cannot be loaded to say who sits for the chosen seat.
    """
    try:
        finder = get_finder()
    except RepresentativesUnavailableError as error:
        raise LookupInputError(
            {"district": "We cannot look up members just now. Please try again in a minute."}
        ) from error
    return finder.choose(finder.from_record(record), choice)
