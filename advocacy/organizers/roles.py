"""Who may do what: the one place that decides "may this organizer do X on campaign Y".

An owner (`Organizer.owner`) may do everything: accounts, the organization's identity and
every campaign. Anyone else may touch only the campaigns an `OrganizerRole` gives them:

- viewer: see the campaign's counts and the lobby report (`view`, `report`); no export;
- editor: all of that, edit, preview, publish and close it (`edit`), download its
  exports (`export`), and create its events (`events`; a viewer sees them with `view`).

Every organizer view asks `require` (or `may`) before it shows or changes a campaign, and
a refusal is the same 403 whether or not the campaign exists, naming no campaign. Plain
functions on a session; `grant` and `revoke` add and flush, the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import sqlalchemy as sa
from flask import abort, g
from sqlalchemy.orm import Session

from advocacy.db import begin_write, get_session
from advocacy.models import CAMPAIGN_ROLES, Campaign, Organizer, OrganizerRole

Action = Literal[
    "view", "report", "export", "edit", "events", "create", "people", "identity", "maps", "home"
]
Role = Literal["editor", "viewer"]

# What each role on a campaign allows; anything else (creating campaigns, people, the
# identity, confirming the congressional maps every campaign uses, choosing the site's
# home page) is for owners alone.
ALLOWED: dict[str, frozenset[str]] = {
    "viewer": frozenset({"view", "report"}),
    "editor": frozenset({"view", "report", "export", "edit", "events"}),
}
ROLE_WORDS = {
    "owner": "Owner: accounts, the organization's identity and every campaign",
    "editor": "Editor: edits, publishes and exports this campaign",
    "viewer": "Viewer: counts and reports, no supporter exports",
}
REFUSED = (
    "Your account does not have access to this. Ask one of the organization's owners "
    "if you need it."
)


def role_on(session: Session, organizer: Organizer, campaign_id: int) -> str | None:
    """Return "owner", "editor", "viewer", or None: the organizer's role on the campaign."""
    if not organizer.active:
        return None
    if organizer.owner:
        return "owner"
    return session.scalar(
        sa.select(OrganizerRole.role).where(
            OrganizerRole.organizer_id == organizer.id,
            OrganizerRole.campaign_id == campaign_id,
        )
    )


def may(
    session: Session, organizer: Organizer | None, action: Action, campaign: Campaign | None
) -> bool:
    """Tell whether the organizer may do the action (on the campaign, when it names one)."""
    if organizer is None or not organizer.active:
        return False
    if organizer.owner:
        return True
    if campaign is None:
        return False  # creating campaigns, people, the identity: owners only
    role = role_on(session, organizer, campaign.id)
    return role is not None and action in ALLOWED[role]


def require(
    session: Session, organizer: Organizer | None, action: Action, campaign: Campaign | None
) -> None:
    """Answer 403 (naming no campaign) unless the organizer may do the action."""
    if not may(session, organizer, action, campaign):
        abort(403, description=REFUSED)


def check(action: Action, campaign: Campaign | None = None) -> None:
    """In a request: answer 403 unless the signed-in organizer may do the action."""
    require(get_session(), g.get("organizer"), action, campaign)


def visible_campaign_ids(session: Session, organizer: Organizer) -> set[int] | None:
    """Return the ids of the campaigns the organizer may see; None: every one (an owner)."""
    if organizer.owner:
        return None
    if not organizer.active:
        return set()
    return set(
        session.scalars(
            sa.select(OrganizerRole.campaign_id).where(OrganizerRole.organizer_id == organizer.id)
        )
    )


def visible(
    session: Session, organizer: Organizer, campaigns: Iterable[Campaign]
) -> list[Campaign]:
    """Keep only the campaigns the organizer may see, in the order given."""
    ids = visible_campaign_ids(session, organizer)
    return [c for c in campaigns if ids is None or c.id in ids]


def roles_of(session: Session, organizer_id: int) -> dict[int, str]:
    """Return campaign id -> role for one organizer."""
    rows = session.execute(
        sa.select(OrganizerRole.campaign_id, OrganizerRole.role).where(
            OrganizerRole.organizer_id == organizer_id
        )
    )
    return {campaign_id: role for campaign_id, role in rows}


def set_roles(
    session: Session, organizer_id: int, roles: Mapping[int, str]
) -> list[tuple[str, str | None]]:
    """Make the organizer's campaign roles exactly `roles`; return (change, slug) pairs.

    Adds and flushes; the caller commits (and audits the returned changes).
    """
    for role in roles.values():
        if role not in CAMPAIGN_ROLES:
            raise ValueError(f"{role!r} is not a campaign role.")
    begin_write(session)
    before = roles_of(session, organizer_id)
    changes: list[tuple[str, str | None]] = []
    for campaign_id in sorted(set(before) | set(roles)):
        old, new = before.get(campaign_id), roles.get(campaign_id)
        if old == new:
            continue
        slug = session.scalar(sa.select(Campaign.slug).where(Campaign.id == campaign_id))
        if old is None:
            session.add(
                OrganizerRole(organizer_id=organizer_id, campaign_id=campaign_id, role=new)
            )
            changes.append((f"role {new}", slug))
        elif new is None:
            session.execute(
                sa.delete(OrganizerRole).where(
                    OrganizerRole.organizer_id == organizer_id,
                    OrganizerRole.campaign_id == campaign_id,
                )
            )
            changes.append(("role removed", slug))
        else:
            session.execute(
                sa.update(OrganizerRole)
                .where(
                    OrganizerRole.organizer_id == organizer_id,
                    OrganizerRole.campaign_id == campaign_id,
                )
                .values(role=new)
            )
            changes.append((f"role {new}", slug))
    session.flush()
    return changes
