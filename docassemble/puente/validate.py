"""The one validator: a plain mapping (from YAML, JSON, a spreadsheet row or an
interview) becomes a ``Case``, or a list of problems naming each field.

Every problem is collected before giving up, so a paralegal fixes a row in one
pass. Messages never repeat what the user typed for free-text fields: they can
hold a child's name or story.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from babel import Locale

from .errors import CaseInvalid, Problem
from .i18n import N_
from .law import default_law
from .model import Case, Event, EvidenceItem, Relative
from .schema import object_class

CASE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# Names Windows will not give a file or folder (with any extension), and a
# trailing dot, which Windows drops: lawyers open the outputs on Windows.
WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
TRUE_WORDS = {"true", "yes", "y", "1", "si", "sí", "s", "verdadero", "x"}
FALSE_WORDS = {"false", "no", "n", "0", "falso", ""}
LIST_CLASSES = {"events": Event, "family": Relative, "evidence": EvidenceItem}
ADULT_AGE = 18


# Bidirectional controls (U+202A-U+202E, U+2066-U+2069, marks): a right-to-left
# override would print a name or a date reversed in a filing.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS = re.compile("\r\n|[\r\u0085\u2028\u2029]")
NOT_XML = re.compile("[\ufffe\uffff]")


def clean_text(text: str) -> tuple[str, bool]:
    """Text as it may be printed: line breaks made plain, bidi controls and
    other control characters (NUL, form feed, escape…) removed, NFC form.
    Returns the text and whether anything was removed or changed."""
    out = LINE_BREAKS.sub("\n", text)
    out = BIDI_CONTROLS.sub("", out)
    out = "".join(ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs") else
                  (" " if ch in "\x0b\x0c" else "") for ch in out)
    out = NOT_XML.sub("", out)  # a DOCX cannot hold them at all
    out = unicodedata.normalize("NFC", out)
    changed = out != unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return out, changed


def safe_case_id(value: Any) -> str | None:
    """The case id when it is safe as a folder name everywhere (the pattern,
    no Windows-reserved name, no trailing dot), else None. Every path built
    from a case id goes through this."""
    if not isinstance(value, str) or not CASE_ID_PATTERN.match(value):
        return None
    if WINDOWS_RESERVED.match(value) or value.endswith(".") or ".." in value:
        return None
    return value


def _territories() -> set[str]:
    return {code for code in Locale("en").territories if isinstance(code, str) and len(code) == 2 and code.isalpha()}


COUNTRY_CODES = _territories()


class _Parser:
    """Coerces a nested mapping into the record classes, collecting problems."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(field=path, message=message, params=params))

    def clean(self, raw: Any, path: str) -> Any:
        """Strings without control or text-direction characters (with a
        warning: the text printed is not exactly the text typed)."""
        if isinstance(raw, list):
            return [self.clean(item, path) for item in raw]
        if not isinstance(raw, str):
            return raw
        text, changed = clean_text(raw)
        if changed and not any(p.field == path and p.severity == "warning" for p in self.problems):
            self.problems.append(Problem(
                field=path, severity="warning",
                message=N_("Invisible control or text-direction characters were removed from this field; "
                           "check the text in the documents.")))
        return text

    def build(self, cls, data: Any, prefix: str = ""):
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.error(prefix.rstrip("."), N_("Expected a group of fields here, not a single value."))
            return cls()
        known = {fld.name: fld for fld in dataclasses.fields(cls)}
        values = {}
        for key, raw in data.items():
            path = f"{prefix}{key}"
            fld = known.get(key)
            if fld is None:
                self.error(path, N_("Unknown field: check the spelling against the case schema."))
                continue
            value = self.coerce(fld, raw, path)
            if value is not None:
                values[key] = value
        obj = cls(**values)
        for fld in dataclasses.fields(cls):
            if fld.metadata["required"] and getattr(obj, fld.name) in (None, [], ""):
                if f"{prefix}{fld.name}" == "procedures":
                    self.error("procedures", N_("Choose at least one procedure."))
                else:
                    self.error(f"{prefix}{fld.name}", N_("This field is required."))
        return obj

    def coerce(self, fld: dataclasses.Field, raw: Any, path: str) -> Any:
        meta = fld.metadata
        kind = meta["kind"]
        if kind != "raw":
            raw = self.clean(raw, path)
        # An empty cell is "not said": for a yes/no field with no default
        # (lives_with_child, state_protection.sought…) it stays unknown.
        if raw is None or (isinstance(raw, str) and raw.strip() == "" and (kind != "bool" or fld.default is None)):
            return None
        if kind == "object":
            return self.build(object_class(fld), raw, path + ".")
        if kind == "raw":
            if not isinstance(raw, dict):
                self.error(path, N_("Expected a group of fields here, not a single value."))
                return None
            return raw
        if kind == "object_list":
            if not isinstance(raw, list):
                self.error(path, N_("Expected a list."))
                return None
            cls = LIST_CLASSES[fld.name]
            return [self.build(cls, item, f"{path}[{i}].") for i, item in enumerate(raw)]
        if kind == "text":
            if isinstance(raw, (dict, list)):
                self.error(path, N_("Expected a single text value."))
                return None
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)  # spreadsheets turn "12345678" into 12345678.0
            text = str(raw).strip()
            return text or None
        if kind == "date":
            return self.to_date(raw, path)
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            word = str(raw).strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            self.error(path, N_("Expected yes or no (true/false, sí/no)."))
            return None
        if kind == "int":
            try:
                number = float(raw)
                if not number.is_integer():
                    raise ValueError
                return int(number)
            except (TypeError, ValueError):
                self.error(path, N_("Expected a whole number."))
                return None
        if kind in ("enum", "enum_list", "text_list"):
            items = raw if isinstance(raw, list) else (str(raw).split(";") if kind != "enum" else [raw])
            items = [str(i).strip() for i in items if str(i).strip()]
            if kind == "text_list":
                return items
            choices = meta["choices"]
            good = []
            for item in items:
                if item in choices:
                    good.append(item)
                else:
                    # Never the value itself: a shifted spreadsheet column puts
                    # a child's name where a code belongs.
                    self.error(path, N_("This value is not one of the allowed codes; use one of: {choices}."),
                               choices=", ".join(choices))
            if kind == "enum":
                return good[0] if good else None
            return good
        raise AssertionError(kind)

    def to_date(self, raw: Any, path: str) -> date | None:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = str(raw).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        self.error(path, N_("Not a valid date: write it as YYYY-MM-DD (for example 2026-03-02)."))
        return None


