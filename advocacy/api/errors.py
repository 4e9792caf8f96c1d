"""The API's error: {"error": ..., "fields": {...}} with a 4xx status."""

from __future__ import annotations


class ApiError(Exception):
    """An error answered as {"error": ..., "fields": {...}} with a 4xx status."""

    def __init__(self, message: str, status: int = 422, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.fields = fields or {}


def data_unavailable() -> ApiError:
    """Return the error for when member data cannot be loaded: a 503 to try again later."""
    return ApiError("Member data is not available right now; please try again soon.", 503)
