"""Recording a pledge: one per person per campaign, counted in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from advocacy.models import Campaign, Pledge, utcnow
from advocacy.pledges.forms import PledgeForm
from advocacy.representatives.service import Lookup, find_for_form


@dataclass(frozen=True)
class PledgeInput:
    name: str
    email: str
    zip: str
    city: str = ""
    state: str | None = None
    district: int | None = None
    note: str = ""
    consent: bool = False
    ref: str = ""


@dataclass(frozen=True)
class PledgeOutcome:
    pledge_id: int
    created: bool  # False: this email had already pledged to this campaign
    pledge_count: int  # the campaign's count once this pledge is in


def normalize_email(email: str) -> str:
    """Return the form of an address used to recognise the same person twice."""
    return email.strip().lower()


def record_pledge(session: Session, campaign: Campaign, data: PledgeInput) -> PledgeOutcome:
    """Store the pledge and bump the campaign's counter, or find the earlier pledge."""
    normalized = normalize_email(data.email)
    pledge = Pledge(
        campaign_id=campaign.id,
        name=data.name,
        email=data.email.strip(),
        email_normalized=normalized,
        zip=data.zip,
        city=data.city,
        state=data.state,
        district=data.district,
        note=data.note,
        consent=data.consent,
        ref=data.ref,
    )
    session.add(pledge)
    try:
        # The insert goes first: on SQLite it takes the write lock before anything else,
        # and on PostgreSQL a concurrent twin waits on the unique index, then fails.
        session.flush()
        count = session.execute(
            sa.update(Campaign)
            .where(Campaign.id == campaign.id)
            .values(pledge_count=Campaign.pledge_count + 1, updated_at=utcnow())
            .returning(Campaign.pledge_count)
        ).scalar_one()
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.scalar(
            sa.select(Pledge.id).where(
                Pledge.campaign_id == campaign.id, Pledge.email_normalized == normalized
            )
        )
        if existing is None:
            raise
        current = session.scalar(
            sa.select(Campaign.pledge_count).where(Campaign.id == campaign.id)
        )
        return PledgeOutcome(pledge_id=existing, created=False, pledge_count=current or 0)
    return PledgeOutcome(pledge_id=pledge.id, created=True, pledge_count=count)


def submit_form(
    session: Session, campaign: Campaign, form: PledgeForm
) -> tuple[PledgeOutcome, Lookup]:
    """Find the supporter's members of Congress from a valid form, then record the pledge.

    Raises LookupInputError when the address names no place we know (ZIP 00000, say).
    """
    lookup = find_for_form(**form.address())
    outcome = record_pledge(
        session,
        campaign,
        PledgeInput(
            name=form.name.data,
            email=form.email.data,
            zip=form.zip5(),
            city=form.city.data or "",
            state=lookup.state,
            district=lookup.district,
            note=form.note.data or "",
            consent=bool(form.consent.data),
            ref=form.ref.data or "",
        ),
    )
    return outcome, lookup


def set_pledge_place(
    session: Session, pledge_id: int, state: str | None, district: int | None
) -> None:
    """Record the state and district found later from the supporter's street address."""
    if state is None:
        return
    session.execute(
        sa.update(Pledge).where(Pledge.id == pledge_id).values(state=state, district=district)
    )
    session.commit()
