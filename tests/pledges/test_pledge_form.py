"""The pledge form: recorded once, thanked, and never a 500 whatever is typed."""

from __future__ import annotations

import re
from typing import Any

import factories
import pytest
import sqlalchemy as sa
from contact_keys import hashed, opened
from flask import Flask
from flask.testing import FlaskClient
from inbox import confirm_waiting
from pages import SLUG, hidden_value, pledge_fields, submit_pledge
from sqlalchemy.orm import Session

from advocacy.db import get_session
from advocacy.models import Campaign, Pledge
from advocacy.pledges.sealing import Contact


def pledges(app: Flask) -> list[Pledge]:
    with app.app_context():
        return list(get_session().scalars(sa.select(Pledge).order_by(Pledge.id)))


def count(app: Flask) -> int:
    with app.app_context():
        return (
            get_session().scalar(sa.select(Campaign.pledge_count).where(Campaign.slug == SLUG))
            or 0
        )


def test_pledge_is_recorded_and_thanked_after_a_redirect(app: Flask, client: FlaskClient) -> None:
    response = submit_pledge(client, name="Amina Tursun", note="For my family.", consent="y")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/c/{SLUG}/thanks#main"

    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Thank you, Amina Tursun!" in html
    # Not counted until confirmed from the mailbox; the page says so.
    assert "<strong>0</strong> people have added their name" in html
    assert "check your email" in html
    assert "once you confirm it from your email" in html

    [pledge] = pledges(app)
    # Agreed to be contacted: name and email kept sealed to the organization's key alone.
    assert opened(pledge) == Contact("Amina Tursun", "amina@example.org")
    assert pledge.email_hash == hashed("AMINA@example.org")
    assert pledge.zip == "98105"
    assert (pledge.state, pledge.district) == ("WA", 7)
    assert pledge.consent is True
    # The note went into the letters; not ticked to be quoted, it is kept nowhere.
    assert "For my family." in html
    assert count(app) == 0
    assert confirm_waiting(app) == 1
    assert count(app) == 1
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>1</strong> person has added their name" in html


def test_consent_is_off_unless_ticked(app: Flask, client: FlaskClient) -> None:
    submit_pledge(client)
    assert pledges(app)[0].consent is False


def test_ref_from_the_page_url_is_recorded(app: Flask, client: FlaskClient) -> None:
    submit_pledge(client, page_url=f"/c/{SLUG}?ref=uhrp.org")
    assert pledges(app)[0].ref == "uhrp.org"


def test_same_email_in_another_case_gets_the_same_page_and_is_not_counted(
    app: Flask, client: FlaskClient
) -> None:
    first = submit_pledge(client, email="amina@example.org")
    first_html = client.get(first.headers["Location"]).get_data(as_text=True)
    second = submit_pledge(app.test_client(), email="  AMINA@Example.ORG ")
    assert second.status_code == first.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    html = client.get(second.headers["Location"]).get_data(as_text=True)
    # The page never tells whether the email had pledged before.
    heading = re.compile(r"<h1[^>]*>.*?</h1>\s*<div class=\"confirm-notice\".*?</div>", re.S)
    assert heading.search(html).group(0) == heading.search(first_html).group(0)  # type: ignore[union-attr]
    assert "already" not in html.lower()
    assert "<strong>0</strong> people have added their name" in html
    assert len(pledges(app)) == 1
    assert count(app) == 0


