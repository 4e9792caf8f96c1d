"""Every page a supporter can reach, in each language, says nothing in English but what is
English on purpose (issue #23): each page and state is reached as a supporter reaches it
(the campaign form sent, the email's code typed, the widget's button pressed, the clock
moved), then read by the checker (untranslated.py) in ug and ug-Latn.

On every page, in every language (English included, which must stay as it was): <html>
has the language's lang and dir, and the page links to itself in each other language
(the switcher), except the widget's framed pages, whose language the partner's snippet
chooses and which carry no switcher.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from data_files import SNAPSHOT_MOMENT
from event_pages import add_event
from fake_census import FakeCensus, running_fake_census
from flask import Flask
from flask.testing import FlaskClient
from i18n.untranslated import report, untranslated
from pages import SLUG, hidden_value, parse, pledge_fields
from werkzeug.test import TestResponse

from advocacy.campaigns.service import get_campaign
from advocacy.campaigns.versions import close_campaign
from advocacy.db import get_session
from advocacy.i18n.languages import Language, by_tag, languages
from advocacy.models import OutboxMail
from advocacy.pledges import codes, email_views
from advocacy.pledges import views as pledge_views
from advocacy.widget import views as widget_views

CAMPAIGN = f"/c/{SLUG}"
THANKS = f"{CAMPAIGN}/thanks"
WIDGET = f"{CAMPAIGN}/widget"
OWN_ORIGIN = "http://localhost"  # the test client's host, as the widget's frame sends it
BEFORE_NOON = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
NOON = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)
SEATTLE = {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98101"}
ZIP_ONLY = {"street": "", "city": "", "state": ""}
# A code of the mailed shape that no email carries; a withdraw link of the first releases.
UNKNOWN_CODE = "0" * codes.LENGTH
LEGACY_CODE = "A" * 32


# --- the world a page is reached in ----------------------------------------------------------


@dataclass
class World:
    """An app (made on demand, with the settings a page needs), a client, the language's
    prefix, and the fake Census and clock the results pages read."""

    make_app: Any
    census: FakeCensus
    language: Language
    clock: list[datetime] = field(default_factory=lambda: [SNAPSHOT_MOMENT])
    config: dict[str, Any] = field(default_factory=dict)
    _client: FlaskClient | None = None

    @property
    def client(self) -> FlaskClient:
        if self._client is None:
            app: Flask = self.make_app(
                GEOCODER_URL=self.census.base_url,
                GEOCODER_TIMEOUT=2,
                CLOCK=lambda: self.clock[0],
                **self.config,
            )
            self._client = app.test_client()
        return self._client

    @property
    def app(self) -> Flask:
        return self.client.application

    def url(self, path: str) -> str:
        return self.language.prefix + path

    def get(self, path: str, **options: Any) -> TestResponse:
        return self.client.get(self.url(path), **options)

    def post(self, path: str, **options: Any) -> TestResponse:
        return self.client.post(self.url(path), **options)

    def post_form(self, path: str, **fields: str) -> TestResponse:
        """Open a page with a session's CSRF token (results, confirm, withdraw), then post
        to path with it."""
        page = self.get(path.removesuffix("/district")).get_data(as_text=True)
        return self.post(path, data={"csrf_token": hidden_value(page, "csrf_token"), **fields})


def send_pledge(world: World, **fields: Any) -> TestResponse:
    """Send the campaign page's form, as a browser without JavaScript does."""
    html = world.get(CAMPAIGN).get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        **pledge_fields(**fields),
    }
    return world.post(CAMPAIGN, data=data)


def results(world: World, **fields: Any) -> TestResponse:
    """Pledge, and open the results page the form leads to."""
    sent = send_pledge(world, **fields)
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    return world.get(THANKS)


def send_widget(world: World, **fields: Any) -> TestResponse:
    """Pledge in the widget, as the browser in the partner's frame does."""
    html = world.get(WIDGET + "?ref=partner.org").get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        "name": "Amina Tursun",
        "email": "amina@example.org",
        "zip": "98105",
        **fields,
    }
    return world.post(WIDGET, data=data, headers={"Origin": OWN_ORIGIN})


def mailed_code(world: World, kind: str) -> str:
    """The confirm or withdraw code the latest waiting email carries."""
    column = OutboxMail.confirm_code if kind == "confirm" else OutboxMail.withdraw_code
    with world.app.app_context():
        code = get_session().scalar(sa.select(column).order_by(OutboxMail.id.desc()).limit(1))
    assert code, f"no {kind} code waiting in the outbox"
    return str(code)


