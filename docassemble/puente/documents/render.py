"""Render one Word template with a context (docxtpl).

A batch renders the same few dozen templates thousands of times, and most of
docxtpl's cost is the same each time: cleaning the template's XML
(``patch_xml``) and compiling it with Jinja (about two thirds of a
document's time). Both are kept per process, keyed by a hash of the XML
itself, so an edited template is simply a new key; the template file's
bytes are kept by path, size and modification time. Only filling in the
case's values, and writing the DOCX, are paid per document.

The templates carry large parts that rendering never touches (the styles,
about 350 KB of XML, numbering, settings): python-docx parses them on
opening and serializes them again on saving. While ``render_docx`` opens a
template they are loaded as plain bytes instead (python-docx's documented
``part_class_selector`` hook, switched on for this thread only), so they are
written back exactly as they are.
"""

from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import Part, PartFactory
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template, pass_context
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

# Far more than the templates' parts (about 60 templates, a few parts each);
# a bound only so that a process fed ever-changing templates cannot grow.
CACHE_LIMIT = 1024


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


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class _Env(SandboxedEnvironment):
    """The Jinja environment of every template, one per process, keeping
    each compiled template by its source (docxtpl calls ``from_string``
    for every part of every document)."""

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True, finalize=_first_use)
        self._compiled: dict[bytes, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = _key(source)
        template = self._compiled.get(key)
        if template is None:
            template = super().from_string(source)
            if len(self._compiled) >= CACHE_LIMIT:
                self._compiled.clear()
            self._compiled[key] = template
        return template


class _Template(DocxTemplate):
    """docxtpl's template with its XML clean-up kept per process."""

    _patched: dict[bytes, str] = {}

    def patch_xml(self, src_xml: str) -> str:
        key = _key(src_xml)
        patched = self._patched.get(key)
        if patched is None:
            patched = super().patch_xml(src_xml)
            if len(self._patched) >= CACHE_LIMIT:
                self._patched.clear()
            self._patched[key] = patched
        return patched


_local = threading.local()  # an environment per thread: render() sets its autoescape
# Parts a template carries that rendering leaves alone: kept as bytes.
UNTOUCHED = frozenset({CT.WML_STYLES, CT.WML_NUMBERING, CT.WML_SETTINGS})
_python_docx_selector = PartFactory.part_class_selector


def _part_class(content_type: str, reltype: str) -> type[Part] | None:
    if getattr(_local, "opening", False) and content_type in UNTOUCHED:
        return Part
    return _python_docx_selector(content_type, reltype) if _python_docx_selector else None


PartFactory.part_class_selector = _part_class  # every other thread, and any other moment: python-docx's own
_files: dict[tuple[str, int, int], bytes] = {}


def _env() -> _Env:
    env = getattr(_local, "env", None)
    if env is None:
        env = _local.env = _Env()
    return env


def _template_bytes(path: Path) -> bytes:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    data = _files.get(key)
    if data is None:
        data = path.read_bytes()
        if len(_files) >= CACHE_LIMIT:
            _files.clear()
        _files[key] = data
    return data


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
    tpl = _Template(io.BytesIO(_template_bytes(path)))
    _local.opening = True
    try:
        tpl.init_docx()
    finally:
        _local.opening = False
    if images:  # name -> (PNG path, width in mm), placed where the template says {{ name }}
        context = {**context, **{name: InlineImage(tpl, png, width=Mm(width)) for name, (png, width) in images.items()}}
    try:
        tpl.render(context, jinja_env=_env(), autoescape=True)
    except Exception as exc:  # jinja errors, docx XML errors
        raise RenderError(f"template {path.name}: {type(exc).__name__}: {exc}") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(out))
    return out
