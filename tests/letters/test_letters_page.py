"""The letters on the results page, reached through the campaign form as a supporter would."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, quote_plus
from zoneinfo import ZoneInfo

import data_files
import pytest
from data_files import (
    NON_VOTING,
    SNAPSHOT_MOMENT,
    holder_record,
    raw_legislators,
    senator_records,
    snapshot_directory,
    zip_seats,
)
from flask.testing import FlaskClient
from pages import SLUG, Element, parse, session_csrf_token, submit_pledge

from advocacy.congress.members import Legislator

THANKS = f"/c/{SLUG}/thanks"
DOWNLOAD = f"/c/{SLUG}/letters/download"
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "cite", "data")


def textarea_value(textarea: Element) -> str:
    # As a browser reads it: one newline right after <textarea> is not part of the value.
    return textarea.text().removeprefix("\n")


@dataclass
class MemberBlock:
    """One member's section of the results page."""

    bioguide: str
    section: Element

    @property
    def textarea(self) -> Element:
        return self.section.one("textarea")

    @property
    def letter(self) -> str:
        return textarea_value(self.textarea)

    @property
    def form(self) -> Element:
        forms = [f for f in self.section.find_all("form") if f.find_all("textarea")]
        assert len(forms) == 1
        return forms[0]

    def links(self) -> list[tuple[str, str]]:
        return [
            (a.attrs.get("href", ""), " ".join(a.text().split()))
            for a in self.section.find_all("a")
        ]


def members(page: Element) -> dict[str, MemberBlock]:
    blocks: dict[str, MemberBlock] = {}
    for section in page.by_class("member"):
        bioguide = section.one("input", name="bioguide").attrs["value"]
        blocks[bioguide] = MemberBlock(bioguide, section)
    return blocks


