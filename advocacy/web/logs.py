"""Log lines that cannot be forged: line breaks and terminal escapes in a message are escaped.

A request path, a header or a typed field could carry a line break (a forged log line) or
a terminal escape (one that moves the cursor, clears the screen or retitles the terminal)
into a message. Werkzeug's development server escapes the control characters of a request
path itself, then colours its request lines with colour (SGR) escapes, and writes its
start-up banner on several lines: in its records, colours and line breaks are its own and
are left alone, so the log reads as it should in a terminal; any other escape is escaped.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_LINE_BREAKS = str.maketrans({"\r": "\\r", "\n": "\\n"})
_ESCAPE = re.compile("\x1b")
# An escape that only sets a colour or weight ("\x1b[1;31m", "\x1b[0m"): it cannot move the
# cursor, erase a line or write elsewhere, so it cannot forge or hide a line.
_NOT_A_COLOUR = re.compile(r"\x1b(?!\[[0-9;]*m)")
# The development server's logger, whose request lines werkzeug escapes and colours itself.
_DEV_SERVER = "werkzeug"


class _EscapingFactory:
    """Wraps the log record factory; a message with a line break is written escaped."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.wrapped(*args, **kwargs)
        message = record.getMessage()
        if record.name == _DEV_SERVER:
            if "\x1b" in message:
                record.msg, record.args = _NOT_A_COLOUR.sub(r"\\x1b", message), ()
        elif "\r" in message or "\n" in message or "\x1b" in message:
            # A traceback (exc_info) is formatted apart and keeps its own lines.
            record.msg = _ESCAPE.sub(r"\\x1b", message.translate(_LINE_BREAKS))
            record.args = ()
        return record


def escape_line_breaks() -> None:
    """Install the escaping record factory once per process (every logger goes through it)."""
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _EscapingFactory):
        logging.setLogRecordFactory(_EscapingFactory(factory))
