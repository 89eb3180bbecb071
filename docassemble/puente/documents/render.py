"""Render one Word template with a context (docxtpl)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from ..errors import RenderError
from ..resources import template_path

# Document kinds in packet order: the filings first, then the supporting
# documents. The pipeline, the packets and the review packet use this order.
# The filings in packet order: what is due soonest after the first filing
# leads (after-filing.md), then the first filings.
FILINGS = ("review_appeal", "prevention_reply", "ratification", "residence_change",
           "asylum", "derivative_status", "family_reunification", "coadyuvante")
# The carta poder goes behind the filings it accredits counsel in (LFPA art. 19).
PACKET_KINDS = FILINGS + ("carta_poder",)
SUPPORTING = ("restitution_plan", "screening", "rights_sheet", "checklist")


def template_file(kind: str, lang: str) -> Path:
    """``templates/<kind>_<lang>.docx``: one template per document and language."""
    return template_path(f"{kind}_{lang}.docx")


@pass_context
def _first_use(context: Context, value: Any) -> Any:
    """Every printed value passes through the document's ``first_use``
    (documents/first_use.py): an English document glosses a Spanish name on
    its first mention only. Evaluated as the template renders, in document
    order (``pass_context`` also keeps Jinja from applying it at compile time
    to a constant such as ``{{ "… (carta poder)" }}``)."""
    first_use = context.get("first_use")
    return first_use(value) if first_use is not None else value


def render_docx(kind: str, lang: str, context: dict[str, Any], out: Path,
                images: dict[str, tuple[str, int]] | None = None) -> Path:
    """Fill the template and save it to ``out``.

    StrictUndefined turns a misspelt variable in a template into an error
    instead of an empty gap in a filing; autoescape keeps user text (``&``,
    ``<w:p>``) as text. The sandbox stops a template from reaching into Python.
    """
    path = template_file(kind, lang)
    if not path.exists():
        raise RenderError(f"no template {path.name} for document '{kind}' in language '{lang}'")
    tpl = DocxTemplate(str(path))
    if images:  # name -> (PNG path, width in mm), placed where the template says {{ name }}
        context = {**context, **{name: InlineImage(tpl, png, width=Mm(width)) for name, (png, width) in images.items()}}
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, finalize=_first_use)
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except Exception as exc:  # jinja errors, docx XML errors
        raise RenderError(f"template {path.name}: {type(exc).__name__}: {exc}") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(out))
    return out