def close_the_campaign(world: World) -> None:
    with world.app.app_context():
        db = get_session()
        campaign = get_campaign(db, SLUG)
        assert campaign is not None
        close_campaign(db, campaign)
        db.commit()


def database_down(
    monkeypatch: pytest.MonkeyPatch, module: Any, step: str = "record_with_visit"
) -> None:
    """The database refuses a write, as tests/web/test_http_answers.py makes it."""

    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise sa.exc.OperationalError("INSERT", {}, Exception("the database is down"))

    monkeypatch.setattr(module, step, refused)


# --- the pages ---------------------------------------------------------------------------------

Reach = Callable[[World, pytest.MonkeyPatch], TestResponse]


@dataclass(frozen=True)
class Page:
    """How a supporter reaches a page, and the answer's status."""

    reach: Reach
    status: int = 200
    framed: bool = False  # the widget's pages: in a partner's frame, no switcher


def _campaign_after_noon(world: World, _: pytest.MonkeyPatch) -> TestResponse:
    world.clock[0] = NOON
    return world.get(CAMPAIGN)


def _too_fast(world: World, _: pytest.MonkeyPatch) -> TestResponse:
    world.config["MIN_FILL_SECONDS"] = 600
    return send_pledge(world)


def _pledge_database_down(world: World, monkeypatch: pytest.MonkeyPatch) -> TestResponse:
    database_down(monkeypatch, pledge_views)
    return send_pledge(world)


def _refine(**fields: str) -> Reach:
    def reach(world: World, _: pytest.MonkeyPatch) -> TestResponse:
        results(world)
        answer = world.post_form(THANKS, **{**SEATTLE, **fields})
        return world.get(THANKS) if answer.status_code == 303 else answer

    return reach


def _choose(district: str) -> Reach:
    def reach(world: World, _: pytest.MonkeyPatch) -> TestResponse:
        results(world, **ZIP_ONLY, zip="98101")
        answer = world.post_form(f"{THANKS}/district", district=district)
        return world.get(THANKS) if answer.status_code == 303 else answer

    return reach


def _at(moment: datetime, read_at: datetime | None = None, **fields: str) -> Reach:
    def reach(world: World, _: pytest.MonkeyPatch) -> TestResponse:
        world.clock[0] = moment
        page = results(world, **fields)
        if read_at is None:
            return page
        world.clock[0] = read_at
        return world.get(THANKS)

    return reach


def _census(mode: str = "ok", wrong_map_answers: int = 0, **fields: str) -> Reach:
    def reach(world: World, _: pytest.MonkeyPatch) -> TestResponse:
        world.census.mode = mode  # type: ignore[assignment]
        world.census.wrong_map_answers = wrong_map_answers
        return results(world, **fields)

    return reach


def _code(page: str, code: str | None = None, kind: str = "") -> Reach:
    """Open the confirm or withdraw page, and type a code (or the email's) if given."""

    def reach(world: World, _: pytest.MonkeyPatch) -> TestResponse:
        path = f"{CAMPAIGN}/{page}"
        if code is None and not kind:
            return world.get(path)
        typed = code
        if kind:
            send_pledge(world)
            typed = mailed_code(world, kind)
        return world.post_form(path, code=typed or "")

    return reach


def _withdraw_without_csrf(world: World, _: pytest.MonkeyPatch) -> TestResponse:
    return world.post(f"{CAMPAIGN}/withdraw", data={"code": UNKNOWN_CODE})


def _closed(path: str) -> Reach:
    def reach(world: World, _: pytest.MonkeyPatch) -> TestResponse:
        close_the_campaign(world)
        return world.get(path)

    return reach


def _confirm_database_down(world: World, monkeypatch: pytest.MonkeyPatch) -> TestResponse:
    database_down(monkeypatch, email_views, "confirm")
    return world.post_form(f"{CAMPAIGN}/confirm", code=UNKNOWN_CODE)


def _rate_limited(world: World, _: pytest.MonkeyPatch) -> TestResponse:
    world.config.update(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_WRITE="1 per minute"
    )
    send_pledge(world, email="first@example.org")
    return send_pledge(world, email="second@example.org")


def _widget_thanks(world: World, _: pytest.MonkeyPatch) -> TestResponse:
    return send_widget(world)


def _widget_errors(world: World, _: pytest.MonkeyPatch) -> TestResponse:
    return send_widget(world, name="", email="not-an-email", zip="9810")


def _widget_database_down(world: World, monkeypatch: pytest.MonkeyPatch) -> TestResponse:
    database_down(monkeypatch, widget_views)
    return send_widget(world)


