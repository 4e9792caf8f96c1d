"""Signing organizers in and out, and the door every other organizers' page is behind.

Every request to the blueprint passes here first: a POST that the browser says another
site started is refused, then the organizer's session is looked up in the database (pages
send strangers to the sign-in page, exports answer 401). Each sign-in attempt is counted
by the throttle (`throttle.py`) before the password is checked; signing out ends the
session in the database, so a copy of the cookie opens nothing. The session's token is in
a cookie of its own (COOKIE: HttpOnly, SameSite=Strict, Path=/organizers), never in the
Flask session the public pages could share. The routes are on the
organizers' one blueprint (`views.bp`). Signing in with a passkey (`passkey_views.py`)
opens the same kind of session here; the password form is refused while an owner has
switched password sign-in off (`passkeys.passwords_allowed`).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy.orm import Session as DbSession
from werkzeug.wrappers import Response

from advocacy.db import get_session
from advocacy.models import Organizer
from advocacy.organizers import accounts, passkeys, throttle
from advocacy.organizers.forms import LoginForm, LogoutForm
from advocacy.organizers.views import bp
from advocacy.web.errors import MESSAGES, render_error
from advocacy.web.inputs import CONTROL

log = logging.getLogger(__name__)

# The organizers' session lives in a cookie of its own, apart from anything the public
# pages use: HttpOnly, SameSite=Strict (no other site's link or form carries it), sent
# only to /organizers, Secure when the site is served over https. It holds a random
# token; the database keeps the token's hash (accounts.py).
COOKIE = "advocacy_organizer_session"
COOKIE_PATH = "/organizers"
COOKIE_TOKEN_MAX = 128
# Signing out needs no live session: it ends whatever the cookie names. An invitation's
# page is for someone who has no account yet.
PUBLIC_ENDPOINTS = frozenset(
    {
        "organizers.login",
        "organizers.logout",
        "organizers.invitation",
        "organizers.passkey_sign_in_options",
        "organizers.passkey_sign_in",
    }
)
# Endpoints that answer 401 rather than sending a browser to the sign-in page.
EXPORT_ENDPOINTS = frozenset({"organizers.pledges_csv", "organizers.districts_csv"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

REFUSALS = {
    "credentials": "Those sign-in details are not right. Check them and try again.",
    "code_needed": "Enter the six-digit code from your authenticator app.",
    "code_wrong": "That code is not right, or was already used. Enter the current code "
    "from your authenticator app.",
    "needs_2fa": "Your account must use a one-time code before you can sign in. Ask an "
    "administrator to run `advocacy organizers totp` with your email address, then add "
    "the code it prints to your authenticator app.",
    "passwords_off": "Signing in with a password is switched off here: sign in with your "
    "passkey. Lost it? An administrator can switch passwords back on with `advocacy "
    "organizers passwords on`.",
}
SLOW_DOWN = "There have been too many sign-in attempts. Please wait a few minutes, then try again."


# --- who is signed in ---------------------------------------------------------------------


def _session_lifetime() -> timedelta:
    return timedelta(hours=float(current_app.config["ORGANIZERS_SESSION_HOURS"]))


def session_token() -> str | None:
    token = request.cookies.get(COOKIE)
    return token if token and len(token) <= COOKIE_TOKEN_MAX else None


def _cookie_secure() -> bool:
    public_url = str(current_app.config.get("PUBLIC_URL") or "")
    return public_url.startswith("https://") or bool(current_app.config["SESSION_COOKIE_SECURE"])


def start_session(response: Response, token: str) -> Response:
    """Give the browser its organizer's session: the cookie, and a fresh Flask session."""
    # Nothing from before signing in carries over (CSRF token, messages).
    session.clear()
    response.set_cookie(
        COOKIE,
        token,
        path=COOKIE_PATH,
        secure=_cookie_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


def end_session_cookie(response: Response) -> Response:
    response.delete_cookie(
        COOKIE, path=COOKIE_PATH, secure=_cookie_secure(), httponly=True, samesite="Strict"
    )
    return response


def current_organizer() -> Organizer | None:
    """Return the signed-in organizer, if their session is in the database and fresh."""
    token = session_token()
    if token is None:
        return None
    return accounts.session_organizer(get_session(), token, _session_lifetime())


def open_passkey_session(db: DbSession, organizer_id: int) -> str:
    """Open a session for an organizer who has just used a passkey (fresh for exports)."""
    return accounts.open_session(db, organizer_id, _session_lifetime(), stepped_up=True)


def safe_next(target: str | None) -> str | None:
    """Accept only a path inside /organizers/ as where to go after signing in."""
    if not target or not target.startswith("/organizers/") or "\\" in target:
        return None
    if len(target) > 512 or CONTROL.search(target):
        return None
    if target.startswith("//") or "//" in target or ".." in target:
        return None
    return target


@bp.before_request
def refuse_cross_site_posts() -> None:
    """Refuse a POST that the browser says another site started (besides the CSRF token)."""
    if request.method not in SAFE_METHODS and request.headers.get("Sec-Fetch-Site") in (
        "cross-site",
        "same-site",
    ):
        abort(403, description="That was sent from another site. Use the organizers' pages.")


@bp.before_request
def require_organizer() -> Any:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    organizer = current_organizer()
    if organizer is None:
        if request.cookies.get(COOKIE) is not None:
            g.end_organizer_cookie = True
        if request.endpoint in EXPORT_ENDPOINTS:
            abort(401, description="Sign in as an organizer to download this file.")
        return redirect(url_for("organizers.login", next=request.path))
    g.organizer = organizer
    return None


@bp.after_request
def forget_dead_session(response: Response) -> Response:
    """A cookie whose session has ended (signed out, disabled, expired) is deleted."""
    if g.get("end_organizer_cookie"):
        end_session_cookie(response)
    return response


@bp.context_processor
def organizer_context() -> dict[str, Any]:
    # formdata=None: error pages render this too, for posts whose body cannot be read.
    organizer = g.get("organizer")
    return {
        "organizer": organizer,
        "is_owner": bool(organizer is not None and organizer.owner),
        "logout_form": LogoutForm(formdata=None),
    }


@bp.errorhandler(413)
def too_large(_error: Exception) -> Any:
    """An oversize post: the error page; on the sign-in form, one log line and one attempt."""
    if request.endpoint == "organizers.login":
        log.warning(
            "organizers sign-in: a post over %s bytes refused",
            current_app.config["MAX_CONTENT_LENGTH"],
        )
        if not throttle.take_client_attempt():
            return render_error(429, MESSAGES[429])
    return render_error(413, MESSAGES[413])


# --- signing in and out -------------------------------------------------------------------


def _login_page(
    form: LoginForm, next_path: str | None, status: int, error: str | None = None
) -> tuple[str, int]:
    form.password.data = ""
    form.code.data = ""
    slow = status == 429
    page = render_template(
        "organizers/login.html",
        form=form,
        error=error,
        slow=slow,
        next_path=next_path,
        passwords=passkeys.passwords_allowed(get_session()),
    )
    return page, status


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in. Each attempt is counted (throttle) before the password is checked."""
    form = LoginForm()
    next_path = safe_next(request.values.get("next"))
    if request.method != "POST":
        return _login_page(form, next_path, 200)
    if not throttle.take_client_attempt():
        return _login_page(form, next_path, 429, SLOW_DOWN)
    if not passkeys.passwords_allowed(get_session()):
        return _login_page(form, next_path, 403, REFUSALS["passwords_off"])
    if not form.validate():
        return _login_page(form, next_path, 422)
    email = form.email.data
    device = throttle.device_for(email)
    if not throttle.take_account_attempt(email, device):
        return _login_page(form, next_path, 429, SLOW_DOWN)
    db = get_session()
    outcome = accounts.authenticate(
        db,
        email,
        form.password.data,
        form.code.data or "",
        bool(current_app.config["ORGANIZERS_REQUIRE_2FA"]),
        _session_lifetime(),
    )
    if outcome.token is None:
        db.rollback()
        return _login_page(form, next_path, 401, REFUSALS[outcome.refusal or "credentials"])
    db.commit()
    throttle.forget_account_attempts(email, device)
    response = start_session(
        redirect(next_path or url_for("organizers.index"), 303), outcome.token
    )
    throttle.remember_device(response, email, device)
    return response


@bp.post("/logout")
def logout() -> Any:
    """End the session in the database (a copy of the cookie opens nothing) and the cookie."""
    form = LogoutForm()
    if form.validate_on_submit():
        token = session_token()
        if token is not None:
            db = get_session()
            accounts.end_session(db, token)
            db.commit()
        session.clear()
        return end_session_cookie(redirect(url_for("organizers.login"), 303))
    return redirect(url_for("organizers.login"), 303)
