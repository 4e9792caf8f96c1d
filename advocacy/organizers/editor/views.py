"""The campaign editor's pages, on the organizers' blueprint (behind its sign-in door).

- /organizers/campaigns: every campaign with its status (draft, live, closed), and the
  forms that start one from scratch or as a copy of another;
- /organizers/c/<slug>/edit: every field of the campaign file; a save adds a version and
  changes nothing the public sees;
- /organizers/c/<slug>/publish and /close: what does change it;
- /organizers/c/<slug>/versions (and /versions/<n>): the history, each version's changes
  as a diff of its campaign file, and rollback;
- /organizers/c/<slug>/preview (and /preview/page): the letters to real members and the
  campaign page, as a version would show them at a chosen moment.

A save is checked with the campaign rules themselves (`validate_campaign`, as `advocacy
campaigns check`); a refused one comes back with everything typed and each problem
beside its field (422). A save based on a version that is no longer the newest (another
editor saved meanwhile) is not applied (409): the page shows what the other save
changed against the text typed here, which stays in the form. Every change is in the
audit log, and each view commits once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from advocacy import clock
from advocacy.campaigns import slugs, versions
from advocacy.campaigns.content import (
    SLUG_PATTERN,
    CampaignContentError,
    from_stored,
    parse_stored_campaign,
    to_stored,
    validate_campaign,
)
from advocacy.campaigns.service import (
    campaign_changed,
    get_default_campaign,
    stored_campaign_or_404,
)
from advocacy.congress.calendar import congress_on
from advocacy.db import get_session
from advocacy.models import Campaign, CampaignVersion
from advocacy.organizers import accounts, roles
from advocacy.organizers.editor import layout, typed
from advocacy.organizers.editor.forms import (
    CloseForm,
    CopyCampaignForm,
    EditForm,
    HomeForm,
    NewCampaignForm,
    PublishForm,
    version_number,
)
from advocacy.organizers.views import bp
from advocacy.web.errors import CSRF_MESSAGE, MESSAGES, render_error

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


def _author() -> versions.Author:
    return versions.Author(g.organizer.email, g.organizer.id)


def _audit(action: str, slug: str) -> None:
    accounts.record_event(get_session(), g.organizer.id, action, slug)


# --- the list of campaigns, new ones and copies ---------------------------------------------


@dataclass(frozen=True)
class Row:
    campaign: Campaign
    latest: int | None


def _rows() -> list[Row]:
    """The campaigns this organizer may edit (every one, for an owner)."""
    db = get_session()
    latest = versions.version_counts(db)
    campaigns = db.scalars(sa.select(Campaign).order_by(Campaign.title, Campaign.slug))
    return [
        Row(campaign, latest.get(campaign.id))
        for campaign in campaigns
        if roles.may(db, g.organizer, "edit", campaign)
    ]


def _choices_of(rows: list[Row]) -> list[SelectChoice]:
    # SelectChoice, not pairs: the pages' field macro reads each option's value and label.
    return [SelectChoice(row.campaign.slug, row.campaign.title) for row in rows]


def _list_page(
    new_form: NewCampaignForm | None = None,
    copy_form: CopyCampaignForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    rows = _rows()
    copy_form = copy_form or CopyCampaignForm(formdata=None, prefix="copy")
    copy_form.source.choices = _choices_of(rows)
    home = get_default_campaign(get_session())
    page = render_template(
        "organizers/campaigns.html",
        rows=rows,
        status_words=STATUS_WORDS,
        status_hints=STATUS_HINTS,
        new_form=new_form or NewCampaignForm(formdata=None, prefix="new"),
        copy_form=copy_form,
        home=home,
        home_chosen=home is not None and home.is_default,
        home_form=HomeForm(formdata=None),
    )
    return page, status


@bp.get("/campaigns")
def campaign_list() -> Any:
    return _list_page()


def _slug_taken(form: NewCampaignForm) -> bool:
    # Another campaign's address, present or old (which still takes its visitors there).
    problem = slugs.slug_problem(get_session(), form.slug.data)
    if problem is None:
        return False
    form.slug.errors = [problem]
    return True


@bp.post("/campaigns/home")
def choose_home() -> Any:
    """Make a live campaign the one the site's home page ("/") shows."""
    db = get_session()
    form = HomeForm()
    if not form.validate_on_submit():
        return render_error(400, CSRF_MESSAGE)
    campaign = stored_campaign_or_404(db, form.slug.data)
    roles.check("home")  # the whole site's home page: owners only
    if campaign.status != "live":
        db.rollback()
        flash(
            f"{campaign.title} is not live, so it cannot be the home page: publish it first.",
            "error",
        )
        return redirect(url_for("organizers.campaign_list"), 303)
    if versions.make_home(db, campaign):
        _audit("campaign home", campaign.slug)
    db.commit()
    # This process's "/" at once; every other's within STATS_CACHE_SECONDS.
    campaign_changed(campaign.slug)
    flash(f"The home page now shows {campaign.title}.", "status")
    return redirect(url_for("organizers.campaign_list"), 303)


