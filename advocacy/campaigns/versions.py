"""Campaign versions: every save is kept, and the public sees only what an editor publishes.

A campaign's content changes in two steps. A save adds a version (`save_version`): a
number, who, when, the content, a line saying what changed. Publishing a version
(`publish_version`) copies its content into the campaign row, which is all the public
pages, the widget, the API and the letters read; until then a save changes nothing anyone
else sees. Publishing an earlier version is a rollback: it adds a new version with that
content and publishes the new one, so the history only ever grows.

Two editors may start from the same version. Each save names the version it started from
(`based_on`); if another save came first, the save is refused with
`VersionConflictError`, and nothing is written. Two saves at the same instant both try
the next number, which the database's unique key lets only one of them take: the caller
treats the other's IntegrityError as the same conflict.

`advocacy campaigns load` and the campaigns shipped in the package go through
`record_and_publish`: a file that is loaded is live at once, as before, and its version
is in the history by "the command line".

Only content the campaign rules accept is ever saved (the callers check it first, with
`validate_campaign`), so any version can be published. Services here add and flush; the
caller commits.
"""

from __future__ import annotations

import copy
import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.campaigns import slugs
from advocacy.campaigns.content import CampaignContentError, dump_campaign, to_stored
from advocacy.db import begin_write
from advocacy.models import VERSION_SUMMARY_MAX, Campaign, CampaignVersion, as_utc, utcnow

COMMAND_LINE: Final = "the command line"
SKELETON_PATH: Final = Path(__file__).parent / "skeleton.toml"


@dataclass(frozen=True)
class Author:
    """Who saves or publishes: an organizer (id and address), or the command line."""

    name: str
    organizer_id: int | None = None


BY_COMMAND_LINE: Final = Author(COMMAND_LINE)


class VersionConflictError(Exception):
    """Another save came after the version the editor started from: nothing was saved."""

    def __init__(self, latest: CampaignVersion) -> None:
        self.latest = latest
        super().__init__(
            f"version {latest.number} was saved by {latest.author} after the version "
            "this edit started from"
        )


# --- reading -----------------------------------------------------------------------------


def latest_version(session: Session, campaign_id: int) -> CampaignVersion | None:
    """Return the campaign's newest version (None only for a campaign stored before any)."""
    return session.scalar(
        sa.select(CampaignVersion)
        .where(CampaignVersion.campaign_id == campaign_id)
        .order_by(CampaignVersion.number.desc())
        .limit(1)
    )


def get_version(session: Session, campaign_id: int, number: int) -> CampaignVersion | None:
    """Return one version of the campaign by its number, if there is one."""
    return session.scalar(
        sa.select(CampaignVersion).where(
            CampaignVersion.campaign_id == campaign_id, CampaignVersion.number == number
        )
    )


def versions_of(session: Session, campaign_id: int) -> list[CampaignVersion]:
    """Return every version of the campaign, newest first."""
    return list(
        session.scalars(
            sa.select(CampaignVersion)
            .where(CampaignVersion.campaign_id == campaign_id)
            .order_by(CampaignVersion.number.desc())
        )
    )


def version_counts(session: Session) -> dict[int, int]:
    """Return the newest version's number for each campaign, by campaign id."""
    rows = session.execute(
        sa.select(CampaignVersion.campaign_id, sa.func.max(CampaignVersion.number)).group_by(
            CampaignVersion.campaign_id
        )
    )
    return {campaign_id: number for campaign_id, number in rows}


# --- the text of a version, and what changed -----------------------------------------------


def version_text(stored: Mapping[str, Any]) -> str:
    """Return the campaign file for stored content, as `advocacy campaigns dump` writes it."""
    try:
        return dump_campaign(stored)
    except CampaignContentError as error:
        # Only content no TOML can hold (a null, half a surrogate pair) gets here, and the
        # rules refuse it before it is saved: say so rather than fail a page over it.
        return "\n".join(f"# {problem}" for problem in error.problems) + "\n"