def parse_case(data: Any, *, today: date) -> tuple[Case | None, list[Problem]]:
    """Build and check one case. Returns ``(case, problems)``.

    ``case`` is None when any problem is an error; warnings come back with a
    valid case. ``today`` fills a missing filing date (rules never read the
    clock themselves).
    """
    parser = _Parser()
    if not isinstance(data, dict):
        parser.error("", N_("A case must be a group of fields (a mapping), not a list or a single value."))
        return None, parser.problems
    case = parser.build(Case, data)
    problems = parser.problems
    case_id = safe_case_id(case.case_id)
    if case.filing_date is None:
        case.filing_date = today
    if not case.output_languages:
        case.output_languages = ["es", "en"]  # docs/case-record.md: default [es, en]
    if "es" not in case.output_languages:
        case.output_languages.insert(0, "es")  # Spanish is the filed language, always produced
    problems += _check_rules(case)
    for p in problems:
        p.case_id = case_id or (str(data.get("case_id"))[:64] if data.get("case_id") else None)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return case, problems


def validate_case(data: Any, *, today: date) -> Case:
    """Like ``parse_case`` but raises ``CaseInvalid`` on errors."""
    case, problems = parse_case(data, today=today)
    if case is None:
        cid = next((p.case_id for p in problems if p.case_id), None)
        raise CaseInvalid(cid, [p for p in problems if p.severity == "error"])
    return case