@bp.post("/campaigns/new")
def new_campaign() -> Any:
    """Start a draft from the skeleton: valid, so it can be saved and previewed at once."""
    roles.check("create")
    form = NewCampaignForm(prefix="new")
    if not form.validate_on_submit() or _slug_taken(form):
        return _list_page(new_form=form, status=422)
    content = versions.new_campaign_content(
        form.slug.data, form.title.data, congress_on(clock.now())
    )
    return _created(content, "Started from scratch", "campaign create")


@bp.post("/campaigns/copy")
def copy_campaign() -> Any:
    """Start a draft as a copy of another campaign's newest version."""
    roles.check("create")
    db = get_session()
    form = CopyCampaignForm(prefix="copy")
    form.source.choices = _choices_of(_rows())
    if not form.validate_on_submit() or _slug_taken(form):
        return _list_page(copy_form=form, status=422)
    source = stored_campaign_or_404(db, form.source.data)
    newest = versions.latest_version(db, source.id)
    content = newest.content if newest is not None else source.content
    origin = f"{source.slug} version {newest.number}" if newest is not None else source.slug
    copied = versions.copied_content(content, form.slug.data, form.title.data)
    return _created(copied, f"Copied from {origin}", "campaign copy")


def _created(content: dict[str, Any], summary: str, action: str) -> Any:
    db = get_session()
    problems = validate_campaign(from_stored(content))
    if problems:
        # A campaign stored before a rule it breaks: not copied until it is mended.
        db.rollback()
        flash("That campaign cannot be copied as it is: " + "; ".join(problems[:5]), "error")
        return redirect(url_for("organizers.campaign_list"), 303)
    try:
        campaign = versions.create_draft(db, content, author=_author(), summary=summary)
        _audit(action, campaign.slug)
        db.commit()
    except IntegrityError:
        # Another organizer took the address a moment ago.
        db.rollback()
        flash("Another campaign took that address a moment ago. Choose another.", "error")
        return redirect(url_for("organizers.campaign_list"), 303)
    flash(
        f"{summary}: saved as version 1, a draft. Nobody else sees it until it is published.",
        "status",
    )
    return redirect(url_for("organizers.edit_campaign", slug=campaign.slug), 303)


# --- the editor ----------------------------------------------------------------------------


@dataclass
class Conflict:
    """Another editor's save that came first: who, and its text against the one typed here."""

    latest: CampaignVersion
    diff: list[str]


def _editor_page(
    campaign: Campaign,
    values: dict[str, str],
    story_count: int,
    source_count: int,
    form: EditForm,
    *,
    problems: list[typed.Problem] | None = None,
    conflict: Conflict | None = None,
    status: int = 200,
) -> tuple[str, int]:
    db = get_session()
    sections = layout.sections(story_count, source_count)
    problems = problems or []
    by_field: dict[str, list[str]] = {}
    by_section: dict[str, list[str]] = {}
    top: list[str] = []
    for problem in problems:
        if problem.field is not None:
            by_field.setdefault(problem.field.name, []).append(problem.message)
        elif problem.section is not None:
            by_section.setdefault(problem.section.id, []).append(problem.message)
        else:
            top.append(problem.message)
    latest = versions.latest_version(db, campaign.id)
    page = render_template(
        "organizers/editor.html",
        campaign=campaign,
        old_slugs=slugs.old_slugs(db, campaign.id),
        latest=latest,
        sections=sections,
        values=values,
        form=form,
        problems=problems,
        by_field=by_field,
        by_section=by_section,
        top=top,
        conflict=conflict,
        publish_form=PublishForm(formdata=None),
        close_form=CloseForm(formdata=None),
        status_words=STATUS_WORDS,
        status_hints=STATUS_HINTS,
        stamp=versions.stamp,
        field_max=layout.FIELD_MAX,
    )
    return page, status


