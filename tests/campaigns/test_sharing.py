"""Sharing the campaign after acting: plain links with a ref per channel, counted apart
from partners on the dashboard (issue 21)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from inbox import PUBLIC_URL, post_code
from organizer_pages import seed_pledges, signed_in_client
from pages import SLUG, Element, hidden_value, page_text, parse, submit_pledge, table_rows

from advocacy.campaigns import sharing
from advocacy.db import get_session
from advocacy.models import Campaign, OutboxMail

TITLE = "Remember Baren: pass the Uyghur Policy Act"
SENTENCE = f"{TITLE}. Add your name and write to your members of Congress:"
NAME = "Amina Tursun"
EMAIL = "amina@example.org"


def page_url(ref: str) -> str:
    return f"{PUBLIC_URL}/c/{SLUG}?ref={ref}"


@pytest.fixture
def app(make_app: Any) -> Flask:
    # Links come from the configured address, never from the request's Host.
    app: Flask = make_app(PUBLIC_URL=PUBLIC_URL)
    return app


def pledge(client: FlaskClient, **fields: Any) -> str:
    """Pledge from the campaign page; return the results page."""
    answer = submit_pledge(client, name=NAME, email=EMAIL, **fields)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def confirmed_page(app: Flask, client: FlaskClient) -> str:
    """Press the button of the email's confirmation link; return the page it gives."""
    with app.app_context():
        codes = get_session().scalars(sa.select(OutboxMail.confirm_code)).all()
    assert len(codes) == 1
    status, html = post_code(client, "confirm", str(codes[0]))
    assert status == 200
    assert "Your pledge is confirmed" in html
    return html


def share_block(html: str) -> Element:
    blocks = parse(html).find_all("section", **{"data-share": ""})
    assert len(blocks) == 1, "one share block on the page"
    return blocks[0]


def link(block: Element, name: str) -> Element:
    found = [a for a in block.find_all("a") if a.squeezed().startswith(name)]
    assert len(found) == 1, name
    return found[0]


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def check_share_block(html: str) -> None:
    """Every channel's link or text is in the HTML itself, each with its own ref."""
    block = share_block(html)

    email = link(block, "Email").attrs["href"]
    assert email.startswith("mailto:?")
    assert query(email) == {"subject": TITLE, "body": f"{SENTENCE} {page_url('share-email')}"}
    assert "+" not in email  # mail programs read a + in a mailto: body as a plus sign

    whatsapp = link(block, "WhatsApp")
    assert whatsapp.attrs["href"].startswith("https://wa.me/?text=")
    assert query(whatsapp.attrs["href"]) == {"text": f"{SENTENCE} {page_url('share-whatsapp')}"}

    telegram = link(block, "Telegram")
    assert telegram.attrs["href"].startswith("https://t.me/share/url?")
    assert query(telegram.attrs["href"]) == {"url": page_url("share-telegram"), "text": SENTENCE}

    for other_site in (whatsapp, telegram):
        assert other_site.attrs["rel"] == "noopener noreferrer"
        assert other_site.attrs["referrerpolicy"] == "no-referrer"
        assert other_site.attrs["target"] == "_blank"
        assert "(opens in a new tab)" in other_site.squeezed()

    # Without JavaScript: the link and the Signal message to select and copy by hand.
    field = block.by_id("share-link")
    assert field.attrs["value"] == page_url("share-copy")
    assert "readonly" in field.attrs
    assert block.find_all("label", for_="share-link")
    signal = block.by_id("share-signal")
    assert signal.text() == f"{SENTENCE} {page_url('share-signal')}"
    assert "readonly" in signal.attrs
    assert "Signal has no share link" in block.squeezed()
    # The buttons that need the script are hidden until it runs.
    copy_buttons = [b for b in block.find_all("button") if "data-share-copy" in b.attrs]
    assert len(copy_buttons) == 2
    assert all("hidden" in b.attrs for b in copy_buttons)
    native = block.find_all("p", **{"data-share-native": ""})
    assert len(native) == 1 and "hidden" in native[0].attrs
    assert block.attrs["data-share-url"] == page_url("share-native")
    # The script is our own, from our own origin.
    scripts = [s.attrs["src"] for s in block.find_all("script")]
    assert len(scripts) == 1 and scripts[0].startswith("/static/js/share.js")


def test_the_results_page_offers_every_share_channel_without_javascript(
    client: FlaskClient,
) -> None:
    html = pledge(client)
    check_share_block(html)
    # The share block says nothing about who shares.
    block = share_block(html).squeezed()
    assert NAME not in block and EMAIL not in block and "98105" not in block


def test_the_confirmed_page_offers_the_same_share_links(app: Flask, client: FlaskClient) -> None:
    pledge(client)
    html = confirmed_page(app, client)
    check_share_block(html)
    # Before confirming, the page only asks for the code: nothing to share yet.
    asked = client.get(f"/c/{SLUG}/confirm").get_data(as_text=True)
    assert not parse(asked).find_all("section", **{"data-share": ""})


