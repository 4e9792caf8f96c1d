"""Organizers' roles (#20): owners do everything; editors and viewers only the campaigns
they are given; invitations, disabling, the audit of every change; the organizers' own
SameSite=Strict cookie."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import sqlalchemy as sa
from data_files import snapshot_clock
from editor_pages import new_campaign
from flask import Flask, request
from flask.testing import FlaskClient
from organizer_pages import PASSWORD, create_organizer, login, step_up
from pages import SLUG, hidden_value, page_text, parse
from werkzeug.test import TestResponse

from advocacy.db import get_session
from advocacy.models import AuditEvent, Campaign, Organizer, OrganizerInvitation
from advocacy.organizers import people, roles, signin

OWNER = "owner@example.org"
SECOND = "second-campaign"
SECOND_TITLE = "A Second Campaign For Partners"


def _signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = login(client, email=email)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def _two_campaigns(app: Flask) -> FlaskClient:
    """An owner, signed in, and a second campaign beside the shipped one."""
    create_organizer(app, OWNER)
    owner = _signed_in(app, OWNER)
    assert new_campaign(owner, SECOND, SECOND_TITLE).status_code == 303
    return owner


def _post_with_token(client: FlaskClient, page: str, path: str, **data: str) -> TestResponse:
    token = hidden_value(client.get(page).get_data(as_text=True), "csrf_token")
    return client.post(path, data={"csrf_token": token, **data})


def _campaign_id(app: Flask, slug: str) -> int:
    with app.app_context():
        found = get_session().scalar(sa.select(Campaign.id).where(Campaign.slug == slug))
        assert found is not None
        return int(found)


# --- viewers and editors -----------------------------------------------------------------


def test_a_viewer_sees_only_their_campaigns_and_cannot_export_or_edit(app: Flask) -> None:
    _two_campaigns(app)
    create_organizer(app, "viewer@example.org", roles={SECOND: "viewer"})
    viewer = _signed_in(app, "viewer@example.org")

    dashboard = viewer.get("/organizers/").get_data(as_text=True)
    assert SECOND_TITLE in dashboard
    assert "Uyghur Policy Act" not in dashboard

    page = viewer.get(f"/organizers/c/{SECOND}/")
    assert page.status_code == 200
    assert "pledges.csv" not in page.get_data(as_text=True)  # no export buttons
    assert viewer.get(f"/organizers/c/{SECOND}/report").status_code == 200

    for path in (f"/organizers/c/{SECOND}/pledges.csv", f"/organizers/c/{SECOND}/districts.csv"):
        assert viewer.get(path).status_code == 403
        posted = _post_with_token(viewer, f"/organizers/c/{SECOND}/", path)
        assert posted.status_code == 403
        assert "@example.org" not in posted.get_data(as_text=True).replace(
            "viewer@example.org", ""
        )
    for path in ("edit", "versions", "preview", "preview/page"):
        assert viewer.get(f"/organizers/c/{SECOND}/{path}").status_code == 403
    publish = _post_with_token(
        viewer, f"/organizers/c/{SECOND}/", f"/organizers/c/{SECOND}/publish", version="1"
    )
    assert publish.status_code == 403
    # Nor the owners' pages.
    for path in ("/organizers/people", "/organizers/organization"):
        assert viewer.get(path).status_code == 403
    listing = viewer.get("/organizers/campaigns").get_data(as_text=True)
    assert SECOND_TITLE not in listing and "Start a draft" not in listing


def test_an_editor_of_one_campaign_cannot_open_another(app: Flask) -> None:
    _two_campaigns(app)
    create_organizer(app, "editor@example.org", roles={SECOND: "editor"})
    editor = _signed_in(app, "editor@example.org")

    assert editor.get(f"/organizers/c/{SECOND}/edit").status_code == 200
    assert editor.get(f"/organizers/c/{SECOND}/pledges.csv").status_code == 200
    listing = editor.get("/organizers/campaigns").get_data(as_text=True)
    assert SECOND_TITLE in listing and "Uyghur Policy Act" not in listing

    for path in (
        "",
        "report",
        "report/WA-7",
        "pledges.csv",
        "districts.csv",
        "edit",
        "versions",
        "versions/1",
        "preview",
        "preview/page",
    ):
        response = editor.get(f"/organizers/c/{SLUG}/{path}")
        assert response.status_code == 403, path
        body = response.get_data(as_text=True)
        assert "Uyghur Policy Act" not in body, path
        assert roles.REFUSED.split(":")[0] in page_text(body).replace("\n", " "), path
    save = _post_with_token(
        editor, f"/organizers/c/{SECOND}/edit", f"/organizers/c/{SLUG}/publish", version="1"
    )
    assert save.status_code == 403
    # Starting campaigns is for owners.
    assert new_campaign(editor, "third", "Third").status_code == 403


def test_an_owner_can_do_everything(app: Flask) -> None:
    owner = _two_campaigns(app)
    for path in (
        "/organizers/",
        f"/organizers/c/{SLUG}/",
        f"/organizers/c/{SECOND}/edit",
        f"/organizers/c/{SLUG}/pledges.csv",
        "/organizers/people",
        "/organizers/organization",
        "/organizers/campaigns",
    ):
        assert owner.get(path).status_code == 200, path
    # Asked again for the contacts (stepup.py), as every organizer is.
    assert step_up(owner, f"/organizers/c/{SLUG}/pledges.csv").status_code == 303
    download = _post_with_token(
        owner, f"/organizers/c/{SLUG}/pledges.csv", f"/organizers/c/{SLUG}/pledges.csv"
    )
    assert download.status_code == 200


def test_the_one_function_decides(app: Flask) -> None:
    _two_campaigns(app)
    create_organizer(app, "v@example.org", roles={SECOND: "viewer"})
    with app.app_context():
        db = get_session()
        second = db.scalar(sa.select(Campaign).where(Campaign.slug == SECOND))
        first = db.scalar(sa.select(Campaign).where(Campaign.slug == SLUG))
        viewer = db.scalar(sa.select(Organizer).where(Organizer.email == "v@example.org"))
        owner = db.scalar(sa.select(Organizer).where(Organizer.email == OWNER))
        assert viewer is not None and owner is not None
        assert roles.may(db, viewer, "view", second)
        assert not roles.may(db, viewer, "export", second)
        assert not roles.may(db, viewer, "view", first)
        assert not roles.may(db, viewer, "people", None)
        assert all(roles.may(db, owner, "export", c) for c in (first, second))
        assert not roles.may(db, None, "view", second)


# --- invitations -------------------------------------------------------------------------


def _invite(by: FlaskClient, email: str, **fields: str) -> str:
    response = _post_with_token(
        by, "/organizers/people", "/organizers/people/invite", email=email, **fields
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    link = parse(response.get_data(as_text=True)).find_all("input")
    urls = [i.attrs["value"] for i in link if i.attrs.get("id") == "invitation-url"]
    assert len(urls) == 1
    return urlparse(urls[0]).path


def _accept(client: FlaskClient, path: str, password: str = PASSWORD) -> TestResponse:
    # The sign-in page's token: a used or expired invitation's page has no form.
    token = hidden_value(client.get("/organizers/login").get_data(as_text=True), "csrf_token")
    return client.post(path, data={"csrf_token": token, "password": password, "confirm": password})


def test_an_invitation_signs_the_invitee_in_with_its_roles_once(app: Flask) -> None:
    owner = _two_campaigns(app)
    second_id = _campaign_id(app, SECOND)
    path = _invite(owner, "New@Example.org", **{f"role-{second_id}": "editor"})
    assert path.startswith("/organizers/invitation/")
    with app.app_context():
        stored = get_session().scalars(sa.select(OrganizerInvitation)).one()
        token = path.rsplit("/", 1)[1]
        assert token not in stored.token_hash  # only its hash is kept
        assert stored.email == "new@example.org"

    invitee = app.test_client()
    page = invitee.get(path)
    assert page.status_code == 200 and "new@example.org" in page.get_data(as_text=True)
    assert 'autocomplete="new-password"' in page.get_data(as_text=True)
    short = _accept(invitee, path, "short")
    assert short.status_code == 422
    accepted = _accept(invitee, path)
    assert accepted.status_code == 303
    assert accepted.headers["Location"] == "/organizers/"
    dashboard = invitee.get("/organizers/").get_data(as_text=True)
    assert SECOND_TITLE in dashboard and "Uyghur Policy Act" not in dashboard
    assert invitee.get(f"/organizers/c/{SECOND}/edit").status_code == 200
    assert invitee.get(f"/organizers/c/{SLUG}/").status_code == 403
    # And they can sign in again with the password they chose.
    assert login(app.test_client(), email="new@example.org").status_code == 303

    again = _accept(app.test_client(), path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count()).select_from(Organizer)) == 2


def test_an_expired_invitation_is_refused_with_a_clear_message(app: Flask) -> None:
    owner = _two_campaigns(app)
    path = _invite(owner, "late@example.org", owner="1")
    later = snapshot_clock() + timedelta(hours=people.INVITATION_HOURS, seconds=1)
    app.config["CLOCK"] = lambda: later
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert _accept(app.test_client(), path).status_code == 410
    assert app.test_client().get("/organizers/invitation/not-a-token").status_code == 404


def test_only_owners_invite_and_an_existing_address_is_refused(app: Flask) -> None:
    owner = _two_campaigns(app)
    response = _post_with_token(
        owner, "/organizers/people", "/organizers/people/invite", email=OWNER, owner="1"
    )
    assert response.status_code == 422
    assert "already has an account" in response.get_data(as_text=True)
    no_role = _post_with_token(
        owner, "/organizers/people", "/organizers/people/invite", email="x@example.org"
    )
    assert no_role.status_code == 422
    create_organizer(app, "v@example.org", roles={SECOND: "viewer"})
    viewer = _signed_in(app, "v@example.org")
    token = hidden_value(viewer.get("/organizers/").get_data(as_text=True), "csrf_token")
    refused = viewer.post(
        "/organizers/people/invite", data={"csrf_token": token, "email": "y@example.org"}
    )
    assert refused.status_code == 403


# --- disabling and roles -----------------------------------------------------------------


def _organizer_id(app: Flask, email: str) -> int:
    with app.app_context():
        found = get_session().scalar(sa.select(Organizer.id).where(Organizer.email == email))
        assert found is not None
        return int(found)


def test_a_disabled_organizer_is_signed_out_at_once_and_cannot_sign_in(app: Flask) -> None:
    owner = _two_campaigns(app)
    create_organizer(app, "gone@example.org", roles={SECOND: "editor"})
    gone = _signed_in(app, "gone@example.org")
    assert gone.get("/organizers/").status_code == 200
    target = _organizer_id(app, "gone@example.org")
    response = _post_with_token(
        owner, "/organizers/people", f"/organizers/people/{target}/disable"
    )
    assert response.status_code == 303
    after = gone.get("/organizers/")
    assert after.status_code == 302
    assert f"{signin.COOKIE}=;" in after.headers.get("Set-Cookie", "")  # the dead cookie goes
    assert login(app.test_client(), email="gone@example.org").status_code == 401
    # An owner cannot lock themselves out.
    me = _organizer_id(app, OWNER)
    _post_with_token(owner, "/organizers/people", f"/organizers/people/{me}/disable")
    assert owner.get("/organizers/").status_code == 200


def test_role_changes_are_audited_and_shown(app: Flask) -> None:
    owner = _two_campaigns(app)
    create_organizer(app, "p@example.org", roles={SECOND: "viewer"})
    target = _organizer_id(app, "p@example.org")
    second_id = _campaign_id(app, SECOND)
    first_id = _campaign_id(app, SLUG)
    response = _post_with_token(
        owner,
        "/organizers/people",
        f"/organizers/people/{target}/roles",
        **{f"role-{second_id}": "editor", f"role-{first_id}": "viewer"},
    )
    assert response.status_code == 303
    _post_with_token(owner, "/organizers/people", f"/organizers/people/{target}/disable")
    with app.app_context():
        rows = get_session().execute(
            sa.select(AuditEvent.action, AuditEvent.campaign_slug, AuditEvent.subject)
            .where(AuditEvent.action.startswith("account "))
            .order_by(AuditEvent.id)
        )
        events = [tuple(row) for row in rows]
    assert ("account role editor", SECOND, "p@example.org") in events
    assert ("account role viewer", SLUG, "p@example.org") in events
    assert events[-1] == ("account disable", None, "p@example.org")
    page = owner.get("/organizers/people").get_data(as_text=True)
    log = page_text(page)
    assert "role editor on" in log and "disable" in log
    # The last owner cannot stop being one.
    me = _organizer_id(app, OWNER)
    kept = _post_with_token(owner, "/organizers/people", f"/organizers/people/{me}/roles")
    assert kept.status_code == 303
    assert owner.get("/organizers/people").status_code == 200


def test_the_command_line_makes_owners(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["organizers", "create", "first@example.org", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    client = _signed_in(app, "first@example.org")
    assert client.get("/organizers/people").status_code == 200


# --- the organizers' own cookie ---------------------------------------------------------------


def _cookie_header(response: TestResponse) -> str:
    found = [v for v in response.headers.getlist("Set-Cookie") if v.startswith(signin.COOKIE)]
    assert len(found) == 1, response.headers.getlist("Set-Cookie")
    return found[0]


def test_the_session_cookie_is_its_own_strict_cookie(app: Flask, make_app: Any) -> None:
    create_organizer(app)
    header = _cookie_header(login(app.test_client()))
    parts = [p.strip() for p in header.split(";")]
    assert "SameSite=Strict" in parts and "HttpOnly" in parts and "Path=/organizers" in parts
    assert "Secure" not in parts  # http://127.0.0.1 in tests
    secure = make_app(PUBLIC_URL="https://advocacy.example.org")
    header = _cookie_header(login(secure.test_client()))
    assert "Secure" in [p.strip() for p in header.split(";")]


def test_the_public_pages_never_set_or_read_the_organizers_cookie(make_app: Any) -> None:
    app = make_app()
    seen: list[tuple[str, bool]] = []

    @app.before_request
    def _look() -> None:
        seen.append((request.path, signin.COOKIE in request.cookies))

    create_organizer(app)
    client = app.test_client()
    assert login(client).status_code == 303
    for path in ("/", f"/c/{SLUG}", "/privacy", f"/c/{SLUG}/letters"):
        response = client.get(path)
        assert not any(
            v.startswith(signin.COOKIE) for v in response.headers.getlist("Set-Cookie")
        ), path
    client.get("/organizers/")
    public = [has for path, has in seen if not path.startswith("/organizers")]
    organizers = [has for path, has in seen if path == "/organizers/"]
    assert public and not any(public)
    assert organizers == [True]
