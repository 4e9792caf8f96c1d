"""Where the repository's folders are: templates, static files and migrations live at the
top of the repository, beside the package (README.md, Layout)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
