"""Passkeys' pages and the JSON the passkeys' script exchanges with them; asking again.

On the organizers' blueprint (`views.bp`), behind its door (`signin.py`), except the two
sign-in addresses. The script (static/js/passkeys.js) first posts for a ceremony's
options, lets the browser make or use the passkey, then posts its answer; every post
carries the page's CSRF token in the X-CSRFToken header, which CSRFProtect checks as it
checks a form's field. The logic is in `passkeys.py` and `stepup.py`.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from advocacy.campaigns.service import stored_campaign_or_404
from advocacy.db import get_session
from advocacy.models import PASSKEY_NAME_MAX
from advocacy.organizers import passkeys, roles, signin, stepup, throttle
from advocacy.organizers.forms import PasskeyActionForm, PasswordSwitchForm, StepUpForm
from advocacy.organizers.passkeys import PasskeyError
from advocacy.organizers.views import bp

log = logging.getLogger(__name__)

FORM_NOT_UNDERSTOOD = "That change was not understood. Reload the page and try again."


def _rp() -> passkeys.RelyingParty:
    return passkeys.relying_party(current_app.config)


def _options(json_text: str) -> Response:
    return current_app.response_class(json_text, mimetype="application/json")


def _refused(message: str, status: int = 422) -> tuple[Response, int]:
    return jsonify(error=message), status


def _text(value: Any) -> str:
    """A posted JSON value that should be text: anything else reads as nothing."""
    return value if isinstance(value, str) else ""


def _posted() -> tuple[dict[str, Any], str]:
    """The posted JSON object and its credential (as JSON text); 400 if not that shape."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        abort(400, description=passkeys.NOT_UNDERSTOOD)
    return body, current_app.json.dumps(body["credential"])


# --- the organizer's passkeys ---------------------------------------------------------------


@bp.get("/account/passkeys")
def passkeys_page() -> Any:
    """The organizer's passkeys: each one's name and use, adding one, removing one."""
    db = get_session()
    return render_template(
        "organizers/passkeys.html",
        passkeys=passkeys.passkeys_of(db, g.organizer.id),
        passwords=passkeys.passwords_allowed(db),
        form=PasskeyActionForm(formdata=None),
        works=passkeys.works_in_browsers(_rp()),
        name_max=PASSKEY_NAME_MAX,
    )


@bp.post("/account/passkeys/options")
def passkey_add_options() -> Any:
    db = get_session()
    options = passkeys.registration_options(db, g.organizer, _rp())
    db.commit()
    return _options(options)


@bp.post("/account/passkeys")
def passkey_add() -> Any:
    """Keep the passkey the browser made (JSON: name, credential)."""
    body, credential = _posted()
    db = get_session()
    try:
        passkey = passkeys.add_passkey(db, g.organizer, _rp(), _text(body.get("name")), credential)
    except PasskeyError as error:
        db.rollback()
        return _refused(str(error))
    db.commit()
    flash(f"Passkey “{passkey.name}” added: sign in with it from now on.", "status")
    return jsonify(redirect=url_for("organizers.passkeys_page"))


@bp.post("/account/passkeys/<int:passkey_id>/remove")
def passkey_remove(passkey_id: int) -> Any:
    if not PasskeyActionForm().validate_on_submit():
        abort(400, description=FORM_NOT_UNDERSTOOD)
    db = get_session()
    try:
        name = passkeys.remove_passkey(db, g.organizer, passkey_id)
    except PasskeyError as error:
        db.rollback()
        flash(str(error), "error")
    else:
        db.commit()
        flash(f"Passkey “{name}” removed: it no longer signs you in.", "status")
    return redirect(url_for("organizers.passkeys_page"), 303)


# --- the owners' switch ------------------------------------------------------------------


@bp.route("/account/sign-in", methods=["GET", "POST"])
def sign_in_switch() -> Any:
    """Owners only: allow password sign-in (with codes), or passkeys only."""
    roles.check("people")
    db = get_session()
    if request.method == "POST":
        form = PasswordSwitchForm()
        if not form.validate_on_submit():
            abort(400, description=FORM_NOT_UNDERSTOOD)
        allowed = form.passwords.data == "on"
        try:
            passkeys.set_passwords_allowed(db, allowed, g.organizer)
        except PasskeyError as error:
            db.rollback()
            flash(str(error), "error")
        else:
            db.commit()
            flash(
                "Password sign-in is on: organizers may sign in with a password (and code) "
                "or a passkey."
                if allowed
                else "Password sign-in is off: organizers sign in with passkeys only.",
                "status",
            )
        return redirect(url_for("organizers.sign_in_switch"), 303)
    return render_template(
        "organizers/sign_in_switch.html",
        passwords=passkeys.passwords_allowed(db),
        has_passkey=bool(passkeys.passkeys_of(db, g.organizer.id)),
        form=PasswordSwitchForm(formdata=None),
    )


