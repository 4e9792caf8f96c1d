"""Letters stay plain text: the campaign page's formatting never reaches what goes to an
office, and letter material that looks like formatting is sent as it was written."""

from __future__ import annotations

import copy
import datetime
from typing import Any

from data_files import senator_records
from flask import Flask

from advocacy.campaigns.content import (
    load_campaign_file,
    parse_campaign,
    shipped_campaign_files,
)
from advocacy.campaigns.service import upsert_campaign
from advocacy.congress.members import Legislator
from advocacy.db import get_session
from advocacy.letters.drafting import Supporter, draft_letter

SITTING = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC)
ENDED = datetime.datetime(2027, 1, 3, 17, 0, 0, tzinfo=datetime.UTC)
SENATOR = senator_records("WA")[0]
LOOKS_LIKE_FORMATTING = "I *really* care about [this bill](https://example.org) <b>now</b>."


def shipped() -> dict[str, Any]:
    return copy.deepcopy(load_campaign_file(shipped_campaign_files()[0]))


def senator() -> Legislator:
    return Legislator(
        bioguide="C000127",
        name="Maria Cantwell",
        last_name="Cantwell",
        chamber="senate",
        title="Senator",
        state="WA",
        district=None,
        party="Democrat",
        phone="202-224-3441",
        url="https://www.cantwell.senate.gov",
        contact_form=None,
        address="511 Hart Senate Office Building Washington DC 20510",
        office="511 Hart Senate Office Building",
        serving_since=datetime.date(2001, 1, 3),
    )


def test_formatting_in_the_story_leaves_every_letter_as_it_was() -> None:
    plain = parse_campaign(shipped())
    formatted = shipped()
    formatted["story"][0]["paragraphs"] = ["*Emphasis*, [a link](https://example.org)", "- a"]
    formatted["ask"]["paragraphs"][0] = "**Sign** today."
    dressed = parse_campaign(formatted)
    for name in ("Amina Tursun", "Sam O'Neill", "José Martínez"):
        supporter = Supporter(name=name, city="Seattle", state="WA", note="*My* words.")
        for at in (SITTING, ENDED):
            assert draft_letter(dressed, senator(), supporter, at=at) == draft_letter(
                plain, senator(), supporter, at=at
            )


def test_letter_material_that_looks_like_formatting_is_sent_as_written(app: Flask) -> None:
    campaign = shipped()
    campaign["letter"]["openings"] = [LOOKS_LIKE_FORMATTING]
    with app.app_context():
        upsert_campaign(get_session(), campaign)
        get_session().commit()
    response = app.test_client().post(
        f"/api/v1/campaigns/{campaign['slug']}/letters",
        json={
            "bioguide": SENATOR.bioguide,
            "name": "Amina Tursun",
            "city": "Seattle",
            "state": "WA",
            "note": "",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()["body"]
    assert LOOKS_LIKE_FORMATTING in body
    assert "<em>" not in body and "<a " not in body
