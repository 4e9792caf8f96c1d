"""Organizers: accounts, roles (`roles.py`) and invitations (`people.py`), sign-in, the
campaign dashboard, exports, the lobby report, a campaign's events and their posters
(`event_views.py`), and the campaign editor (`editor/`: versions, preview, publishing).

The supporters' data is sensitive (families of diaspora supporters can be targeted by a
state): every page here needs a signed-in organizer, and every export is audited.
"""

from __future__ import annotations

from typing import TypeAlias

from flask import Flask

from advocacy.cache import Cache
from advocacy.representatives.datafiles import FileStatus

# The dashboard's description of the data files in use, made at most every five minutes
# per process: reading and checking both files takes about 0.2 s.
DataStatus: TypeAlias = Cache[str, list[FileStatus]]
DATA_STATUS_EXTENSION = "advocacy.organizers.data_status"
DATA_STATUS_SECONDS = 300.0


def init_app(app: Flask) -> None:
    """Register the blueprint at /organizers, the sign-in throttle and the commands."""
    # signin puts sign-in, sign-out and the session check on views' blueprint,
    # passkey_views the passkeys' pages and asking again before an export, people_views
    # the People page and invitations, event_views a campaign's events, and the editor
    # its pages.
    from advocacy.organizers import (  # noqa: F401
        event_views,
        passkey_views,
        passkeys,
        people_views,
        signin,
        throttle,
        views,
    )
    from advocacy.organizers.cli import organizers_group
    from advocacy.organizers.contact_cli import contacts_group, keys_group

    # Importing the preview's pages adds them to the organizers' blueprint, as views does.
    from advocacy.organizers.editor import preview_views  # noqa: F401
    from advocacy.organizers.editor import views as editor
    from advocacy.web.extensions import csrf

    throttle.init_app(app)
    # Refuse to start with an RP ID browsers would refuse for this site's address.
    passkeys.relying_party(app.config)
    # A campaign's save is larger than other forms may be, so its body is read in the view,
    # under its own limit, rather than by the app-wide CSRF check first; the view's form
    # checks the same session token itself (EditForm is a FlaskForm).
    csrf.exempt(editor.save_campaign)
    app.extensions[DATA_STATUS_EXTENSION] = DataStatus(max_size=1, max_age=DATA_STATUS_SECONDS)
    app.register_blueprint(views.bp)
    app.cli.add_command(organizers_group)
    # Run on an organizer's own machine: the private key never reaches the server.
    organizers_group.add_command(keys_group)
    organizers_group.add_command(contacts_group)
