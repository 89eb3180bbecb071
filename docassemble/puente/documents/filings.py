"""Context for the coadyuvante, family reunification and derivative-status
filings, beyond what ``context.build_context`` gives every document."""

from __future__ import annotations

from typing import Any


def extra_context(dc, lang: str) -> dict[str, Any]:
    return {}
