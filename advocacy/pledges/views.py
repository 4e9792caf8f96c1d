"""The supporter's path from the campaign page: the pledge, the results page, its forms.

The campaign page's pledge form is this package's: its blank state and token for the
page campaigns renders (blank_form), its post, and the token its script fetches. Each
POST validates, does the slow look-up before touching the database, then writes in
one transaction committed here, at the edge of the request.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from advocacy.campaigns.content import content_of
from advocacy.campaigns.page import render_campaign_page
from advocacy.campaigns.service import cached_campaign_ref, campaign_or_404
from advocacy.db import begin_write, get_session
from advocacy.letters.page import letters_for
from advocacy.mail import outbox_changed
from advocacy.models import Campaign
from advocacy.organization.identity import current_identity
from advocacy.pledges import guard
from advocacy.pledges.forms import PledgeForm, StreetAddressForm
from advocacy.pledges.service import set_pledge_place
from advocacy.pledges.submission import checked_pledge, record_with_visit
from advocacy.pledges.visits import (
    Visit,
    address_of,
    find_visit,
    keep_visit,
    kept_visit,
    reseal,
    supporter_of,
)
from advocacy.representatives.service import (
    Lookup,
    LookupInputError,
    choose_seat,
    find_members,
    get_directory,
    lookup_from_record,
)
from advocacy.web import formguard
from advocacy.web.errors import (
    DATABASE_DOWN_ERRORS,
    RETRY_AFTER_SECONDS,
    database_down,
    render_error,
)
from advocacy.web.extensions import lookup_limited, pledge_limit
from advocacy.web.languages import current_language
from advocacy.web.links import public_url_for

bp = Blueprint("pledges", __name__)


# An edited letter may be longer than the note alone, but not without bound.
LETTER_MAX = 20_000


def blank_form(slug: str, ref: str, at: float) -> tuple[PledgeForm, str]:
    """Return the campaign page's blank pledge form, and its token for a page made at at."""
    # No session CSRF token: the page is the same for everyone (see PledgeForm).
    form = PledgeForm(formdata=None, meta={"csrf": False})
    form.ref.data = ref
    return form, guard.CAMPAIGN_PAGE.issue_token(current_app.config["SECRET_KEY"], slug, at)


@bp.get("/c/<slug>/form-token")
def form_token(slug: str) -> Response:
    """Give the page's script a token of this visitor's own: the fill time runs from now."""
    cached_campaign_ref(get_session(), slug)  # a 404 for a campaign that does not exist
    return guard.CAMPAIGN_PAGE.token_answer(slug)


@bp.post("/c/<slug>")
@pledge_limit
def submit(slug: str) -> Any:
    if formguard.is_foreign_post(request):
        return render_error(403, formguard.FOREIGN_ORIGIN_MESSAGE)
    form = PledgeForm()
    checked = checked_pledge(
        form, lambda started, honeypot: guard.CAMPAIGN_PAGE.check(slug, started, honeypot)
    )
    if checked is None:
        token = guard.CAMPAIGN_PAGE.issue_token(current_app.config["SECRET_KEY"], slug)
        return render_campaign_page(campaign_or_404(get_session(), slug), form, token, 422)
    data, lookup = checked

    db = get_session()
    try:
        recorded = record_with_visit(db, slug, data, lookup)
        db.commit()
        # The email waits in the outbox: this answer never waits on the mail server.
        outbox_changed()
    except DATABASE_DOWN_ERRORS as error:
        # Nothing was saved: give the form back filled, to send again in a minute.
        database_down(error)
        html = render_template("pledges/retry.html", slug=slug, form=form)
        return html, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    # The results page finds this supporter through a random id in the session cookie,
    # never through the URL, and opens with the key beside it, which only the browser keeps.
    keep_visit(recorded.visit_id, recorded.visit_key)
    return redirect(url_for("pledges.thanks", slug=recorded.campaign.slug, _anchor="main"), 303)


def _visit_for(campaign: Campaign) -> Visit | None:
    return find_visit(get_session(), campaign, *kept_visit())


def _address_form_for(visit: Visit) -> StreetAddressForm:
    """Return the results page's address form filled with what the supporter typed."""
    return StreetAddressForm(
        formdata=None,
        data={"street": visit.street, "city": visit.city, "state": visit.state, "zip": visit.zip},
    )


def _render_thanks(
    campaign: Campaign,
    visit: Visit,
    address_form: StreetAddressForm,
    status: int = 200,
    choice_error: str = "",
) -> tuple[str, int, dict[str, str]]:
    lookup = lookup_from_record(visit.lookup, address_of(visit))
    content = content_of(campaign)
    html = render_template(
        "pledges/thanks.html",
        campaign=campaign,
        content=content,
        supporter=visit,
        lookup=lookup,
        letters=letters_for(content, lookup.legislators, supporter_of(visit)),
        address_form=address_form,
        choice_error=choice_error,
    )
    # Personal data: no shared cache may keep this page.
    return html, status, {"Cache-Control": "no-store"}


