"""The reference parts of ``docs/``, generated from the code and the law data
so that they cannot drift from them:

- the fields of the case record (``model.py``) in ``docs/case-record.md``;
- the deadline rules and the non-working days (``law/deadlines.yml``,
  ``law/calendar.yml``) in ``docs/deadlines.md``.

Each generated part sits between two markers in an otherwise hand-written
page, and only that part is rewritten::

    <!-- BEGIN GENERATED fields (make docs) -->
    ...
    <!-- END GENERATED fields -->

Run ``make docs`` (``python -m docassemble.puente.docgen``) after changing a
field or a deadline rule; ``--check`` exits 1 when a page is stale, and
``tests/test_docs.py`` fails until the pages are regenerated.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import typing
from pathlib import Path

from .law import Law, default_law
from .model import Case
from .schema import object_class

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
REGENERATE = "make docs"

KIND_WORDS = {
    "text": "text",
    "date": "date (`YYYY-MM-DD`)",
    "bool": "yes/no (`true`/`false`)",
    "int": "whole number",
    "enum": "one code",
    "enum_list": "list of codes",
    "text_list": "list of texts",
    "object": "group of fields",
    "object_list": "list of groups",
    "raw": "written by Puente",
}

TRIGGER_WORDS = {
    "entry_date": "entry into Mexico (`child.entry_date`)",
    "filed_date": "filing with COMAR (`proceedings.comar_filed_date`; before it is recorded, the filing date, "
                  "and the deadline is marked projected)",
    "refusal_notified_date": "notification of a refusal (`proceedings.refusal_notified_date`)",
    "prevention_notified_date": "notification of a prevención (`proceedings.prevention_notified_date`)",
    "us_grant_date": "the grant of asylum or refugee status in the United States",
    "date_of_birth": "birth (`child.date_of_birth`)",
}

UNIT_WORDS = {"working_days": "días hábiles (business days)", "years": "years (calendar)"}


# --------------------------------------------------------------------------
# The case record


def _record_classes(cls: type = Case, prefix: str = "", label: str = "") -> list[tuple[str, str, type]]:
    """(path prefix, label, class) of the record and every group in it,
    parents before their groups."""
    out = [(prefix, label, cls)]
    hints = typing.get_type_hints(cls)
    for fld in dataclasses.fields(cls):
        kind = fld.metadata["kind"]
        title = f"{fld.metadata['es']} / {fld.metadata['en']}"
        if kind == "object":
            out += _record_classes(object_class(fld), f"{prefix}{fld.name}.", title)
        elif kind == "object_list":
            item = typing.get_args(hints[fld.name])[0]
            out += _record_classes(item, f"{prefix}{fld.name}[].", title)
    return out


def _value_labels(law: Law, choices: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Spanish and English words for a field's codes, from the law data's
    terms (the words the documents print), when one list of terms has them all."""
    for terms in law.terms.values():
        if choices and all(code in terms for code in choices):
            return {code: (terms[code]["es"], terms[code]["en"]) for code in choices}
    return {}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def fields_reference(law: Law) -> str:
    """Markdown: one table per part of the record, then the codes of every
    enumerated field with their Spanish and English words."""
    lines: list[str] = []
    codes: list[str] = []
    for prefix, label, cls in _record_classes():
        name = prefix.rstrip(".")
        heading = f"### `{name}` — {label}" if name else "### The case (top level)"
        lines += [heading, "", "| field | type | Spanish | English | rules |", "| --- | --- | --- | --- | --- |"]
        for fld in dataclasses.fields(cls):
            meta = fld.metadata
            path = f"{prefix}{fld.name}"
            rules = []
            if meta["required"]:
                rules.append("required")
            if meta["choices"]:
                values = _value_labels(law, meta["choices"])
                if values:
                    rules.append(f"codes: see [`{path}`](#codes-{_anchor(path)})")
                    codes += [f"#### Codes: `{path}`", "", "| code | Spanish | English |", "| --- | --- | --- |"]
                    codes += [f"| `{code}` | {_cell(es)} | {_cell(en)} |" for code, (es, en) in values.items()]
                    codes.append("")
                else:
                    rules.append("one of " + ", ".join(f"`{code}`" for code in meta["choices"]))
            if meta["kind"] in ("object", "object_list"):
                rules.append(f"see `{path}{'[]' if meta['kind'] == 'object_list' else ''}` below")
            if meta["kind"] == "bool" and fld.default is not dataclasses.MISSING:
                rules.append(f"default `{str(fld.default).lower()}`")
            lines.append(f"| `{path}` | {KIND_WORDS.get(meta['kind'], meta['kind'])} | {_cell(meta['es'])} "
                         f"| {_cell(meta['en'])} | {'; '.join(rules)} |")
        lines.append("")
    return "\n".join(lines + ["### Codes", ""] + codes).rstrip() + "\n"


