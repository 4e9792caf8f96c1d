"""The pledge in Uyghur (issue #23): a supporter who reads only Uyghur sends the form on
/ug/c/<slug>, meets every mistake beside its field in Uyghur with what they typed kept,
and reads how their members were found in Uyghur; the same in Latin script on /ug-Latn/.

The Uyghur here is the shipped catalogue's (advocacy/translations/ug); the Latin is made
from it by rule (to_latin).
"""

from __future__ import annotations

from flask.testing import FlaskClient
from pages import SLUG, hidden_value, page_text, parse, pledge_fields
from werkzeug.test import TestResponse

from advocacy.i18n.uly import to_latin

NAME_MISSING = "ئىسمىڭىزنى يېزىڭ."
ZIP_MALFORMED = "5 خانىلىق پوچتا نومۇرى (ZIP) يېزىڭ، مەسىلەن 98101."
EMAIL_MALFORMED = "name@example.org غا ئوخشاش بىر ئېلخەت ئادرېسى يېزىڭ."


def send_pledge(client: FlaskClient, prefix: str, **fields: str | None) -> TestResponse:
    """Load the campaign page at prefix (/ug), then send its form as a supporter would."""
    html = client.get(f"{prefix}/c/{SLUG}").get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        **pledge_fields(**fields),
    }
    return client.post(f"{prefix}/c/{SLUG}", data=data)


def error_beside(html: str, field: str) -> str:
    return parse(html).by_id(f"{field}-error").squeezed()


def test_mistakes_on_the_uyghur_page_are_said_beside_their_fields_in_uyghur(
    client: FlaskClient,
) -> None:
    response = send_pledge(client, "/ug", name="", email="amina@example", zip="981")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    page = parse(html)
    assert page.one("html").attrs["lang"] == "ug" and page.one("html").attrs["dir"] == "rtl"
    assert error_beside(html, "name") == f"خاتالىق: {NAME_MISSING}"
    assert error_beside(html, "zip") == f"خاتالىق: {ZIP_MALFORMED}"
    assert error_beside(html, "email") == f"خاتالىق: {EMAIL_MALFORMED}"
    # The summary above the form lists them, each a link to its field.
    summary = page.by_id("error-summary")
    assert summary.one("h2").squeezed() == "بۇلارنى تەكشۈرۈڭ:"
    assert [a.attrs["href"] for a in summary.find_all("a")] == ["#name", "#email", "#zip"]
    # What was typed is kept, and the form posts back to the Uyghur page.
    assert page.by_id("email").attrs["value"] == "amina@example"
    assert page.by_id("zip").attrs["value"] == "981"
    assert page.by_id("city").attrs["value"] == "Seattle"
    assert page.one("form", class_="pledge-form").attrs["action"] == f"/ug/c/{SLUG}#act"
    assert "(تولدۇرۇش زۆرۈر)" in page_text(html)
    assert "Please" not in page_text(html)


def test_a_zip_code_nobody_lives_in_is_said_in_uyghur_beside_the_zip(
    client: FlaskClient,
) -> None:
    response = send_pledge(client, "/ug", zip="00000", state="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "zip") == (
        "خاتالىق: 00000 دېگەن پوچتا نومۇرىنى (ZIP) تاپالمىدۇق. ئۇنى تەكشۈرۈڭ؛ پوچتا ساندۇقى "
        "بولسا، ئۆزىڭىز ئولتۇرۇشلۇق جاينىڭ پوچتا نومۇرىنى يېزىڭ."
    )
    assert parse(html).by_id("name").attrs["value"] == "Amina Tursun"


def test_the_latin_script_page_says_the_same_mistakes_in_latin(client: FlaskClient) -> None:
    response = send_pledge(client, "/ug-Latn", name="", zip="981")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert parse(html).one("html").attrs["lang"] == "ug-Latn"
    assert error_beside(html, "name").endswith(to_latin(NAME_MISSING, capitalize=True))
    assert error_beside(html, "zip").endswith(to_latin(ZIP_MALFORMED, capitalize=True))
    form = parse(html).one("form", class_="pledge-form").squeezed()
    assert not any("\u0600" <= char <= "\u06ff" for char in form)


def test_the_english_page_still_says_its_mistakes_in_english(client: FlaskClient) -> None:
    response = send_pledge(client, "", name="", zip="981")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "name") == "Error: Please enter your name."
    assert error_beside(html, "zip") == "Error: Please enter a 5-digit ZIP code, like 98101."


def test_a_zip_across_districts_is_explained_and_chosen_in_uyghur(client: FlaskClient) -> None:
    sent = send_pledge(client, "/ug", zip="98101", city="", state="")
    assert sent.status_code == 303
    assert sent.headers["Location"] == f"/ug/c/{SLUG}/thanks#main"
    html = client.get(f"/ug/c/{SLUG}/thanks").get_data(as_text=True)
    notice = parse(html).by_class("notice")[0]
    assert "98101 پوچتا نومۇرىڭىز (ZIP) بىر نەچچە سايلام رايونىغا توغرا كېلىدۇ." in (
        notice.squeezed()
    )
    # The ZIP code and each seat's code never reorder inside the right-to-left sentence.
    assert '<bdi dir="ltr">98101</bdi>' in html
    assert '<bdi dir="ltr">WA-7</bdi>' in html
    assert parse(html).by_id("choose-heading").squeezed() == "قايسى سايلام رايونىدا ئولتۇرىسىز؟"

    token = hidden_value(html, "csrf_token")
    wrong = client.post(
        f"/ug/c/{SLUG}/thanks/district", data={"csrf_token": token, "district": "XX-99"}
    )
    assert wrong.status_code == 422
    assert parse(wrong.get_data(as_text=True)).by_id("district-error").squeezed() == (
        "خاتالىق: تىزىملىكتىكى سايلام رايونلىرىنىڭ بىرىنى تاللاڭ."
    )