@bp.get("/c/<slug>/thanks")
def thanks(slug: str) -> Any:
    campaign = campaign_or_404(get_session(), slug)
    visit = _visit_for(campaign)
    if visit is None:
        return redirect(url_for("campaigns.page", slug=campaign.slug))
    return _render_thanks(campaign, visit, _address_form_for(visit))


@bp.post("/c/<slug>/thanks")
@lookup_limited
def refine(slug: str) -> Any:
    """Look the supporter up again from a street address, and update their pledge."""
    db = get_session()
    campaign = campaign_or_404(db, slug)
    visit = _visit_for(campaign)
    if visit is None:
        return redirect(url_for("campaigns.page", slug=campaign.slug))
    form = StreetAddressForm()
    if not form.validate():
        return _render_thanks(campaign, visit, form, 422)
    address = form.to_address()
    # Release the read transaction before the geocoder: nothing waits on it holding a
    # database connection.
    db.commit()
    try:
        lookup = find_members(address)
    except LookupInputError as error:
        for name, message in error.fields.items():
            form[name].errors = [message]
        return _render_thanks(campaign, visit, form, 422)
    _settle(
        visit,
        lookup,
        street=address.street,
        city=address.city or visit.city,
        state=address.state or lookup.state or visit.state,
        zip=address.zip5,
    )
    return redirect(url_for("pledges.thanks", slug=campaign.slug, _anchor="main"), 303)


@bp.post("/c/<slug>/thanks/district")
@lookup_limited
def choose_district(slug: str) -> Any:
    """Settle a ZIP that spans districts with the supporter's own choice, or all of them."""
    campaign = campaign_or_404(get_session(), slug)
    visit = _visit_for(campaign)
    if visit is None:
        return redirect(url_for("campaigns.page", slug=campaign.slug))
    try:
        lookup = choose_seat(visit.lookup, request.form.get("district", ""))
    except LookupInputError as error:
        message = error.fields.get("district") or gettext(
            "Please choose one of the districts listed."
        )
        return _render_thanks(campaign, visit, _address_form_for(visit), 422, message)
    # "All of them" leaves the district unknown (None) on the pledge.
    _settle(visit, lookup)
    return redirect(url_for("pledges.thanks", slug=campaign.slug, _anchor="main"), 303)


def _settle(visit: Visit, lookup: Lookup, **typed: str) -> None:
    """Keep the new look-up (and what was typed) with the visit, move the pledge if this
    visit made it, and commit.

    The pledge's row is locked before the visit's, the order a withdrawal takes them in:
    the other order deadlocked with a withdrawal on PostgreSQL. A pledge withdrawn
    meanwhile took its visits with it, so the update finds nothing, and the next page
    goes back to the campaign.
    """
    db = get_session()
    begin_write(db)
    # Only the person who made the pledge may move it; a repeat visitor with the same
    # email (perhaps not the same person) changes only their own page.
    if visit.pledge_created and visit.pledge_id is not None:
        set_pledge_place(db, visit.pledge_id, lookup)
    reseal(db, visit, kept_visit()[1], lookup=lookup.to_record(), **typed)
    db.commit()


def _filename(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "letter"


def _letter_note(campaign: Campaign) -> str:
    """Return the note under a downloaded letter: who drafted it with the supporter, how
    to reach them, and where the privacy page is (the file outlives the page)."""
    who = current_identity()
    site = current_app.config["PUBLIC_URL"].split("://", 1)[-1]
    if who.named:
        drafted = gettext(
            'Drafted on %(site)s for "%(title)s", run by %(name)s.',
            site=site,
            title=campaign.title,
            name=who.name,
        )
    else:
        drafted = gettext('Drafted on %(site)s for "%(title)s".', site=site, title=campaign.title)
    lines = [
        "",
        "-- ",
        gettext("A note for you, not part of the letter (delete it before you send the letter):"),
        drafted,
    ]
    contact = [part for part in (who.email, who.address_line, who.website) if part]
    if contact:
        lines.append(gettext("Contact: %(contact)s", contact=" · ".join(contact)))
    privacy = public_url_for(current_app, "organization.privacy", language=current_language())
    lines.append(
        gettext("What we keep about you, and how to withdraw your pledge: %(link)s", link=privacy)
    )
    return "\n".join(lines) + "\n"


@bp.post("/c/<slug>/letters/download")
@lookup_limited
def download_letter(slug: str) -> BaseResponse:
    """Send the letter as typed in the page, so the supporter's edits are kept."""
    campaign = campaign_or_404(get_session(), slug)
    if _visit_for(campaign) is None:
        return redirect(url_for("campaigns.page", slug=slug))
    body = request.form.get("body", "").replace("\r\n", "\n")
    if not body.strip() or len(body) > LETTER_MAX:
        return Response(
            gettext("The letter is empty or too long to download. Go back to edit it."),
            400,
            mimetype="text/plain",
        )
    directory = get_directory()
    member = directory.get(request.form.get("bioguide", "")) if directory else None
    name = f"letter-to-{member.title}-{member.last_name}" if member else "letter"
    response = Response(body.rstrip() + "\n" + _letter_note(campaign), mimetype="text/plain")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(name)}.txt"'
    response.headers["Cache-Control"] = "no-store"
    return response
