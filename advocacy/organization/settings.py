"""The identity's settings pages, in the organizers' locked room.

This blueprint is registered inside the organizers' one (`organizers/views.py`), so its
pages are behind the same door: a signed-in organizer (`g.organizer`), cross-site posts
refused, nothing cached. Its URLs: /organizers/organization (the text) and
/organizers/organization/logo (the file, on a page of its own, so that a refused upload
never costs what was typed in the other form).

Today any signed-in organizer may change the identity; with roles (issue #20) only an
owner will, through `service.may_edit`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from advocacy.db import get_session
from advocacy.organization import identity, service
from advocacy.organization.forms import IdentityForm, LogoForm
from advocacy.organization.identity import load_identity
from advocacy.organization.logo import LOGO_MAX_BYTES, LogoError, process_logo, too_big_message
from advocacy.organization.rules import FIELDS, IdentityError

bp = Blueprint("organization", __name__, url_prefix="/organization")

# A logo's post may be larger than any other form's (ADVOCACY_MAX_CONTENT_LENGTH): the
# file, up to LOGO_MAX_BYTES, and room to say "too large" beside the field for a file up
# to twice that; a larger body is refused before it is read. nginx allows the same
# (deploy/nginx/advocacy.conf).
LOGO_POST_MAX = 2 * LOGO_MAX_BYTES + 64 * 1024


@bp.before_request
def only_who_may_edit() -> None:
    if not service.may_edit(g.get("organizer")):
        abort(403, description="Only the organization's owners may change who it is.")


def _settings_page(form: IdentityForm, status: int = 200) -> tuple[str, int]:
    db = get_session()
    page = render_template(
        "organization/settings.html",
        form=form,
        # As stored now, not as pages show it (which may be a few seconds behind).
        saved=load_identity(db),
        changes=service.recent_changes(db),
    )
    return page, status


@bp.get("")
def settings() -> Any:
    saved = load_identity(get_session())
    form = IdentityForm(formdata=None, data={name: getattr(saved, name) for name in FIELDS})
    return _settings_page(form)


@bp.post("")
def save_settings() -> Any:
    form = IdentityForm()
    if not form.validate_on_submit():
        # Everything typed comes back (cleaned), with a message beside each field.
        return _settings_page(form, 422)
    db = get_session()
    try:
        changed = service.update_identity(db, form.values(), organizer=g.organizer)
    except IdentityError as error:  # the form's rules are the service's: a safety net
        db.rollback()
        for name, message in error.problems.items():
            form[name].errors = [message]
        return _settings_page(form, 422)
    db.commit()
    identity.changed()
    if changed:
        flash("Saved. Every page now shows the organization as below.", "status")
    else:
        flash("Nothing had changed, so nothing was saved.", "status")
    return redirect(url_for("organizers.organization.settings"), 303)


def _logo_page(form: LogoForm, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "organization/logo.html",
        form=form,
        saved=load_identity(get_session()),
        max_mb=LOGO_MAX_BYTES // 1024 // 1024,
    )
    return page, status


@bp.get("/logo")
def logo() -> Any:
    return _logo_page(LogoForm(formdata=None))


@bp.post("/logo")
def save_logo() -> Any:
    """Upload or remove the logo (this view checks the form's own CSRF token: see init_app)."""
    request.max_content_length = LOGO_POST_MAX
    try:
        request.files  # noqa: B018 (read the body now, under this view's own limit)
    except RequestEntityTooLarge:
        form = LogoForm(formdata=None)
        form.logo.errors = [too_big_message()]
        return _logo_page(form, 413)
    form = LogoForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400, description="That form had expired. Reload the page and try again.")
        abort(400)
    db = get_session()
    if form.action.data == "remove":
        changed = service.set_logo(db, None, organizer=g.organizer)
        message = "The logo is removed." if changed else "There was no logo to remove."
    else:
        upload = form.logo.data
        try:
            processed = process_logo(upload.read(LOGO_MAX_BYTES + 1) if upload else b"")
        except LogoError as error:
            form.logo.errors = [str(error)]
            return _logo_page(form, 422)
        changed = service.set_logo(db, processed, organizer=g.organizer)
        message = (
            f"The new logo is in place ({processed.width} x {processed.height} pixels)."
            if changed
            else "That logo was already in place."
        )
    db.commit()
    identity.changed()
    flash(message, "status")
    return redirect(url_for("organizers.organization.logo"), 303)
