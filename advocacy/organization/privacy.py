"""The facts the privacy page states, taken from the settings the service runs with.

Every number of days on the page comes from here, read from the app's configuration (or,
for a rule that is the code's own, handed over by the part that applies it when the app
starts), so the page says what this installation does, not what a copy once said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask
from flask_babel import ngettext

from advocacy.web.languages import format_number

# How long a supporter's results page (what they typed, the members found) is kept: the
# pledges part applies it and puts it here at start (pledges.init_app).
VISIT_LIFETIME_EXTENSION = "advocacy.privacy.visit_lifetime"
# How long a visit started in the partner widget waits for its "Write to your members"
# button (pledges.handoff), handed over the same way.
HANDOFF_LIFETIME_EXTENSION = "advocacy.privacy.handoff_lifetime"
# The geocoder's host when ADVOCACY_GEOCODER_URL is not set (the look-up's own default).
CENSUS_HOST = "geocoding.geo.census.gov"


@dataclass(frozen=True)
class PrivacyFacts:
    """What the privacy page says in numbers and names."""

    retention_days: int
    confirm_days: int
    visit_days: int
    handoff_minutes: int
    mails_per_day: int
    geocoder_host: str
    census: bool
    rate_limited: bool
    session_hours: float
    # Whether the organization's public key is set: only then may supporters agree to be
    # contacted, and their names and emails are sealed to it.
    contacts_sealed: bool
    # Below this, a lobby packet says "fewer than N" and prints no words from the place.
    small_number: int
    # The onion service's address (ADVOCACY_ONION_LOCATION), or "".
    onion_location: str

    @property
    def session_length(self) -> str:
        """How long an organizer's sign-in lasts, as people say it ("8 hours"), in the
        page's language."""
        minutes = round(self.session_hours * 60)
        if minutes % 60:
            return str(
                ngettext(
                    "%(count)s minute", "%(count)s minutes", minutes, count=format_number(minutes)
                )
            )
        hours = minutes // 60
        return str(
            ngettext("%(count)s hour", "%(count)s hours", hours, count=format_number(hours))
        )


def privacy_facts(app: Flask) -> PrivacyFacts:
    """Return the facts of this app's configuration."""
    config = app.config
    lifetime: timedelta = app.extensions[VISIT_LIFETIME_EXTENSION]
    handoff: timedelta = app.extensions[HANDOFF_LIFETIME_EXTENSION]
    host = urlsplit(str(config["GEOCODER_URL"] or "")).hostname or CENSUS_HOST
    return PrivacyFacts(
        retention_days=int(config["RETENTION_DAYS"]),
        confirm_days=int(config["PLEDGE_CONFIRM_DAYS"]),
        visit_days=max(1, round(lifetime / timedelta(days=1))),
        handoff_minutes=max(1, round(handoff / timedelta(minutes=1))),
        mails_per_day=int(config["MAIL_PER_ADDRESS_PER_DAY"]),
        geocoder_host=host,
        census=host == CENSUS_HOST,
        rate_limited=bool(config["RATELIMIT_ENABLED"]),
        session_hours=float(config["ORGANIZERS_SESSION_HOURS"]),
        contacts_sealed=bool(config["CONTACT_PUBLIC_KEY"]),
        small_number=int(config["LOBBY_SMALL_NUMBER"]),
        onion_location=str(config["ONION_LOCATION"] or ""),
    )
