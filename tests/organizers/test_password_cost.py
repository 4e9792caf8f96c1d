"""Organizers' passwords are hashed at argon2's recommended cost outside tests.

The suite hashes at the lowest cost (tests/apps.py, put in place by conftest.py) to stay
quick; this pins what the app itself uses, so that shortcut never hides a weaker hash.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY
from flask import Flask
from organizer_pages import EMAIL, PASSWORD, create_organizer, login
from sqlalchemy.orm import Session

from advocacy.organizers import accounts


def test_the_app_hashes_at_argon2s_recommended_cost(
    production_password_hasher: PasswordHasher,
) -> None:
    assert production_password_hasher.time_cost >= RFC_9106_LOW_MEMORY.time_cost
    assert production_password_hasher.memory_cost >= RFC_9106_LOW_MEMORY.memory_cost
    assert production_password_hasher.parallelism >= RFC_9106_LOW_MEMORY.parallelism


def test_tests_hash_at_the_lowest_cost_and_sign_in_the_same_way(
    app: Flask, db_session: Session
) -> None:
    create_organizer(app)
    stored = accounts.find_organizer(db_session, EMAIL)
    assert stored is not None
    assert stored.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert login(app.test_client(), EMAIL, PASSWORD).status_code == 303
