"""The People page (owners only) and an invitation's page (for someone with no account yet).

On the organizers' blueprint (`views.bp`), behind its door (`signin.py`): the People page
needs a signed-in owner; the invitation's page is the one page besides sign-in that needs
no session. Each POST carries its CSRF token, calls `people`, commits once, and redirects,
except the invitation, whose one-time link is shown once, on the answer to its POST (it is
never stored, so it cannot be shown again).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from advocacy import clock
from advocacy.db import get_session
from advocacy.models import CAMPAIGN_ROLES, Campaign, Organizer
from advocacy.organizers import people, roles, signin
from advocacy.organizers.accounts import AccountError
from advocacy.organizers.forms import InvitationForm, InviteForm, PeopleForm
from advocacy.organizers.views import bp

FORM_NOT_UNDERSTOOD = "That change was not understood. Reload the page and try again."


def _campaigns() -> list[Campaign]:
    return list(get_session().scalars(sa.select(Campaign).order_by(Campaign.title, Campaign.slug)))


def _posted_roles(campaigns: list[Campaign]) -> dict[int, str]:
    """Read the role chosen for each campaign (fields role-<id>: "", editor or viewer)."""
    chosen = {}
    for campaign in campaigns:
        value = request.form.get(f"role-{campaign.id}", "")
        if value and value not in CAMPAIGN_ROLES:
            abort(400, description=FORM_NOT_UNDERSTOOD)
        if value:
            chosen[campaign.id] = value
    return chosen


def _people_page(
    invite_form: InviteForm | None = None,
    invited: dict[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    db = get_session()
    campaigns = _campaigns()
    organizers = list(db.scalars(sa.select(Organizer).order_by(Organizer.email)))
    return (
        render_template(
            "organizers/people.html",
            campaigns=campaigns,
            organizers=organizers,
            roles_by_organizer={o.id: roles.roles_of(db, o.id) for o in organizers},
            invite_form=invite_form or InviteForm(formdata=None),
            people_form=PeopleForm(formdata=None),
            invited=invited,
            invite_error=error,
            pending=people.pending_invitations(db, clock.now()),
            events=people.recent_account_events(db),
            campaign_titles={c.slug: c.title for c in campaigns},
            role_words=roles.ROLE_WORDS,
            hours=people.INVITATION_HOURS,
        ),
        status,
    )


@bp.get("/people")
def people_page() -> Any:
    """Who may do what: every organizer, their roles, invitations, and the account log."""
    roles.check("people")
    return _people_page()


@bp.post("/people/invite")
def invite() -> Any:
    """Make a one-time invitation link and show it, once, to the owner to send."""
    roles.check("people")
    form = InviteForm()
    if not form.validate_on_submit():
        return _people_page(invite_form=form, status=422)
    campaigns = _campaigns()
    grants = _posted_roles(campaigns)
    owner = request.form.get("owner") == "1"
    db = get_session()
    try:
        token = people.invite(db, g.organizer, form.email.data, owner, grants, clock.now())
    except AccountError as error:
        db.rollback()
        return _people_page(invite_form=form, error=str(error), status=422)
    db.commit()
    titles = {c.id: c.title for c in campaigns}
    invited = {
        "email": form.email.data.strip().lower(),
        "link": url_for("organizers.invitation", token=token, _external=True),
        "owner": owner,
        "roles": [(titles[k], v) for k, v in grants.items()] if not owner else [],
    }
    return _people_page(invited=invited)


@bp.post("/people/<int:organizer_id>/roles")
def change_roles(organizer_id: int) -> Any:
    """Make someone an owner, or set their role on each campaign; audited."""
    roles.check("people")
    if not PeopleForm().validate_on_submit():
        abort(400, description=FORM_NOT_UNDERSTOOD)
    db = get_session()
    grants = _posted_roles(_campaigns())
    owner = request.form.get("owner") == "1"
    try:
        changes = people.change_roles(db, g.organizer, organizer_id, owner, grants)
    except AccountError as error:
        db.rollback()
        flash(str(error), "error")
        return redirect(url_for("organizers.people_page"), 303)
    db.commit()
    flash("Roles saved." if changes else "Nothing changed.", "status")
    return redirect(url_for("organizers.people_page"), 303)


@bp.post("/people/<int:organizer_id>/disable")
def disable(organizer_id: int) -> Any:
    """Disable an account: it cannot sign in, and its sessions end at once; audited."""
    return _set_active(organizer_id, False)


@bp.post("/people/<int:organizer_id>/enable")
def enable(organizer_id: int) -> Any:
    """Let a disabled account sign in again (with its roles as they were); audited."""
    return _set_active(organizer_id, True)


def _set_active(organizer_id: int, active: bool) -> Any:
    roles.check("people")
    if not PeopleForm().validate_on_submit():
        abort(400, description=FORM_NOT_UNDERSTOOD)
    db = get_session()
    try:
        organizer = people.set_active(db, g.organizer, organizer_id, active)
    except AccountError as error:
        db.rollback()
        flash(str(error), "error")
        return redirect(url_for("organizers.people_page"), 303)
    db.commit()
    if active:
        flash(f"{organizer.email} may sign in again.", "status")
    else:
        flash(f"{organizer.email} is disabled: their sessions have ended.", "status")
    return redirect(url_for("organizers.people_page"), 303)


# --- an invitation, opened by the invitee ---------------------------------------------------


def _lifetime() -> timedelta:
    return timedelta(hours=float(current_app.config["ORGANIZERS_SESSION_HOURS"]))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Any:
    """Set a password for the invited address; then signed in with the invitation's roles."""
    db = get_session()
    found, problem = people.find_invitation(db, token, clock.now())
    if problem is not None or found is None:
        page = render_template(
            "organizers/invitation.html", problem=people.PROBLEMS[problem or "unknown"]
        )
        return page, 410 if problem in ("used", "expired") else 404
    form = InvitationForm()
    email = found.email
    if request.method == "POST" and form.validate_on_submit():
        try:
            _organizer, session_token = people.accept(
                db, token, form.password.data, clock.now(), _lifetime()
            )
        except AccountError as error:
            db.rollback()
            form.password.errors = [str(error)]
        else:
            db.commit()
            response = redirect(url_for("organizers.index"), 303)
            return signin.start_session(response, session_token)
    status = 422 if request.method == "POST" else 200
    form.password.data = ""
    form.confirm.data = ""
    page = render_template("organizers/invitation.html", form=form, email=email, problem=None)
    return page, status
