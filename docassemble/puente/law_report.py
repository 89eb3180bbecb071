"""The law report: every citation, its state, and what uses it.

A lawyer who corrects a citation in ``law/citations.yml`` needs to know two
things: was it read against the law's text (and where), and which documents,
checklists and deadlines change with it. ``puente law-report`` answers both,
as Markdown, grouped by statute.

Uses are found, not declared: the Word templates and the interview files are
scanned for quoted citation ids (``cite('lfpa_art19')``, ``cites(...)``,
``puente.basis(...)``), the Python that builds documents likewise, and the
law data is walked (deadlines, checklist items, rights findings, referrals,
terms, the calendar). So the report follows the code without upkeep.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .law import Citation, Law
from .resources import data_dir

_PACKAGE_DIR = Path(__file__).resolve().parent
# a citation id written as a string: 'lfpa_art19' or "lfpa_art19" (Word may
# turn quotes into curly ones)
_QUOTED_ID = re.compile(r"['\"‘’“”]([a-z][a-z0-9_]*)['\"‘’“”]")


@dataclass(frozen=True)
class Use:
    kind: str   # template | interview | code | law
    where: str  # file name, or the law entry ("deadline ratification")


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if n.startswith("word/") and n.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


def _ids_in(text: str, known: set[str]) -> set[str]:
    return {m for m in _QUOTED_ID.findall(text) if m in known}


def citation_uses(law: Law, templates: Path | None = None, interviews: Path | None = None,
                  code: Path | None = None) -> dict[str, list[Use]]:
    """For each citation id, where it is used (sorted, without repeats)."""
    known = set(law.citations)
    uses: dict[str, set[Use]] = defaultdict(set)

    templates = Path(templates or data_dir("templates"))
    for path in sorted(templates.glob("*.docx")):
        for cid in _ids_in(_docx_text(path), known):
            uses[cid].add(Use("template", path.name))
    interviews = Path(interviews or data_dir("questions"))
    for path in sorted(interviews.glob("*.yml")):
        for cid in _ids_in(path.read_text(encoding="utf-8"), known):
            uses[cid].add(Use("interview", path.name))
    code = Path(code or _PACKAGE_DIR)
    for path in sorted(code.rglob("*.py")):
        if path.name == Path(__file__).name:
            continue
        for cid in _ids_in(path.read_text(encoding="utf-8"), known):
            uses[cid].add(Use("code", str(path.relative_to(code.parent.parent)) if code == _PACKAGE_DIR
                                      else path.name))

    def law_use(citations, where: str) -> None:
        for c in citations:
            uses[c.id].add(Use("law", where))

    for rule in law.deadlines.values():
        law_use(rule.basis, f"deadlines.yml: {rule.id}")
    law_use(law.calendar.basis, "calendar.yml")
    for day in law.calendar.rules:
        law_use(day.basis, "calendar.yml")
    for item in law.checklist:
        law_use(item.basis, f"checklists.yml: {item.procedure}.{item.section}.{item.id}")
    for category, terms in law.terms.items():
        for term in terms.values():
            law_use(term.basis, f"terms.yml: {category}.{term.code}")
    for step in law.procedure_steps.values():
        law_use(step.basis, f"rights.yml: procedure.{step.code}")
    for finding in law.findings.values():
        law_use(finding.basis, f"rights.yml: findings.{finding.code}")
    for referral in law.referrals.values():
        law_use(referral.basis, f"referrals.yml: screening.{referral.code}")
    # the legal wording of the filings: each entry's basis and the [[ids]] its text cites
    for argument in law.arguments.values():
        law_use(argument.basis, f"arguments.yml: {argument.id}")
        for cid in _ids_in(argument.text.es, known):
            uses[cid].add(Use("law", f"arguments.yml: {argument.id}"))
    for measure in law.measures.values():
        law_use(measure.basis, f"measures.yml: {measure.id}")
        for cid in _ids_in(measure.text.es, known):
            uses[cid].add(Use("law", f"measures.yml: {measure.id}"))
    for words in law.wording.values():
        law_use(words.basis, f"wording.yml: {words.id}")
        for cid in _ids_in(words.text.es, known):
            uses[cid].add(Use("law", f"wording.yml: {words.id}"))
    if "lgdnna_art13" in law.citations:
        uses["lgdnna_art13"].add(Use("law", "rights.yml: catalogue (every right)"))
    order = {"template": 0, "interview": 1, "code": 2, "law": 3}
    return {cid: sorted(u, key=lambda x: (order[x.kind], x.where)) for cid, u in uses.items()}


def _state(c: Citation) -> str:
    if c.checked:
        return f"checked — verified in: {c.verified_in}"
    why = f" — {c.note.en}" if c.note else ""
    return f"**TO VERIFY**{why}"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def law_report(law: Law, uses: dict[str, list[Use]] | None = None) -> str:
    """The report as Markdown (English frame; the law's words stay Spanish)."""
    uses = citation_uses(law) if uses is None else uses
    citations = list(law.citations.values())
    rights = [r.chapter for r in law.rights.values()]
    unchecked = [c for c in citations + rights if not c.checked]
    lines = [
        "# Puente law report",
        "",
        f"{len(citations)} citations in `law/citations.yml` and {len(rights)} rights-catalogue entries in "
        f"`law/rights.yml`; {len(unchecked)} still to verify.",
        "",
        "Each citation shows its state: **checked**, with the text it was read against (`verified_in`) "
        "and a link, or **TO VERIFY**, with the reason. *Used by* lists the templates, interviews, code "
        "and law entries that change if the citation is corrected.",
        "",
    ]
    if unchecked:
        lines += ["## To verify", ""]
        for c in unchecked:
            lines.append(f"- `{c.id}` {c.short('es')}: {c.note.en if c.note else 'no reason given'}")
        lines.append("")
    by_statute: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        by_statute[c.statute.id].append(c)
    for sid, group in by_statute.items():
        statute = law.statutes[sid]
        lines += [f"## {statute.abbreviation} — {statute.name.es}", ""]
        lines.append(f"Source: {statute.source}" + (f" — <{statute.href}>" if statute.href else ""))
        lines.append("")
        for c in group:
            lines.append(f"### `{c.id}` — {c.short('es')}")
            lines.append("")
            lines.append(f"- Topic: {_md(c.topic.es)} / {_md(c.topic.en)}")
            lines.append(f"- State: {_state(c)}")
            if c.href:
                lines.append(f"- Text: <{c.href}>")
            if c.text:
                lines.append(f"- Quote: «{_md(c.text)}»")
            used = uses.get(c.id, [])
            if used:
                lines.append("- Used by: " + "; ".join(f"{u.where}" for u in used))
            else:
                lines.append("- Used by: (nothing yet)")
            lines.append("")
    lines += ["## LGDNNA art. 13 — the rights catalogue (`law/rights.yml`)", ""]
    for r in law.rights.values():
        arts = "arts." if " " in (r.chapter.article or "") else "art."
        lines.append(f"- fr. {r.fraction} {r.name.es} — {arts} {r.chapter.article}: {_state(r.chapter)}")
    lines.append("")
    return "\n".join(lines)
