"""Which campaign the site's home page ("/") shows is a setting: chosen in the campaign list
among live campaigns (a POST with the session's CSRF token, in the audit log), at most one
at a time (the database says so too), and "/" follows at once in this process."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from editor_pages import audit_actions, edit_path, new_campaign, press, save
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import signed_in_client
from pages import SLUG, hidden_value, page_text, parse
from sqlalchemy.exc import IntegrityError

from advocacy.db import get_session
from advocacy.models import Campaign

LIST = "/organizers/campaigns"
SECOND = "second-campaign"


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    return signed_in_client(app)


def _homes(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            get_session().scalars(sa.select(Campaign.slug).where(Campaign.is_default.is_(True)))
        )


def _home_action(client: FlaskClient) -> str:
    html = client.get("/").get_data(as_text=True)
    form = parse(html).find_all("form", id="act") or parse(html).find_all("form")
    return form[0].attrs.get("action", "")


def _live_second(editor: FlaskClient) -> None:
    assert new_campaign(editor, SECOND, "A second campaign").status_code == 303
    assert press(editor, edit_path(SECOND), "/publish").status_code == 303


def _choose(editor: FlaskClient, slug: str) -> str:
    response = press(editor, LIST, "/campaigns/home", slug=slug)
    assert response.status_code == 303
    assert response.headers["Location"] == LIST
    return page_text(editor.get(LIST).get_data(as_text=True))


def test_the_list_says_which_campaign_is_the_home_page(editor: FlaskClient) -> None:
    text = page_text(editor.get(LIST).get_data(as_text=True))
    assert "The site's home page ( / ) shows Remember Baren: pass the Uyghur Policy Act" in text
    assert "Shown at /" in text


def test_choosing_another_live_campaign_moves_the_home_page_at_once(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    _live_second(editor)
    assert _home_action(client) == f"/c/{SLUG}#act"  # and "/" is cached now
    text = _choose(editor, SECOND)
    assert "The home page now shows A second campaign." in text
    assert _homes(app) == [SECOND]
    assert _home_action(client) == f"/c/{SECOND}#act"
    assert audit_actions(app, SECOND)[-1] == "campaign home"
    # And back.
    _choose(editor, SLUG)
    assert _homes(app) == [SLUG]
    assert _home_action(client) == f"/c/{SLUG}#act"


def test_only_a_live_campaign_can_be_the_home_page(app: Flask, editor: FlaskClient) -> None:
    new_campaign(editor, SECOND, "A draft")
    html = editor.get(LIST).get_data(as_text=True)
    # No button for a draft...
    buttons = [
        f
        for f in parse(html).find_all("form")
        if f.attrs.get("action", "").endswith("/campaigns/home")
    ]
    assert all(i.attrs.get("value") != SECOND for f in buttons for i in f.find_all("input"))
    # ...and a post naming one changes nothing.
    data = {"csrf_token": hidden_value(html, "csrf_token"), "slug": SECOND}
    response = editor.post("/organizers/campaigns/home", data=data)
    assert response.status_code == 303
    assert "is not live, so it cannot be the home page" in page_text(
        editor.get(LIST).get_data(as_text=True)
    )
    assert _homes(app) == [SLUG]
    assert "campaign home" not in audit_actions(app, SECOND)


def test_a_choice_without_the_csrf_token_is_refused(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    _live_second(editor)
    assert editor.post("/organizers/campaigns/home", data={"slug": SECOND}).status_code == 400
    response = client.post("/organizers/campaigns/home", data={"slug": SECOND})
    assert response.status_code in (302, 400)
    assert _homes(app) == [SLUG]


def test_publishing_leaves_the_choice_alone_unless_the_version_asks_for_it(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    _live_second(editor)
    _choose(editor, SECOND)
    # The shipped campaign's content says default = true: a new version of it that still
    # says so takes the home page back when published, as a loaded file does.
    assert save(editor, SLUG, {"goal": "12000"}).status_code == 303
    press(editor, edit_path(SLUG), "/publish")
    assert _homes(app) == [SLUG]
    # Unticked, publishing changes nothing.
    _choose(editor, SECOND)
    assert save(editor, SLUG, {"goal": "13000", "default": ""}).status_code == 303
    press(editor, edit_path(SLUG), "/publish")
    assert _homes(app) == [SECOND]
    assert _home_action(client) == f"/c/{SECOND}#act"


def test_closing_the_home_campaign_leaves_none_chosen(
    app: Flask, editor: FlaskClient, client: FlaskClient
) -> None:
    _live_second(editor)
    _choose(editor, SECOND)
    press(editor, edit_path(SECOND), "/close")
    assert _homes(app) == []
    # With none chosen, "/" shows the oldest live campaign, as it always has.
    assert _home_action(client) == f"/c/{SLUG}#act"
    text = page_text(editor.get(LIST).get_data(as_text=True))
    assert "the oldest live campaign, as none is chosen" in text
    press(editor, edit_path(SLUG), "/close")
    assert client.get("/").status_code == 404
    assert "shows no campaign: none is live" in page_text(editor.get(LIST).get_data(as_text=True))


def test_the_database_lets_one_campaign_at_most_be_the_home_page(
    app: Flask, editor: FlaskClient
) -> None:
    _live_second(editor)
    with app.app_context():
        session = get_session()
        with pytest.raises(IntegrityError):
            session.execute(sa.update(Campaign).values(is_default=True))
            session.flush()
        session.rollback()
    assert _homes(app) == [SLUG]
