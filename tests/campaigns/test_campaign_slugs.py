"""A campaign's slug changes in the editor, and the old address keeps working: the page
redirects (301) there, the old slug stays the campaign's (no other campaign may take it),
and a rollback to a version with the old slug takes the campaign back to it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from editor_pages import (
    audit_actions,
    edit_path,
    field_error,
    field_value,
    move_campaign,
    new_campaign,
    press,
    save,
    stored,
)
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from organizer_pages import signed_in_client
from pages import SLUG, hidden_value, page_text, pledge_fields

from advocacy.campaigns import slugs
from advocacy.campaigns.content import shipped_campaign_files
from advocacy.campaigns.service import install_shipped_campaigns
from advocacy.db import get_session
from advocacy.models import Campaign, CampaignSlug

NEW = "uyghur-policy-act-2027"


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    return signed_in_client(app)


def _old_slugs(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        rows = get_session().execute(
            sa.select(CampaignSlug.slug, Campaign.slug)
            .join(Campaign, Campaign.id == CampaignSlug.campaign_id)
            .order_by(CampaignSlug.id)
        )
        return [(old, current) for old, current in rows]


def test_a_saved_slug_changes_nothing_until_published(app: Flask, editor: FlaskClient) -> None:
    response = save(editor, SLUG, {"slug": NEW})
    assert response.status_code == 303
    assert stored(app, SLUG)["status"] == "live"
    assert editor.get(f"/c/{SLUG}").status_code == 200
    assert editor.get(f"/c/{NEW}").status_code == 404
    assert _old_slugs(app) == []


def test_publishing_a_new_slug_moves_the_page_and_the_old_one_redirects(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    response = move_campaign(editor, SLUG, NEW)
    assert response.status_code == 303
    assert response.headers["Location"] == edit_path(NEW)
    assert stored(app, NEW)["content"]["slug"] == NEW
    assert _old_slugs(app) == [(SLUG, NEW)]
    flashed = page_text(editor.get(edit_path(NEW)).get_data(as_text=True))
    assert f"Its address is now /c/{NEW}; /c/{SLUG} still takes visitors there." in flashed
    assert f"(before: /c/{SLUG}, which still answer)" in flashed

    page = client.get(f"/c/{NEW}")
    assert page.status_code == 200
    assert f'action="/c/{NEW}#act"' in page.get_data(as_text=True)
    moved = client.get(f"/c/{SLUG}?ref=partner.org")
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/c/{NEW}?ref=partner.org"
    # Kept an hour, not for ever: a rollback to the old slug must not loop in browsers.
    assert moved.headers["Cache-Control"] == "public, max-age=3600"
    assert client.get(f"/c/{SLUG}").headers["Location"] == f"/c/{NEW}"
    # The site's home page follows the campaign to its new address.
    assert f'action="/c/{NEW}#act"' in client.get("/").get_data(as_text=True)
    # The change is in the audit log, under the address it left.
    assert "campaign address changed" in audit_actions(app, SLUG)
    assert "campaign publish v2" in audit_actions(app, NEW)


def test_a_pledge_through_the_old_page_counts_for_the_campaign(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    # A page served before the change (a cache in front keeps it) posts to the old address.
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    move_campaign(editor, SLUG, NEW)
    data = {"started": hidden_value(html, "started"), "ref": "", **pledge_fields()}
    response = client.post(f"/c/{SLUG}", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        campaign = get_session().scalar(sa.select(Campaign).where(Campaign.slug == NEW))
        assert campaign is not None
        assert [p.campaign_id for p in campaign.pledges] == [campaign.id]
    # The supporter's confirm and withdraw pages answer at the old address too.
    assert client.get(f"/c/{SLUG}/confirm").status_code == 200
    assert client.get(f"/c/{SLUG}/withdraw").status_code == 200


def test_a_slug_another_campaign_has_or_had_is_refused_beside_the_field(
    app: Flask, editor: FlaskClient
) -> None:
    assert new_campaign(editor, "second-campaign", "Second").status_code == 303
    # Its present address.
    response = save(editor, "second-campaign", {"slug": SLUG})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "slug") == (
        f"A campaign already has the address /c/{SLUG}. Choose another."
    )
    # Its old address, once it has moved.
    move_campaign(editor, SLUG, NEW)
    response = save(editor, "second-campaign", {"slug": SLUG})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "slug") == (
        f"/c/{SLUG} was the address of another campaign, and still takes its visitors "
        f"to /c/{NEW}. Choose another."
    )
    assert stored(app, "second-campaign")["content"]["slug"] == "second-campaign"


def test_a_new_campaign_may_not_take_an_old_slug(app: Flask, editor: FlaskClient) -> None:
    move_campaign(editor, SLUG, NEW)
    response = new_campaign(editor, SLUG, "Hijack")
    assert response.status_code == 422
    text = page_text(response.get_data(as_text=True))
    assert f"/c/{SLUG} was the address of another campaign" in text
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count()).select_from(Campaign)) == 1


def test_publishing_is_refused_when_another_campaign_took_the_slug_meanwhile(
    app: Flask, editor: FlaskClient
) -> None:
    assert save(editor, SLUG, {"slug": "taken-later"}).status_code == 303
    assert new_campaign(editor, "taken-later", "Quicker").status_code == 303
    response = press(editor, edit_path(SLUG), "/publish")
    assert response.status_code == 303
    text = page_text(editor.get(response.headers["Location"]).get_data(as_text=True))
    assert "cannot be published: A campaign already has the address /c/taken-later" in text
    assert stored(app, SLUG)["published_version"] == 1
    assert _old_slugs(app) == []


def test_a_rollback_takes_the_campaign_back_to_its_old_slug(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    move_campaign(editor, SLUG, NEW)
    response = press(editor, f"/organizers/c/{NEW}/versions", "/publish", version="1")
    assert response.status_code == 303
    assert response.headers["Location"] == edit_path(SLUG)
    assert stored(app, SLUG)["published_version"] == 3
    # Each address is the campaign's: the present one, and the one it left.
    assert _old_slugs(app) == [(NEW, SLUG)]
    assert client.get(f"/c/{SLUG}").status_code == 200
    assert client.get(f"/c/{NEW}").headers["Location"] == f"/c/{SLUG}"


def test_a_drafts_slug_change_leaves_no_old_address(app: Flask, editor: FlaskClient) -> None:
    new_campaign(editor, "first-name", "A draft")
    move_campaign(editor, "first-name", "second-name")
    assert stored(app, "second-name")["status"] == "live"
    assert _old_slugs(app) == []
    # So the draft's first address is free for another campaign.
    assert new_campaign(editor, "first-name", "Another").status_code == 303


def test_the_service_refuses_a_taken_slug_and_changes_nothing(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == SLUG))
        assert campaign is not None
        assert slugs.move_slug(session, campaign, SLUG) is None
        assert slugs.move_slug(session, campaign, NEW) == SLUG
        session.commit()
        assert slugs.slug_problem(session, SLUG, campaign.id) is None
        assert slugs.slug_problem(session, SLUG) is not None
        assert slugs.old_slugs(session, campaign.id) == [SLUG]


def test_campaigns_load_refuses_a_file_at_another_campaigns_old_slug(
    app: Flask, editor: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    move_campaign(editor, SLUG, NEW)
    # The shipped file still says the old slug: loading it must not take the address over.
    path = tmp_path / "old.toml"
    path.write_text(shipped_campaign_files()[0].read_text("utf-8"), encoding="utf-8")
    result = runner.invoke(args=["campaigns", "load", str(path)])
    assert result.exit_code == 1
    assert f"/c/{SLUG} was the address of another campaign" in result.output
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count()).select_from(Campaign)) == 1


def test_an_upgrade_does_not_install_a_shipped_campaign_again_at_its_old_slug(
    app: Flask, editor: FlaskClient
) -> None:
    move_campaign(editor, SLUG, NEW)
    with app.app_context():
        session = get_session()
        assert install_shipped_campaigns(session) == []
        session.commit()
        assert session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 1


def test_a_slug_the_rules_refuse_is_shown_beside_the_field_with_the_text_kept(
    app: Flask, editor: FlaskClient
) -> None:
    response = save(editor, SLUG, {"slug": "Not A Slug!"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "must be 1 to 63 lowercase letters, digits or hyphens" in field_error(html, "slug")
    assert field_value(html, "slug") == "Not A Slug!"
    assert _old_slugs(app) == []


def test_the_new_address_answers_at_once_though_it_was_asked_for_before(
    editor: FlaskClient, client: FlaskClient
) -> None:
    # Asked before it existed: this process's caches kept "no such campaign" for it.
    assert client.get(f"/api/v1/campaigns/{NEW}").status_code == 404
    assert client.get(f"/c/{NEW}").status_code == 404
    move_campaign(editor, SLUG, NEW)
    assert client.get(f"/api/v1/campaigns/{NEW}").status_code == 200
    assert client.get(f"/c/{NEW}").status_code == 200
