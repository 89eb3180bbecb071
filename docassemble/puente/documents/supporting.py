"""Context for the supporting documents: the rights-restitution plan
proposal, the first-contact screening record and the "your rights" sheet."""

from __future__ import annotations

from typing import Any


def extra_context(dc, lang: str) -> dict[str, Any]:
    return {}
