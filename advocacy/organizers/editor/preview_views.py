"""The campaign editor's preview pages, on the organizers' blueprint: the letters a version
drafts to real members at a chosen moment (/organizers/c/<slug>/preview), and the campaign
page and the widget as that version would show them (/preview/page, /preview/widget).
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for

from advocacy import clock
from advocacy.campaigns import versions
from advocacy.campaigns.content import (
    CampaignContent,
    CampaignContentError,
    parse_stored_campaign,
)
from advocacy.campaigns.lifecycle import WASHINGTON, page_copy
from advocacy.campaigns.service import (
    stored_campaign_or_404,
)
from advocacy.db import get_session
from advocacy.i18n.languages import by_tag, languages
from advocacy.models import Campaign, CampaignVersion
from advocacy.organizers import roles
from advocacy.organizers.editor import preview
from advocacy.organizers.editor.forms import (
    PublishForm,
    version_number,
)
from advocacy.organizers.views import bp
from advocacy.pledges.forms import PledgeForm
from advocacy.representatives.service import RepresentativesUnavailableError, get_finder
from advocacy.web.languages import speaking
from advocacy.web.security import content_security_policy

# A save carries the whole campaign, in any script: a Uyghur campaign's form is three
# times its text in bytes. Larger than any other form may be (ADVOCACY_MAX_CONTENT_LENGTH),
# so this view reads its body under its own limit (organizers.init_app exempts it from
# the app-wide CSRF check, which would read it first; its form checks the same token).
EDITOR_POST_MAX = 4 * 1024 * 1024
_MOMENT = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::[0-9]{2})?$")
# Moments the calendar describes well: the years a campaign runs in, give or take.
_YEARS = range(1990, 2101)
STATUS_WORDS = {
    "draft": "Draft",
    "live": "Live",
    "closed": "Closed",
}
STATUS_HINTS = {
    "draft": "Not published: nobody but organizers can see it.",
    "live": "Published: supporters see the live version.",
    "closed": "Its page says it has ended; it takes no pledges. Publishing opens it again.",
}


# --- the preview -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the preview shows: a version, at a moment (aware); and what was typed."""

    version: CampaignVersion
    moment: datetime
    typed_at: str
    error: str | None


def _choices(campaign: Campaign) -> Choices:
    db = get_session()
    number = version_number(request.args.get("version"))
    version = versions.get_version(db, campaign.id, number) if number else None
    if version is None:
        if number:
            abort(404, description=f"This campaign has no version {number}.")
        version = versions.latest_version(db, campaign.id)
        if version is None:
            abort(404, description="This campaign has no version to preview.")
    now = clock.now()
    typed = (request.args.get("at") or "").strip()[:40]
    if not typed:
        return Choices(version, now, _moment_text(now), None)
    moment = _parse_moment(typed)
    if moment is None:
        return Choices(
            version,
            now,
            typed,
            "Give a date and time such as 2027-01-03T12:30 (Eastern time), between 1990 "
            "and 2100. The preview below is for now.",
        )
    return Choices(version, moment, typed, None)


def _moment_text(moment: datetime) -> str:
    return moment.astimezone(WASHINGTON).strftime("%Y-%m-%dT%H:%M")


def _parse_moment(text: str) -> datetime | None:
    """Read a datetime-local input's value as Eastern time; None if it is not one."""
    match = _MOMENT.match(text)
    if match is None:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups())
    if year not in _YEARS:
        return None
    try:
        return datetime(year, month, day, hour, minute, tzinfo=WASHINGTON)
    except ValueError:
        return None


def _content_or_problems(version: CampaignVersion) -> tuple[CampaignContent | None, list[str]]:
    try:
        return parse_stored_campaign(version.content, source=f"version {version.number}"), []
    except CampaignContentError as error:
        return None, error.problems