def _check_rules(case: Case) -> list[Problem]:
    """The rules of ``docs/case-record.md`` that span several fields."""
    out: list[Problem] = []

    def err(path: str, message: str, **params: Any) -> None:
        out.append(Problem(field=path, message=message, params=params))

    def warn(path: str, message: str, **params: Any) -> None:
        out.append(Problem(field=path, message=message, params=params, severity="warning"))

    child = case.child
    # A pending answer is left out of the filings: whatever the field holds
    # (a draft, filler) is dropped here, once, for every front.
    for path in dict.fromkeys(case.pending):
        holder, _, name = path.rpartition(".")
        target = case.claim if holder == "claim" else case
        setattr(target, name, None)
        warn(path, N_("Pending: the filings leave this answer out and the checklist asks for it; complete it before "
                      "filing."))
    if case.case_id and not CASE_ID_PATTERN.match(case.case_id):
        err("case_id", N_("Use only letters, digits, '.', '_' and '-' (at most 64), so it is safe as a folder name."))
    elif case.case_id and safe_case_id(case.case_id) is None:
        err("case_id", N_("This case id cannot be a folder name on Windows (a reserved name such as CON, NUL, "
                          "COM1 or LPT1, two dots, or a dot at the end); choose another."))

    if len(set(case.procedures)) != len(case.procedures):
        case.procedures = list(dict.fromkeys(case.procedures))

    # Age and dates.
    if child.date_of_birth is None and not child.age_estimated:
        err("child.date_of_birth", N_("Give the date of birth, or mark the age as estimated (child.age_estimated) and "
                                      "give child.estimated_age."))
    if child.date_of_birth is None and child.age_estimated and child.estimated_age is None:
        err("child.estimated_age", N_("With no date of birth, give the estimated age in years."))
    if child.estimated_age is not None and child.estimated_age < 0:
        err("child.estimated_age", N_("The estimated age must be zero or more years."))
    if child.date_of_birth and case.filing_date and child.date_of_birth > case.filing_date:
        err("child.date_of_birth", N_("The date of birth is in the future (after the filing date {filing_date})."),
            filing_date=case.filing_date.isoformat())
    if child.entry_date and child.date_of_birth and child.entry_date < child.date_of_birth:
        err("child.entry_date", N_("The date of entry into Mexico is before the date of birth."))
    if child.entry_date and case.filing_date and child.entry_date > case.filing_date:
        err("child.entry_date", N_("The date of entry into Mexico is after the filing date {filing_date}."),
            filing_date=case.filing_date.isoformat())
    age = case.age
    if age is not None and age >= ADULT_AGE:
        err("child.date_of_birth", N_("On the filing date this person is {age} years old: the LGDNNA protections are "
                                      "for children under 18. Use the procedures for adults."),
            age=age)
    for path, code in (("child.nationality", child.nationality), ("child.country_of_birth", child.country_of_birth)):
        if code and code != "stateless" and code.upper() not in COUNTRY_CODES:
            err(path, N_("Use a two-letter ISO 3166 country code (GT, HN, SV, HT, VE…) or 'stateless'."))
    for i, lang in enumerate(child.languages):
        if not LANGUAGE_PATTERN.match(lang):
            err(f"child.languages[{i}]", N_("Use ISO 639 language codes (es, en, fr, ht, mam, quc…)."))
    if child.nationality and child.nationality != "stateless":
        child.nationality = child.nationality.upper()
    if child.country_of_birth and child.country_of_birth != "stateless":
        child.country_of_birth = child.country_of_birth.upper()
    for i, rel in enumerate(case.family):
        for attr in ("nationality", "location_country"):
            code = getattr(rel, attr)
            if code and code != "stateless":
                if code.upper() not in COUNTRY_CODES:
                    err(f"family[{i}].{attr}", N_("Use a two-letter ISO 3166 country code (GT, HN, SV, HT, VE…) or "
                                                  "'stateless'."))
                else:
                    setattr(rel, attr, code.upper())
        if rel.date_of_birth and case.filing_date and rel.date_of_birth > case.filing_date:
            err(f"family[{i}].date_of_birth", N_("The date of birth is in the future (after the filing date "
                                                 "{filing_date})."),
                filing_date=case.filing_date.isoformat())

    # Who files: every procedure is an escrito signed by counsel.
    rep = case.representative
    if case.procedures:
        for attr in ("given_names", "family_names"):
            if not getattr(rep, attr):
                err(f"representative.{attr}", N_("The filings are signed by counsel: give the representative's names."))
        if not (rep.address.street and rep.address.city):
            warn("representative.address", N_("An escrito must give an address for service (LFPA art. 15); the filings "
                                              "will leave it blank."))
        if not rep.sex:
            warn("representative.sex",
                 N_("Give the representative's sex: the filings say 'licenciada' or 'licenciado en "
                    "derecho' from it, and the rights sheet 'tu abogada' or 'tu abogado'."))
        # A filing names relatives by their tie to the child: 'abuela' or
        # 'abuelo' needs the sex; without it the filing uses a neutral kinship
        # term ('ascendiente en segundo grado'), never 'abuela o abuelo'.
        for i, rel in enumerate(case.family):
            if not rel.sex and rel.relationship not in ("mother", "father", "spouse", "other", None):
                warn(f"family[{i}].sex",
                     N_("Give this relative's sex: without it the filings cannot say 'hermana' or "
                        "'hermano', 'abuela' or 'abuelo', and use a neutral kinship term."))
    if not (case.filing_city or rep.address.city):
        err("filing_city", N_("Give the city where the documents are signed (or the representative's city)."))

    comar = {"asylum", "family_reunification", "derivative_status"} & set(case.procedures)
    if comar and not case.authority.comar_office:
        err("authority.comar_office", N_("The COMAR office the filing goes to is required for this procedure."))

    if "asylum" in case.procedures:
        if not child.entry_date:
            err("child.entry_date", N_("An asylum application needs the date of entry into Mexico: the time limit of "
                                       "{days} business days runs from it."),
                days=default_law().deadlines["asylum_filing"].term)
        if not case.claim.grounds:
            err("claim.grounds", N_("An asylum application needs at least one ground."))
        if not case.claim.narrative and "claim.narrative" not in case.pending:
            err("claim.narrative", N_("An asylum application needs the child's account (the narrative)."))

    if "coadyuvante" in case.procedures:
        if not case.authority.ppnna:
            err("authority.ppnna", N_("Say which Procuraduría de Protección receives the filing: federal or estatal."))
        elif case.authority.ppnna == "estatal" and not case.authority.ppnna_state:
            err("authority.ppnna_state", N_("A state Procuraduría needs the name of the state."))

    if "family_reunification" in case.procedures:
        refugee = case.refugee_status if case.refugee_status.resolution_number else (
            case.principal_refugee.refugee_status if case.principal_refugee else None)
        if refugee is None or not refugee.resolution_number:
            err("refugee_status.resolution_number", N_("Family reunification needs the refugee's COMAR resolution: the "
                                                       "child's refugee_status, or that of the relative who is the "
                                                       "refugee."))
        elif not refugee.resolution_date:
            err("refugee_status.resolution_date", N_("Give the date of the refugee's COMAR resolution."))
        if not case.relatives_to_reunify:
            err("family", N_("Family reunification needs at least one relative abroad with reunification_requested: "
                             "true and in_mexico: false."))
        for i, rel in enumerate(case.family):
            if rel.reunification_requested and rel.in_mexico:
                err(f"family[{i}].in_mexico", N_("This relative is already in Mexico: family reunification is for "
                                                 "relatives abroad (a relative in Mexico may ask for derivative "
                                                 "status)."))

    if "derivative_status" in case.procedures:
        principals = [i for i, rel in enumerate(case.family) if rel.is_principal_refugee]
        if len(principals) != 1:
            err("family", N_("Derivative status needs exactly one relative marked is_principal_refugee: true (found "
                             "{count})."),
                count=len(principals))
        else:
            i = principals[0]
            status = case.family[i].refugee_status
            if not status.resolution_number:
                err(f"family[{i}].refugee_status.resolution_number", N_("Give the COMAR resolution number that "
                                                                        "recognized the principal refugee."))
            if not status.resolution_date:
                err(f"family[{i}].refugee_status.resolution_date", N_("Give the date of the principal refugee's COMAR "
                                                                      "resolution."))
        if not child.entry_date:
            err("child.entry_date",
                N_("Derivative status is for a child in Mexico: give the date of entry into Mexico."))

    # Contradictions a filing would print (issue 11): the record must say one thing.
    docs = child.identity_documents
    if "none" in docs and any(d != "none" for d in docs):
        err("child.identity_documents", N_("'none' cannot go with identity documents the child holds: "
                                           "keep either 'none' or the documents."))
    for i, rel in enumerate(case.family):
        if rel.lives_with_child and not rel.in_mexico:
            err(f"family[{i}].lives_with_child", N_("This relative is marked as living with the child but not in "
                                                    "Mexico: correct one of the two."))
        if rel.cares_for_child and not rel.in_mexico:
            err(f"family[{i}].cares_for_child", N_("This relative is marked as caring for the child now but not in "
                                                   "Mexico: correct one of the two."))
    protection = case.claim.state_protection
    if protection.sought is False and (protection.outcome or protection.authority or protection.date):
        err("claim.state_protection.sought", N_("Protection is marked as not sought, but an authority, date or outcome "
                                                "is given: correct one of them."))
    if protection.sought and not protection.outcome:
        warn("claim.state_protection.outcome", N_("Say what happened when protection was sought (no response, refused, "
                                                  "ineffective, threatened for reporting, pending)."))
    if case.claim.social_group and "particular_social_group" not in case.claim.grounds:
        warn("claim.social_group", N_("A social group is defined but 'particular_social_group' is not among the "
                                      "grounds: the filing will not argue it."))

    if "other" in case.claim.late_filing_reasons and not case.claim.late_filing_explanation:
        err("claim.late_filing_explanation", N_("The late-filing reason 'other' needs an explanation."))

    found = _check_proceedings(case)
    out += found
    # The stage is judged even when other fields still have errors (the
    # intake asks for the procedures before the rest of the case).
    if not any(p.severity == "error" for p in found):
        from .calendar import WorkingCalendar
        from .stage import stage_problems

        law = default_law()
        calendar = WorkingCalendar(law.calendar)
        staged = stage_problems(case, law, calendar)
        out += staged
        if not any(p.severity == "error" for p in out):
            from .stage import case_stage, fitted_procedures

            case.procedures = fitted_procedures(case, case_stage(case, law, calendar))
    return out


