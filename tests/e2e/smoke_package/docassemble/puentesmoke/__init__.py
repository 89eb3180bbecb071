"""A tiny interview that proves the local server's plumbing (tests/e2e)."""