def _anchor(path: str) -> str:
    """The anchor GitHub gives the heading '#### Codes: `path`'."""
    return re.sub(r"[^a-z0-9_ -]", "", path.lower()).replace(" ", "-")


# --------------------------------------------------------------------------
# The deadline rules


def deadlines_reference(law: Law) -> str:
    lines = ["| id | term | counted from | legal basis | what it is |", "| --- | --- | --- | --- | --- |"]
    for rule in law.deadlines.values():
        term = f"{rule.term} {UNIT_WORDS.get(rule.unit, rule.unit)}"
        if rule.informational:
            term += "; informational"
        basis = "; ".join(c.short("es") + ("" if c.checked else " (to confirm)") for c in rule.basis)
        what = f"{rule.label.es} / {rule.label.en}"
        lines.append(f"| `{rule.id}` | {term} | {TRIGGER_WORDS.get(rule.trigger, f'`{rule.trigger}`')} "
                     f"| {_cell(basis)} | {_cell(what)} |")
    return "\n".join(lines) + "\n"


def calendar_reference(law: Law) -> str:
    """The non-working days of the default calendar (``law/calendar.yml``)."""
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    rest = " and ".join(f"{weekdays[d]}s" for d in law.calendar.weekly_rest)
    basis = "; ".join(c.short("es") for c in law.calendar.basis)
    lines = [f"Calendar `{law.calendar.name}` ({basis}): {rest}, and", ""]
    for rule in law.calendar.rules:
        when = []
        if rule.every_years:
            when.append(f"every {rule.every_years} years from {rule.first_year}")
        if rule.valid_from:
            when.append(f"from {rule.valid_from.isoformat()}")
        if rule.valid_until:
            when.append(f"until {rule.valid_until.isoformat()}")
        cited = "; ".join(c.short("es") for c in rule.basis)
        extra = f": {', '.join(when)}" if when else ""
        lines.append(f"- {rule.name.es} / {rule.name.en} ({cited}){extra}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# The pages


def generated(law: Law | None = None) -> list[tuple[Path, str, str]]:
    """(page, part name, generated text) of every generated part."""
    law = law or default_law()
    return [
        (DOCS / "case-record.md", "fields", fields_reference(law)),
        (DOCS / "deadlines.md", "deadlines", deadlines_reference(law)),
        (DOCS / "deadlines.md", "calendar", calendar_reference(law)),
    ]


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- BEGIN GENERATED {name} ({REGENERATE}) -->", f"<!-- END GENERATED {name} -->"


def current_part(page: Path, name: str) -> str | None:
    """The text between a page's markers for ``name`` (None without markers)."""
    begin, end = _markers(name)
    text = page.read_text(encoding="utf-8") if page.exists() else ""
    if begin not in text or end not in text:
        return None
    return text.split(begin, 1)[1].split(end, 1)[0].strip("\n") + "\n"


def write_part(page: Path, name: str, content: str) -> bool:
    """Replace the part ``name`` of ``page``; True when the page changed."""
    begin, end = _markers(name)
    text = page.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        raise SystemExit(f"{page}: add the markers {begin} and {end} where the generated part goes")
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    new = f"{head}{begin}\n\n{content}\n{end}{tail}"
    if new != text:
        page.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docassemble.puente.docgen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report stale pages and exit 1; write nothing")
    args = parser.parse_args(argv)
    stale = []
    for page, name, content in generated():
        rel = page.relative_to(ROOT)
        if args.check:
            if current_part(page, name) != content:
                stale.append(f"{rel} ({name})")
        elif write_part(page, name, content):
            print(f"-> {rel} ({name})")
    if stale:
        print(f"stale: {', '.join(stale)}; run `{REGENERATE}`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
