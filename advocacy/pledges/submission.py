"""The steps every pledge entry point shares: check the form, look up, then record.

The campaign page's form, the partner widget and the JSON API differ in how they guard
the form and how they answer; these steps are the same for all three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy.orm import Session

from advocacy.campaigns.service import CampaignRef, cached_campaign_ref
from advocacy.db import begin_write
from advocacy.pledges.forms import PledgeForm
from advocacy.pledges.quotes import keep_quote
from advocacy.pledges.sealing import Sealing
from advocacy.pledges.service import MailPolicy, PledgeInput, PledgeOutcome, record_pledge
from advocacy.pledges.visits import VISIT_LIFETIME, start_visit
from advocacy.representatives.lookup import Lookup
from advocacy.representatives.service import LookupInputError, find_members
from advocacy.web.formguard import GuardVerdict
from advocacy.web.languages import current_language

# Given the form's signed start time and its honeypot, says whether a person sent it.
Guard = Callable[[str, str], GuardVerdict]


def checked_pledge(form: PledgeForm, guard: Guard) -> tuple[PledgeInput, Lookup] | None:
    """Return the pledge and the supporter's members, or None with the reasons on the form.

    The look-up (which may wait on the geocoder) happens here, before any database work.
    """
    if not form.validate():
        return None
    verdict = guard(form.started.data or "", form.contact_me_by_fax_only.data or "")
    if not verdict.ok:
        form.form_errors.append(verdict.message)
        return None
    data = form.pledge_input()
    try:
        lookup = find_members(data.address)
    except LookupInputError as error:
        for name, message in error.fields.items():
            form[name].errors = [message]
        return None
    return data, lookup


def record_for(
    session: Session, slug: str, data: PledgeInput, lookup: Lookup
) -> tuple[CampaignRef, PledgeOutcome]:
    """Record the pledge for the campaign named slug in a writing transaction; not committed.

    After the commit, call advocacy.mail.outbox_changed(), whatever the outcome: the
    answer must take the same path whether or not an email was queued.
    """
    campaign = cached_campaign_ref(session, slug)
    config = current_app.config
    language = current_language()
    mail = MailPolicy(
        config["SECRET_KEY"],
        config["MAIL_PER_ADDRESS_PER_DAY"],
        Sealing.from_config(config),
        # The emails are written in the language of the page the pledge was made on.
        language=None if language.is_english else language.tag,
    )
    begin_write(session)
    outcome = record_pledge(session, campaign.id, data, lookup, mail)
    keep_quote(session, campaign.id, data, lookup)
    return campaign, outcome


@dataclass(frozen=True)
class Recorded:
    """A pledge recorded, and the results page's visit the browser is to keep."""

    campaign: CampaignRef
    outcome: PledgeOutcome
    visit_id: str
    visit_key: str


def record_with_visit(
    session: Session,
    slug: str,
    data: PledgeInput,
    lookup: Lookup,
    *,
    visit_lifetime: timedelta = VISIT_LIFETIME,
) -> Recorded:
    """Record the pledge (record_for) and start the supporter's sealed results page; not
    committed. The same steps for the campaign page, the widget and an event's page."""
    campaign, outcome = record_for(session, slug, data, lookup)
    visit_id, visit_key = start_visit(
        session,
        campaign.id,
        pledge_id=outcome.pledge_id,
        pledge_created=outcome.created,
        name=data.name,
        address=data.address,
        state=data.address.state or lookup.state or "",
        note=data.note,
        lookup=lookup.to_record(),
        lifetime=visit_lifetime,
    )
    return Recorded(campaign, outcome, visit_id, visit_key)