@bp.get("/c/<slug>/preview")
def preview_campaign(slug: str) -> Any:
    """The letters a version would send to one member of each kind, at a chosen moment."""
    campaign = stored_campaign_or_404(get_session(), slug)
    roles.check("edit", campaign)
    choices = _choices(campaign)
    content, problems = _content_or_problems(choices.version)
    samples: list[preview.Sample] = []
    data_missing = False
    if content is not None:
        try:
            directory = get_finder().directory
        except RepresentativesUnavailableError:
            data_missing = True
        else:
            samples = preview.samples(
                content, directory.at(choices.moment), directory, choices.moment
            )
    status = 422 if choices.error else 200
    page = render_template(
        "organizers/preview.html",
        campaign=campaign,
        version=choices.version,
        content=content,
        problems=problems,
        copy=page_copy(content, choices.moment) if content is not None else None,
        samples=samples,
        data_missing=data_missing,
        moment=choices.moment,
        moment_label=preview.moment_label(choices.moment),
        typed_at=choices.typed_at,
        moment_error=choices.error,
        numbers=[v.number for v in versions.versions_of(get_session(), campaign.id)],
        newest=versions.latest_version(get_session(), campaign.id),
        publish_form=PublishForm(formdata=None),
        stamp=versions.stamp,
        state_of=preview.state_of,
        page_languages=[language for language in languages() if not language.is_english],
    )
    return page, status


@dataclass(frozen=True)
class PageCampaign:
    """What the campaign page reads of its campaign row, for a version not yet live."""

    slug: str
    title: str
    goal: int
    pledge_count: int


@bp.get("/c/<slug>/preview/page")
def preview_page(slug: str) -> Any:
    """The campaign page as a version would show it at a chosen moment, marked a preview."""
    campaign = stored_campaign_or_404(get_session(), slug)
    roles.check("edit", campaign)
    choices = _choices(campaign)
    content, problems = _content_or_problems(choices.version)
    if content is None:
        flash(f"Version {choices.version.number} cannot be shown: " + "; ".join(problems[:5]))
        return redirect(url_for("organizers.edit_campaign", slug=slug), 303)
    # In another language when asked (?lang=ug): the page as it would be at /ug/c/<slug>,
    # its translations in place and English marked where there are none.
    language = by_tag(request.args.get("lang", ""))
    in_language = speaking(language) if language and not language.is_english else nullcontext()
    # The page's own template, as the public page renders it (campaigns/page.html), with
    # a blank pledge form that has no token: nothing can be pledged from a preview.
    with in_language:
        page = _render_preview_page(slug, campaign, content, choices)
    return page


def _render_preview_page(
    slug: str, campaign: Campaign, content: CampaignContent, choices: Choices
) -> str:
    form = PledgeForm(formdata=None, meta={"csrf": False})
    return render_template(
        "organizers/preview_page.html",
        campaign=PageCampaign(slug, content.title, content.goal, campaign.pledge_count),
        content=content,
        copy=page_copy(content, choices.moment),
        form=form,
        started_token="",
        version=choices.version,
        moment_label=preview.moment_label(choices.moment),
        back=url_for(
            "organizers.preview_campaign",
            slug=slug,
            version=choices.version.number,
            at=_moment_text(choices.moment),
        ),
    )


@bp.get("/c/<slug>/preview/widget")
def preview_widget(slug: str) -> Any:
    """The partner widget as a version would show it at a chosen moment, marked a preview."""
    campaign = stored_campaign_or_404(get_session(), slug)
    roles.check("edit", campaign)
    choices = _choices(campaign)
    content, problems = _content_or_problems(choices.version)
    if content is None:
        flash(f"Version {choices.version.number} cannot be shown: " + "; ".join(problems[:5]))
        return redirect(url_for("organizers.edit_campaign", slug=slug), 303)
    framed = request.args.get("framed") == "1"
    # The widget's own template (widget/page.html), with a blank form that has no token:
    # nothing can be pledged from a preview.
    form = PledgeForm(formdata=None, meta={"csrf": False})
    page = render_template(
        "organizers/preview_widget.html",
        campaign=PageCampaign(slug, content.title, content.goal, campaign.pledge_count),
        content=content,
        form=form,
        ref="",
        pledge_count=campaign.pledge_count,
        pledged=False,
        started_token="",
        version=choices.version,
        moment_label=preview.moment_label(choices.moment),
        back=None
        if framed
        else url_for(
            "organizers.preview_campaign",
            slug=slug,
            version=choices.version.number,
            at=_moment_text(choices.moment),
        ),
    )
    response = make_response(page)
    # The preview page frames it, as a partner's page would; no other site may.
    response.headers["Content-Security-Policy"] = content_security_policy("'self'")
    return response
