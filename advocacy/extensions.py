"""Flask extensions, created unbound here and bound to each app in create_app."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
# Storage, switches and headers come from the app's RATELIMIT_* settings.
limiter = Limiter(key_func=get_remote_address)
