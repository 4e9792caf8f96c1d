"""Organizers: accounts, sign-in, the campaign dashboard, exports and the lobby report.

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
    # signin puts sign-in, sign-out and the session check on views' blueprint.
    from advocacy.organizers import signin, throttle, views  # noqa: F401
    from advocacy.organizers.cli import organizers_group

    throttle.init_app(app)
    app.extensions[DATA_STATUS_EXTENSION] = DataStatus(max_size=1, max_age=DATA_STATUS_SECONDS)
    app.register_blueprint(views.bp)
    app.cli.add_command(organizers_group)
