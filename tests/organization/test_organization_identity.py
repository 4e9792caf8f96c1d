"""Who runs the site, where supporters look for it: every public page's header and footer,
the widget, the thank-you and withdraw pages, a downloaded letter, the lobby report; and,
before anything is set, a neutral name and a dashboard that says what is missing."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from inbox import post_code
from organization_pages import IDENTITY, set_identity
from organizer_pages import seed_pledges, signed_in_client
from pages import SLUG, Element, hidden_value, page_text, parse, submit_pledge

from advocacy.db import get_session
from advocacy.organization import identity as identity_module
from advocacy.organization.identity import NEUTRAL_NAME, IdentityHolder, load_identity

CAMPAIGN = f"/c/{SLUG}"
NAME = IDENTITY["name"]


def reads(element: Element) -> str:
    """Return an element's text as a reader sees it: no space before a full stop, comma
    or closing bracket, nor after an opening one (squeezed() puts one between elements)."""
    return re.sub(r"\( ", "(", re.sub(r" ([.,)])", r"\1", element.squeezed()))


def _footer(html: str) -> str:
    return reads(parse(html).one("footer", class_="site-footer"))


def _header(html: str) -> str:
    # Who runs the site, as the header names it (the language switcher sits beside it).
    return reads(parse(html).one("header", class_="site-header").by_class("site-name")[0])


# --- before anything is set ---------------------------------------------------------------


def test_a_fresh_install_names_nobody_and_says_so(client: FlaskClient) -> None:
    html = client.get(CAMPAIGN).get_data(as_text=True)
    assert _header(html) == NEUTRAL_NAME
    footer = _footer(html)
    assert "Who runs this site: not yet set" in footer
    assert "has not yet published its name and contact details" in footer
    assert "mailto:" not in html
    # The privacy page is linked all the same.
    links = parse(html).one("footer", class_="site-footer").find_all("a", href="/privacy")
    assert len(links) == 1
    widget = client.get(f"{CAMPAIGN}/widget").get_data(as_text=True)
    assert "Run by" not in widget and 'href="/privacy"' in widget


def test_the_dashboard_lists_exactly_what_is_missing_with_a_link(app: Flask) -> None:
    client = signed_in_client(app)
    notice = parse(client.get("/organizers/").get_data(as_text=True)).by_id("organization-missing")
    items = [li.squeezed() for li in notice.find_all("li")]
    assert [item.split(",")[0] for item in items] == [
        "the organization's name",
        "a contact email",
        "a postal address",
        "a privacy contact",
    ]
    assert NEUTRAL_NAME in notice.squeezed()
    assert notice.find_all("a", href="/organizers/organization")

    set_identity(app, name="Uyghur Diaspora Action", email="contact@uda.example.org")
    notice = parse(client.get("/organizers/").get_data(as_text=True)).by_id("organization-missing")
    assert [li.squeezed().split(",")[0] for li in notice.find_all("li")] == ["a postal address"]

    set_identity(app, address="PO Box 1234\nWashington, DC 20013")
    html = client.get("/organizers/").get_data(as_text=True)
    assert 'id="organization-missing"' not in html
    assert _header(html).startswith("Uyghur Diaspora Action · Organizers")


# --- once set -----------------------------------------------------------------------------


@pytest.fixture
def named(app: Flask) -> Flask:
    set_identity(app)
    return app


def test_the_campaign_page_says_who_runs_it_and_how_to_reach_them(named: Flask) -> None:
    html = named.test_client().get(CAMPAIGN).get_data(as_text=True)
    # The whole name, and the short one for a phone's width (the style shows one of them).
    header = parse(html).one("header", class_="site-header")
    assert header.by_class("site-name__full")[0].text() == NAME
    assert header.by_class("site-name__short")[0].text() == "UDA"
    footer = parse(html).one("footer", class_="site-footer")
    text = reads(footer)
    assert f"This site is run by {NAME}." in text
    assert "We are Uyghur families in America." in text and "We never share who signs." in text
    # Each paragraph of their words is a paragraph; right-to-left text sets its own direction.
    assert [p.squeezed() for p in footer.find_all("p", dir="auto")][:2] == [
        "We are Uyghur families in America.",
        "We never share who signs.",
    ]
    contact = footer.one("address")
    assert contact.find_all("a", href="mailto:contact@uda.example.org")
    assert "Post: PO Box 1234 Washington, DC 20013" in contact.squeezed()
    website = contact.one("a", href="https://uda.example.org")
    assert website.squeezed() == "uda.example.org"
    assert footer.find_all("a", href="/privacy")


def test_every_public_page_has_the_footer_and_the_privacy_link(named: Flask) -> None:
    client = named.test_client()
    for path in (CAMPAIGN, "/privacy", "/c/no-such-campaign", f"{CAMPAIGN}/withdraw"):
        html = client.get(path).get_data(as_text=True)
        assert f"This site is run by {NAME}." in _footer(html), path
        assert 'href="/privacy"' in html, path


def test_the_error_pages_title_names_the_site(named: Flask) -> None:
    html = named.test_client().get("/c/no-such-campaign").get_data(as_text=True)
    assert parse(html).one("title").text() == "404 · UDA"


def test_the_thank_you_page_names_the_organization_and_its_privacy_contact(named: Flask) -> None:
    client = named.test_client()
    response = submit_pledge(client)
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    who = parse(html).by_id("thanks-who")
    assert f"This campaign is run by {NAME}." in reads(who)
    assert who.find_all("a", href="mailto:privacy@uda.example.org")
    assert who.find_all("a", href="/privacy")


def test_the_withdraw_page_says_whom_to_write_to(named: Flask) -> None:
    client = named.test_client()
    html = client.get(f"{CAMPAIGN}/withdraw").get_data(as_text=True)
    line = reads(parse(html).by_id("write-to-us"))
    assert line.startswith("No longer have the email, or want us to erase your pledge for you?")
    assert (
        f"Write to {NAME} at privacy@uda.example.org, or by post to PO Box 1234, "
        "Washington, DC 20013."
    ) in line
    # And after a code that withdrew nothing (its owner may need to write to someone).
    status, done = post_code(client, "withdraw", "K7QX2-M9PDA-3VW8E-TB6HJ")
    assert status == 200 and "There is no pledge to withdraw with this code" in done
    assert "privacy@uda.example.org" in parse(done).by_id("write-to-us").squeezed()


def test_the_withdraw_page_without_a_contact_offers_the_form_again(client: FlaskClient) -> None:
    html = client.get(f"{CAMPAIGN}/withdraw").get_data(as_text=True)
    line = reads(parse(html).by_id("write-to-us"))
    assert "Send the pledge form again with the same email address" in line
    assert "Write to" not in line


def test_the_widget_names_the_organization_and_links_the_privacy_page(named: Flask) -> None:
    html = named.test_client().get(f"{CAMPAIGN}/widget").get_data(as_text=True)
    small = parse(html).by_class("widget__small")[0]
    assert f"Run by {NAME} (contact@uda.example.org)." in reads(small)
    privacy = small.one("a", href="/privacy")
    # Inside a partner's frame: it opens in a tab of its own.
    assert privacy.attrs["target"] == "_blank" and "noopener" in privacy.attrs["rel"]


def test_a_downloaded_letter_ends_with_a_note_of_who_drafted_it(make_app: Any) -> None:
    app = make_app(PUBLIC_URL="https://act.example.org")
    set_identity(app)
    client = app.test_client()
    response = submit_pledge(client)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    form = parse(page).by_class("letter__form")[0]
    letter = form.one("textarea").text().strip()
    download = client.post(
        f"{CAMPAIGN}/letters/download",
        data={
            "csrf_token": hidden_value(page, "csrf_token"),
            "bioguide": form.one("input", name="bioguide").attrs["value"],
            "body": letter,
        },
    )
    text = download.get_data(as_text=True)
    assert text.startswith(letter + "\n\n-- \n")
    note = text.split("\n-- \n", 1)[1]
    assert "not part of the letter" in note
    assert 'Drafted on act.example.org for "' in note and f"run by {NAME}." in note
    assert (
        "Contact: contact@uda.example.org · PO Box 1234, Washington, DC 20013 · "
        "https://uda.example.org"
    ) in note
    assert note.endswith("how to withdraw your pledge: https://act.example.org/privacy\n")


def test_a_letter_note_before_anything_is_set_names_nobody(client: FlaskClient) -> None:
    response = submit_pledge(client)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    form = parse(page).by_class("letter__form")[0]
    download = client.post(
        f"{CAMPAIGN}/letters/download",
        data={
            "csrf_token": hidden_value(page, "csrf_token"),
            "bioguide": form.one("input", name="bioguide").attrs["value"],
            "body": "Dear Senator,\n\nPlease act.",
        },
    )
    note = download.get_data(as_text=True).split("\n-- \n", 1)[1]
    assert "run by" not in note and "Contact:" not in note
    assert note.endswith("/privacy\n")


def test_the_lobby_report_leaves_the_organization_and_its_contact_on_each_page(
    app: Flask,
) -> None:
    seed_pledges(app)
    client = signed_in_client(app)
    before = client.get(f"/organizers/c/{SLUG}/report/WA-7").get_data(as_text=True)
    assert "who runs this site" in page_text(before)  # the organizer is told how
    set_identity(app)
    html = client.get(f"/organizers/c/{SLUG}/report").get_data(as_text=True)
    pages = parse(html).by_class("packet")
    assert len(pages) > 1
    for page in pages:
        left = reads(page.by_class("packet__from")[0])
        assert NAME in left
        contact = "contact@uda.example.org · PO Box 1234, Washington, DC 20013 · uda.example.org"
        assert contact in left


# --- what was typed is shown, never run ---------------------------------------------------


def test_markup_in_every_field_is_shown_as_text_everywhere(app: Flask) -> None:
    script = "<script>alert(1)</script>"
    set_identity(
        app,
        name=f"Org {script}",
        short_name=f"S{script}"[:30],
        address=f"1 Main St {script}",
        footer=f"Our words {script}",
        privacy_text=f"More words {script}",
        email="contact@uda.example.org",
    )
    client = app.test_client()
    response = submit_pledge(client)
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    for html in (
        client.get(CAMPAIGN).get_data(as_text=True),
        client.get("/privacy").get_data(as_text=True),
        client.get(f"{CAMPAIGN}/widget").get_data(as_text=True),
        client.get(f"{CAMPAIGN}/withdraw").get_data(as_text=True),
        thanks,
    ):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- read cheaply, and never the cause of a failed page ------------------------------------


def _identity_reads(app: Flask) -> list[str]:
    reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM organization" in statement:
            reads.append(statement)

    sa.event.listen(app.extensions["advocacy.engine"], "before_cursor_execute", count)
    return reads


def test_pages_read_the_identity_at_most_once_until_it_changes(named: Flask) -> None:
    reads = _identity_reads(named)
    client = named.test_client()
    # The withdraw page renders several templates (base, the footer, the letter to us).
    client.get(f"{CAMPAIGN}/withdraw")
    assert len(reads) == 1
    client.get(f"{CAMPAIGN}/withdraw")
    client.get("/privacy")
    assert len(reads) == 1  # kept for a few seconds per process
    set_identity(named, name="A New Name")
    html = client.get(f"{CAMPAIGN}/withdraw").get_data(as_text=True)
    assert "This site is run by A New Name." in _footer(html)


def test_another_process_sees_a_change_within_its_freshness(named: Flask) -> None:
    holder = IdentityHolder(named.extensions["advocacy.sessionmaker"], seconds=0.0)
    assert holder.get().name == NAME
    with named.app_context():
        session = get_session()
        from advocacy.organization import service

        service.update_identity(session, {"name": "Renamed"})
        session.commit()
    # No changed() in this "process": it reads again once its copy is stale (here at once).
    assert holder.get().name == "Renamed"


def test_a_database_that_does_not_answer_leaves_the_last_identity(
    named: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = named.test_client()
    assert f"This site is run by {NAME}." in _footer(client.get("/privacy").get_data(as_text=True))

    def fails(_session: Any) -> Any:
        raise sa.exc.OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(identity_module, "load_identity", fails)
    with named.app_context():
        identity_module.changed()  # the kept copy goes stale
    html = client.get(f"{CAMPAIGN}/withdraw").get_data(as_text=True)
    assert f"This site is run by {NAME}." in _footer(html)


def test_the_page_for_a_database_that_just_failed_does_not_ask_it_again(make_app: Any) -> None:
    app = make_app()

    def database_down() -> str:
        raise sa.exc.OperationalError("SELECT", {}, Exception("could not connect"))

    app.add_url_rule("/test-database-down", view_func=database_down)
    set_identity(app)
    client = app.test_client()
    client.get("/privacy")  # the identity read once
    with app.app_context():
        identity_module.changed()  # and gone stale
    reads = _identity_reads(app)
    response = client.get("/test-database-down")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "our database is not answering" in html
    # The error page shows the last identity read, without waiting on the database again.
    assert f"This site is run by {NAME}." in _footer(html)
    assert reads == []


def test_a_database_without_the_table_yet_shows_the_neutral_name(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()

    def missing(_session: Any) -> Any:
        raise sa.exc.ProgrammingError("SELECT", {}, Exception('relation "organization" ...'))

    monkeypatch.setattr(identity_module, "load_identity", missing)
    response = app.test_client().get(f"{CAMPAIGN}/withdraw")
    assert response.status_code == 200
    assert _header(response.get_data(as_text=True)) == NEUTRAL_NAME


def test_load_identity_reads_what_the_service_saved(named: Flask) -> None:
    with named.app_context():
        saved = load_identity(get_session())
    assert saved.name == NAME and saved.address_lines == ["PO Box 1234", "Washington, DC 20013"]
    assert saved.privacy_contact == "privacy@uda.example.org"
    assert saved.updated_by == "the command line" and saved.updated_at is not None
