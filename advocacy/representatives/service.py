"""The app's representative finder: data files, geocoder and breaker wired from settings."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from flask import Flask, current_app
from flask_babel import gettext

from advocacy import clock
from advocacy.cache import Cache
from advocacy.congress.maps import MapTable, load_map_table
from advocacy.http import build_session
from advocacy.representatives import datafiles
from advocacy.representatives.breaker import breaker_for
from advocacy.representatives.directory import Directory, DirectoryError, Roster
from advocacy.representatives.finder import RepresentativeFinder
from advocacy.representatives.geocoder import DEFAULT_BASE_URL, CensusGeocoder
from advocacy.representatives.inputs import Address, LookupInputError
from advocacy.representatives.lookup import Lookup

log = logging.getLogger(__name__)

__all__ = [
    "Lookup",
    "LookupInputError",
    "ZipAnswer",
    "choose_seat",
    "find_members",
    "get_finder",
    "lookup_from_record",
    "zip_answer",
]

# How often a running process looks for data files replaced by `advocacy data refresh`.
RELOAD_CHECK_SECONDS = 300.0
# After the data could not be loaded, how long before trying again.
RETRY_LOAD_SECONDS = 60.0


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
        self.clock = clock.of(app)
        self.breaker = breaker_for(
            str(config["RATELIMIT_STORAGE_URI"]), str(config.get("RATELIMIT_KEY_PREFIX") or "")
        )
        # The app's one cache of ZIP answers (zip_answer): the pledge form's and the API's.
        self.zip_answers: ZipAnswers = Cache(max_size=ZIP_ANSWER_ENTRIES)
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

    def zip_answer(self, finder: RepresentativeFinder, zip5: str, state: str = "") -> ZipAnswer:
        """Return what a ZIP code and state answer now; raise LookupInputError for a bad one."""
        roster = finder.roster()
        return self.zip_answers.get(
            (zip5, state, finder.sitting(), roster),
            lambda: ZipAnswer.of(finder.find(zip5=zip5, state=state)),
        )

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


# What the data files parse to, by their paths and modification times: a pure function of
# the files, shared by every app in the process (see advocacy.cache), so apps built from
# the same files (tests building many apps, a rehearsal beside the live one) need not
# parse 1.7 MB again. The directory is read-only.
_directories: Cache[tuple[object, ...], Directory] = Cache(max_size=4)


def _load_directory(
    legislators_path: Path, zcta_path: Path, zip_congress: int, more_zip_tables: dict[int, Path]
) -> Directory:
    """Load the directory, or take the one these files, unchanged, parsed to already."""
    key = (
        _stamp(legislators_path),
        _stamp(zcta_path),
        zip_congress,
        *(_stamp(path) for path in more_zip_tables.values()),
    )

    def parse() -> Directory:
        directory = Directory.from_files(
            legislators_path,
            zcta_path,
            zip_congress=zip_congress,
            more_zip_tables=more_zip_tables,
        )
        log.info("loaded %d members of Congress", len(directory))
        return directory

    return _directories.get(key, parse)


def init_app(app: Flask) -> None:
    """Attach a finder holder (and its ZIP answers) to the app; nothing is loaded until needed."""
    app.extensions[FINDER_EXTENSION] = FinderHolder(app)


def _holder() -> FinderHolder:
    holder: FinderHolder = current_app.extensions[FINDER_EXTENSION]
    return holder


def get_finder() -> RepresentativeFinder:
    """Return the current app's finder, or raise RepresentativesUnavailableError."""
    return _holder().get()


def lookup_json(lookup: Lookup) -> bytes:
    """Return a look-up's public JSON (Lookup.to_api), compact, with a final newline."""
    return json.dumps(lookup.to_api(), separators=(",", ":")).encode() + b"\n"


@dataclass(frozen=True, slots=True)
class ZipAnswer:
    """What a ZIP code (and state) answers while the same members sit, and its JSON.

    An answer from the ZIP code needs no geocoder: it depends only on the data and on who
    sits, which changes only when a term starts or ends (the roster) or new data is
    loaded (a new roster). A spike of look-ups or pledges from a partner's page is mostly
    the same few ZIPs. The JSON, for the API, is encoded with it: encoding an answer costs
    about as much as finding it.
    """

    lookup: Lookup
    json: bytes

    @classmethod
    def of(cls, lookup: Lookup) -> ZipAnswer:
        return cls(lookup, lookup_json(lookup))


# The app's one cache of ZIP answers (FinderHolder.zip_answers), by ZIP code, state ("" for
# none), the Congress sitting and who sits: an answer made for other members is not used.
ZipAnswers: TypeAlias = Cache[tuple[str, str, int, Roster], ZipAnswer]
ZIP_ANSWER_ENTRIES = 4096
FINDER_EXTENSION = "advocacy.finder"


def zip_answer(zip5: str, state: str = "") -> ZipAnswer:
    """Return what a ZIP code and state answer now, from the app's one cache of them.

    Raise RepresentativesUnavailableError when the data cannot be loaded, LookupInputError
    for a ZIP code or state that is not one.
    """
    holder = _holder()
    return holder.zip_answer(holder.get(), zip5, state)


def find_members(address: Address) -> Lookup:
    """Find a supporter's members; with no data loaded, fall back to nothing but the state.

    A pledge must still be recorded when the member data cannot be loaded.
    """
    holder = _holder()
    try:
        finder = holder.get()
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
    return holder.zip_answer(finder, address.zip5, address.state).lookup


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
            {
                "district": gettext(
                    "We cannot look up members just now. Please try again in a minute."
                )
            }
        ) from error
    return finder.choose(finder.from_record(record), choice)
