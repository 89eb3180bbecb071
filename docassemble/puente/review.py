"""Review by children's counsel: paragraphs paired across languages, the
sign-off, and what changed since it was given.

A sign-off is stored in ``case.json`` under ``review`` together with a
snapshot of what was signed (the case record and the paragraphs of every
filing). When the case is generated again into the same folder the pipeline
compares the new record and paragraphs with that snapshot: any difference
marks the review stale and lists the changed fields and paragraphs.
"""

from __future__ import annotations

import copy
import difflib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .documents.docx_text import lines as docx_paragraphs
from .errors import Problem, PuenteError
from .i18n import N_

DECISIONS = ("approved", "changes_requested")


@dataclass
class Pairing:
    kind: str
    pairs: list[tuple[str, str]]
    aligned: bool  # same number of paragraphs in both languages


# Spanish formulas the English mirror leaves out, having no counterpart in
# US legal English: "P R E S E N T E" under the addressee says that the
# authority is addressed in person; "PRESENT", its calque, reads as a mistake
# (docs/glossary.md: omit in English). The review shows it beside an empty
# English cell, so every other paragraph still pairs by position.
SPANISH_ONLY = ("P R E S E N T E",)


def pair_documents(kind: str, es_docx: Path, en_docx: Path) -> Pairing:
    """Spanish and English paragraphs side by side. The templates mirror each
    other paragraph by paragraph, so pairing is by position (a Spanish-only
    formula faces an empty cell); a count mismatch is reported rather than
    hidden."""
    es, en = docx_paragraphs(es_docx), docx_paragraphs(en_docx)
    for i, line in enumerate(es):
        # (an English document made before the formula was dropped still has it)
        if line in SPANISH_ONLY and (i >= len(en) or en[i] != "PRESENT"):
            en.insert(i, "")
    n = max(len(es), len(en))
    pairs = [(es[i] if i < len(es) else "", en[i] if i < len(en) else "") for i in range(n)]
    return Pairing(kind, pairs, len(es) == len(en))


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}{key}."))
        return out
    if isinstance(data, list) and any(isinstance(v, dict) for v in data):
        out = {}
        for i, value in enumerate(data):
            out.update(_flatten(value, f"{prefix[:-1]}[{i}]."))
        return out
    return {prefix[:-1]: data}


def case_changes(before: dict, after: dict) -> list[dict[str, Any]]:
    """Fields whose value changed, was added or was removed."""
    old, new = _flatten(before), _flatten(after)
    out = []
    for field in sorted(set(old) | set(new)):
        if old.get(field) != new.get(field):
            out.append({"field": field, "before": old.get(field), "after": new.get(field)})
    return out


def paragraph_changes(before: list[str], after: list[str]) -> list[dict[str, Any]]:
    """Which paragraphs changed (1-based numbers in the new document)."""
    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        out.append({
            "change": {"replace": "changed", "delete": "removed", "insert": "added"}[op],
            "paragraphs": list(range(b1 + 1, b2 + 1)) if op != "delete" else [],
            "before": before[a1:a2],
            "after": after[b1:b2],
        })
    return out


def document_snapshot(case_dir: Path) -> dict[str, dict[str, list[str]]]:
    """kind -> language -> paragraphs, for every DOCX of a case folder
    (public versions aside)."""
    snap: dict[str, dict[str, list[str]]] = {}
    for lang_dir in sorted(p for p in case_dir.iterdir() if p.is_dir() and p.name != "redacted"):
        for docx in sorted(lang_dir.glob("*.docx")):
            if docx.stem != "review":  # the packet describes the review; it is not under review
                snap.setdefault(docx.stem, {})[lang_dir.name] = docx_paragraphs(docx)
    return snap


def sign_off_problems(decision: str, reviewer: str, comments: str) -> list[Problem]:
    """What is wrong with a sign-off, in both languages: the CLI and the
    interview's form check the same rules."""
    problems = []
    if decision not in DECISIONS:
        problems.append(Problem("decision", N_("The decision must be one of: {choices}."),
                                {"choices": ", ".join(DECISIONS)}))
    if not (reviewer or "").strip():
        problems.append(Problem("reviewer", N_("Give the reviewer's name.")))
    if decision == "changes_requested" and not (comments or "").strip():
        problems.append(Problem("comments", N_("Say which changes you request.")))
    return problems


def sign_off(case_dir: Path, decision: str, reviewer: str, comments: str, day: date) -> dict[str, Any]:
    """Record a reviewer's decision in ``case.json`` (and the manifest beside
    the case folder, if any). Returns the stored review."""
    problems = sign_off_problems(decision, reviewer, comments)
    if problems:
        raise PuenteError("; ".join(f"{p.field}: {p.text('en')}" for p in problems))
    path = case_dir / "case.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record.pop("review", None)
    review = {
        "decision": decision,
        "reviewer": reviewer.strip(),
        "date": day.isoformat(),
        "comments": comments.strip(),
        "stale": False,
        "signed": {"case": copy.deepcopy(record), "documents": document_snapshot(case_dir)},
    }
    record["review"] = review
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    update_manifest(case_dir, review)
    return review


def refresh(previous: dict[str, Any] | None, case_record: dict, case_dir: Path) -> dict[str, Any] | None:
    """Carry a sign-off forward to a regenerated case: stale when the case
    or any filing's paragraphs changed since it was signed."""
    if not previous or "signed" not in previous:
        return previous
    signed = previous["signed"]
    changes_case = case_changes(signed.get("case", {}), case_record)
    now = document_snapshot(case_dir)
    changes_docs: dict[str, dict[str, list]] = {}
    for kind in sorted(set(signed.get("documents", {})) | set(now)):
        for lang in sorted(set(signed.get("documents", {}).get(kind, {})) | set(now.get(kind, {}))):
            diff = paragraph_changes(signed.get("documents", {}).get(kind, {}).get(lang, []),
                                     now.get(kind, {}).get(lang, []))
            if diff:
                changes_docs.setdefault(kind, {})[lang] = diff
    review = dict(previous)
    review["stale"] = bool(changes_case or changes_docs)
    review["changes"] = {"case": changes_case, "documents": changes_docs} if review["stale"] else {}
    return review


def summary(review: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a review that goes into the manifest (no snapshots)."""
    if not review:
        return None
    out: dict[str, Any] = {k: review[k] for k in ("decision", "reviewer", "date", "comments", "stale") if k in review}
    changes = review.get("changes") or {}
    if changes:
        out["changed_fields"] = [c["field"] for c in changes.get("case", [])]
        out["changed_documents"] = sorted(f"{kind}/{lang}" for kind, langs in changes.get("documents", {}).items()
                                          for lang in langs)
    return out


def update_manifest(case_dir: Path, review: dict[str, Any]) -> None:
    manifest_path = case_dir.parent / "manifest.json"
    if not manifest_path.exists():
        return
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest.get("cases", []):
        if entry.get("case_id") == case_dir.name:
            entry["review"] = summary(review)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