def test_the_thanks_page_without_a_pledge_sends_people_to_the_form(client: FlaskClient) -> None:
    response = client.get(f"/c/{SLUG}/thanks")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{SLUG}"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("name", "   ", "Please enter your name."),
        ("name", "x" * 101, "Please keep your name under 100 characters."),
        ("email", "", "Please enter your email address."),
        ("email", "not-an-email", "Please enter an email address like name@example.org."),
        ("email", "a@b", "Please enter an email address like name@example.org."),
        ("email", "x" * 250 + "@example.org", "That email address is too long."),
        ("zip", "", "Please enter your 5-digit ZIP code."),
        ("zip", "9810", "Please enter a 5-digit ZIP code, like 98101."),
        ("zip", "98105' OR 1=1 --", "Please enter a 5-digit ZIP code, like 98101."),
        ("zip", "00000", "We could not find ZIP code 00000."),
        ("state", "XX", "Please choose a US state or territory."),
        # A state that contradicts the ZIP: the message goes beside the ZIP.
        ("state", "OR", "ZIP code 98105 is in Washington, not Oregon."),
        ("city", "c" * 101, "Please keep the city under 100 characters."),
        ("street", "s" * 201, "Please keep the street under 200 characters."),
        ("note", "n" * 2001, "Please keep this under 2000 characters."),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_422(
    app: Flask, client: FlaskClient, field: str, value: str, message: str
) -> None:
    response = submit_pledge(client, **{field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    beside = "zip" if (field, value) == ("state", "OR") else field
    error_at = html.index(f'id="{beside}-error"')
    assert message in html[error_at : error_at + 400]
    assert 'aria-invalid="true"' in html
    assert pledges(app) == []


def test_everything_typed_is_kept_when_the_form_comes_back(client: FlaskClient) -> None:
    response = submit_pledge(
        client, email="broken", name="Gülnar Ömer", city="Tacoma", street="1 Main St", note="Hi"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for value in ('value="broken"', 'value="Gülnar Ömer"', 'value="Tacoma"', 'value="1 Main St"'):
        assert value in html
    assert "Hi</textarea>" in html
    assert '<option value="WA" selected>' in html


NASTY: list[tuple[str, dict[str, Any]]] = [
    ("uyghur rtl", {"name": "ئۇيغۇر خەلقى", "note": "بىز سىزنى ئۇنتۇمايمىز"}),
    ("html", {"name": "<script>alert(1)</script>", "note": "<img src=x onerror=alert(1)>"}),
    ("sql", {"name": "Robert'); DROP TABLE pledges;--", "city": "' OR '1'='1"}),
    ("emoji", {"name": "Ayşe 🇺🇸✊🏽👩‍👩‍👧", "note": "🕊️" * 50}),
    ("nul and controls", {"name": "Nul\x00Byte\x07", "note": "line1\r\nline2\x00"}),
    ("zero width and bidi", {"name": "Ad\u200bam \u202eevil", "city": "\u200fالمدينة"}),
    ("combining", {"name": "Zalgo Z̷̢a̶l̸g̵o̴", "city": "Ñandú"}),
    ("max lengths", {"name": "n" * 100, "city": "c" * 100, "note": "w " * 999}),
]


@pytest.mark.parametrize(("label", "fields"), NASTY, ids=[label for label, _ in NASTY])
def test_nasty_input_is_recorded_safely_and_escaped(
    app: Flask, client: FlaskClient, label: str, fields: dict[str, Any]
) -> None:
    response = submit_pledge(client, **fields)
    assert response.status_code == 303, label
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    [pledge] = pledges(app)
    contact = opened(pledge)
    assert contact is None or "\x00" not in contact.name


def test_huge_body_is_refused_with_413_not_500(client: FlaskClient) -> None:
    page = client.get(f"/c/{SLUG}").get_data(as_text=True)
    data = {
        "started": hidden_value(page, "started"),
        **pledge_fields(note="x" * 200_000),
    }
    response = client.post(f"/c/{SLUG}", data=data)
    assert response.status_code == 413
    assert "more text than we can take" in response.get_data(as_text=True)


def test_the_form_needs_no_cookie_its_signed_token_decides(app: Flask) -> None:
    # The page is the same for everyone: a token served to one visitor works for another
    # (it proves when and for which campaign the form was served, not who was served).
    first, second = app.test_client(), app.test_client()
    page = first.get(f"/c/{SLUG}").get_data(as_text=True)
    data = {"started": hidden_value(page, "started"), **pledge_fields()}
    assert second.post(f"/c/{SLUG}", data=data).status_code == 303
    # Without it, the form comes back filled, to send again.
    response = first.post(f"/c/{SLUG}", data=pledge_fields(name="Kept Name"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "send it again" in html and 'value="Kept Name"' in html
    assert len(pledges(app)) == 1


def test_filled_honeypot_is_refused(app: Flask, client: FlaskClient) -> None:
    response = submit_pledge(client, contact_me_by_fax_only="http://spam.example")
    assert response.status_code == 422
    assert "could not accept this submission" in response.get_data(as_text=True)
    assert pledges(app) == []


def test_form_sent_faster_than_a_person_can_is_refused_kindly(make_app: Any) -> None:
    app = make_app(MIN_FILL_SECONDS=60)
    client = app.test_client()
    response = submit_pledge(client, name="Quick Typist")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "quicker than we expected" in html
    assert 'value="Quick Typist"' in html
    assert pledges(app) == []


def test_forged_start_token_is_refused(app: Flask, client: FlaskClient) -> None:
    data = {"started": "forged", **pledge_fields()}
    response = client.post(f"/c/{SLUG}", data=data)
    assert response.status_code == 422
    assert pledges(app) == []


def test_form_posts_are_rate_limited(make_app: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="2 per minute")
    client = app.test_client()
    for n in range(2):
        assert submit_pledge(client, email=f"p{n}@example.org").status_code == 303
    response = submit_pledge(client, email="p3@example.org")
    assert response.status_code == 429
    assert "Please wait a minute" in response.get_data(as_text=True)
    # Reading the page is not a write and stays open.
    assert client.get(f"/c/{SLUG}").status_code == 200


def test_no_personal_data_in_urls_or_logs(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    response = submit_pledge(
        client, name="Secret Person", email="secret@example.org", street="12 Hidden Lane"
    )
    location = response.headers["Location"]
    for private in ("Secret", "secret", "Hidden", "98105"):
        assert private not in location
    for record in caplog.records:
        message = record.getMessage()
        assert "secret@example.org" not in message and "Hidden Lane" not in message


def test_pledge_is_kept_when_the_member_data_cannot_be_loaded(
    make_app: Any, tmp_path: Any
) -> None:
    app = make_app(LEGISLATORS_PATH=str(tmp_path / "missing.json"))
    client = app.test_client()
    response = submit_pledge(client, name="Still Counted")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your pledge is recorded" in html
    [pledge] = pledges(app)
    assert pledge.email_hash == hashed("amina@example.org")
    assert confirm_waiting(app) == 1
    assert count(app) == 1


def test_a_repeat_pledge_never_shows_the_first_pledges_details(app: Flask) -> None:
    submit_pledge(app.test_client(), name="First Person", note="My private note")
    other = app.test_client()
    response = submit_pledge(other, name="Someone Else", note="Other words")
    html = other.get(response.headers["Location"]).get_data(as_text=True)
    assert "Someone Else" in html
    assert "First Person" not in html
    assert "My private note" not in html


def test_a_repeat_visitor_cannot_move_the_first_pledge(app: Flask) -> None:
    submit_pledge(app.test_client(), zip="98105")
    other = app.test_client()
    response = submit_pledge(other, zip="98101", street="")
    page = other.get(response.headers["Location"]).get_data(as_text=True)
    refine = {
        "csrf_token": hidden_value(page, "csrf_token"),
        "street": "1 Nowhere Rd",
        "city": "Seattle",
        "state": "WA",
        "zip": "98104",
    }
    other.post(f"/c/{SLUG}/thanks", data=refine)
    [pledge] = pledges(app)
    assert (pledge.zip, pledge.district) == ("98105", 7)


def test_database_errors_carry_no_personal_data(db_session: Session) -> None:
    with pytest.raises(sa.exc.IntegrityError) as failure:
        factories.pledge(
            db_session, campaign_id=999_999, name="Private Name", email="private@example.org"
        )
    assert "private@example.org" not in str(failure.value)
    assert "Private Name" not in str(failure.value)