def _handoff(world: World, _: pytest.MonkeyPatch) -> TestResponse:
    token = hidden_value(send_widget(world).get_data(as_text=True), "token")
    answer = world.post(f"{CAMPAIGN}/results/handoff", data={"token": token})
    assert answer.status_code == 303, answer.status_code
    return world.get(THANKS)


def _handoff_refused(world: World, _: pytest.MonkeyPatch) -> TestResponse:
    return world.post(f"{CAMPAIGN}/results/handoff", data={"token": ""})


def _event(**fields: str) -> Reach:
    def reach(world: World, _: pytest.MonkeyPatch) -> TestResponse:
        code = add_event(world.app)
        if not fields:
            return world.get(f"/e/{code}")
        page = world.get(f"/e/{code}").get_data(as_text=True)
        token = world.get(f"/e/{code}/form-token").get_json()["started"]
        data = {"started": token, "ref": hidden_value(page, "ref"), **pledge_fields(**fields)}
        return world.post(f"/e/{code}", data=data)

    return reach


def _get(path: str) -> Reach:
    return lambda world, _: world.get(path)


def _post(**fields: str) -> Reach:
    return lambda world, _: send_pledge(world, **fields)


def _results(**fields: str) -> Reach:
    return lambda world, _: results(world, **fields)


PAGES: dict[str, Page] = {
    # The campaign page and its form.
    "home page": Page(_get("/")),
    "campaign page": Page(_get(CAMPAIGN)),
    "campaign page, new Congress sworn in": Page(_campaign_after_noon),
    "campaign form, every field empty": Page(
        _post(name="", email="", zip="", city="", state=""), 422
    ),
    "campaign form, bad email and ZIP": Page(_post(email="not-an-email", zip="9810"), 422),
    "campaign form, unknown ZIP": Page(_post(zip="00000"), 422),
    "campaign form, bad state": Page(_post(state="ZZ"), 422),
    "campaign form, too long": Page(
        _post(name="N" * 101, email="e" * 250 + "@example.org", city="C" * 101, note="n" * 2001),
        422,
    ),
    "campaign form, street too long": Page(_post(street="1" * 201), 422),
    "campaign form, honeypot": Page(_post(contact_me_by_fax_only="call me"), 422),
    "campaign form, no token": Page(_post(started="forged"), 422),
    "campaign form, sent too fast": Page(_too_fast, 422),
    "campaign form, database down": Page(_pledge_database_down, 503),
    # The results page.
    "results page (members, letters, call scripts)": Page(_results()),
    "results page, street address matched": Page(_results(**SEATTLE)),
    "results page, street not matched": Page(
        _results(**{**SEATTLE, "street": "1 Nowhere Pl", "zip": "98105"})
    ),
    "results page, address refined": Page(_refine()),
    "results page, address form errors": Page(_refine(street="", zip="9810"), 422),
    "results page, choice of district": Page(_results(**ZIP_ONLY, zip="98101")),
    "results page, no district chosen": Page(_choose(""), 422),
    "results page, a district chosen": Page(_choose("WA-7")),
    "results page, every district chosen": Page(_choose("all")),
    "results page, changeover ahead (before Jan 3 2027)": Page(
        _at(BEFORE_NOON, **ZIP_ONLY, zip="78701")
    ),
    "results page, changeover done (after Jan 3 2027)": Page(_at(NOON, **ZIP_ONLY, zip="78701")),
    "results page, kept from before the changeover": Page(
        _at(BEFORE_NOON, NOON, **ZIP_ONLY, zip="98105")
    ),
    "results page, geocoder down": Page(_census("error500", **SEATTLE)),
    "results page, geocoder on the wrong map": Page(
        _census(wrong_map_answers=2, **{**SEATTLE, "zip": "98105"})
    ),
    # The pages an email leads to.
    "confirm page": Page(_code("confirm")),
    "confirm page, malformed code": Page(_code("confirm", "12"), 422),
    "confirm page, pledge counted": Page(_code("confirm", kind="confirm")),
    "confirm page, unknown code": Page(_code("confirm", UNKNOWN_CODE)),
    "withdraw page": Page(_code("withdraw")),
    "withdraw page, malformed code": Page(_code("withdraw", "12"), 422),
    "withdraw page, pledge withdrawn": Page(_code("withdraw", kind="withdraw")),
    "withdraw page, nothing to withdraw": Page(_code("withdraw", UNKNOWN_CODE)),
    "withdraw page, an old link": Page(_code("withdraw", LEGACY_CODE)),
    "withdraw page, form expired (CSRF)": Page(_withdraw_without_csrf, 400),
    # The site's other pages.
    "privacy page": Page(_get("/privacy")),
    "error 404, no such campaign": Page(_get("/c/no-such-campaign"), 404),
    "error 404, no such page": Page(_get("/no-such-page"), 404),
    "error 410, campaign closed": Page(_closed(CAMPAIGN), 410),
    "error 429, too many pledges": Page(_rate_limited, 429),
    "error 503, database down": Page(_confirm_database_down, 503),
    # The widget, in a partner's frame.
    "widget form": Page(_get(WIDGET + "?ref=partner.org"), framed=True),
    "widget form errors": Page(_widget_errors, 422, framed=True),
    "widget thanks": Page(_widget_thanks, framed=True),
    "widget, campaign ended": Page(_closed(WIDGET), 410, framed=True),
    "widget, campaign not found": Page(_get("/c/no-such-campaign/widget"), 404, framed=True),
    "widget, database down (retry)": Page(_widget_database_down, 503, framed=True),
    "widget handoff to the results page": Page(_handoff),
    "widget handoff refused": Page(_handoff_refused, 400),
    # An event's page.
    "event page": Page(_event()),
    "event page, form errors": Page(_event(email="not-an-email"), 422),
}


