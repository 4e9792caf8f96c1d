"""The WSGI entry point for production servers.

    granian --interface wsgi wsgi:app
    gunicorn wsgi:app

Settings come from ADVOCACY_* environment variables (see the README); in production
ADVOCACY_ENV=production and ADVOCACY_SECRET_KEY must be set.
"""

from advocacy import create_app

app = create_app()
