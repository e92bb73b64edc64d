"""Browser tests over the quick-built book (headless Chromium via Playwright)."""
