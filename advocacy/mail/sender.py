"""The app process's own sender: a background thread that delivers the outbox.

It starts with the first mail this process queues (never at import or in the factory:
a forking server would lose it, and most processes that never queue mail need none),
wakes whenever a request queues more, and otherwise looks every POLL_SECONDS for mail
that is due again. `advocacy mail send` does the same work from cron or a timer, for
processes that have not started theirs and for the time the app is not running.

A sender is its own caller, as a view is for a request (docs/architecture.md,
*Transactions*): the outbox's functions write and flush, and deliver_batch commits each
step, the claim before anything is composed or sent, the outcome after.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from advocacy.db import get_session
from advocacy.mail.outbox import BATCH, Compose, DeliveryReport, claim_due, settle
from advocacy.mail.transport import Transport
from advocacy.models import utcnow

log = logging.getLogger(__name__)

POLL_SECONDS = 30.0
# After an unexpected failure (the database down), wait before trying again.
PAUSE_AFTER_ERROR_SECONDS = 30.0


def deliver_batch(
    session: Session,
    transport: Transport,
    compose: Compose,
    *,
    now: datetime,
    give_up_after: timedelta,
    batch: int = BATCH,
) -> tuple[DeliveryReport, int]:
    """Send one batch of the mail that is due; return the report and how many were claimed."""
    claim = claim_due(session, now=now, give_up_after=give_up_after, batch=batch)
    session.commit()  # the claim holds, and no write lock is kept while composing
    messages = compose(session, claim.rows) if claim.rows else {}
    session.commit()  # no transaction is open while the server is talked to
    ready = [messages[row.id] for row in claim.rows if row.id in messages]
    results = transport.send(ready) if ready else []
    report = settle(session, claim, messages, results, now=now)
    session.commit()
    return report, len(claim.rows)


def deliver_due(
    session: Session,
    transport: Transport,
    compose: Compose,
    *,
    now: Callable[[], datetime],
    give_up_after: timedelta,
    batch: int = BATCH,
) -> DeliveryReport:
    """Send batches until no mail is due; return what happened."""
    report = DeliveryReport()
    while True:
        more, claimed = deliver_batch(
            session, transport, compose, now=now(), give_up_after=give_up_after, batch=batch
        )
        report += more
        # A batch with failures stops here: the server is probably down for all of them.
        if claimed < batch or more.retrying:
            return report


class Mailer:
    """One app's outbox sender: its transport, what composes its messages, its thread."""

    def __init__(self, transport: Transport, give_up_after: timedelta, in_app: bool) -> None:
        self.transport = transport
        self.give_up_after = give_up_after
        self.in_app = in_app
        self.compose: Compose | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def send_due(self) -> DeliveryReport:
        """Deliver every message that is due; call in an app context."""
        if self.compose is None:
            raise RuntimeError("no composer registered for the outbox (pledges.init_app)")
        return deliver_due(
            get_session(),
            self.transport,
            self.compose,
            now=utcnow,
            give_up_after=self.give_up_after,
        )

    def wake(self, app: Flask) -> None:
        """Have this process's thread look at the outbox now, starting it if need be."""
        if not self.in_app:
            return
        thread = self._thread
        if thread is None or not thread.is_alive() or self._pid != os.getpid():
            with self._lock:
                thread = self._thread
                # A forked child inherits the object but not the thread.
                if thread is None or not thread.is_alive() or self._pid != os.getpid():
                    self._stop.clear()
                    self._pid = os.getpid()
                    self._thread = threading.Thread(
                        target=self._run, args=(app,), name="advocacy-mail", daemon=True
                    )
                    self._thread.start()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread (tests; a process exiting needs nothing: the thread is a daemon)."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        self._thread = None

    def _run(self, app: Flask) -> None:
        while not self._stop.is_set():
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                with app.app_context():
                    self.send_due()
            except Exception as error:  # the thread must outlive any one failure
                log.error("the mail sender failed, trying again soon: %s", type(error).__name__)
                self._stop.wait(PAUSE_AFTER_ERROR_SECONDS)