def pledge_and_follow(client: FlaskClient, **fields: Any) -> tuple[str, Element]:
    response = submit_pledge(client, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"] == THANKS + "#main"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html, parse(html)


def member(bioguide: str) -> Legislator:
    found = snapshot_directory().get(bioguide)
    assert found is not None
    return found


def slug(text: str) -> str:
    """Return a name as it appears in a download's file name: ASCII, lower case, dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split()).lower()


def washington_date(moment: datetime = SNAPSHOT_MOMENT) -> str:
    """The date letters carry at the app's clock (the snapshot moment unless set)."""
    day = moment.astimezone(ZoneInfo("America/New_York"))
    return f"{day:%B} {day.day}, {day.year}"


# ZIP 98105 lies in WA-7: its House member and both senators, as the snapshot has them.
_HOUSE = holder_record("WA", 7)
assert _HOUSE is not None, "WA-7 is vacant in the snapshot"
HOUSE = _HOUSE.bioguide
SENATORS = tuple(s.bioguide for s in senator_records("WA"))
SENATOR = SENATORS[0]
WA_7 = (HOUSE, *SENATORS)
SALUTATIONS = {
    HOUSE: f"Dear Representative {_HOUSE.last},",
    **{s.bioguide: f"Dear Senator {s.last}," for s in senator_records("WA")},
}


# --- the full path --------------------------------------------------------------------------


def test_form_to_three_labelled_letters(client: FlaskClient) -> None:
    html, page = pledge_and_follow(
        client,
        name="Gulnar Rahman",
        city="Shoreline",
        note="My father was a teacher in Ghulja. We lost contact with him in 2018.",
    )
    blocks = members(page)
    assert sorted(blocks) == sorted(WA_7)

    ids = set()
    for bioguide, block in blocks.items():
        textarea = block.textarea
        area_id = textarea.attrs["id"]
        ids.add(area_id)
        assert textarea.attrs["name"] == "body"
        labels = page.find_all("label", **{"for": area_id})
        assert len(labels) == 1, bioguide
        assert member(bioguide).name in labels[0].text()
        assert "readonly" not in textarea.attrs and "disabled" not in textarea.attrs

        letter = block.letter
        paragraphs = letter.split("\n\n")
        assert paragraphs[0] == SALUTATIONS[bioguide]
        assert "My father was a teacher in Ghulja. We lost contact with him in 2018." in paragraphs
        assert paragraphs[-1].splitlines()[1:] == ["Gulnar Rahman", "Shoreline, WA 98105"]
        assert "Shoreline, Washington" in letter
    assert len(ids) == 3  # each label points at its own letter

    # Each letter's form: the letter's text goes to the download, with a CSRF token.
    for block in blocks.values():
        form = block.form
        assert form.attrs["method"].lower() == "post"
        assert form.attrs["action"] == DOWNLOAD
        assert form.one("input", name="csrf_token").attrs["value"]
        assert form.one("input", name="bioguide").attrs["value"] == block.bioguide
        buttons = [" ".join(b.text().split()) for b in form.find_all("button")]
        assert any(b.startswith("Download") for b in buttons)
        assert "Copy letter" in buttons
    assert 'src="/static/js/letters.js?v=' in html


def test_senators_and_house_member_get_their_own_asks(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client)
    blocks = members(page)
    for bioguide in SENATORS:
        assert "cosponsor" in blocks[bioguide].letter
        assert "S. 1542" in blocks[bioguide].letter
    assert "cosponsor" not in blocks[HOUSE].letter
    assert "H.R. 2635" in blocks[HOUSE].letter


# --- who is thanked for the House vote -------------------------------------------------------

# The day the House passed H.R. 2635 (bill.house_passed in the shipped campaign).
HOUSE_VOTE = "2025-09-02"


def house_ask(block: MemberBlock) -> str:
    """The letter's ask: the paragraph before the closing and the signature."""
    return block.letter.split("\n\n")[-3]


def test_the_house_member_in_office_at_the_vote_is_thanked_for_it(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client)
    ask = house_ask(members(page)[HOUSE])
    assert "thank" in ask.lower()
    assert "H.R. 2635" in ask


def test_dcs_delegate_is_asked_to_support_the_bill_not_thanked_for_passing_it(
    client: FlaskClient,
) -> None:
    _, page = pledge_and_follow(client, zip="20001", city="Washington", state="DC")
    delegate = holder_record("DC", 0)
    assert delegate is not None
    block = members(page)[delegate.bioguide]
    ask = house_ask(block)
    assert "support" in ask
    assert "thank" not in ask.lower()
    assert "Thank you for passing" not in block.letter


def test_a_member_sworn_in_after_the_vote_is_asked_to_support_the_bill(
    client: FlaskClient,
) -> None:
    # First sworn in at a special election after the House vote, and a ZIP code wholly
    # inside that seat.
    terms = {r["id"]["bioguide"]: len(r["terms"]) for r in raw_legislators()}
    later = sorted(
        (
            m
            for m in data_files.members()
            if m.kind == "rep"
            and m.state not in NON_VOTING
            and m.start > HOUSE_VOTE
            and terms[m.bioguide] == 1
        ),
        key=lambda m: m.start,
    )
    own_zip: dict[tuple[str, int | None], str] = {}
    for zip_code, seats in sorted(zip_seats().items()):
        if len(seats) == 1:
            own_zip.setdefault(next(iter(seats)), zip_code)
    found = [(m, own_zip[m.state, m.district]) for m in later if (m.state, m.district) in own_zip]
    if not found:
        pytest.skip("no member sworn in after the House vote has a ZIP code of their own")
    newcomer, zip_code = found[0]
    _, page = pledge_and_follow(client, zip=zip_code, city="", state=newcomer.state)
    block = members(page)[newcomer.bioguide]
    ask = house_ask(block)
    assert block.letter.startswith("Dear Representative ")
    assert "support" in ask
    assert "thank" not in ask.lower()
    assert "Thank you for passing" not in block.letter


def test_print_letter_has_the_date_and_washington_address(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client, name="Gulnar Rahman")
    blocks = members(page)
    for bioguide, block in blocks.items():
        printed = block.section.by_class("print-letter")
        assert len(printed) == 1, bioguide
        letter = printed[0]
        # The screen shows the textarea; screen readers do not read the letter twice.
        assert letter.attrs.get("aria-hidden") == "true"
        assert letter.by_class("print-letter__date")[0].text() == washington_date()
        address = letter.by_class("print-letter__address")[0]
        # One line of the address block between each <br>.
        lines = [c.strip() for c in address.children if isinstance(c, str) and c.strip()]
        assert lines[0] == f"The Honorable {member(bioguide).name}"
        office = member(bioguide).office
        assert office is not None and office in lines
        if bioguide == HOUSE:
            assert "U.S. House of Representatives" in lines
            assert lines[-1].startswith("Washington, DC 20515")
        else:
            assert "United States Senate" in lines
            assert lines[-1] == "Washington, DC 20510"
        body = letter.by_class("print-letter__body")[0]
        paragraphs = [p.text() for p in body.find_all("p")]
        assert paragraphs == block.letter.split("\n\n")


def test_a_zip_code_alone_closes_letters_and_call_scripts_with_the_state_and_zip(
    client: FlaskClient,
) -> None:
    _, page = pledge_and_follow(client, city=None, state=None)
    blocks = members(page)
    assert sorted(blocks) == sorted(WA_7)
    for block in blocks.values():
        assert block.letter.split("\n\n")[-1].splitlines()[1:] == ["Amina Tursun", "WA 98105"]
        script = " ".join(block.section.one("details").text().split())
        assert "Washington, ZIP 98105" in script


def test_delegate_letter_for_a_dc_supporter(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client, zip="20001", city="Washington", state="DC")
    blocks = members(page)
    # DC has a delegate and no senators.
    delegate = holder_record("DC", 0)
    assert delegate is not None
    assert list(blocks) == [delegate.bioguide]
    block = blocks[delegate.bioguide]
    assert block.letter.startswith(f"Dear Delegate {delegate.last},\n\n")
    address = block.section.by_class("print-letter__address")[0].text()
    assert "Washington, DC 20515" in address


def test_each_letter_has_working_ways_to_send_it(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client)
    for bioguide, block in members(page).items():
        m = member(bioguide)
        links = block.links()
        assert m.phone is not None
        tel = "tel:+1" + m.phone.replace("-", "")
        calls = [text for href, text in links if href == tel]
        assert any(text.startswith("Call") for text in calls), bioguide
        open_links = [(href, text) for href, text in links if text.startswith("Open ")]
        assert len(open_links) == 1, bioguide
        href, text = open_links[0]
        if m.contact_form:
            assert href == m.contact_form
            assert text.startswith("Open contact form")
        else:
            assert href == m.url
        # A call script for the phone call, under a summary a person can open.
        details = block.section.find_all("details")
        assert len(details) == 1
        assert details[0].find_all("summary")
        script = details[0].text()
        title_and_last = SALUTATIONS[bioguide].removeprefix("Dear ").rstrip(",")
        assert title_and_last in script
        assert "Amina Tursun" in script


def test_senators_open_their_contact_forms(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client)
    blocks = members(page)
    house = holder_record("WA", 7)
    assert house is not None
    for m in (house, *senator_records("WA")):
        links = blocks[m.bioguide].links()
        if m.contact_form:
            assert (
                m.contact_form,
                f"Open contact form of {m.name} (opens in a new tab)",
            ) in links
        else:
            # No contact form in the data: the button opens the website instead.
            assert any(href == m.url and text.startswith("Open") for href, text in links)


def test_print_stylesheet_is_linked_for_print_only(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client)
    sheets = [link for link in page.find_all("link") if link.attrs.get("rel") == "stylesheet"]
    printed = [link for link in sheets if link.attrs.get("media") == "print"]
    assert len(printed) == 1
    with client.get(printed[0].attrs["href"]) as css:
        assert css.status_code == 200
        assert css.mimetype == "text/css"
        text = css.get_data(as_text=True)
    assert "break-after: page" in text
    assert ".print-letter" in text


# --- privacy and escaping -------------------------------------------------------------------


HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_NOTE = '</textarea><img src=x onerror="alert(2)"> ${name} & "quotes" \u202e'
# As it comes back: escaped, never run, and without the invisible right-to-left override,
# which would reverse what a page or an export shows after it (issue 19).
HOSTILE_NOTE_KEPT = HOSTILE_NOTE.replace("\u202e", "").rstrip()


def test_hostile_input_is_escaped_everywhere_on_the_page(client: FlaskClient) -> None:
    html, page = pledge_and_follow(
        client, name=HOSTILE_NAME, city="<b>Bold</b>", note=HOSTILE_NOTE
    )
    assert HOSTILE_NAME not in html
    assert "<b>Bold</b>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The only scripts are the site's own files.
    scripts = page.find_all("script")
    assert scripts and all(s.attrs.get("src", "").startswith("/static/") for s in scripts)
    assert not [e for e in page.iter() if e.tag == "img"]
    assert not [e for e in page.iter() if any(k.startswith("on") for k in e.attrs)]
    blocks = members(page)
    assert len(blocks) == 3
    for block in blocks.values():
        # Escaped, the text reads back exactly as typed: in the letter, the call script and
        # the printed copy.
        assert HOSTILE_NOTE_KEPT in block.letter.split("\n\n")
        assert block.letter.split("\n\n")[-1].splitlines()[1:] == [
            HOSTILE_NAME,
            "<b>Bold</b>, WA 98105",
        ]
        assert HOSTILE_NAME in block.section.one("details").text()
        printed = block.section.by_class("print-letter__body")[0]
        assert HOSTILE_NOTE_KEPT in [p.text() for p in printed.find_all("p")]
    assert HOSTILE_NAME in page.one("h1").text()


def page_urls(page: Element) -> list[str]:
    urls = []
    for element in page.iter():
        for name in URL_ATTRIBUTES:
            if name in element.attrs:
                urls.append(element.attrs[name])
        if element.tag == "meta" and "url=" in element.attrs.get("content", "").lower():
            urls.append(element.attrs["content"])
    return urls


def test_no_personal_data_in_any_address(client: FlaskClient) -> None:
    personal = {
        "name": "Zulpiye Qasimova",
        "email": "zulpiye.qasimova@example.org",
        "city": "Tukwila",
        "note": "Mehmetjan Qarakashi",
    }
    response = submit_pledge(client, **personal)
    assert response.status_code == 303
    location = response.headers["Location"]
    page = client.get(location)
    urls = [location, *page_urls(parse(page.get_data(as_text=True)))]
    assert any(url.startswith("tel:") for url in urls)  # the walk found the page's links
    words = [w for value in personal.values() for w in value.split()]
    words += [value for value in personal.values()]
    for url in urls:
        for word in words:
            for form in {word.lower(), quote(word).lower(), quote_plus(word).lower()}:
                assert form not in url.lower(), (word, url)
    # ...and no letter goes out as a mailto: either. The one mailto: is the share link,
    # to nobody, with the campaign's link (its words were checked above).
    mailtos = [url for url in urls if url.lower().startswith("mailto:")]
    assert mailtos and all(url.startswith("mailto:?") for url in mailtos), mailtos
    assert all("ref%3Dshare-email" in url or "ref=share-email" in url for url in mailtos)


def test_letters_page_is_not_cached(client: FlaskClient) -> None:
    submit_pledge(client)
    assert client.get(THANKS).headers["Cache-Control"] == "no-store"


def test_letters_page_without_a_pledge_goes_to_the_campaign(client: FlaskClient) -> None:
    response = client.get(THANKS)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{SLUG}"


# --- variation ------------------------------------------------------------------------------


def test_next_supporter_gets_a_different_letter_and_a_reload_the_same(
    make_app: Any,
) -> None:
    app = make_app()
    first, second = app.test_client(), app.test_client()
    _, page_one = pledge_and_follow(first, name="Gulnar Rahman", email="g@example.org")
    _, page_two = pledge_and_follow(second, name="Arslan Tokhti", email="a@example.org")
    for bioguide in WA_7:
        one = members(page_one)[bioguide].letter.replace("Gulnar Rahman", "NAME")
        two = members(page_two)[bioguide].letter.replace("Arslan Tokhti", "NAME")
        # Not only the name: the paragraphs themselves differ, as offices will see.
        assert one != two, bioguide
    reloaded = parse(first.get(THANKS).get_data(as_text=True))
    for bioguide in WA_7:
        assert members(reloaded)[bioguide].letter == members(page_one)[bioguide].letter


# --- download -------------------------------------------------------------------------------


def download_fields(block: MemberBlock, body: str) -> dict[str, str]:
    return {
        "csrf_token": block.form.one("input", name="csrf_token").attrs["value"],
        "bioguide": block.bioguide,
        "body": body,
    }


def test_download_returns_the_edited_letter_as_plain_text(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client, name=HOSTILE_NAME, note=HOSTILE_NOTE)
    block = members(page)[SENATOR]
    # Browsers send a textarea's lines with CRLF.
    salutation = SALUTATIONS[SENATOR]
    edited = block.letter.replace(salutation, salutation + "\n\nP.S. first: I called your office.")
    response = client.post(DOWNLOAD, data=download_fields(block, edited.replace("\n", "\r\n")))
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.mimetype_params.get("charset") == "utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="letter-to-senator-{slug(member(SENATOR).last_name)}.txt"' in disposition
    text = response.get_data(as_text=True)
    # The letter as edited, then, after a signature separator, the note saying where it
    # was drafted and where the privacy page is (tests/organization checks its contents).
    letter, separator, note = text.partition("\n\n-- \n")
    assert letter == edited and separator
    assert "not part of the letter" in note and note.endswith("/privacy\n")
    # Plain text, never sniffed as HTML: the supporter's words come back as typed.
    assert HOSTILE_NAME in text and HOSTILE_NOTE_KEPT in text
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_download_keeps_non_latin_text(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client, note="ئانام ئۈچۈن يازدىم 🙏")
    block = members(page)[HOUSE]
    response = client.post(DOWNLOAD, data=download_fields(block, block.letter))
    assert response.status_code == 200
    assert "ئانام ئۈچۈن يازدىم 🙏" in response.get_data(as_text=True)
    expected = f"letter-to-representative-{slug(member(HOUSE).last_name)}.txt"
    assert expected in response.headers["Content-Disposition"]


def test_download_needs_the_csrf_token(client: FlaskClient) -> None:
    _, page = pledge_and_follow(client)
    block = members(page)[SENATOR]
    data = download_fields(block, block.letter)
    del data["csrf_token"]
    response = client.post(DOWNLOAD, data=data)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "letter" not in response.headers.get("Content-Disposition", "")


def test_download_needs_the_supporters_session(make_app: Any) -> None:
    app = make_app()
    supporter = app.test_client()
    _, page = pledge_and_follow(supporter)
    block = members(page)[SENATOR]

    # Someone else, with a valid token of their own but no pledge behind it.
    stranger = app.test_client()
    token = session_csrf_token(stranger)
    response = stranger.post(
        DOWNLOAD, data={**download_fields(block, block.letter), "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{SLUG}"


@pytest.mark.parametrize("body", ["", "   \r\n  ", "x" * 20_001])
def test_download_refuses_an_empty_or_huge_letter(client: FlaskClient, body: str) -> None:
    _, page = pledge_and_follow(client)
    block = members(page)[SENATOR]
    response = client.post(DOWNLOAD, data=download_fields(block, body))
    assert response.status_code == 400
    assert "attachment" not in response.headers.get("Content-Disposition", "")


# --- already pledged ------------------------------------------------------------------------


def test_second_pledge_with_the_email_in_another_case_still_gets_letters(
    make_app: Any,
) -> None:
    app = make_app()
    _, first = pledge_and_follow(app.test_client(), email="Amina@Example.org")
    assert "Thank you, Amina Tursun!" in first.one("h1").text()

    # Another day, another device: the same person, the address typed differently.
    _, again = pledge_and_follow(app.test_client(), email="AMINA@example.ORG", note="Again.")
    heading = " ".join(again.one("h1").text().split())
    # The same page as a new pledge's: it never tells that the email had pledged before.
    assert heading == "Thank you, Amina Tursun!"
    assert "already" not in again.text().lower()
    # Counted once confirmed from the mailbox: the count shows nothing either way.
    assert "0 people have added their name" in " ".join(again.text().split())
    blocks = members(again)
    assert sorted(blocks) == sorted(WA_7)
    for bioguide, block in blocks.items():
        assert block.letter.startswith(SALUTATIONS[bioguide] + "\n\n")
        assert "Again." in block.letter.split("\n\n")


# --- a long note in a non-Latin script ------------------------------------------------------


def test_a_long_note_in_chinese_still_reaches_the_letters(client: FlaskClient) -> None:
    rnd = random.Random(2026)
    note = "".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(2000))
    response = submit_pledge(client, note=note)
    assert response.status_code == 303
    cookie = response.headers.get("Set-Cookie", "")
    assert len(cookie.split(";")[0]) <= 4093


# --- after the bill's Congress has ended ----------------------------------------------------

LAST_SECOND = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
ENDED = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)


def test_a_second_before_the_end_senators_are_asked_to_cosponsor_s_1542(make_app: Any) -> None:
    client = make_app(CLOCK=lambda: LAST_SECOND).test_client()
    _, page = pledge_and_follow(client)
    blocks = members(page)
    for bioguide in SENATORS:
        assert "S. 1542" in blocks[bioguide].letter
        printed = blocks[bioguide].section.by_class("print-letter__date")[0].text()
        assert printed == "January 3, 2027"


def test_after_the_end_letters_ask_to_reintroduce_and_name_no_dead_bill(make_app: Any) -> None:
    client = make_app(CLOCK=lambda: ENDED).test_client()
    html, page = pledge_and_follow(client, name="Gulnar Rahman")
    blocks = members(page)
    # The House seat waits for the 120th Congress's member; both senators sit on.
    assert set(SENATORS) <= set(blocks)
    for bioguide in SENATORS:
        block = blocks[bioguide]
        letter = block.letter
        assert "Uyghur Policy Act" in letter
        assert "this Congress" in letter
        assert "introduce" in letter
        script = block.section.find_all("details")[0].text()
        for number in ("S. 1542", "H.R. 2635"):
            assert number not in letter
            assert number not in script
        assert block.section.by_class("print-letter__date")[0].text() == washington_date(ENDED)
    for number in ("S. 1542", "H.R. 2635"):
        assert number not in html
