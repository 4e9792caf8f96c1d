"""Log lines that cannot be forged: line breaks in a message are written escaped."""

from __future__ import annotations

import logging
from typing import Any

# What a request path, a header or a typed field could carry into a message.
_ESCAPES = str.maketrans({"\r": "\\r", "\n": "\\n", "\x1b": "\\x1b"})


class _EscapingFactory:
    """Wraps the log record factory; a message with a line break is written escaped."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.wrapped(*args, **kwargs)
        message = record.getMessage()
        if "\r" in message or "\n" in message or "\x1b" in message:
            # A traceback (exc_info) is formatted apart and keeps its own lines.
            record.msg, record.args = message.translate(_ESCAPES), ()
        return record


def escape_line_breaks() -> None:
    """Install the escaping record factory once per process (every logger goes through it)."""
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _EscapingFactory):
        logging.setLogRecordFactory(_EscapingFactory(factory))