# --- the checks ----------------------------------------------------------------------------


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with running_fake_census() as fake:
        yield fake


def shown(
    make_app: Any, census: FakeCensus, monkeypatch: Any, name: str, tag: str
) -> tuple[str, list[str]]:
    """Reach the page in the language; return its HTML and what is wrong with its language
    (lang, dir, the switcher's links)."""
    language = by_tag(tag)
    assert language is not None, f"{tag} is not served"
    world = World(make_app, census, language)
    page = PAGES[name]
    response = page.reach(world, monkeypatch)
    html = response.get_data(as_text=True)
    assert response.status_code == page.status, f"{name} in {tag}: {response.status_code}"
    problems = language_problems(html, language)
    if not page.framed:
        # The request's path as the app saw it, with the language's prefix.
        english_path = response.request.path.removeprefix(language.prefix) or "/"
        if response.request.method == "POST":
            # An answer to a form has no address of its own: its links lead to the
            # nearest page above it that a GET opens.
            english_path = nearest_page(world.client, english_path)
        problems += switcher_problems(world.client, html, language, english_path)
    return html, problems


def language_problems(html: str, language: Language) -> list[str]:
    root = parse(html).one("html")
    found = (root.attrs.get("lang"), root.attrs.get("dir"))
    expected = (language.tag, language.dir)
    return [] if found == expected else [f"<html lang dir> is {found}, not {expected}"]


def nearest_page(client: FlaskClient, path: str) -> str:
    while path.strip("/") and client.get(path).status_code in (404, 405):
        path = path.rsplit("/", 1)[0]
    return path or "/"


def switcher_problems(
    client: FlaskClient, html: str, language: Language, english_path: str
) -> list[str]:
    """The page links to itself in each other language (the query aside), and the link
    opens a page: an answer to a form's post must not link to an address only a POST
    reaches."""
    links = {
        a.attrs.get("hreflang"): a.attrs.get("href", "").split("?")[0]
        for a in parse(html).find_all("a")
        if a.attrs.get("hreflang")
    }
    problems = []
    for other in languages():
        if other.tag == language.tag:
            continue
        expected = other.prefix + english_path if other.prefix else english_path
        if links.get(other.tag) != expected:
            problems.append(f"no link to this page in {other.tag} ({expected}): {links}")
        elif client.get(expected).status_code == 405:
            problems.append(f"the link to this page in {other.tag} ({expected}) answers 405")
    return problems


@pytest.mark.parametrize("tag", ["ug", "ug-Latn"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_english_is_left(
    make_app: Any, census: FakeCensus, monkeypatch: pytest.MonkeyPatch, name: str, tag: str
) -> None:
    html, problems = shown(make_app, census, monkeypatch, name, tag)
    leftovers = untranslated(html, tag)
    if leftovers or problems:
        message = report(f"{name} ({tag})", leftovers) if leftovers else ""
        pytest.fail("\n".join([message, *problems]).strip(), pytrace=False)


@pytest.mark.parametrize("name", list(PAGES))
def test_english_pages_stay_english(
    make_app: Any, census: FakeCensus, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    html, problems = shown(make_app, census, monkeypatch, name, "en")
    assert not problems, f"{name}: {problems}"
    # No Uyghur (Arabic script) but the switcher's own name for the language.
    own_names = {word for language in languages() for word in language.name.split()}
    arabic = re.findall(r"[\u0600-\u06ff]+", html)
    assert set(arabic) <= own_names, f"{name}: Arabic script on the English page: {arabic}"
