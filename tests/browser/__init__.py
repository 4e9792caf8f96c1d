"""Browser tests: headless Chromium through Playwright (a package, so that its modules'
names, such as test_split_zip, do not clash with those of the other folders)."""
