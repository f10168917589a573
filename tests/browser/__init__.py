"""Browser tests: Playwright drives Debian's chromium against the live web app."""