def test_the_links_follow_the_campaigns_title(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        db = get_session()
        campaign = db.scalars(sa.select(Campaign).where(Campaign.slug == SLUG)).one()
        campaign.title = "100% & <more>: free them now!"
        db.commit()
    block = share_block(pledge(client))
    sentence = "100% & <more>: free them now! Add your name and write to your members of Congress:"
    whatsapp = link(block, "WhatsApp").attrs["href"]
    assert query(whatsapp)["text"] == f"{sentence} {page_url('share-whatsapp')}"
    assert query(link(block, "Email").attrs["href"])["subject"] == "100% & <more>: free them now!"


@pytest.mark.parametrize("channel", [c.ref for c in sharing.CHANNELS])
def test_the_campaign_page_puts_a_share_ref_into_its_form(
    client: FlaskClient, channel: str
) -> None:
    html = client.get(f"/c/{SLUG}?ref={channel}").get_data(as_text=True)
    assert hidden_value(html, "ref") == channel


def test_pledges_from_share_links_count_by_channel_not_as_partners(
    app: Flask, client: FlaskClient
) -> None:
    seed_pledges(app)  # partners uhrp and cfu, and direct pledges
    arrivals = [("share-whatsapp", "a@example.org"), ("share-whatsapp", "b@example.org")]
    arrivals += [("share-email", "c@example.org"), ("share-made-up", "d@example.org")]
    for ref, email in arrivals:
        visitor = app.test_client()
        answer = submit_pledge(visitor, page_url=f"/c/{SLUG}?ref={ref}", email=email)
        assert answer.status_code == 303
    with app.app_context():
        codes = get_session().scalars(sa.select(OutboxMail.confirm_code)).all()
    for code in codes:
        assert post_code(app.test_client(), "confirm", str(code))[0] == 200

    html = signed_in_client(app).get(f"/organizers/c/{SLUG}/").get_data(as_text=True)
    # 8 seeded pledges and 4 shared ones.
    assert table_rows(html, "refs-table") == [
        ["direct (no partner)", "4", "33.3%"],
        ["cfu", "2", "16.7%"],
        ["uhrp", "2", "16.7%"],
    ]
    assert table_rows(html, "channels-table") == [
        ["WhatsApp", "share-whatsapp", "2", "16.7%"],
        ["Email", "share-email", "1", "8.3%"],
        ["share-made-up", "share-made-up", "1", "8.3%"],
        ["Signal (copied message)", "share-signal", "0", "0.0%"],
        ["Telegram", "share-telegram", "0", "0.0%"],
        ["Share menu", "share-native", "0", "0.0%"],
        ["Copied link", "share-copy", "0", "0.0%"],
    ]
    assert "Share channels" in page_text(html)


def test_unconfirmed_shared_pledges_count_nowhere(app: Flask, client: FlaskClient) -> None:
    answer = submit_pledge(client, page_url=f"/c/{SLUG}?ref=share-telegram")
    assert answer.status_code == 303
    html = signed_in_client(app).get(f"/organizers/c/{SLUG}/").get_data(as_text=True)
    telegram = [row for row in table_rows(html, "channels-table") if row[1] == "share-telegram"]
    assert telegram == [["Telegram", "share-telegram", "0", "0.0%"]]


def test_a_dashboard_whose_pledges_all_came_by_share_links_says_so(app: Flask) -> None:
    seed_pledges(app, [("WA", 7, "Seattle", "share-signal", False, "", 0)])
    html = signed_in_client(app).get(f"/organizers/c/{SLUG}/").get_data(as_text=True)
    assert "Every pledge so far came through a supporter's share link" in page_text(html)
    assert ["Signal (copied message)", "share-signal", "1", "100.0%"] in table_rows(
        html, "channels-table"
    )


def test_the_share_sentence_ends_the_title_once() -> None:
    assert sharing.share_sentence("Act now!").startswith("Act now! Add your name")
    assert sharing.share_sentence("Act now.").startswith("Act now. Add your name")
    assert sharing.share_sentence(" Act\n now ").startswith("Act now. Add your name")


def test_refs_split_into_partners_and_channels() -> None:
    refs = [("", 5), ("share-whatsapp", 3), ("uhrp", 2), ("share-x", 1), ("sharer", 1)]
    assert sharing.partner_refs(refs) == [("", 5), ("uhrp", 2), ("sharer", 1)]
    rows = sharing.channel_counts(refs)
    assert rows[0] == ("WhatsApp", "share-whatsapp", 3)
    assert rows[1] == ("share-x", "share-x", 1)
    assert {ref for _, ref, _ in rows} == {c.ref for c in sharing.CHANNELS} | {"share-x"}
