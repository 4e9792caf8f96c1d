"""Concurrent double submits: the database keeps exactly one pledge and one count, on the
campaign's counter and in the dashboard's tallies."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from flask import Flask
from pages import SLUG, pledge_fields, submit_pledge

from advocacy.db import get_session
from advocacy.models import Campaign, Pledge
from advocacy.organizers import stats

THREADS = 24


def totals(app: Flask) -> tuple[int, int, int, int]:
    """Return the pledges stored, the counter, and the dashboard's total and seats' sum."""
    with app.app_context():
        session = get_session()
        rows = session.scalar(sa.select(sa.func.count()).select_from(Pledge)) or 0
        campaign = session.execute(
            sa.select(Campaign.id, Campaign.pledge_count).where(Campaign.slug == SLUG)
        ).one()
        seats = sum(n for _state, n in stats.by_state(session, campaign.id))
        return rows, campaign.pledge_count, stats.totals(session, campaign.id).total, seats


def test_many_threads_posting_the_same_email_record_one_pledge(app: Flask) -> None:
    barrier = threading.Barrier(THREADS)

    def post(n: int) -> int:
        client = app.test_client()
        email = "Same.Person@example.org" if n % 2 else "same.person@EXAMPLE.org"
        barrier.wait()
        response = client.post(
            f"/api/v1/campaigns/{SLUG}/pledges", json=pledge_fields(email=email)
        )
        return response.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(post, range(THREADS)))

    assert statuses == [202] * THREADS
    assert totals(app) == (1, 1, 1, 1)


def test_many_threads_posting_different_emails_count_every_one(app: Flask) -> None:
    barrier = threading.Barrier(THREADS)

    def post(n: int) -> int:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            f"/api/v1/campaigns/{SLUG}/pledges",
            json=pledge_fields(email=f"person{n}@example.org"),
        )
        return response.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(post, range(THREADS)))

    assert statuses == [202] * THREADS
    assert totals(app) == (THREADS,) * 4


def test_double_submit_of_the_html_form_records_one_pledge(app: Flask) -> None:
    barrier = threading.Barrier(THREADS)

    def submit(_n: int) -> int:
        client = app.test_client()
        client.get(f"/c/{SLUG}")
        barrier.wait()
        return submit_pledge(client, email="double@example.org").status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(submit, range(THREADS)))

    assert statuses == [303] * THREADS
    assert totals(app) == (1, 1, 1, 1)