# --- signing in with a passkey ------------------------------------------------------------


@bp.post("/login/passkey/options")
def passkey_sign_in_options() -> Any:
    if not throttle.take_client_attempt():
        return _refused(signin.SLOW_DOWN, 429)
    db = get_session()
    options = passkeys.assertion_options(db, _rp(), "sign-in")
    db.commit()
    return _options(options)


@bp.post("/login/passkey")
def passkey_sign_in() -> Any:
    """Sign in with the passkey the browser used (JSON: credential, next); counted first."""
    if not throttle.take_client_attempt():
        return _refused(signin.SLOW_DOWN, 429)
    body, credential = _posted()
    next_path = signin.safe_next(_text(body.get("next")))
    db = get_session()
    try:
        passkey = passkeys.verify_assertion(db, _rp(), credential, "sign-in")
    except PasskeyError as error:
        db.rollback()
        log.warning("organizers sign-in: a passkey answer refused (%s)", error.args[0][:60])
        return _refused(str(error), 401)
    token = signin.open_passkey_session(db, passkey.organizer_id)
    db.commit()
    response = jsonify(redirect=next_path or url_for("organizers.index"))
    return signin.start_session(response, token)


# --- asking again before contacts leave ------------------------------------------------------


def step_up_page(slug: str, error: str | None = None, status: int = 200) -> tuple[str, int]:
    """The page asking for a passkey or code before the pledges' download."""
    db = get_session()
    form = StepUpForm(formdata=None) if error is None else StepUpForm()
    form.answer.data = ""
    if error is not None:
        form.answer.errors = [error]
    return (
        render_template(
            "organizers/step_up.html",
            slug=slug,
            methods=stepup.methods(db, g.organizer),
            form=form,
            minutes=stepup.FRESH_MINUTES,
        ),
        status,
    )


def is_fresh() -> bool:
    token = signin.session_token()
    return token is not None and stepup.is_fresh(get_session(), token)


# The contacts' download: its page, and its POST (which then sends nothing, and goes back
# to the page). Counts by district name no one, and are not asked for.
CONTACT_EXPORTS = frozenset({"organizers.pledges_csv_page", "organizers.pledges_csv"})


@bp.before_request
def ask_again_before_contacts() -> Any:
    """Before the contacts' download, ask for a passkey or code unless given just now.

    Registered after signin's door (this module imports signin first): the organizer is
    signed in by now. Someone who may not export gets the 403 they always did.
    """
    if request.endpoint not in CONTACT_EXPORTS or is_fresh():
        return None
    slug = str((request.view_args or {}).get("slug", ""))
    camp = stored_campaign_or_404(get_session(), slug)
    roles.check("export", camp)
    if request.method == "POST":
        return redirect(url_for("organizers.pledges_csv_page", slug=camp.slug), 303)
    return step_up_page(camp.slug)


@bp.post("/c/<slug>/step-up")
def step_up_code(slug: str) -> Any:
    """Take a one-time code (or password) given again; then back to the download's page."""
    roles.check("export", stored_campaign_or_404(get_session(), slug))
    if not throttle.take_client_attempt():
        return step_up_page(slug, signin.SLOW_DOWN, 429)
    form = StepUpForm()
    if not form.validate_on_submit():
        return step_up_page(slug, form.answer.errors[0] if form.answer.errors else None, 422)
    db = get_session()
    token = signin.session_token()
    if token is None or not stepup.confirm(db, g.organizer, token, form.answer.data):
        db.rollback()
        return step_up_page(slug, "That is not right, or the code was already used.", 422)
    db.commit()
    return redirect(url_for("organizers.pledges_csv_page", slug=slug), 303)


@bp.post("/step-up/options")
def step_up_options() -> Any:
    db = get_session()
    options = passkeys.assertion_options(db, _rp(), "step-up", g.organizer.id)
    db.commit()
    return _options(options)


@bp.post("/step-up/passkey")
def step_up_passkey() -> Any:
    """Take the organizer's own passkey, used again (JSON: credential, next)."""
    if not throttle.take_client_attempt():
        return _refused(signin.SLOW_DOWN, 429)
    body, credential = _posted()
    next_path = signin.safe_next(_text(body.get("next")))
    db = get_session()
    token = signin.session_token()
    try:
        passkeys.verify_assertion(db, _rp(), credential, "step-up", g.organizer.id)
    except PasskeyError as error:
        db.rollback()
        return _refused(str(error), 401)
    if token is not None:
        stepup.mark(db, g.organizer, token, "passkey")
    db.commit()
    return jsonify(redirect=next_path or url_for("organizers.index"))