@bp.get("/c/<slug>/edit")
def edit_campaign(slug: str) -> Any:
    campaign = stored_campaign_or_404(get_session(), slug)
    roles.check("edit", campaign)
    latest = versions.latest_version(get_session(), campaign.id)
    stored = latest.content if latest is not None else campaign.content
    values, story_count, source_count = layout.values_from_content(stored)
    form = EditForm(formdata=None, data={"base_version": str(latest.number if latest else 0)})
    return _editor_page(campaign, values, story_count, source_count, form)


@bp.post("/c/<slug>/edit")
def save_campaign(slug: str) -> Any:
    """Save the fields as a new version, if the rules accept them and nobody saved first."""
    request.max_content_length = EDITOR_POST_MAX
    try:
        request.form  # noqa: B018 (read the body now, under this view's own limit)
    except RequestEntityTooLarge:
        return render_error(413, MESSAGES[413])
    db = get_session()
    campaign = stored_campaign_or_404(db, slug)
    roles.check("edit", campaign)
    form = EditForm()
    if not form.validate_on_submit() and (form.csrf_token.errors or form.base_version.errors):
        return render_error(400, CSRF_MESSAGE)
    values, story_count, source_count = typed.read_values(request.form)
    base_number = version_number(form.base_version.data)
    base = versions.get_version(db, campaign.id, base_number) if base_number else None
    base_content = base.content if base is not None else campaign.content
    assembled = typed.assemble(values, story_count, source_count, base=base_content)
    new_slug = assembled.content.get("slug")
    if isinstance(new_slug, str) and SLUG_PATTERN.match(new_slug):
        # Checked again when the version is published: another campaign may take it first.
        taken = slugs.slug_problem(db, new_slug, campaign.id)
        if taken is not None:
            assembled.problems.setdefault("slug", []).append(taken)
    sections = layout.sections(story_count, source_count)
    rule_problems = validate_campaign(assembled.content)
    problems = typed.place(rule_problems, assembled, sections)
    if form.summary.errors:
        problems.append(typed.Problem(form.summary.errors[0]))
    if problems:
        db.rollback()
        return _editor_page(
            campaign, values, story_count, source_count, form, problems=problems, status=422
        )
    stored = to_stored(assembled.content)
    try:
        version = versions.save_version(
            db,
            campaign,
            stored,
            based_on=base_number,
            author=_author(),
            summary=form.summary.data or "",
        )
        if version is not None:
            _audit(f"campaign save v{version.number}", campaign.slug)
        db.commit()
    except (versions.VersionConflictError, IntegrityError):
        # Another save came first (IntegrityError: at the same instant, the same number).
        db.rollback()
        latest = versions.latest_version(db, campaign.id)
        assert latest is not None
        conflict = Conflict(
            latest,
            versions.diff_lines(
                latest.content, stored, f"version {latest.number} ({latest.author})", "your text"
            ),
        )
        # Saving again now replaces their version with this text, knowingly.
        form.base_version.data = str(latest.number)
        return _editor_page(
            campaign, values, story_count, source_count, form, conflict=conflict, status=409
        )
    if version is None:
        flash("Nothing had changed, so nothing was saved.", "status")
    else:
        flash(
            f"Saved as version {version.number}. The public page is unchanged until a "
            "version is published.",
            "status",
        )
    return redirect(url_for("organizers.edit_campaign", slug=campaign.slug), 303)


# --- publishing, rolling back, closing -----------------------------------------------------


