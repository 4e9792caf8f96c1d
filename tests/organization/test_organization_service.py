"""The identity's services: they add and flush, their caller commits once; a refusal
writes nothing; the rules are the same from every caller."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from organization_pages import SETTINGS, png, settings_fields
from organizer_pages import EMAIL, create_organizer, signed_in_client

from advocacy.db import get_session
from advocacy.models import AuditEvent, Organization, Organizer
from advocacy.organization import rules, service
from advocacy.organization.identity import load_identity
from advocacy.organization.logo import process_logo
from advocacy.organizers import accounts


def _organizer(app: Flask) -> Organizer:
    with app.app_context():
        organizer = accounts.find_organizer(get_session(), EMAIL)
        assert organizer is not None
        return organizer


def _count(session: sa.orm.Session, model: type) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_a_save_is_seen_in_its_transaction_and_kept_only_once_committed(app: Flask) -> None:
    create_organizer(app)
    organizer = _organizer(app)
    with app.app_context():
        session = get_session()
        changed = service.update_identity(session, {"name": "Org"}, organizer=organizer)
        assert changed == ["name"]
        assert load_identity(session).name == "Org"
        assert _count(session, AuditEvent) == 1
        session.rollback()  # the caller changes its mind
        assert load_identity(session).name == ""
        assert _count(session, AuditEvent) == 0


def test_a_save_and_another_service_write_in_one_transaction(app: Flask) -> None:
    create_organizer(app)
    organizer = _organizer(app)
    with app.app_context():
        session = get_session()
        service.update_identity(session, {"name": "Org"}, organizer=organizer)
        service.set_logo(session, process_logo(png()), organizer=organizer)
        accounts.record_event(session, organizer.id, "export pledges.csv", "x")
        session.commit()
        assert _count(session, AuditEvent) == 3
        assert load_identity(session).logo_sha256


def test_a_refusal_names_every_field_and_writes_nothing(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        with pytest.raises(rules.IdentityError) as refused:
            service.update_identity(
                session, {"name": "Org", "email": "nope", "website": "ftp://x.org"}
            )
        assert set(refused.value.problems) == {"email", "website"}
        assert session.get(Organization, 1) is None


def test_only_known_fields_are_taken(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError, match="not fields"):
        service.update_identity(get_session(), {"logo_sha256": "0" * 64})


def test_the_row_is_made_once_whoever_saves_first(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        service.update_identity(session, {"name": "One"})
        session.commit()
        service.update_identity(session, {"short_name": "1"})
        session.commit()
        rows = session.scalars(sa.select(Organization)).all()
        assert [(row.id, row.name, row.short_name) for row in rows] == [(1, "One", "1")]


def test_any_active_organizer_may_edit_for_now(app: Flask) -> None:
    create_organizer(app)
    organizer = _organizer(app)
    assert service.may_edit(organizer)
    organizer.active = False
    assert not service.may_edit(organizer)
    assert not service.may_edit(None)


def test_a_disabled_organizers_open_page_can_no_longer_save(app: Flask) -> None:
    client = signed_in_client(app)
    fields = settings_fields(client)  # the page was open before the account was disabled
    runner = app.test_cli_runner()
    assert runner.invoke(args=["organizers", "disable", EMAIL]).exit_code == 0
    response = client.post(SETTINGS, data=fields)
    assert response.status_code == 302 and "/organizers/login" in response.headers["Location"]
    with app.app_context():
        assert get_session().get(Organization, 1) is None
