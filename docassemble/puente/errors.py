"""One error hierarchy for Puente.

Every message a person sees exists in Spanish and English. A problem names the
case and the field, never the child: errors end up in terminals, logs and
manifests that are shared more widely than the case file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from . import i18n


class PuenteError(Exception):
    """Base class of every error Puente raises on purpose."""


@dataclass
class Problem:
    """One thing wrong (or worth a warning) in one case, at one field."""

    field: str
    message: str  # gettext msgid, English, with {placeholders}
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    case_id: str | None = None
    severity: str = "error"  # error | warning

    def text(self, lang: str) -> str:
        return i18n.translate(self.message, lang, **self.params)

    @property
    def message_es(self) -> str:
        return self.text("es")

    @property
    def message_en(self) -> str:
        return self.text("en")

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message_es": self.message_es, "message_en": self.message_en}

    def line(self) -> str:
        """One line for a terminal: case, field, Spanish / English."""
        where = f"{self.case_id or '?'}: {self.field}" if self.field else (self.case_id or "?")
        tag = "AVISO/WARNING" if self.severity == "warning" else "ERROR"
        return f"{tag} {where}: {self.message_es} / {self.message_en}"


class CaseInvalid(PuenteError):
    """A case record failed validation; ``problems`` holds every error found."""

    def __init__(self, case_id: str | None, problems: list[Problem]):
        self.case_id = case_id
        self.problems = problems
        super().__init__("; ".join(p.line() for p in problems))


class InputError(PuenteError):
    """An input file cannot be read at all (not one bad field: the whole file)."""

    def __init__(self, source: str, message: str, **params: Any):
        self.problem = Problem(field="", message=message, params={"source": source, **params}, case_id=source)
        super().__init__(self.problem.line())


class LawDataError(PuenteError):
    """The law data files are malformed; names the file and the entry."""


class RenderError(PuenteError):
    """A document could not be produced (template or conversion failure)."""