def _check_proceedings(case: Case) -> list[Problem]:
    """The case after its first filing (after-filing.md): the short form
    ``refusal_notified_date`` becomes a refused resolution, and the dates of
    the procedure must follow one another."""
    out: list[Problem] = []
    pro, res = case.proceedings, case.proceedings.resolution

    def err(path: str, message: str, **params: Any) -> None:
        out.append(Problem(field=path, message=message, params=params))

    if pro.refusal_notified_date:
        if res.kind is None:
            res.kind = "refused"
        if res.kind != "refused":
            err("proceedings.refusal_notified_date",
                N_("A refusal was notified but the resolution says '{kind}': keep one."),
                kind=res.kind)
        elif res.notified_date is None:
            res.notified_date = pro.refusal_notified_date
        elif res.notified_date != pro.refusal_notified_date:
            err("proceedings.refusal_notified_date",
                N_("Two different dates for the notification of the refusal: keep one."))
    if res.kind == "refused" and res.notified_date is None:
        err("proceedings.resolution.notified_date",
            N_("Give the date the refusal was notified: the 15-business-day time limit of the recurso runs from it."))
    if res.kind is None and (res.number or res.grounds or res.notified_date):
        err("proceedings.resolution.kind", N_("Say what COMAR resolved: granted, complementary, refused or abandoned."))
    if res.date and res.notified_date and res.notified_date < res.date:
        err("proceedings.resolution.notified_date",
            N_("The resolution cannot be notified before the date it was issued."))
    filed = pro.comar_filed_date
    for path, day in (("proceedings.ratified_date", pro.ratified_date),
                      ("proceedings.prevention_notified_date", pro.prevention_notified_date),
                      ("proceedings.resolution.date", res.date)):
        if filed and day and day < filed:
            err(path, N_("This date is before the application was filed with COMAR ({filed})."),
                filed=filed.isoformat())
    if pro.appeal_filed_date and res.notified_date and pro.appeal_filed_date < res.notified_date:
        err("proceedings.appeal_filed_date", N_("The recurso cannot be filed before the refusal was notified."))
    if pro.appeal_filed_date and res.kind not in ("refused", "complementary"):
        err("proceedings.appeal_filed_date",
            N_("A recurso de revisión is filed against a refusal: give the refused resolution."))
    if pro.prevention_term_days is not None and pro.prevention_term_days < 1:
        err("proceedings.prevention_term_days",
            N_("The time limit of the prevención is a number of business days (LFPA art. 17-A: at least 5)."))
    elif pro.prevention_term_days is not None and pro.prevention_term_days < 5:
        out.append(Problem("proceedings.prevention_term_days", N_(
            "The prevención gives less than the 5 business days of LFPA art. 17-A; the deadline is counted with the "
            "{days} days it states, to be safe."), {"days": pro.prevention_term_days}, severity="warning"))
    return out
