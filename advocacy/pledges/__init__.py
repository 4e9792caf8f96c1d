"""Pledges: the form and its guard, the record (one per email, counted once confirmed by
email), the supporter's visit and results page, the confirm and withdraw pages and their
emails."""

from __future__ import annotations

from flask import Flask

from advocacy.congress.members import CHAMBER_FINDERS
from advocacy.congress.states import NON_STATES, state_name
from advocacy.organization.privacy import HANDOFF_LIFETIME_EXTENSION, VISIT_LIFETIME_EXTENSION
from advocacy.web.extensions import csrf


def init_app(app: Flask) -> None:
    """Register the supporter's path after the campaign page."""
    from advocacy.campaigns.page import BLANK_FORM_EXTENSION
    from advocacy.pledges import email_views, handoff_views, views  # noqa: F401 (routes)
    from advocacy.pledges.cli import pledges_group
    from advocacy.pledges.handoff import WIDGET_VISIT_LIFETIME
    from advocacy.pledges.mails import compose
    from advocacy.pledges.visits import VISIT_LIFETIME
    from advocacy.pledges.wording import (
        day_in_language,
        isolate,
        page_ordinal,
        page_sworn_in,
    )
    from advocacy.web.languages import language_filter

    app.add_template_filter(state_name)
    # The results page's ordinals and days, in the page's language.
    app.add_template_filter(language_filter(page_ordinal), "ordinal")
    app.add_template_filter(language_filter(page_sworn_in), "sworn_in")
    app.add_template_filter(language_filter(day_in_language), "day_in_language")
    app.add_template_filter(language_filter(isolate), "isolate")
    app.jinja_env.globals["non_states"] = NON_STATES
    app.jinja_env.globals["chamber_finders"] = CHAMBER_FINDERS
    # The pledge form is guarded by its signed token and the Origin check instead of the
    # session's CSRF token, so that the campaign page can be the same for everyone.
    csrf.exempt(views.submit)
    # The widget's handoff arrives from a partner's frame without the session's token: its
    # own signed, single-use token guards it (handoff_views).
    csrf.exempt(handoff_views.handoff)
    app.register_blueprint(views.bp)
    # The campaign page (campaigns/) shows this package's form, blank; it asks the app.
    app.extensions[BLANK_FORM_EXTENSION] = views.blank_form
    app.cli.add_command(pledges_group)
    # The outbox's messages about pledges (mail.init_app runs before this).
    app.extensions["advocacy.mailer"].compose = compose
    # The privacy page says how long a results page is kept: this rule's own value.
    app.extensions[VISIT_LIFETIME_EXTENSION] = VISIT_LIFETIME
    app.extensions[HANDOFF_LIFETIME_EXTENSION] = WIDGET_VISIT_LIFETIME
