"""What CLOCK moves and what it must not (advocacy/clock.py's docstring says which and why).

Each test moves a running app's clock a month ahead, still within the same Congress, and
checks that a window measured in real time stays where it was: a moved clock must not
open, stretch or shorten a security window, and must not make the outbox drop mail.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from data_files import SNAPSHOT_MOMENT
from flask import Flask
from organizer_pages import signed_in_client
from pages import hidden_value, pledge_fields, submit_pledge

from advocacy import clock
from advocacy.congress.calendar import congress_on
from advocacy.mail.outbox import DeliveryReport

A_MONTH_LATER = SNAPSHOT_MOMENT + timedelta(days=30)


class Moment:
    """A clock a test moves while the app runs."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_the_month_ahead_is_the_same_congress() -> None:
    # Otherwise the tests below would be about a changeover, not about windows.
    assert congress_on(A_MONTH_LATER) == congress_on(SNAPSHOT_MOMENT)


def test_clock_now_and_the_finder_follow_a_clock_moved_while_the_app_runs(make_app: Any) -> None:
    moment = Moment(SNAPSHOT_MOMENT)
    app: Flask = make_app(CLOCK=moment)
    finder_clock = clock.of(app)
    moment.at = A_MONTH_LATER
    assert finder_clock() == A_MONTH_LATER
    with app.app_context():
        assert clock.now() == A_MONTH_LATER


def test_a_form_served_before_the_clock_moved_is_still_accepted(make_app: Any) -> None:
    # The token's fill time and age are real seconds: a clock moved a month ahead between
    # serving the form and its post does not make it too old.
    moment = Moment(SNAPSHOT_MOMENT)
    client = make_app(CLOCK=moment).test_client()
    html = client.get("/c/uyghur-policy-act").get_data(as_text=True)
    moment.at = A_MONTH_LATER
    answer = client.post(
        "/c/uyghur-policy-act",
        data={"started": hidden_value(html, "started"), **pledge_fields()},
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)


def test_a_visit_outlives_a_clock_moved_past_its_three_days(make_app: Any) -> None:
    moment = Moment(SNAPSHOT_MOMENT)
    client = make_app(CLOCK=moment).test_client()
    assert submit_pledge(client).status_code == 303
    assert client.get("/c/uyghur-policy-act/thanks").status_code == 200
    moment.at = A_MONTH_LATER
    assert client.get("/c/uyghur-policy-act/thanks").status_code == 200


def test_an_organizers_session_outlives_a_clock_moved_past_its_hours(make_app: Any) -> None:
    moment = Moment(SNAPSHOT_MOMENT)
    client = signed_in_client(make_app(CLOCK=moment))
    moment.at = A_MONTH_LATER
    assert client.get("/organizers/").status_code == 200


def test_the_outbox_keeps_real_time_under_a_moved_clock(make_app: Any) -> None:
    # The mail's give-up age is seven days of real time: a clock a month ahead must not
    # drop the confirmation email queued a moment ago.
    moment = Moment(SNAPSHOT_MOMENT)
    app: Flask = make_app(CLOCK=moment)
    assert submit_pledge(app.test_client()).status_code == 303
    moment.at = A_MONTH_LATER
    with app.app_context():
        report: DeliveryReport = app.extensions["advocacy.mailer"].send_due()
    assert (report.sent, report.dropped) == (1, 0)
