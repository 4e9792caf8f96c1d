"""Browser tests: headless Chromium through Playwright (a package, so its conftest does not
shadow tests/conftest.py for the modules that import from it)."""
