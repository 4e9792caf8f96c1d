"""A newcomer's first hour (issue 19): the frictions the adversarial test ran into.

The development server's log showed colour escapes as literal text on every line; a
missing production secret was explained inside a forty-line traceback; `advocacy` was not
on PATH after scripts/run; and a widget with a mistyped campaign showed the site's whole
"Page not found" page inside the partner's page.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pages import SLUG
from werkzeug import serving

from advocacy.web import logs

REPO = Path(__file__).resolve().parents[2]
SECRET_MESSAGE = "ADVOCACY_SECRET_KEY must be set in production"


# --- the development server's log ---------------------------------------------------------------


class _Handler(serving.WSGIRequestHandler):
    """Just enough of a request handler to write werkzeug's request line."""

    def __init__(self, path: str) -> None:  # no socket: only log_request is used
        self.path, self.command, self.request_version = path, "GET", "HTTP/1.1"
        self.requestline = f"GET {path} HTTP/1.1"
        self.client_address = ("127.0.0.1", 5000)

    def address_string(self) -> str:
        return "127.0.0.1"


@pytest.fixture
def coloured_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> pytest.LogCaptureFixture:
    """werkzeug's colours on (as in a terminal), and the app's escaping factory in place."""
    monkeypatch.setattr(serving, "_log_add_style", True)
    logs.escape_line_breaks()
    caplog.set_level(logging.INFO, logger="werkzeug")
    return caplog


def test_the_dev_servers_colours_show_as_colours(coloured_log: pytest.LogCaptureFixture) -> None:
    _Handler(f"/c/{SLUG}/nope").log_request(404)
    [line] = [r.getMessage() for r in coloured_log.records if r.name == "werkzeug"]
    assert "\x1b[33mGET /c/uyghur-policy-act/nope HTTP/1.1\x1b[0m" in line
    assert "\\x1b" not in line


def test_an_escape_in_a_path_is_still_written_escaped(
    coloured_log: pytest.LogCaptureFixture,
) -> None:
    # werkzeug escapes the path's control characters itself; nothing of it reaches the
    # terminal as an escape, only the colour werkzeug wraps the line in.
    _Handler("/\x1b[2J\x1b]0;owned\x07/x\r\nforged").log_request(404)
    [line] = [r.getMessage() for r in coloured_log.records if r.name == "werkzeug"]
    assert re.sub(r"\x1b\[[0-9;]*m", "", line).count("\x1b") == 0
    assert "\r" not in line and "\n" not in line


def test_the_dev_servers_banner_keeps_its_lines(coloured_log: pytest.LogCaptureFixture) -> None:
    # What werkzeug writes when it starts: a coloured warning, then more lines.
    banner = serving._ansi_style("WARNING: This is a development server.", "bold", "red")
    logging.getLogger("werkzeug").info(f"{banner}\n * Running on http://127.0.0.1:5000")
    [message] = [r.getMessage() for r in coloured_log.records if r.name == "werkzeug"]
    assert message == f"{banner}\n * Running on http://127.0.0.1:5000"
    assert "\x1b[" in banner and "\\" not in message


def test_other_loggers_escape_every_escape_and_line_break(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logs.escape_line_breaks()
    caplog.set_level(logging.INFO)
    logging.getLogger("advocacy.test").info("path %s", "/x\x1b[31m\r\nINFO forged")
    logging.getLogger("werkzeug").info("hostile %s", "\x1b[2J\x1b]0;title\x07")
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == "path /x\\x1b[31m\\r\\nINFO forged"
    # In werkzeug's lines too, an escape that is not a colour is written escaped.
    assert messages[1] == "hostile \\x1b[2J\\x1b]0;title\x07"


# --- a missing production secret ---------------------------------------------------------------


def _without_settings(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVOCACY_", "FLASK_"))}
    env.update(ADVOCACY_ENV="production", ADVOCACY_INSTANCE_PATH=str(tmp_path), **extra)
    return env


@pytest.mark.parametrize("command", [["db", "upgrade"], ["run"], ["data", "status"]])
def test_the_command_says_what_is_missing_in_one_line(tmp_path: Path, command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "advocacy.cli", *command],
        env=_without_settings(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 78  # sysexits' EX_CONFIG
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("advocacy: cannot start: " + SECRET_MESSAGE)
    assert "secrets.token_hex(32)" in line  # and how to make one


def test_the_wsgi_entry_says_it_in_one_line_and_stops_gunicorn(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        env=_without_settings(tmp_path, ADVOCACY_SECRET_KEY="short"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    # 3: gunicorn's "worker failed to boot", on which its master stops (granian stops on
    # the crash loop); not a traceback per worker, respawned for ever.
    assert done.returncode == 3
    [line] = done.stderr.splitlines()
    assert line.startswith("advocacy: cannot start: ADVOCACY_SECRET_KEY is too short")


# --- the command on PATH -----------------------------------------------------------------------


def test_scripts_advocacy_runs_the_installed_command(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    wrapper = tmp_path / "scripts" / "advocacy"
    wrapper.write_bytes((REPO / "scripts" / "advocacy").read_bytes())
    wrapper.chmod(0o755)
    missing = subprocess.run([str(wrapper)], capture_output=True, text=True, timeout=30)
    assert missing.returncode == 1 and "run scripts/bootstrap" in missing.stderr

    installed = tmp_path / ".venv" / "bin" / "advocacy"
    installed.parent.mkdir(parents=True)
    installed.write_text('#!/bin/sh\necho "advocacy called with: $*"\n')
    installed.chmod(0o755)
    done = subprocess.run(
        [str(wrapper), "data", "status"], capture_output=True, text=True, timeout=30, cwd="/"
    )
    assert done.returncode == 0 and done.stdout == "advocacy called with: data status\n"


def test_scripts_run_says_where_the_command_is() -> None:
    script = (REPO / "scripts" / "run").read_text()
    assert "scripts/advocacy" in script and ".venv/bin/activate" in script
    assert "scripts/advocacy" in (REPO / "README.md").read_text()


# --- a widget with a mistyped campaign ---------------------------------------------------------


def test_a_mistyped_campaign_gets_a_small_widget_sized_404(client: FlaskClient) -> None:
    response = client.get("/c/uyghur-policy-ac/widget?ref=partner.org")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "This pledge form could not load" in html
    # The name as typed, isolated so that a right-to-left page never reorders it.
    assert '<bdi dir="ltr"><code>uyghur-policy-ac</code></bdi>, is not one of ours' in html
    assert "data-campaign" in html  # what the partner should check
    # Small, and inside the frame: no site header or footer, no links, the widget's assets.
    assert len(html.encode()) < 2_000
    assert "site-header" not in html and "<a " not in html
    assert 'class="widget-page"' in html and "js/widget.js" in html
    # Framable by partners as the widget is; the same for everyone, so cacheable briefly.
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers


def test_a_post_to_a_mistyped_widget_gets_the_small_page_uncached(client: FlaskClient) -> None:
    response = client.post(
        "/c/uyghur-policy-ac/widget",
        data={"name": "Amina", "email": "amina@example.org", "zip": "98105"},
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 404
    assert "could not load" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]


def test_other_missing_pages_keep_the_sites_page(client: FlaskClient) -> None:
    response = client.get("/c/uyghur-policy-ac")
    assert response.status_code == 404
    assert "site-header" in response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"
