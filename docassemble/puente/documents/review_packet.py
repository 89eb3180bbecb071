"""The review packet for children's counsel (kind ``review``).

First the case at a glance, the flags, the timeline, the deadlines, what is
still missing and the child's views; then every filing with its Spanish and
English paragraphs side by side. The packet is meant to travel to other
counsel, so it is built from the public version of each filing: the child and
relatives appear by initials only.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from ..calendar import WorkingCalendar
from ..checklist import CONDITIONS
from ..dates import long_date
from ..errors import RenderError
from ..law import Law
from ..model import Case
from ..review import pair_documents
from ..schema import field_label
from ..stage import case_stage, documents_to_produce, needs_carta_poder
from ..validate import parse_case
from .context import DocumentContext, document_title
from .pdf import convert_to_pdf
from .protect import redact_context, redaction_for, set_metadata
from .render import PACKET_KINDS, render_docx, template_file
from .timeline import draw_timeline, timeline_marks

DECISION_WORDS = {
    "approved": ("Aprobado", "Approved"),
    "changes_requested": ("Se solicitan cambios", "Changes requested"),
}


def load_case(case_dir: Path, today: date) -> Case:
    record = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    case, problems = parse_case(record, today=today)
    if case is None:
        raise RenderError(f"{case_dir.name}/case.json is not a valid case record")
    return case


def _public(dc: DocumentContext, lang: str) -> dict[str, Any]:
    ctx = redact_context(dc.for_language(lang), redaction_for(dc.case, lang))
    ctx["case"] = None
    return ctx


LANGUAGE_WORDS = {"es": ("español", "Spanish"), "en": ("inglés", "English")}
# Safeguards the packet lists as not yet met, keyed by the checklist's
# conditions (checklist.CONDITIONS), so "met" means the same everywhere.
UNMET_SAFEGUARDS = {
    "child_not_heard": ("La NNA no ha sido escuchada por la Procuraduría de Protección.",
                        "The child has not been heard by the PPNNA."),
    "restitution_plan_missing": ("No hay plan de restitución de derechos.", "There is no rights-restitution plan."),
    "needs_interpreter": ("Se necesita intérprete en cada diligencia.", "An interpreter is needed at every step."),
    "tvrh_not_issued": ("No se ha expedido la TVRH.", "The humanitarian visitor card (TVRH) has not been issued."),
    "in_detention": ("La NNA está en una estación migratoria.", "The child is in a migration detention station."),
}


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _value_text(value: Any, lang: str) -> str:
    """A changed field's value: dates written out, lists joined, '—' for none."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(_value_text(v, lang) for v in value)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return long_date(date.fromisoformat(value), lang)
    return str(value)


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> '3–5, 9'."""
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(out)


def _change_text(diff: dict[str, Any], lang: str) -> str:
    """One change of a filing, as a reviewer reads it: '§ 43–51' or
    '2 párrafos eliminados'."""
    if diff["paragraphs"]:
        return "§\u00a0" + _ranges(diff["paragraphs"])  # no line break after §
    n = len(diff["before"])
    if lang == "es":
        return f"{n} párrafo eliminado" if n == 1 else f"{n} párrafos eliminados"
    return f"{n} paragraph removed" if n == 1 else f"{n} paragraphs removed"


def provenance(rendered_ctx: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """For each Hechos paragraph a filing rendered (its number and the fact it
    names, logged by the ``h`` counter), the record fields behind it, by their
    labels in ``lang``."""
    fields = rendered_ctx.get("hechos_fields", {})
    out = []
    for number, fact in rendered_ctx["h"].log:
        paths = fields.get(fact or "", [])
        labels = list(dict.fromkeys(field_label(p, lang) for p in paths))
        out.append({"n": number, "fact": fact or "", "paths": paths,
                    "fields": "; ".join(labels) if labels else ("—" if lang == "es" else "—")})
    return out


def review_context(dc: DocumentContext, lang: str, workdir: Path) -> dict[str, Any]:
    """What the review template shows, already reduced to initials."""
    case = dc.case
    es = lang == "es"
    base = _public(dc, lang)
    filings = []
    # the escritos this run produces (a first application COMAR already has is
    # not produced again) and the carta poder that goes with them
    produced = documents_to_produce(case, case_stage(case, dc.law, dc.calendar))
    if needs_carta_poder(case, produced):
        produced.append("carta_poder")
    for kind in PACKET_KINDS:
        has_templates = template_file(kind, "es").exists() and template_file(kind, "en").exists()
        if kind not in produced or not has_templates:
            continue
        es_ctx = _public(dc, "es")
        es_docx = render_docx(kind, "es", es_ctx, workdir / "es" / f"{kind}.docx")
        en_docx = render_docx(kind, "en", _public(dc, "en"), workdir / "en" / f"{kind}.docx")
        pairing = pair_documents(kind, es_docx, en_docx)
        filings.append({
            "title": document_title(dc.law, kind, lang),
            "aligned": pairing.aligned,
            "pairs": [{"n": i, "es": a, "en": b} for i, (a, b) in enumerate(pairing.pairs, 1)],
            "provenance": provenance(es_ctx, lang),
        })
    missing_evidence = [e.description for e in case.evidence if not e.available]
    unmet = [words[0 if es else 1] for condition, words in UNMET_SAFEGUARDS.items() if CONDITIONS[condition](case)]
    review = case.review or {}
    decision = DECISION_WORDS.get(review.get("decision", ""), ("", ""))
    changes = review.get("changes") or {}
    ctx = {
        **base,
        "procedure_titles": ", ".join(p["title"] for p in base["procedures"]),
        "timeline": str(draw_timeline(case, dc.deadlines, lang, workdir / "timeline.png")),
        "filings": filings,
        "missing_evidence": redact_context(missing_evidence, redaction_for(case, lang)),
        "unmet_safeguards": unmet,
        "has_review": bool(review.get("decision")),
        "review_decision": decision[0 if es else 1],
        "review_approved": review.get("decision") == "approved",
        "review_reviewer": review.get("reviewer", ""),
        "review_date": long_date(date.fromisoformat(review["date"]), lang) if review.get("date") else "",
        "review_comments": redact_context(review.get("comments", ""), redaction_for(case, lang)),
        "review_stale": bool(review.get("stale")),
        "review_changed_fields": redact_context(
            [f"{field_label(c['field'], lang)}: {_value_text(c['before'], lang)} → {_value_text(c['after'], lang)}"
             for c in changes.get("case", [])], redaction_for(case, lang)),
        "review_changed_documents": [
            f"{document_title(dc.law, kind, lang)} ({LANGUAGE_WORDS[lng][0 if es else 1]}): "
            + "; ".join(_change_text(d, lang) for d in diffs)
            for kind, langs in changes.get("documents", {}).items() for lng, diffs in langs.items()],
        # the packet quotes each filing's paragraphs as filed: no gloss is shortened
        "first_use": None,
    }
    return ctx


# What a review screen shows: the packet's own context, reduced to plain
# values (the interview stores it in the session; nothing here is an object).
VIEW_KEYS = ("case_id", "child_initials", "age_text", "nationality", "accompaniment", "procedure_titles",
             "comar_office_place", "rep_name", "rep_organization", "filing_date", "flags", "deadlines",
             "calendar_name", "calendar_note", "missing_evidence", "unmet_safeguards", "child_views",
             "unchecked_citations", "filings", "has_review", "review_decision", "review_approved",
             "review_reviewer", "review_date", "review_comments", "review_stale", "review_changed_fields",
             "review_changed_documents")


def review_view(case_dir: Path, law: Law, calendar: WorkingCalendar, lang: str, *, today: date,
                workdir: Path) -> dict[str, Any]:
    """The content of the review packet as plain data, for the interview's
    review screen: the same function builds both, so the screen and the PDF
    say the same thing. The timeline picture is left in ``workdir``; its path
    is under ``timeline``."""
    case = load_case(case_dir, today)
    dc = DocumentContext.build(case, law, calendar)
    ctx = review_context(dc, lang, workdir)
    view = {key: ctx.get(key) for key in VIEW_KEYS}
    view["flags"] = [{"reason": f["reason"], "danger": bool(f["danger"])} for f in ctx.get("flags", [])]
    view["deadlines"] = [{k: d.get(k) for k in ("id", "label", "date", "basis", "past", "red", "state", "state_text",
                                                "working_days_late")}
                         for d in ctx.get("deadlines", [])]
    view["timeline"] = ctx["timeline"]
    # The picture's text equivalent (alt text and a list under it): the same
    # marks, in date order, for a screen reader or a zoomed-in reader.
    view["timeline_marks"] = [{"date": long_date(m.day, lang), "label": m.label}
                              for m in timeline_marks(case, dc.deadlines, lang)]
    return json.loads(json.dumps(view, default=str))


def build_review_packet(case_dir: Path, law: Law, calendar: WorkingCalendar, lang: str, *,
                        today: date, pdf: bool = True) -> dict[str, Path]:
    """Write ``<case>/<lang>/review.docx`` (and ``.pdf``); returns their paths."""
    case = load_case(case_dir, today)
    dc = DocumentContext.build(case, law, calendar)
    out_docx = case_dir / lang / "review.docx"
    with tempfile.TemporaryDirectory(prefix="puente-review-") as tmp:
        ctx = review_context(dc, lang, Path(tmp))
        render_docx("review", lang, ctx, out_docx, images={"timeline": (ctx["timeline"], 165)})
    result = {"docx": out_docx}
    if pdf:
        converted = convert_to_pdf([out_docx])
        if out_docx not in converted:
            raise RenderError("LibreOffice did not convert the review packet")
        title = {"es": "Paquete de revisión", "en": "Review packet"}[lang]
        set_metadata(converted[out_docx], f"{title} — {case.case_id}", lang)
        result["pdf"] = converted[out_docx]
    return result
