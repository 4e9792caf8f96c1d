"""The WSGI entry point for production servers.

    granian --interface wsgi wsgi:app
    gunicorn wsgi:app

Settings come from ADVOCACY_* environment variables (see the README); in production
ADVOCACY_ENV=production and ADVOCACY_SECRET_KEY must be set.
"""

import sys

from advocacy import create_app
from advocacy.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # Settings that cannot start the service: one line that says what to set, not a
    # traceback from every worker. 3 is gunicorn's "worker failed to boot", on which its
    # master stops instead of starting workers again and again.
    print(f"advocacy: cannot start: {error}", file=sys.stderr, flush=True)
    sys.exit(3)
