"""One transaction convention: services add and flush, their caller commits once.

The caller is a view, a command, or the mail sender (its own caller, as a view is for a
request): docs/architecture.md, *Transactions*.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from organizer_pages import EMAIL, NOW, PASSWORD, create_organizer
from sqlalchemy.orm import Session

from advocacy.campaigns.content import load_campaign_file, shipped_campaign_files
from advocacy.campaigns.service import upsert_campaign
from advocacy.congress.maps import load_map_table
from advocacy.db import get_session
from advocacy.models import AuditEvent, Campaign, MapConfirmation, Organizer
from advocacy.organizers import accounts, map_checks

PACKAGE = Path(__file__).resolve().parents[2] / "advocacy"
LIFETIME = timedelta(hours=1)


def _organizer(session: Session) -> Organizer:
    organizer = session.scalar(sa.select(Organizer).where(Organizer.email == EMAIL))
    assert organizer is not None
    return organizer


def _add_organizer(session: Session) -> None:
    accounts.create_organizer(session, "new@example.org", PASSWORD)


def _add_event(session: Session) -> None:
    accounts.record_event(session, _organizer(session).id, "export pledges.csv", "x")


def _confirm_map(session: Session) -> None:
    map_checks.confirm(session, 120, "MO", _organizer(session), maps=load_map_table(), now=NOW)


def _load_campaign(session: Session) -> None:
    content = dict(load_campaign_file(shipped_campaign_files()[0]))
    upsert_campaign(session, dict(content, slug="loaded-again", default=False))


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)
        for model in (Organizer, AuditEvent, MapConfirmation, Campaign)
    )


SERVICES: dict[str, Callable[[Session], None]] = {
    "accounts.create_organizer": _add_organizer,
    "accounts.record_event": _add_event,
    "map_checks.confirm": _confirm_map,
    "campaigns.upsert_campaign": _load_campaign,
}


@pytest.mark.parametrize("name", list(SERVICES))
def test_a_service_leaves_the_commit_to_its_caller(app: Flask, name: str) -> None:
    create_organizer(app)
    with app.app_context():
        session = get_session()
        before = _counts(session)
        SERVICES[name](session)
        assert _counts(session) != before  # written and flushed, seen in the transaction
        session.rollback()  # the caller changes its mind: nothing was committed
        assert _counts(session) == before


def test_services_a_caller_runs_in_turn_write_in_its_one_transaction(app: Flask) -> None:
    # On SQLite each service begins its write (BEGIN IMMEDIATE); the second must join the
    # first's transaction, not commit it to begin its own.
    create_organizer(app)
    with app.app_context():
        session = get_session()
        before = _counts(session)
        _add_organizer(session)
        _add_event(session)
        _confirm_map(session)
        session.rollback()
        assert _counts(session) == before
        _add_organizer(session)
        _add_event(session)
        session.commit()
        assert _counts(session)[:2] == (before[0] + 1, before[1] + 1)


def test_a_refused_sign_in_writes_nothing_and_a_signed_in_one_only_once_committed(
    app: Flask,
) -> None:
    create_organizer(app)
    with app.app_context():
        session = get_session()
        refused = accounts.authenticate(session, EMAIL, "not the password", "", False)
        assert refused.token is None
        session.rollback()
        signed_in = accounts.authenticate(session, EMAIL, PASSWORD, "", False)
        assert signed_in.token is not None
        session.rollback()
        assert accounts.session_organizer(session, signed_in.token, LIFETIME) is None
        signed_in = accounts.authenticate(session, EMAIL, PASSWORD, "", False)
        assert signed_in.token is not None
        session.commit()
        assert accounts.session_organizer(session, signed_in.token, LIFETIME) is not None


# --- who commits ----------------------------------------------------------------------------

# Besides views and commands: the engine's own begin_write (which ends a read-only
# transaction), the mail sender (a caller of its own), the benchmark's seeding of its
# throw-away database.
OTHER_CALLERS = {"db.py", "mail/sender.py"}
OTHER_CALLER_FOLDERS = {"bench"}
# A decorator ending so marks a view (bp.get, bp.route...) or a command (click.command,
# group.command...).
CALLER_DECORATORS = ("route", "get", "post", "put", "patch", "delete", "command")


def _decorators(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                names.add(ast.unparse(target).rsplit(".", 1)[-1])
    return names


def _commits(tree: ast.Module) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]


def test_only_views_commands_and_the_mail_sender_commit() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in OTHER_CALLERS or name.split("/", 1)[0] in OTHER_CALLER_FOLDERS:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        lines = _commits(tree)
        if lines and not _decorators(tree) & set(CALLER_DECORATORS):
            offenders.append(f"advocacy/{name}:{lines[0]}")
    assert offenders == [], "services must add and flush; their caller commits"