@bp.post("/c/<slug>/publish")
def publish_campaign(slug: str) -> Any:
    """Publish a version: the newest as it is, an earlier one as a new version (rollback)."""
    db = get_session()
    campaign = stored_campaign_or_404(db, slug)
    roles.check("edit", campaign)
    form = PublishForm()
    if not form.validate_on_submit():
        return render_error(400, CSRF_MESSAGE)
    number, latest_seen = version_number(form.version.data), version_number(form.latest.data)
    chosen = versions.get_version(db, campaign.id, number)
    if chosen is None:
        abort(404, description=f"This campaign has no version {number}.")
    try:
        # Checked again, with today's rules: a version saved under older ones may break one.
        parse_stored_campaign(chosen.content, source=f"version {number}")
    except CampaignContentError as error:
        db.rollback()
        flash(
            f"Version {number} cannot be published: "
            + "; ".join(error.problems[:5])
            + ". Open it in the editor, mend it and save.",
            "error",
        )
        return redirect(url_for("organizers.campaign_versions", slug=slug), 303)
    before = campaign.slug
    try:
        published = versions.publish_version(
            db, campaign, number, latest_seen=latest_seen, author=_author()
        )
    except (slugs.SlugTakenError, IntegrityError) as error:
        # IntegrityError: another campaign took the address at the same instant.
        db.rollback()
        reason = error if isinstance(error, slugs.SlugTakenError) else "its address was taken"
        flash(f"Version {number} cannot be published: {reason}", "error")
        return redirect(url_for("organizers.campaign_versions", slug=slug), 303)
    except versions.VersionConflictError as error:
        db.rollback()
        flash(
            f"Nothing was published: {error.latest.author} saved version {error.latest.number} "
            "after you opened the page. Look at its changes below first.",
            "error",
        )
        return redirect(url_for("organizers.campaign_versions", slug=slug), 303)
    if published.number == number:
        _audit(f"campaign publish v{number}", campaign.slug)
        message = f"Version {number} is live."
    else:
        _audit(f"campaign rollback to v{number} as v{published.number}", campaign.slug)
        message = f"Rolled back: version {published.number}, a copy of version {number}, is live."
    if campaign.slug != before:
        # Under the old slug: the line says which address the campaign left.
        _audit("campaign address changed", before)
        message += (
            f" Its address is now /c/{campaign.slug}; /c/{before} still takes visitors there."
        )
    db.commit()
    campaign_changed(campaign.slug)
    if campaign.slug != before:
        campaign_changed(before)
    flash(message, "status")
    return redirect(url_for("organizers.edit_campaign", slug=campaign.slug), 303)


@bp.post("/c/<slug>/close")
def close_campaign(slug: str) -> Any:
    """Close a live campaign: its page says it has ended, and it takes no more pledges."""
    db = get_session()
    campaign = stored_campaign_or_404(db, slug)
    roles.check("edit", campaign)
    if not CloseForm().validate_on_submit():
        return render_error(400, CSRF_MESSAGE)
    if campaign.status != "live":
        db.rollback()
        flash("Only a live campaign can be closed.", "error")
        return redirect(url_for("organizers.edit_campaign", slug=slug), 303)
    versions.close_campaign(db, campaign)
    _audit("campaign close", campaign.slug)
    db.commit()
    campaign_changed(campaign.slug)
    flash(
        "The campaign is closed: its page says it has ended, and it takes no more pledges. "
        "Publish a version to open it again.",
        "status",
    )
    return redirect(url_for("organizers.edit_campaign", slug=slug), 303)


# --- the history -----------------------------------------------------------------------------


def _version_or_404(campaign: Campaign, number: int) -> CampaignVersion:
    version = versions.get_version(get_session(), campaign.id, number)
    if version is None:
        abort(404, description=f"This campaign has no version {number}.")
    return version


@bp.get("/c/<slug>/versions")
def campaign_versions(slug: str) -> Any:
    db = get_session()
    campaign = stored_campaign_or_404(db, slug)
    roles.check("edit", campaign)
    history = versions.versions_of(db, campaign.id)
    newest = history[0] if history else None
    # The newest change at a glance: the diff of the newest version against the one before.
    diff: list[str] = []
    if newest is not None and newest.number > 1:
        before = versions.get_version(db, campaign.id, newest.number - 1)
        if before is not None:
            diff = versions.diff_lines(
                before.content,
                newest.content,
                f"version {before.number}",
                f"version {newest.number}",
            )
    return render_template(
        "organizers/versions.html",
        campaign=campaign,
        history=history,
        newest=newest,
        diff=diff,
        publish_form=PublishForm(formdata=None),
        stamp=versions.stamp,
        status_words=STATUS_WORDS,
    )


@bp.get("/c/<slug>/versions/<int:number>")
def campaign_version(slug: str, number: int) -> Any:
    """One version: what changed against another (the one before, or ?against=N), its file."""
    db = get_session()
    campaign = stored_campaign_or_404(db, slug)
    roles.check("edit", campaign)
    version = _version_or_404(campaign, number)
    against_number = version_number(request.args.get("against")) or number - 1
    against = versions.get_version(db, campaign.id, against_number) if against_number else None
    diff = (
        versions.diff_lines(
            against.content,
            version.content,
            f"version {against.number}",
            f"version {version.number}",
        )
        if against is not None and against.number != version.number
        else []
    )
    newest = versions.latest_version(db, campaign.id)
    return render_template(
        "organizers/version.html",
        campaign=campaign,
        version=version,
        against=against,
        diff=diff,
        text=versions.version_text(version.content),
        newest=newest,
        numbers=[v.number for v in versions.versions_of(db, campaign.id)],
        publish_form=PublishForm(formdata=None),
        stamp=versions.stamp,
    )