def diff_lines(
    old: Mapping[str, Any], new: Mapping[str, Any], old_label: str, new_label: str
) -> list[str]:
    """Return the unified diff of two contents' campaign files (no trailing newlines)."""
    return list(
        difflib.unified_diff(
            version_text(old).splitlines(),
            version_text(new).splitlines(),
            fromfile=old_label,
            tofile=new_label,
            lineterm="",
        )
    )


def changed_parts(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """Name the parts of the content that differ: "title", "story", "letter.senate"..."""
    if old is None:
        return []
    parts = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if (
            isinstance(before, Mapping)
            and isinstance(after, Mapping)
            and key in ("letter", "bill")
        ):
            inner = [
                f"{key}.{name}"
                for name in dict.fromkeys([*before, *after])
                if before.get(name) != after.get(name)
            ]
            parts.extend(inner)
        else:
            parts.append(key)
    return parts


def _summary(text: str) -> str:
    line = " ".join(text.split())
    if len(line) <= VERSION_SUMMARY_MAX:
        return line
    return line[: VERSION_SUMMARY_MAX - 1] + "…"


# --- writing -------------------------------------------------------------------------------


def _add_version(
    session: Session,
    campaign: Campaign,
    stored: Mapping[str, Any],
    number: int,
    author: Author,
    summary: str,
) -> CampaignVersion:
    version = CampaignVersion(
        campaign_id=campaign.id,
        number=number,
        # A private copy: the caller's mapping may change after this.
        content=copy.deepcopy(dict(stored)),
        summary=_summary(summary),
        organizer_id=author.organizer_id,
        author=author.name,
        created_at=utcnow(),
        published_by="",
    )
    session.add(version)
    session.flush()
    return version


def save_version(
    session: Session,
    campaign: Campaign,
    stored: Mapping[str, Any],
    *,
    based_on: int | None,
    author: Author,
    summary: str = "",
) -> CampaignVersion | None:
    """Save checked content as the campaign's next version; None when nothing changed.

    based_on is the version the editor started from: if another has been saved since,
    raise VersionConflictError and save nothing. The campaign's live content is not
    touched (publish_version does that). summary is the editor's own line; without one,
    the version says which parts changed.
    """
    begin_write(session)
    latest = latest_version(session, campaign.id)
    latest_number = latest.number if latest is not None else None
    if latest is not None and latest_number != based_on:
        raise VersionConflictError(latest)
    if latest is not None and latest.content == dict(stored):
        return None
    if not summary.strip():
        parts = changed_parts(latest.content if latest is not None else None, stored)
        summary = "Changed " + ", ".join(parts) if parts else "Saved"
    return _add_version(session, campaign, stored, (latest_number or 0) + 1, author, summary)


def _publish(
    session: Session, campaign: Campaign, version: CampaignVersion, author: Author
) -> None:
    stored = version.content
    # A version with a new slug moves the campaign there; the old address keeps answering.
    slugs.move_slug(session, campaign, str(stored["slug"]))
    campaign.title = str(stored["title"])
    campaign.goal = int(stored["goal"])
    campaign.content = copy.deepcopy(stored)
    campaign.updated_at = utcnow()
    campaign.status = "live"
    campaign.published_version = version.number
    version.published_at = utcnow()
    version.published_by = author.name
    session.flush()
    if stored.get("default", False):
        # Content that says `default = true` (a file loaded, say) takes the home page, as
        # choosing it in the campaign list does; content without it leaves the choice alone.
        _take_home(session, campaign)


def _take_home(session: Session, campaign: Campaign) -> None:
    # Others first: the database lets one campaign at most be the home page's.
    session.execute(
        sa.update(Campaign)
        .where(Campaign.id != campaign.id, Campaign.is_default.is_(True))
        .values(is_default=False)
    )
    campaign.is_default = True
    session.flush()


def make_home(session: Session, campaign: Campaign) -> bool:
    """Make a live campaign the one "/" shows; return False if it already was.

    Raise ValueError for a draft or a closed campaign: the home page serves live ones.
    """
    if campaign.status != "live":
        raise ValueError(
            f"only a live campaign can be the home page; this one is {campaign.status}"
        )
    if campaign.is_default:
        return False
    begin_write(session)
    _take_home(session, campaign)
    return True


def publish_version(
    session: Session, campaign: Campaign, number: int, *, latest_seen: int, author: Author
) -> CampaignVersion:
    """Make version `number` the campaign's live content; return the version now live.

    The newest version is published as it is. An earlier one is rolled back to: its
    content is saved as a new version, which is published. latest_seen is the newest
    version the editor was shown: if another has been saved since, raise
    VersionConflictError and change nothing, so nobody publishes or rolls back over a
    save they have not seen. Raise LookupError when there is no such version, and
    slugs.SlugTakenError, changing nothing, when its slug is another campaign's.
    """
    begin_write(session)
    latest = latest_version(session, campaign.id)
    if latest is None:
        raise LookupError("the campaign has no versions")
    if latest.number != latest_seen:
        raise VersionConflictError(latest)
    chosen = get_version(session, campaign.id, number)
    if chosen is None:
        raise LookupError(f"the campaign has no version {number}")
    problem = slugs.slug_problem(session, str(chosen.content["slug"]), campaign.id)
    if problem is not None:
        raise slugs.SlugTakenError(problem)
    if chosen.number != latest.number:
        chosen = _add_version(
            session,
            campaign,
            chosen.content,
            latest.number + 1,
            author,
            f"Rolled back to version {number}",
        )
    _publish(session, campaign, chosen, author)
    return chosen


def record_and_publish(
    session: Session,
    campaign: Campaign,
    stored: Mapping[str, Any],
    *,
    author: Author,
    summary: str,
) -> CampaignVersion:
    """Save content as a new version, whatever came before, and publish it.

    What `advocacy campaigns load` does: a file loaded is live at once. Content equal to
    the newest version publishes that version rather than adding a copy of it.
    """
    begin_write(session)
    latest = latest_version(session, campaign.id)
    if latest is not None and latest.content == dict(stored):
        version = latest
    else:
        number = latest.number + 1 if latest is not None else 1
        version = _add_version(session, campaign, stored, number, author, summary)
    _publish(session, campaign, version, author)
    return version


def create_draft(
    session: Session, stored: Mapping[str, Any], *, author: Author, summary: str
) -> Campaign:
    """Store a new campaign as a draft, with its content as version 1; return it.

    The caller has checked that the slug is free and the content passes the rules. A
    draft is shown to nobody but organizers until a version of it is published.
    """
    begin_write(session)
    campaign = Campaign(
        slug=str(stored["slug"]),
        title=str(stored["title"]),
        goal=int(stored["goal"]),
        # Never "/" before it is published: publishing applies the content's own default.
        is_default=False,
        content=copy.deepcopy(dict(stored)),
        status="draft",
        published_version=None,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    session.add(campaign)
    session.flush()
    _add_version(session, campaign, stored, 1, author, summary)
    return campaign


def close_campaign(session: Session, campaign: Campaign) -> None:
    """Close a live campaign: its page says it has ended, and it takes no more pledges.

    Withdrawing and confirming pledges keep working, and its count stays in the stats
    API. Publishing a version opens it again.
    """
    if campaign.status != "live":
        raise ValueError(f"only a live campaign can be closed; this one is {campaign.status}")
    begin_write(session)
    campaign.status = "closed"
    campaign.is_default = False
    session.flush()


def new_campaign_content(slug: str, title: str, congress: int) -> dict[str, Any]:
    """Return a new campaign's first content, as stored: the skeleton with its own names.

    congress is the Congress sitting now, whose bill the campaign is most likely about.
    """
    skeleton = tomllib.loads(SKELETON_PATH.read_text("utf-8"))
    skeleton["slug"] = slug
    skeleton["title"] = title
    skeleton["bill"]["congress"] = congress
    return to_stored(skeleton)


def copied_content(source: Mapping[str, Any], slug: str, title: str) -> dict[str, Any]:
    """Return another campaign's content for a copy: its own slug and title, not "/"."""
    copied = copy.deepcopy(dict(source))
    copied["slug"] = slug
    copied["title"] = title
    copied["default"] = False
    return copied


def stamp(moment: datetime | None) -> str:
    """Format a stored time for the history: "2026-11-23 15:00 UTC"."""
    if moment is None:
        return ""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")
