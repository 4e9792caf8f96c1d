"""`advocacy organization set` and `show`: first setup from a shell, with the settings
page's rules, clear errors and exit codes."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from organization_pages import IDENTITY, jpeg_with_exif, png_declaring
from organizer_pages import EMAIL, create_organizer
from pages import SLUG

from advocacy.db import get_session
from advocacy.models import AuditEvent, Organization


def _stored(app: Flask) -> Organization | None:
    with app.app_context():
        return get_session().get(Organization, 1)


FULL = [
    "organization",
    "set",
    "--name",
    IDENTITY["name"],
    "--short-name",
    "UDA",
    "--email",
    "contact@uda.example.org",
    "--address",
    "PO Box 1234\nWashington, DC 20013",
    "--website",
    "https://uda.example.org",
    "--footer",
    "We are Uyghur families in America.",
]


def test_show_on_a_fresh_install_says_what_is_missing(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["organization", "show"])
    assert result.exit_code == 0, result.output
    assert "name: (not set)" in result.output
    assert "Until a name is set, pages call the site 'Campaign site'." in result.output
    assert "Still missing:" in result.output
    assert "  - a postal address" in result.output


def test_set_saves_what_pages_show(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=FULL)
    assert result.exit_code == 0, result.output
    assert "Saved: name, short-name, email, address, website, footer." in result.output
    assert "Not in the organizers' audit trail (no --by EMAIL)" in result.output
    assert "address: PO Box 1234 / Washington, DC 20013" in result.output
    assert "privacy-email: (not set: the contact email, contact@uda.example.org, serves)" in (
        result.output
    )
    assert "Still missing" not in result.output
    stored = _stored(app)
    assert stored is not None and stored.updated_by == "the command line"
    html = app.test_client().get(f"/c/{SLUG}").get_data(as_text=True)
    assert "contact@uda.example.org" in html and "PO Box 1234" in html


def test_options_left_out_keep_their_value_and_empty_clears(
    app: Flask, runner: FlaskCliRunner
) -> None:
    runner.invoke(args=FULL)
    result = runner.invoke(args=["organization", "set", "--website", ""])
    assert result.exit_code == 0, result.output
    stored = _stored(app)
    assert stored is not None and stored.website == "" and stored.name == IDENTITY["name"]
    again = runner.invoke(args=["organization", "set", "--email", "contact@uda.example.org"])
    assert "Nothing had changed." in again.output


def test_refused_values_are_named_by_option_and_nothing_is_saved(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(
        args=[
            "organization",
            "set",
            "--name",
            "Fine Name",
            "--email",
            "not an address",
            "--website",
            "javascript:alert(1)",
            "--footer",
            "x" * 601,
        ]
    )
    assert result.exit_code == 1
    assert "Error: --email: Enter one email address" in result.output
    assert "Error: --website: Enter the website's full address" in result.output
    assert "Error: --footer: Keep the words for the footer to 600 characters" in result.output
    assert "Nothing was saved." in result.output
    assert _stored(app) is None


def test_an_argument_that_was_not_utf8_is_refused(app: Flask, runner: FlaskCliRunner) -> None:
    # What Python makes of a command-line argument whose bytes were not UTF-8.
    result = runner.invoke(args=["organization", "set", "--name", "Caf\udce9"])
    assert result.exit_code == 1
    assert "did not arrive whole" in result.output
    assert _stored(app) is None


def test_nothing_to_set_is_a_usage_error(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["organization", "set"])
    assert result.exit_code == 2
    assert "Nothing to set" in result.output
    both = runner.invoke(args=["organization", "set", "--logo", "x.png", "--remove-logo"])
    assert both.exit_code == 2 and "not both" in both.output


def test_a_logo_from_a_file(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    photo = tmp_path / "logo.jpg"
    photo.write_bytes(jpeg_with_exif())
    result = runner.invoke(args=["organization", "set", "--logo", str(photo)])
    assert result.exit_code == 0, result.output
    assert "Saved: logo." in result.output
    assert "logo: 384 x 512 PNG" in result.output
    stored = _stored(app)
    assert stored is not None and len(stored.logo_sha256) == 64
    removed = runner.invoke(args=["organization", "set", "--remove-logo"])
    assert removed.exit_code == 0 and "logo: (not set)" in removed.output


def test_a_logo_that_is_not_one_is_refused(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    for name, data, says in [
        ("page.png", b"<html><script>alert(1)</script>", "a web page"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG logos are not"),
        ("bomb.png", png_declaring(100_000, 100_000), "far more pixels"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(args=["organization", "set", "--name", "X", "--logo", str(path)])
        assert result.exit_code == 1, name
        assert "Error: --logo: " in result.output and says in result.output, name
    missing = runner.invoke(args=["organization", "set", "--logo", str(tmp_path / "none.png")])
    assert missing.exit_code == 1 and "cannot read" in missing.output
    assert _stored(app) is None


def test_by_an_organizer_goes_in_the_audit_trail(app: Flask, runner: FlaskCliRunner) -> None:
    create_organizer(app)
    result = runner.invoke(args=[*FULL, "--by", EMAIL.upper()])
    assert result.exit_code == 0, result.output
    assert "audit trail" not in result.output
    with app.app_context():
        actions = get_session().scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))
        assert list(actions) == [
            "organization name",
            "organization short_name",
            "organization email",
            "organization address",
            "organization website",
            "organization footer",
        ]
    stored = _stored(app)
    assert stored is not None and stored.updated_by == EMAIL
    stranger = runner.invoke(args=[*FULL, "--by", "nobody@example.org"])
    assert stranger.exit_code == 1
    assert "no active organizer has the address nobody@example.org" in stranger.output
