"""Migration 0017 from the previous release: every pledge's email hashed, consenting
supporters' names and emails sealed, the plaintext gone (from the file too, on SQLite);
`advocacy pledges seal --dry-run` says what it will do first, and the upgrade refuses to
run without the keys it needs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from apps import base_config
from contact_keys import hashed, opened, pledge_of, recipient
from databases import insert_campaign
from inbox import mail_config, send_mail, smtp_server
from pages import pledge_fields

from advocacy import create_app
from advocacy.campaigns.service import install_shipped_campaigns
from advocacy.db import create_db_engine, get_session
from advocacy.migrate import alembic_config, current_revision, pending_changes, upgrade
from advocacy.models import OutboxMail, Pledge
from advocacy.pledges.sealing import Contact

T = "2026-12-05 20:00:00+00:00"
# name, email as typed, consent
EARLIER = [
    ("Tursunay Ziyawudun", "Tursunay.Ziyawudun@migration-test.example", True),
    ("Ilham Qurbanjan", "ilham.qurbanjan@migration-test.example", False),
    ("Mihrigul Abdukerim", "mihrigul@migration-test.example", True),
]


def _seed_earlier_release(url: str) -> None:
    """Pledges as release 0016 kept them: names and emails in clear, one email unsent."""
    engine = create_db_engine(url)
    with engine.begin() as connection:
        campaign_id = insert_campaign(connection, T)
        for name, email, consent in EARLIER:
            connection.execute(
                sa.text(
                    "INSERT INTO pledges (campaign_id, name, email, email_normalized, zip,"
                    " city, note, consent, ref, created_at) VALUES (:c, :name, :email,"
                    " :normalized, '98105', 'Seattle', '', :consent, '', :t)"
                ),
                {
                    "c": campaign_id,
                    "name": name,
                    "email": email,
                    "normalized": email.lower(),
                    "consent": consent,
                    "t": T,
                },
            )
        pledge_id = connection.execute(sa.text("SELECT min(id) FROM pledges")).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO mail_outbox (pledge_id, kind, confirm_code, withdraw_code,"
                " created_at, next_attempt_at, attempts, last_error) VALUES (:p, 'confirm',"
                " 'K7QX2M9PDA3VW8ETB6HJ', 'C78S202SE85C900J86AY', :t, :t, 0, '')"
            ),
            {"p": pledge_id, "t": T},
        )
    engine.dispose()


def _file_bytes(url: str) -> bytes:
    path = Path(sa.make_url(url).database or "")
    files = [path, path.with_name(path.name + "-wal")]
    return b"".join(file.read_bytes() for file in files if file.exists())


def test_the_dry_run_counts_then_seal_converts_and_leaves_no_plaintext(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    with smtp_server() as inbox:
        app = create_app({**base_config(tmp_path, url), **mail_config(inbox.port)})
        upgrade(app, "0016")
        _seed_earlier_release(url)
        runner = app.test_cli_runner()

        dry = runner.invoke(args=["pledges", "seal", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "3 pledge(s) to hash; 2 agreed to be contacted" in dry.output
        assert "1 to strip of name and email; 1 unsent email(s) to encrypt" in dry.output
        assert "Dry run: nothing was changed." in dry.output
        assert current_revision(app) == "0016"

        sealed = runner.invoke(args=["pledges", "seal"])
        assert sealed.exit_code == 0, sealed.output
        assert "Destroy the backup" in sealed.output
        assert current_revision(app) == "0017"
        again = runner.invoke(args=["pledges", "seal", "--dry-run"])
        assert "Nothing to do" in again.output
        if url.startswith("sqlite"):
            # Vacuumed with secure_delete on: not a byte of the old names and emails is left.
            app.extensions["advocacy.engine"].dispose()
            data = _file_bytes(url)
            assert hashed(EARLIER[0][1]).encode() in data
            for name, email, _ in EARLIER:
                for secret in (name, email, email.lower()):
                    assert secret.encode() not in data, secret

        upgrade(app)
        assert pending_changes(app) == []
        with app.app_context():
            db = get_session()
            for name, email, consent in EARLIER:
                pledge = pledge_of(db, email)
                assert pledge is not None, email
                assert opened(pledge) == (Contact(name, email) if consent else None)
            # The unsent email still goes, to its supporter.
            [row] = db.scalars(sa.select(OutboxMail))
            assert recipient(app, row) == Contact(EARLIER[0][0], EARLIER[0][1])
            install_shipped_campaigns(db)
            db.commit()
        assert send_mail(app).sent == 1
        assert inbox.received[0].envelope_to == [EARLIER[0][1]]
        # The same person, in other letter case, is still one pledge.
        body = pledge_fields(email=EARLIER[1][1].upper())
        assert app.test_client().post("/api/v1/campaigns/c/pledges", json=body).status_code == 202
        with app.app_context():
            hashes = get_session().scalars(sa.select(Pledge.email_hash)).all()
            assert sorted(hashes) == sorted(hashed(email) for _, email, _ in EARLIER)
        app.extensions["advocacy.engine"].dispose()

    # Not undone: down to 0016, the columns come back empty; up again to the head.
    command.downgrade(alembic_config(app), "0016")
    engine = create_db_engine(url)
    with engine.connect() as connection:
        emails = connection.execute(sa.text("SELECT email FROM pledges")).scalars().all()
    engine.dispose()
    assert set(emails) == {""}
    upgrade(app)
    app.extensions["advocacy.engine"].dispose()


def test_the_upgrade_refuses_without_the_keys_it_needs(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0016")
    _seed_earlier_release(url)
    # Alembic run by hand, without the app's keys: refused before anything changes.
    config = alembic_config(app)
    del config.attributes["advocacy.sealing"]
    with pytest.raises(RuntimeError, match="run it with `advocacy db upgrade`"):
        command.upgrade(config, "0017")
    assert current_revision(app) == "0016"
    app.extensions["advocacy.engine"].dispose()

    # Consenting supporters and no public key to seal their contacts to: refused too.
    keyless = create_app({**base_config(tmp_path, url), "CONTACT_PUBLIC_KEY": ""})
    result = keyless.test_cli_runner().invoke(args=["pledges", "seal"])
    assert result.exit_code == 1
    assert "set ADVOCACY_CONTACT_PUBLIC_KEY first" in result.output
    with pytest.raises(RuntimeError, match="2 pledge\\(s\\) agreed to be contacted"):
        upgrade(keyless)
    assert current_revision(keyless) == "0016"
    keyless.extensions["advocacy.engine"].dispose()
    # With the keys, the same database upgrades.
    upgrade(app)
    with app.app_context():
        pledge = pledge_of(get_session(), EARLIER[2][1])
        assert pledge is not None and opened(pledge) == Contact(EARLIER[2][0], EARLIER[2][1])
    app.extensions["advocacy.engine"].dispose()


def test_an_empty_database_needs_no_keys(tmp_path: Path, scratch_database_url: str) -> None:
    app = create_app(base_config(tmp_path, scratch_database_url))
    config = alembic_config(app)
    del config.attributes["advocacy.sealing"]
    command.upgrade(config, "0017")
    assert current_revision(app) == "0017"
    app.extensions["advocacy.engine"].dispose()
