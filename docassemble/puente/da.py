"""The docassemble glue: the one module of Puente that imports docassemble.

The interviews in ``interviews/`` keep their logic here, in small functions
their code blocks call. The interview's answers live in docassemble objects
whose attribute names are the field names of the case record
(``case.child.entry_date`` is ``child.entry_date`` of ``docs/case-record.md``);
``PuenteCase.record()`` reads them off into the plain mapping that
``validate.parse_case`` and ``pipeline.generate`` take, so a case answered in
the interview and the same case in a batch file go through the same code and
produce the same documents.

Words a person reads are not written here: questions, help and labels are in
the interview YAML (translated with the files in ``translations/``), and the
legal vocabulary (grounds, relationships, procedure names, citations) comes
from the law data, which carries Spanish and English.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import shutil
import tempfile
import typing
import zipfile
from pathlib import Path
from typing import Any, Iterator

from docassemble.base.util import (  # the only docassemble import of the package
    DADict,
    DAFile,
    DAList,
    DAObject,
    DARedis,
    DAStore,
    background_action,
    get_config,
    get_language,
    interview_list,
    interview_url,
    set_progress,
    url_action,
    user_has_privilege,
    user_info,
    value,
)

from . import facts, intake, model
from .batch_parts import auto_part_size, failed_results, merge_parts, plan_parts, run_part, split_part
from .batch_parts import zip_folder as _zip_folder
from .calendar import WorkingCalendar, load_extra_days
from .dates import long_date, office_timezone, office_today
from .deadlines import Deadline, case_deadlines
from .documents.context import deadline_view, document_title
from .documents.pdf import find_soffice
from .documents.phrases import COMAR_OFFICE_STATES, LANGUAGE_NAMES, country_name, initials, language_name
from .documents.render import FILINGS
from .documents.review_packet import DECISION_WORDS, build_review_packet, review_view
from .errors import InputError, Problem
from .i18n import N_, pick, translate
from .law import Law, default_law
from .pipeline import CaseResult, Options, generate
from .readers import RawCase, read_input
from .review import sign_off, sign_off_problems
from .review import summary as review_summary
from .schema import field_label as schema_field_label
from .stage import case_stage
from .template_sheet import EXAMPLE_CASE, is_template_example, write_template_workbook
from .upload_limits import UploadLimits, check_upload
from .validate import parse_case

__all__ = [
    "PuenteCase", "PuenteRelative", "PuenteDocuments", "LANGUAGES", "language_from_url", "choose_language",
    "language_switch",
    "choices", "country_choices", "language_choices", "comar_offices", "basis", "term_basis",
    "procedure_title", "recommend", "screens", "claim_asked", "deadline_rows", "deadline_box_rows", "asylum_term",
    "asylum_term_days", "is_late",
    "check_case", "problem_rows", "produce_documents", "BatchRun", "BatchParts", "template_workbook",
    "esc", "iso_long_date", "decision_text", "sign_off_errors", "screen_errors", "field_text",
    "check_batch", "check_failed", "batch_slot_take", "batch_slot_free", "source_text",
    "office_board", "board_table", "publish_board_summary",
]

log = logging.getLogger(__name__)
LANGUAGES = ("es", "en")
PROCEDURE_ORDER = model.PROCEDURES
COMAR_PROCEDURES = ("asylum", "family_reunification", "derivative_status") + model.AFTER_FILING + model.ON_REQUEST
# What counsel says about the case before COMAR (the intake and the entry
# interviews of the escritos after the first filing); the record's
# resolution.kind follows from it.
STAGE_ANSWERS = ("not_filed", "filed", "prevented", "refused", "appealed", "granted", "complementary", "abandoned")
STAGE_KINDS = {"refused": "refused", "appealed": "refused", "granted": "granted",
               "complementary": "complementary", "abandoned": "abandoned"}
# Countries the children Puente serves come from most often; listed first.
COMMON_COUNTRIES = ("GT", "HN", "SV", "NI", "HT", "VE", "CU", "CO", "EC", "MX", "US")
COMMON_LANGUAGES = ("es", "mam", "quc", "kek", "cak", "jac", "ixl", "ht", "fr", "en", "pt")


# --------------------------------------------------------------------------
# Language


def current_language() -> str:
    lang = get_language()
    return lang if lang in LANGUAGES else "es"


def language_from_url(url_args: dict, current: str | None = None) -> str:
    """``?lang=es|en`` wins; otherwise the language already chosen; Spanish first."""
    asked = str((url_args or {}).get("lang", "")).lower()[:2]
    if asked in LANGUAGES:
        return asked
    return current if current in LANGUAGES else "es"


def choose_language(url_args: dict, current: str | None, url_seen: str | None) -> tuple[str, str | None]:
    """The interview language and the ``?lang=`` last obeyed. A new ``lang``
    in the URL wins; the same one again does not undo the visible switch."""
    asked = str((url_args or {}).get("lang", "")).lower()[:2]
    if asked in LANGUAGES and asked != url_seen:
        return asked, asked
    return (current if current in LANGUAGES else "es"), url_seen


def language_switch() -> str:
    """The navigation-bar link to the other language (each named in itself)."""
    other = "en" if current_language() == "es" else "es"
    label = {"es": "Español", "en": "English"}[other]
    href = url_action("puente_set_language", lang=other)
    return (f'<li class="nav-item"><a class="nav-link" id="puente-language-switch" lang="{other}" '
            f'hreflang="{other}" href="{href}">{label}</a></li>')


# --------------------------------------------------------------------------
# Choices and legal help, in the current language, from the law data


def law() -> Law:
    return default_law()


def choices(category: str, *, exclude: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Choices for a coded field (``grounds``, ``relationships``…): the words
    and, as help, the legal basis, from ``law/terms.yml``."""
    lang = current_language()
    out = []
    for code, term in law().terms[category].items():
        if code in exclude:
            continue
        item = {"value": code, "label": term[lang][:1].upper() + term[lang][1:]}
        if term.basis:
            item["help"] = "; ".join(c.short(lang) for c in term.basis)
        out.append(item)
    return out


def country_choices() -> list[dict[str, str]]:
    lang = current_language()
    names = {code: country_name(code, lang) for code in _territories()}
    common = [{"value": c, "label": names[c]} for c in COMMON_COUNTRIES if c in names]
    rest = sorted(({"value": c, "label": n} for c, n in names.items() if c not in COMMON_COUNTRIES),
                  key=lambda d: _sort_key(d["label"]))
    stateless = {"value": "stateless", "label": country_name("stateless", lang).capitalize()}
    return common + [stateless] + rest


def _territories() -> list[str]:
    from .validate import COUNTRY_CODES

    return sorted(COUNTRY_CODES)


def _sort_key(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def language_choices() -> list[dict[str, str]]:
    lang = current_language()
    return [{"value": code, "label": language_name(code, lang).capitalize()} for code in COMMON_LANGUAGES]


def all_language_choices() -> list[dict[str, str]]:
    """Every language by its name in the current language (Mayan languages
    included), alphabetically, for a searchable list; the value is the ISO
    639 code the record stores."""
    lang = current_language()
    names = {code: language_name(code, lang) for code in _language_codes()}
    # Babel gives back the code for a language it cannot name: left out
    # unless Puente names it itself (Mam's name is "mam").
    return sorted(({"value": c, "label": n[:1].upper() + n[1:]} for c, n in names.items()
                   if n and (n != c or c in LANGUAGE_NAMES)), key=lambda d: _sort_key(d["label"]))


def _language_codes() -> list[str]:
    from babel import Locale

    codes = {c for c in Locale.parse("es_MX").languages if isinstance(c, str) and re.fullmatch(r"[a-z]{2,3}", c)}
    return sorted(codes | set(LANGUAGE_NAMES) | set(COMMON_LANGUAGES))


def language_code(text: Any) -> str | None:
    """The ISO 639 code for what the searchable list gave: the code itself,
    or a language's name (Spanish or English, any case or accents) typed in
    full. None when it names no language (the validator then asks again)."""
    raw = str(text or "").strip()
    if not raw:
        return None
    codes = _language_codes()
    if raw.lower() in codes:
        return raw.lower()
    wanted = _sort_key(raw)
    for code in codes:
        if wanted in (_sort_key(language_name(code, "es")), _sort_key(language_name(code, "en"))):
            return code
    return raw


def comar_offices() -> list[str]:
    return list(COMAR_OFFICE_STATES)


def comar_office_list() -> str:
    return ", ".join(COMAR_OFFICE_STATES)


def basis(*citation_ids: str) -> str:
    """'LGDNNA art. 4 — representación originaria, coadyuvante y en suplencia':
    the legal basis a help text cites, from ``law/citations.yml``."""
    lang = current_language()
    parts = []
    for cid in citation_ids:
        cite = law().cite(cid)
        parts.append(f"{cite.short(lang)} — {cite.topic[lang]}")
    return "; ".join(parts)


def popover(template: Any) -> str:
    """A legal concept in running text, with its definition (a `template`
    block: the term as `subject`, the definition with its legal basis as
    `content`) in the popover docassemble uses for glossary terms. The
    interview-wide `terms:` block cannot run code, so it could not take the
    legal basis from the law data."""
    import html

    title = str(template.subject).strip()
    body = str(template.content).strip()
    return (f'<a tabindex="0" class="daterm" role="button" data-bs-toggle="popover" data-bs-trigger="focus" '
            f'data-bs-container="body" data-bs-placement="bottom" title="{html.escape(title)}" '
            f'data-bs-content="{html.escape(body)}">{html.escape(title)}</a>')


def term_basis(category: str, code: str) -> str:
    lang = current_language()
    return "; ".join(c.short(lang) for c in law().term(category, code).basis)


def term(category: str, code: str) -> str:
    return law().term(category, code)[current_language()]


def suggest_case_id() -> str:
    """A folder-safe case id that says nothing about the child."""
    import secrets

    return f"NNA-{_today():%Y%m%d}-{secrets.token_hex(2).upper()}"


def o_a(case: "PuenteCase") -> str:
    """Spanish agreement with the child: 'a' (niña, or "la persona" when the
    child gives no sex, as the documents do) or 'o' (niño)."""
    return "o" if case.child.__dict__.get("sex") == "M" else "a"


def answer_summary(case: "PuenteCase", path: str) -> str:
    """How the review screen names a long answer: 'pendiente', or its length."""
    lang = current_language()
    if case.is_pending(path):
        return "pendiente" if lang == "es" else "pending"
    holder, _, name = path.rpartition(".")
    obj = case.claim if holder == "claim" else case
    words = len(str(obj.__dict__.get(name) or "").split())
    return f"{words} palabras" if lang == "es" else f"{words} words"


def protection_summary(case: "PuenteCase") -> str:
    """The review screen's line on state protection: the authority asked and
    what happened, 'not sought', or a dash when the record is silent."""
    lang = current_language()
    sp = case.claim.state_protection
    sought = sp.__dict__.get("sought")
    if sought is None:
        return "—"
    if not sought:
        return pick(lang, "no se pidió", "not sought")
    outcome = _plain(sp.__dict__.get("outcome"), "enum")
    parts = [esc(sp.__dict__.get("authority") or ""), term("protection_outcomes", outcome) if outcome else ""]
    return ", ".join(p for p in parts if p) or pick(lang, "se pidió", "sought")


def code_term(category: str, raw: Any) -> str:
    """The words for a coded answer (an optional radio button), or a dash
    when none was chosen."""
    code = _plain(raw, "enum")
    return term(category, code) if code else "—"


def risk_summary(case: "PuenteCase") -> str:
    """The present risks marked, in words, or 'none marked'."""
    chosen = _plain(case.__dict__.get("risks"), "enum_list") or []
    if not chosen:
        return pick(current_language(), "ninguno marcado", "none marked")
    return ", ".join(term("risks", r) for r in chosen)


def pending_labels(case: "PuenteCase") -> list[str]:
    """The answers marked pending, by their record labels (current language)."""
    return [field_label(path) for path in model.PENDING_FIELDS if case.is_pending(path)]


def pregnancy_relevant(case: "PuenteCase") -> bool:
    """The screening asks about pregnancy unless the child is a boy ("M");
    "X" (other, or not given) keeps the question."""
    return case.child.__dict__.get("sex") != "M"


def procedure_title(procedure: str) -> str:
    return term("procedures", procedure)


# --------------------------------------------------------------------------
# The case in docassemble objects


def _has(obj: Any, name: str) -> bool:
    """Whether an answer exists, without making docassemble ask for it."""
    return isinstance(obj, DAObject) and name in obj.__dict__


class PuenteRelative(DAObject):
    def init(self, *pargs, **kwargs):
        super().init(*pargs, **kwargs)
        self.initializeAttribute("refugee_status", DAObject)

    @property
    def full_name(self) -> str:
        return " ".join(x for x in (self.__dict__.get("given_names"), self.__dict__.get("family_names")) if x)

    def relationship_text(self) -> str:
        code = self.__dict__.get("relationship")
        return term("relationships", code) if code else ""


class PuenteCase(DAObject):
    """One child's case. Attribute names are the record's field names."""

    def init(self, *pargs, **kwargs):
        super().init(*pargs, **kwargs)
        self.initializeAttribute("authority", DAObject)
        self.initializeAttribute("child", DAObject)
        self.child.initializeAttribute("placement", DAObject)
        self.initializeAttribute("claim", DAObject)
        self.claim.initializeAttribute("state_protection", DAObject)
        self.claim.initializeAttribute("events", DAList.using(object_type=DAObject, complete_attribute="complete"))
        self.initializeAttribute("family", DAList.using(object_type=PuenteRelative, complete_attribute="complete"))
        self.initializeAttribute("refugee_status", DAObject)
        self.initializeAttribute("representative", DAObject)
        self.representative.initializeAttribute("address", DAObject)
        self.initializeAttribute("coadyuvante", DAObject)
        self.initializeAttribute("proceedings", DAObject)
        self.proceedings.initializeAttribute("resolution", DAObject)
        self.proceedings.initializeAttribute("residence_change", DAObject)
        self.initializeAttribute("screening", DAObject)
        self.initializeAttribute("evidence", DAList.using(object_type=DAObject, complete_attribute="complete"))

    # -- what the interview asks, decided here -----------------------------
    def has(self, procedure: str) -> bool:
        return procedure in (self.__dict__.get("procedures") or [])

    def has_any(self, *procedures: str) -> bool:
        return any(self.has(p) for p in procedures)

    @property
    def comar(self) -> bool:
        return self.has_any(*COMAR_PROCEDURES)

    def record(self) -> dict[str, Any]:
        """The case record (``docs/case-record.md``) of the answers given so far."""
        record = _collect(self, model.Case)
        _derive_child(self.child, record)
        _derive_stage(self, record)
        pending = [path for path in model.PENDING_FIELDS if self.is_pending(path)]
        if pending:
            record["pending"] = pending
        return record

    def is_pending(self, path: str) -> bool:
        """Whether counsel marked the answer at ``path`` as pending (the
        screen's "Pendiente" box: ``<field>_pending``)."""
        holder, _, name = path.rpartition(".")
        obj = self.claim if holder == "claim" else self
        return bool(obj.__dict__.get(f"{name}_pending"))


# --------------------------------------------------------------------------
# Starting from an existing case: a case file, or another saved session


def load_record(case: PuenteCase, record: dict[str, Any]) -> PuenteCase:
    """Put a case record's answers into the interview (the reverse of
    ``PuenteCase.record``), so a procedure interview opened on its own
    starts from a case already typed: every screen then shows the answers,
    and lists already gathered are not asked again. The procedures are the
    interview's own; the signing date is the new filing's (asked again);
    a counsel's sign-off is not carried over."""
    record = {k: v for k, v in (record or {}).items() if k not in ("procedures", "review", "filing_date")}
    _load(case, model.Case, {k: v for k, v in record.items() if k != "pending"})
    child = record.get("child") or {}
    if child:
        case.child.dob_status = ("unknown" if not child.get("date_of_birth")
                                 else "approximate" if child.get("age_estimated") else "exact")
        langs = [str(x).lower() for x in child.get("languages") or []]
        if langs:
            case.child.first_language = langs[0]
            others = [x for x in langs[1:] if x in COMMON_LANGUAGES]
            case.child.other_languages = _checkboxes(f"{case.instanceName}.child.other_languages",
                                                     COMMON_LANGUAGES, others)
            extra = [x for x in langs[1:] if x not in COMMON_LANGUAGES]
            if extra:
                case.child.extra_language = extra[0]
    for path in (record.get("pending") or []):
        if path in model.PENDING_FIELDS:
            holder, _, name = path.rpartition(".")
            setattr(case.claim if holder == "claim" else case, f"{name}_pending", True)
    if (record.get("refugee_status") or {}).get("resolution_number"):
        case.refugee_holder = "child"
    elif any(r.get("is_principal_refugee") for r in record.get("family") or []):
        case.refugee_holder = "relative"
    return case


def _checkboxes(name: str, choices: tuple[str, ...] | list[str], chosen: list[str]) -> DADict:
    d = DADict(name, auto_gather=False, gathered=True)
    d.elements.update({c: c in chosen for c in choices})
    return d


def _load(obj: Any, cls: type, data: dict[str, Any]) -> None:
    from docassemble.base.util import as_datetime

    hints = typing.get_type_hints(cls)
    for fld in dataclasses.fields(cls):
        if fld.name not in data or data[fld.name] in (None, "", [], {}):
            continue
        raw, kind = data[fld.name], fld.metadata["kind"]
        if kind == "object" and isinstance(raw, dict):
            _load(getattr(obj, fld.name), hints[fld.name], raw)
        elif kind == "object_list" and isinstance(raw, list):
            target = getattr(obj, fld.name)
            target.clear()
            item_cls = typing.get_args(hints[fld.name])[0]
            for item in raw:
                if not isinstance(item, dict):
                    continue
                new = target.appendObject()
                _load(new, item_cls, item)
                if isinstance(new, PuenteRelative):
                    new.refugee_details = True
                new.complete = True
            target.there_are_any = bool(target.elements)
            target.there_is_another = False
            target.gathered = True
        elif kind == "enum_list":
            values = [str(x) for x in (raw if isinstance(raw, list) else [raw])]
            choices = fld.metadata["choices"] or values
            setattr(obj, fld.name, _checkboxes(f"{obj.instanceName}.{fld.name}", choices, values))
        elif kind == "date":
            try:
                setattr(obj, fld.name, as_datetime(str(raw)[:10]))
            except Exception:
                continue  # not a date: left to be asked
        else:
            setattr(obj, fld.name, raw)


def case_file_record(upload: Any) -> dict[str, Any] | None:
    """The case record in an uploaded case file (case.json from Puente's
    ZIP, or a case in YAML/JSON/a workbook's first row); None if it has none."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            raws, _ = read_input(_upload_path(upload, Path(tmp)))
        except Exception:
            return None
    data = raws[0].data if raws else None
    return data if isinstance(data, dict) else None


START_FILE_ERROR = N_("This file holds no Puente case. Upload the case.json from the documents ZIP, "
                      "or a case in YAML or in the batch workbook.")
START_SESSION_ERROR = N_("Choose a saved interview that holds a case (sign in to see yours).")


def start_errors(start_from: str, upload: Any = None, session_choice: str | None = None) -> list[tuple[str, str]]:
    """(field, message in the current language) for the "¿Cómo quiere
    empezar?" screen: a file with no case, or no saved case chosen."""
    lang = current_language()
    if start_from == "file" and not case_file_record(upload):
        return [("case_start_file", translate(START_FILE_ERROR, lang))]
    if start_from == "session" and not saved_case_record(session_choice or ""):
        return [("case_start_from", translate(START_SESSION_ERROR, lang))]
    return []


def saved_case_choices(current_session: str | None = None) -> list[dict[str, str]]:
    """The user's other saved Puente sessions that hold a case, newest first:
    value = "filename|session", label = the session's line in the list
    (case id, initials, procedures…)."""
    from docassemble.base.util import interview_list, user_info, user_logged_in

    if not user_logged_in():
        return []
    current_session = current_session or user_info().session
    out = []
    try:
        # With the answers: the subtitle is read from them.
        listing = interview_list(include_dict=True)
    except Exception:
        return []
    sessions = listing[0] if isinstance(listing, tuple) else listing
    for item in sorted(sessions or [], key=lambda x: str(x.get("utc_modtime") or ""), reverse=True):
        if not isinstance(item.get("dict", {}).get("case"), PuenteCase):
            continue
        filename, session = item.get("filename", ""), item.get("session", "")
        if not filename.startswith("docassemble.puente:") or session == current_session:
            continue
        if filename.endswith("batch.yml"):
            continue
        import html

        subtitle = re.sub(r"<[^>]+>", "", str(item.get("subtitle") or ""))
        label = html.unescape(subtitle) or str(item.get("title") or session)
        out.append({"value": f"{filename}|{session}", "label": label})
    return out


def saved_case_record(choice: str) -> dict[str, Any] | None:
    """The case record of another saved session of the same user."""
    from docassemble.base.util import get_session_variables

    filename, _, session = str(choice or "").partition("|")
    if not filename or not session:
        return None
    # Only the user's own sessions, as listed to them (never a session id
    # typed into the form).
    if choice not in {c["value"] for c in saved_case_choices()}:
        return None
    try:
        answers = get_session_variables(filename, session, simplify=False)
    except Exception:
        return None
    other = (answers or {}).get("case")
    return other.record() if isinstance(other, PuenteCase) else None


def _derive_stage(case: DAObject, record: dict[str, Any]) -> None:
    """The stage counsel chose (``case.after_filing_stage``) gives the
    resolution's kind; what the stage does not call for is dropped, so a
    date typed before the stage changed does not linger."""
    stage = case.__dict__.get("after_filing_stage")
    if not stage:
        return
    pro = record.setdefault("proceedings", {})
    kind = STAGE_KINDS.get(stage)
    if kind:
        pro.setdefault("resolution", {})["kind"] = kind
    else:
        pro.pop("resolution", None)
    if stage != "appealed":
        pro.pop("appeal_filed_date", None)
    if stage != "prevented":
        for name in ("prevention_notified_date", "prevention_items", "prevention_term_days"):
            pro.pop(name, None)
    if stage == "not_filed":
        for name in ("comar_filed_date", "ratified_date"):
            pro.pop(name, None)
    if not pro:
        record.pop("proceedings")


def _derive_child(child: DAObject, record: dict[str, Any]) -> None:
    """Record fields the interview asks in a friendlier shape.

    * ``dob_status`` (exact / approximate / unknown) gives ``age_estimated``
      and decides between the date of birth and the estimated age;
    * the preferred language, the other languages and a free ISO code give
      ``languages`` (first = preferred).
    """
    out = record.setdefault("child", {})
    status = child.__dict__.get("dob_status")
    if status:
        out["age_estimated"] = status != "exact"
        if status == "unknown":
            out.pop("date_of_birth", None)
        else:
            out.pop("estimated_age", None)
    if _has(child, "first_language"):
        langs = [child.first_language]
        langs += _plain(child.__dict__.get("other_languages"), "enum_list") or []
        # The searchable list of every language stores the code; a name typed
        # into it instead is looked up.
        extra = language_code(child.__dict__.get("extra_language"))
        if extra:
            langs.append(extra)
        out["languages"] = list(dict.fromkeys(langs))
    if not out:
        record.pop("child")


def _collect(obj: Any, cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for fld in dataclasses.fields(cls):
        if not _has(obj, fld.name):
            continue
        raw = obj.__dict__[fld.name]
        kind = fld.metadata["kind"]
        value: Any
        if kind == "object":
            value = _collect(raw, hints[fld.name])
        elif kind == "object_list":
            item_cls = typing.get_args(hints[fld.name])[0]
            items = raw.elements if isinstance(raw, DAList) else list(raw or [])
            value = [v for v in (_collect(item, item_cls) for item in items) if v]
        else:
            value = _plain(raw, kind)
        if value is None or value == "" or value == [] or value == {}:
            continue
        out[fld.name] = value
    return out


def _plain(raw: Any, kind: str) -> Any:
    """A docassemble answer as the record's plain value."""
    if raw is None:
        return None
    if kind == "raw":  # a mapping Puente itself wrote (the sign-off): kept as it is
        return json.loads(json.dumps(raw, default=str))
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        return str(raw).strip() or None
    if kind == "bool":
        return bool(raw)
    if kind == "int":
        return int(raw)
    if kind in ("enum_list", "text_list"):
        if isinstance(raw, (DADict, dict)):
            items = [k for k, v in raw.items() if v is True]
        elif isinstance(raw, (DAList, list, tuple)):
            items = list(raw)
        else:
            items = [x for x in re.split(r"[\n;]+", str(raw))]
        return [str(x).strip() for x in items if str(x).strip()]
    text = str(raw).strip()
    if kind == "enum" and text == "None":
        # an optional radio button left unchosen: the server posts the word "None"
        return None
    return text or None


# --------------------------------------------------------------------------
# Intake: which procedures fit, and why


def recommend(case: PuenteCase, facts: dict[str, bool]) -> list[dict[str, str]]:
    """Procedures that apply to what intake learned (``intake.recommend``),
    each with its reason code, title and legal basis in the interview's language."""
    lang = current_language()
    found = intake.recommend(case.child.__dict__.get("accompaniment"), facts)
    # the stage of the case (stage.py) has the last word: no new application
    # for a case COMAR already has, the escrito it needs instead
    return stage_recommendations(case, [r.describe(law(), lang) for r in found], lang)


def _stage_case(case: PuenteCase) -> model.Case:
    """The part of the record the stage needs, from the answers so far."""
    from .validate import _check_proceedings, _Parser

    found = _deadline_case(case)
    raw = case.record().get("proceedings") or {}
    found.proceedings = _Parser().build(model.Proceedings, raw, "proceedings.")
    _check_proceedings(found)
    return found


def stage_recommendations(case: PuenteCase, out: list[dict[str, str]], lang: str) -> list[dict[str, str]]:
    """The stage decides (stage.py): a case COMAR already has gets no new
    application — a refused one gets the recurso de revisión — and each
    escrito the stage needs is recommended with the core's reason."""
    if "after_filing_stage" not in case.__dict__:
        return out
    stage = case_stage(_stage_case(case), law(), calendar())
    if stage.code != "to_file":
        out = [r for r in out if r["procedure"] != "asylum"]
    for step in stage.steps:
        if any(r["procedure"] == step.kind for r in out):
            continue
        t = law().term("procedures", step.kind)
        out.append({"procedure": step.kind, "reason": "stage", "reason_text": step.reason[lang], "title": t[lang],
                    "basis": "; ".join(c.short(lang) for c in t.basis)})
    out.sort(key=lambda r: PROCEDURE_ORDER.index(r["procedure"]))
    if stage.code != "to_file" and not stage.steps:
        out.append({"procedure": "", "reason": "stage", "reason_text": stage.summary[lang], "title": "", "basis": ""})
    return out


def default_procedures(recommendations: list[dict[str, str]]) -> list[str]:
    return [r["procedure"] for r in recommendations if r["procedure"]]


def procedure_choices(recommendations: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Every procedure, the recommended ones ticked, the legal basis as help."""
    lang = current_language()
    recommended = {r["procedure"] for r in recommendations}
    out = []
    for procedure in PROCEDURE_ORDER:
        t = law().term("procedures", procedure)
        out.append({"value": procedure, "label": t[lang], "default": procedure in recommended,
                    "help": "; ".join(c.short(lang) for c in t.basis)})
    return out


def chosen_procedures(checkboxes: Any) -> list[str]:
    chosen = _plain(checkboxes, "enum_list") or []
    return [p for p in PROCEDURE_ORDER if p in chosen]


# --------------------------------------------------------------------------
# The order of screens (one list for every entry interview)


def screens(case: PuenteCase) -> Iterator[str]:
    """The screens of the case interview, in order, for its procedures.

    A generator: the interview asks each screen in turn, so a later screen
    may depend on the answers of an earlier one. A name of a list
    (``case.family``) stands for gathering that list. The order follows the
    sections of the navigation (``SCREEN_SECTIONS``).
    """
    yield "screen_child_identity"
    yield "screen_child_languages"
    yield "screen_child_entry"
    if case.has_any("asylum", "family_reunification", "derivative_status"):
        yield "screen_deadlines"  # the asylum term; the escritos after filing show theirs in the side box
    yield "screen_child_placement"
    if case.child.placement.type == "inm_station":
        yield "screen_detention_warning"
    if case.has_any(*model.AFTER_FILING, *model.ON_REQUEST):
        # where the case stands before COMAR, and the facts of that stage (the
        # carta poder names the expediente when there is one)
        yield "screen_after_filing_stage"
        if case.after_filing_stage != "not_filed":
            yield "screen_after_filing"
    if case.has("residence_change"):
        yield "screen_residence_change"
    if claim_asked(case) is None:
        # a derivative case argues the child's own claim only if the child fears returning
        yield "screen_claim_fear"
    if claim_asked(case):
        # the filings argue the claim from its structure (facts.own_claim_argued)
        yield "screen_claim_intro"
        yield "screen_claim_grounds"
        yield "screen_claim_persecution"
        yield "screen_claim_narrative"
        yield "case.claim.events"
    if case.has("asylum"):
        yield "screen_proceedings"
    yield "screen_screening"
    yield "screen_risks"
    yield "screen_child_views"
    yield "case.evidence"
    if case.has("family_reunification"):
        yield "screen_refugee_holder"
    if family_asked(case):
        yield "case.family"
    if case.has("coadyuvante"):
        yield "screen_ppnna"
    yield "screen_representative"
    yield "screen_representative_address"
    yield "screen_authority"
    yield "screen_filing"
    # Late or not is judged on the signing date, so this comes after it.
    if case.has("asylum") and is_late(case):
        yield "screen_late_filing"


# The procedures whose documents name the child's relatives: the claim's and
# the reunification's family, the principal refugee, the relative the child
# moves to, the parent who grants the carta poder with the child.
FAMILY_PROCEDURES = ("family_reunification", "derivative_status", "asylum", "review_appeal", "residence_change",
                     "carta_poder")


def family_asked(case: PuenteCase) -> bool:
    """Whether this interview gathers the family (the screens and the review)."""
    return case.has_any(*FAMILY_PROCEDURES)


def claim_asked(case: PuenteCase) -> bool | None:
    """Whether this interview asks the child's own claim (grounds, persecution,
    narrative, events): the core's ``facts.own_claim_argued`` on the chosen
    procedures; None while a derivative case has not said whether the child
    fears returning."""
    fear = case.claim.fear_of_return if _has(case.claim, "fear_of_return") else None
    return facts.own_claim_argued(case.__dict__.get("procedures") or [], fear)


# The navigation's sections (the `sections:` block of ql_baseline.yml) and
# where the progress bar stands in each.
SECTIONS = ("section_child", "section_entry", "section_claim", "section_family", "section_ppnna",
            "section_representation", "section_documents")
SECTION_PROGRESS = dict(zip(SECTIONS, (5, 15, 30, 55, 65, 75, 95), strict=True))
SCREEN_SECTIONS = {
    "screen_child_identity": "section_child", "screen_child_languages": "section_child",
    "screen_child_entry": "section_entry", "screen_deadlines": "section_entry",
    "screen_child_placement": "section_entry", "screen_detention_warning": "section_entry",
    "screen_claim_fear": "section_claim", "screen_claim_intro": "section_claim",
    "screen_claim_grounds": "section_claim",
    "screen_claim_persecution": "section_claim", "screen_risks": "section_claim",
    "screen_claim_narrative": "section_claim", "case.claim.events": "section_claim",
    "screen_proceedings": "section_claim", "screen_screening": "section_claim",
    "screen_child_views": "section_claim", "case.evidence": "section_claim",
    "screen_late_filing": "section_claim",
    "screen_refugee_holder": "section_family", "case.family": "section_family",
    "screen_ppnna": "section_ppnna",
    "screen_representative": "section_representation", "screen_representative_address": "section_representation",
    "screen_authority": "section_representation", "screen_filing": "section_representation",
}


def enter_section(section: str) -> None:
    """Mark ``section`` current in the navigation and move the progress bar."""
    value("nav").set_section(section)
    set_progress(SECTION_PROGRESS[section])


def run_screens(case: PuenteCase) -> bool:
    """Ask every screen of ``screens`` that has no answer yet, in its section."""
    for screen in screens(case):
        enter_section(SCREEN_SECTIONS.get(screen, "section_claim"))
        if screen in LISTS:
            value(screen).gather()
        else:
            value(screen)
    enter_section("section_documents")
    return True


LISTS = ("case.claim.events", "case.family", "case.evidence")


# --------------------------------------------------------------------------
# Deadlines, shown as soon as the entry date is known


def calendar() -> WorkingCalendar:
    extra = (get_config("puente") or {}).get("calendar")
    return WorkingCalendar(law().calendar, load_extra_days(extra) if extra else [])


def _today() -> dt.date:
    """Today at the office (``dates.office_today``): America/Mexico_City, or
    the server's ``puente: {timezone: …}``; never the server's UTC day."""
    return office_today(_timezone_name())


def _timezone_name() -> str | None:
    return (get_config("puente") or {}).get("timezone")


def today_iso() -> str:
    """Today at the office as YYYY-MM-DD (the `max:` of date fields)."""
    return _today().isoformat()


def _deadline_case(case: PuenteCase) -> model.Case:
    """The part of the record the deadlines need, from the answers so far."""
    procedures = case.__dict__.get("procedures") or ["asylum"]
    filing = _plain(case.__dict__.get("filing_date"), "date")
    entry = _plain(case.child.__dict__.get("entry_date"), "date")
    dates: dict[str, Any] = {
        name: dt.date.fromisoformat(_plain(case.proceedings.__dict__[name], "date"))
        for name in ("comar_filed_date", "refusal_notified_date", "prevention_notified_date")
        if _plain(case.proceedings.__dict__.get(name), "date")}
    proceedings = model.Proceedings(**dates)
    dob = _plain(case.child.__dict__.get("date_of_birth"), "date")
    return model.Case(
        procedures=list(procedures),
        filing_date=dt.date.fromisoformat(filing) if filing else _today(),
        child=model.Child(entry_date=dt.date.fromisoformat(entry) if entry else None,
                          date_of_birth=dt.date.fromisoformat(dob) if dob else None),
        proceedings=proceedings,
    )


def show_deadline_box(case: Any) -> bool:
    """The side box with the asylum term: from the moment the entry date is
    known, while the case may still be a COMAR claim."""
    if not isinstance(case, PuenteCase):
        return False
    if _has(case.child, "date_of_birth") and any(d["id"] == "coming_of_age" for d in deadline_rows(case)):
        return True  # the 18th birthday is shown whatever the procedure
    if not _has(case.child, "entry_date"):
        return False
    return case.comar or "procedures" not in case.__dict__


def case_deadline_list(case: PuenteCase) -> list[Deadline]:
    found = _stage_case(case) if "after_filing_stage" in case.__dict__ else _deadline_case(case)
    return case_deadlines(found, law(), calendar())


def asylum_term(case: PuenteCase) -> Deadline | None:
    return next((d for d in case_deadline_list(case) if d.id == "asylum_filing"), None)


def asylum_term_days() -> int:
    """The asylum filing term in días hábiles, from the deadline rule (the
    interview never types the number)."""
    return law().deadlines["asylum_filing"].term


def is_late(case: PuenteCase) -> bool:
    term_ = asylum_term(case)
    return bool(term_ and term_.is_past)


def deadline_rows(case: PuenteCase) -> list[dict[str, Any]]:
    """One row per deadline, in the current language: the rows the documents
    print (``context.deadline_view``)."""
    found = _deadline_case(case)
    return [deadline_view(d, current_language(), found.filing_date) for d in case_deadline_list(case)]


# The rows of the side box: what counsel must not miss (a term still due,
# and the 18th birthday within a year, red within 90 days).
BOX_ROWS = ("asylum_filing", "review_appeal", "prevention_reply", "ratification", "coming_of_age")


def deadline_box_rows(case: PuenteCase) -> list[dict[str, Any]]:
    rows = [d for d in deadline_rows(case) if d["id"] in BOX_ROWS]
    settled = ("done", "not_applicable")
    return [d for d in rows if d["id"] in ("asylum_filing", "coming_of_age") or d["state"] not in settled]


def late_filing_reasons() -> list[dict[str, str]]:
    return choices("late_filing_reasons")


# --------------------------------------------------------------------------
# Shared office computers: quick exit, idle lock, two lawyers on one case

# Server settings (puente: {...}): idle minutes before the session is locked,
# seconds between checks that the case did not change under the screen, the
# neutral page of the quick exit.
IDLE_MINUTES = 15
IDLE_WARNING_SECONDS = 60
STALE_CHECK_SECONDS = 10
NEUTRAL_PAGE = "/packagestatic/docassemble.puente/neutral.html"


def _setting(name: str, default: Any) -> Any:
    value_ = (get_config("puente") or {}).get(name)
    return default if value_ is None else value_


def idle_seconds() -> int:
    """Seconds without a key or a click before the session is locked (0: never)."""
    return int(float(_setting("idle minutes", IDLE_MINUTES)) * 60)


def stale_check_seconds() -> int:
    return int(_setting("stale check seconds", STALE_CHECK_SECONDS))


def quick_exit_url() -> str:
    return str(_setting("quick exit url", NEUTRAL_PAGE))


def case_version(case: Any) -> str:
    """A digest of the case's answers: it changes when anyone saves a change."""
    if not isinstance(case, PuenteCase):
        return ""
    return hashlib.sha256(json.dumps(case.record(), sort_keys=True, default=str).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------
# The session in "Mis entrevistas" (/interviews)


def session_subtitle(case: Any, now: dt.datetime | None = None) -> str:
    """The line under the interview's title in the user's list of sessions:
    case id, the child's initials (never the name), the procedures, the next
    deadline and the last change, in the current language. docassemble
    stores it with the answers each time a screen is shown (`subtitle`
    screen part). Never raises: it is on every screen."""
    if not isinstance(case, PuenteCase):
        return ""
    try:  # the administrator's board: this session's summary, when it changed
        publish_board_summary(case)
    except Exception as err:  # never the screen's failure; the case id only, never a name
        log.warning("board summary of case %s not written: %s", case.__dict__.get("case_id"), type(err).__name__)
    lang = current_language()
    parts = []
    try:
        parts.append(esc(case.__dict__.get("case_id") or ("sin clave" if lang == "es" else "no case id")))
        ini = initials(case.child.__dict__.get("given_names"), case.child.__dict__.get("family_names"))
        if ini:
            parts.append(esc(ini))
        procs = [procedure_title(p) for p in case.__dict__.get("procedures") or []]
        if procs:
            parts.append(esc(", ".join(procs)))
        nxt = next_deadline(case)
        if nxt:
            word = ("Próximo plazo" if lang == "es" else "Next deadline") if not nxt["past"] else (
                "Plazo vencido" if lang == "es" else "Deadline passed")
            parts.append(f"{word}: {esc(nxt['label'])}, {nxt['date']}")
        moment = (now or dt.datetime.now(dt.timezone.utc)).astimezone(office_timezone(_timezone_name()))
        changed = "Último cambio" if lang == "es" else "Last change"
        parts.append(f"{changed}: {long_date(moment.date(), lang)}, {moment:%H:%M}")
    except Exception:  # a half-answered case: show what is known
        pass
    return " · ".join(parts)


def next_deadline(case: PuenteCase) -> dict[str, Any] | None:
    """The deadline to show for the case: one that has passed (a late
    asylum claim), else the next open one, as the screens show it; None
    before the entry date is known."""
    if not _has(case.child, "entry_date"):
        return None
    deadlines = [d for d in case_deadline_list(case) if not d.rule.informational]
    # A term that has passed (a late asylum claim) matters more than the next one.
    past = [d for d in deadlines if d.is_past]
    open_ = sorted((d for d in deadlines if not d.is_past), key=lambda d: d.date)
    chosen = past[0] if past else (open_[0] if open_ else None)
    return deadline_view(chosen, current_language()) if chosen else None


# --------------------------------------------------------------------------
# Checking the case with the one validator


def check_case(case: PuenteCase, today: dt.date | None = None) -> tuple[model.Case | None, list[Problem]]:
    return parse_case(case.record(), today=today or _today())


def screen_errors(case: PuenteCase, field: str, **overrides: Any) -> list[str]:
    """The one validator's messages (current language) about one field of
    the case, for a screen's `validation code`; ``overrides`` replace
    top-level record fields with what the screen has just been given."""
    record = {**case.record(), **overrides}
    _, problems = parse_case(record, today=_today())
    return [p.text(current_language()) for p in problems if p.field == field and p.severity == "error"]


def problem_rows(problems: list[Problem], lang: str | None = None) -> list[dict[str, str]]:
    """Problems for a screen: the field's label and the message, in one language."""
    lang = lang or current_language()
    return [{"field": schema_field_label(p.field, lang) if p.field else "", "message": p.text(lang),
             "severity": p.severity, "variable": problem_variable(p.field)} for p in problems]


def field_label(path: str) -> str:
    """A record field's label in the current language: the words the review,
    the batch report and the screens use for it."""
    return schema_field_label(path, current_language())


def field_text(path: str) -> str:
    """A field's own label (the last part of ``field_label``), for a screen
    that asks it: the screens ask with the field table's own words."""
    return field_label(path).split(" › ")[-1]


def problem_variable(path: str) -> str:
    """The interview variable a problem's field is answered in."""
    if not path:
        return ""
    return "case." + path


# --------------------------------------------------------------------------
# Documents: the same pipeline as `puente generate`


def pdf_enabled() -> bool:
    return bool((get_config("puente") or {}).get("pdf", True)) and find_soffice() is not None


class PuenteDocuments(DAObject):
    """The outputs of one case: DOCX and PDF per document and language, the
    packets, the deadlines file, the manifest and one ZIP of everything."""

    def produce(self, case: PuenteCase, languages: list[str] | None = None) -> "PuenteDocuments":
        record = case.record()
        langs = tuple(languages or record.get("output_languages") or LANGUAGES)
        pdf = pdf_enabled()
        key = _documents_key(record, langs, pdf)
        if self.__dict__.get("key") == key:
            return self
        self.langs = langs
        out = Path(tempfile.mkdtemp(prefix="puente-case-"))
        try:
            results = generate([("interview", record)], out, law(), calendar(),
                               Options(languages=langs, pdf=pdf, today=_today()))
            self._store(results[0], out, pdf)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        self.key = key
        return self

    def _store(self, result: CaseResult, out: Path, pdf: bool) -> None:
        self.case_id = result.case_id
        self.review_status = review_summary(result.review)
        self.status = result.status
        self.problems = result.errors + result.warnings
        self.flags = result.flags
        self.procedures = list(result.case.procedures) if result.case else []
        self.flag_reasons = []
        if result.case is not None:
            from .documents.context import DocumentContext

            dc = DocumentContext.build(result.case, law(), calendar())
            self.flag_reasons = [{"es": f.reason.es, "en": f.reason.en, "danger": f.severity == "danger"}
                                 for f in dc.flags]
        self.pdf = pdf
        self.items = []
        self.extras = {}
        if result.status != "ok":
            return
        case_dir = out / result.case_id
        for n, rec in enumerate(result.documents):
            item = {"kind": rec.kind, "language": rec.language, "filing": rec.kind in FILINGS,
                    "docx": self._file(f"docx{n}", case_dir / rec.language / f"{rec.kind}.docx",
                                       f"{result.case_id}-{rec.kind}-{rec.language}.docx")}
            if rec.pdf:
                item["pdf"] = self._file(f"pdf{n}", out / rec.pdf, f"{result.case_id}-{rec.kind}-{rec.language}.pdf")
            self.items.append(item)
        for lang in LANGUAGES:
            packet = case_dir / f"packet.{lang}.pdf"
            if packet.exists():
                self.extras[f"packet_{lang}"] = self._file(f"packet_{lang}", packet,
                                                           f"{result.case_id}-packet-{lang}.pdf")
        self.extras["ics"] = self._file("ics", case_dir / "deadlines.ics", f"{result.case_id}-deadlines.ics")
        self.extras["case"] = self._file("case_json", case_dir / "case.json", f"{result.case_id}-case.json")
        zip_path = out / f"{result.case_id}.zip"
        _zip_folder(out, zip_path, exclude=(zip_path.name,))
        self.extras["zip"] = self._file("zip", zip_path, f"{result.case_id}.zip")

    def _file(self, name: str, path: Path, filename: str) -> DAFile:
        f = DAFile(f"{self.instanceName}.file_{name}")
        f.initialize(filename=filename)
        f.copy_into(str(path))
        f.commit()
        return f

    def by_kind(self, kind: str, language: str) -> dict | None:
        items = self.__dict__.get("items", [])
        return next((i for i in items if i["kind"] == kind and i["language"] == language), None)

    def links(self, kind: str, language: str, name: str = "") -> str:
        """Download links of one document in one language. Each link's
        accessible name says which document it is ("Solicitud de refugio
        (español), PDF"), not just "PDF", for a screen reader's link list."""
        item = self.by_kind(kind, language)
        if not item:
            return "—"
        hidden = f'<span class="visually-hidden">{esc(name)}, </span>' if name else ""
        links = [f'<a href="{item["docx"].url_for(attachment=True)}">{hidden}DOCX</a>']
        if "pdf" in item:
            links.append(f'<a href="{item["pdf"].url_for(attachment=True)}">{hidden}PDF</a>')
        return " · ".join(links)

    def flag_list(self, lang: str) -> list[dict[str, Any]]:
        return [{"reason": f[lang], "danger": f["danger"]} for f in self.__dict__.get("flag_reasons", [])]

    def missing(self) -> list[str]:
        """Filings asked for whose template does not exist yet."""
        made = set(self.kinds())
        return [p for p in self.__dict__.get("procedures", []) if p not in made]

    def kinds(self) -> list[str]:
        seen: list[str] = []
        for item in self.__dict__.get("items", []):
            if item["kind"] not in seen:
                seen.append(item["kind"])
        return seen

    def title(self, kind: str) -> str:
        """The document's title in the interview's language (one table for
        every front: documents.context.document_title)."""
        return document_title(law(), kind, current_language())

    # -- review by children's counsel -------------------------------------
    # The interview keeps the case's output as the ZIP it offers; the review
    # works on that ZIP unpacked, with the same functions as `puente review`.

    @contextlib.contextmanager
    def _unpacked(self) -> Iterator[tuple[Path, Path]]:
        with tempfile.TemporaryDirectory(prefix="puente-review-") as tmp:
            out = Path(tmp) / "out"
            with zipfile.ZipFile(self.extras["zip"].path()) as zf:
                zf.extractall(out)
            yield out, out / self.case_id

    def review_view(self, lang: str) -> dict[str, Any]:
        """What the review screen shows, in ``lang`` (the review packet's own
        content, from ``review_packet.review_view``), kept until the
        documents change; the timeline picture as a file to show."""
        cache = self.__dict__.setdefault("review_views", {})
        if cache.get(lang, {}).get("key") != self.key:
            with self._unpacked() as (out, case_dir):
                view = review_view(case_dir, law(), calendar(), lang, today=_today(), workdir=out / ".review")
                timeline = self._file(f"timeline_{lang}", Path(view.pop("timeline")),
                                      f"{self.case_id}-timeline-{lang}.png")
            cache[lang] = {"key": self.key, "view": view, "timeline": timeline}
        return cache[lang]["view"]

    def review_timeline(self, lang: str) -> DAFile:
        self.review_view(lang)
        return self.review_views[lang]["timeline"]

    def pairs_table(self, filing: dict[str, Any], es_label: str, en_label: str) -> str:
        """One filing's Spanish and English paragraphs side by side, as HTML
        (the text is escaped: it is the case's own words)."""
        rows = "".join(f'<tr><td class="text-muted">{p["n"]}</td><td lang="es">{esc(p["es"])}</td>'
                       f'<td lang="en">{esc(p["en"])}</td></tr>' for p in filing["pairs"])
        return (f'<table class="table table-sm table-bordered puente-pairs"><thead><tr><th>#</th>'
                f'<th>{esc(es_label)}</th><th>{esc(en_label)}</th></tr></thead><tbody>{rows}</tbody></table>')

    def sign(self, case: PuenteCase, decision: str, reviewer: str, comments: str) -> dict[str, Any]:
        """Record counsel's sign-off with ``review.sign_off``: in the case.json
        and manifest of the ZIP the interview offers, and in the case record,
        so a later change of the answers marks it stale. The documents
        themselves do not change, so they are not generated again."""
        with self._unpacked() as (out, case_dir):
            review = sign_off(case_dir, decision, reviewer, comments or "", _today())
            zip_path = out.parent / f"{self.case_id}.zip"
            _zip_folder(out, zip_path)
            self.extras["zip"] = self._file("zip", zip_path, f"{self.case_id}.zip")
            self.extras["case"] = self._file("case_json", case_dir / "case.json", f"{self.case_id}-case.json")
        case.review = review
        self.key = _documents_key(case.record(), tuple(self.langs), self.pdf)
        self.review_status = review_summary(review)
        return review

    def review_packet_state(self, lang: str) -> str:
        """'ready', 'pending' (a background task is building it) or 'none'
        (never asked for, or the task ended without a packet for the
        current documents)."""
        packet = self.__dict__.get("review_packets", {}).get(lang)
        if packet and packet["key"] == self.key:
            return "ready"
        task = self.__dict__.get("review_tasks", {}).get(lang)
        if task and task["key"] == self.key and not task["task"].ready():
            return "pending"
        return "none"

    def review_packet_failed(self, lang: str) -> bool:
        task = self.__dict__.get("review_tasks", {}).get(lang)
        return bool(task and task["key"] == self.key and task["task"].ready()
                    and self.review_packet_state(lang) != "ready")

    def start_review_packet(self, lang: str) -> None:
        """Build the review packet in a background task (LibreOffice takes a
        while; a request must not wait for it). Once per language and
        version of the documents."""
        if self.review_packet_state(lang) != "none" or self.review_packet_failed(lang):
            return
        self.__dict__.setdefault("review_tasks", {})[lang] = {
            "key": self.key, "task": background_action("puente_review_packet_run", lang=lang, key=self.key)}

    def retry_review_packet(self, lang: str) -> None:
        self.__dict__.get("review_tasks", {}).pop(lang, None)
        self.start_review_packet(lang)

    def make_review_packet(self, lang: str) -> DAFile:
        """The review packet (PDF, or DOCX where the server has no
        LibreOffice) — run by the background task."""
        with self._unpacked() as (out, case_dir):
            paths = build_review_packet(case_dir, law(), calendar(), lang, today=_today(), pdf=self.pdf)
            path = paths.get("pdf", paths["docx"])
            packet = DAFile()
            packet.set_random_instance_name()
            packet.initialize(filename=f"{self.case_id}-review-{lang}{path.suffix}")
            packet.copy_into(str(path))
            packet.commit()
        return packet

    def save_review_packet(self, lang: str, key: str, packet: DAFile) -> None:
        self.__dict__.setdefault("review_packets", {})[lang] = {"key": key, "file": packet}

    def review_packet(self, lang: str) -> DAFile:
        return self.review_packets[lang]["file"]


def _documents_key(record: dict[str, Any], langs: tuple[str, ...], pdf: bool) -> str:
    """What the documents depend on: when it is unchanged they are not made again."""
    return hashlib.sha256(json.dumps([record, list(langs), pdf], sort_keys=True, default=str).encode()).hexdigest()


# HTML's special characters, then Markdown's and docassemble's ([FILE …],
# ${ }), each as an entity, in one pass.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                          **{c: f"&#{ord(c)};" for c in "\\`*_[]#|{}$%"}})


def esc(text: Any) -> str:
    """Case text on a screen: escaped so a child's words (or a reviewer's)
    are shown as written and never read as HTML, Markdown or markup."""
    return str(text or "").translate(_ESCAPES)


def sign_off_errors(decision: str, reviewer: str, comments: str) -> list[tuple[str, str]]:
    """(interview variable, message in the current language) for each thing
    wrong with the sign-off form: the rules of ``review.sign_off``."""
    return [(f"counsel_{p.field}", p.text(current_language()))
            for p in sign_off_problems(decision, reviewer, comments or "")]


def decision_text(decision: str) -> str:
    """A reviewer's decision in the current language, as the review packet writes it."""
    return pick(current_language(), *DECISION_WORDS.get(decision, (decision, decision)))


def iso_long_date(iso: str) -> str:
    """'2026-11-23' as the current language writes it in prose."""
    return long_date(dt.date.fromisoformat(iso), current_language())



def produce_documents(docs: PuenteDocuments, case: PuenteCase) -> PuenteDocuments:
    return docs.produce(case)


# --------------------------------------------------------------------------
# Batch upload


def template_workbook(target: DAFile) -> DAFile:
    """The empty batch workbook (bilingual headers, drop-downs, example row)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "puente-batch-template.xlsx"
        write_template_workbook(path)
        target.initialize(filename=path.name)
        target.copy_into(str(path))
        target.commit()
    return target


def _upload_path(upload: Any, tmp: Path) -> Path:
    """The uploaded file under its own name (the readers choose by extension)."""
    f = upload[0] if isinstance(upload, (DAList, list)) or hasattr(upload, "elements") else upload
    name = Path(str(getattr(f, "filename", "") or "cases.xlsx")).name
    target = tmp / name
    shutil.copyfile(f.path(), target)
    return target


def batch_limits() -> UploadLimits:
    """The upload limits; an organization may change them in the server's
    configuration (``puente: {batch limits: {max cases: 100}}``)."""
    return UploadLimits.from_config((get_config("puente") or {}).get("batch limits"))


def _without_prefix(problem: Problem, prefix: str) -> Problem:
    """A problem whose file names no longer carry the server's temporary folder."""
    params = {k: (v.replace(prefix, "") if isinstance(v, str) else v) for k, v in problem.params.items()}
    cid = problem.case_id.replace(prefix, "") if problem.case_id else problem.case_id
    return dataclasses.replace(problem, params=params, case_id=cid)


_UNREADABLE = N_("Cannot read {source}: the file is damaged or is not a workbook, CSV, JSON or YAML file of cases.")


def read_batch_upload(upload: Any,
                      limits: UploadLimits | None = None) -> tuple[list[RawCase], list[Problem], list[str]]:
    """The cases of an uploaded file, read in a background task: the limits
    first (before any parser opens the file), then the readers. Returns the
    cases, the problems, and the sources of template example rows left out.
    Nothing a reader raises reaches the person as a server error: whatever
    goes wrong becomes a problem of the file, in Spanish and English."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp)) + "/"
        name = "?"
        try:
            path = _upload_path(upload, Path(tmp))
            name = path.name
            check_upload(path, limits or batch_limits())
            raws, problems = read_input(path)
        except InputError as exc:
            raws, problems = [], [exc.problem]
        except Exception as exc:  # noqa: BLE001 - an upload must never turn into a 500 page
            log.warning("batch upload could not be read (%s)", type(exc).__name__)
            raws, problems = [], [Problem(field="", message=_UNREADABLE, params={"source": name}, case_id=name)]
    problems = [_without_prefix(p, prefix) for p in problems]
    kept: list[RawCase] = []
    examples: list[RawCase] = []
    for raw in raws:
        raw = RawCase(raw.source.replace(prefix, ""), raw.data)
        (examples if is_template_example(raw) else kept).append(raw)
    return kept, problems, [r.source for r in examples]


_SHEET_ROW = re.compile(r", sheet (?P<sheet>.+), row (?P<row>\d+)$")
_FILE_ROW = re.compile(r", (?P<kind>row|case) (?P<n>\d+)$")


def source_text(source: str, lang: str) -> str:
    """Where a case was read, in the report's language ("hoja casos, fila 3")."""
    if lang != "es":
        return source
    m = _SHEET_ROW.search(source)
    if m:
        return f"{source[:m.start()]}, hoja {m.group('sheet')}, fila {m.group('row')}"
    m = _FILE_ROW.search(source)
    if m:
        return f"{source[:m.start()]}, {'fila' if m.group('kind') == 'row' else 'caso'} {m.group('n')}"
    return source


def check_batch(upload: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The per-row report of an upload (run in a background task): plain
    data the interview keeps in ``BatchRun.set_rows``."""
    today = today or _today()
    raws, problems, examples = read_batch_upload(upload)
    rows = [{"case_id": p.case_id or "?", "source": "", "ok": False, "problems": [p]} for p in problems]
    for raw in raws:
        case, found = parse_case(raw.data, today=today)
        cid = case.case_id if case else (str(raw.data.get("case_id") or "") if isinstance(raw.data, dict) else "")
        rows.append({"case_id": cid or "?", "source": raw.source, "ok": case is not None, "problems": found})
    # The cases as read and the file's own problems: the generation's parts
    # take them from here (the session's answers, encrypted) instead of
    # reading the file again.
    return {"rows": rows, "examples": examples, "cases": [(r.source, r.data) for r in raws], "problems": problems}


def check_failed(upload: Any) -> dict[str, Any]:
    """The report when the checking task itself failed (the worker died):
    one bilingual line about the file, never the server's error page."""
    f = upload[0] if isinstance(upload, (DAList, list)) or hasattr(upload, "elements") else upload
    name = Path(str(getattr(f, "filename", "") or "?")).name
    return {"rows": [{"case_id": name, "source": "", "ok": False,
                      "problems": [Problem(field="", message=_UNREADABLE, params={"source": name}, case_id=name)]}]}


class BatchRun(DAObject):
    """One uploaded workbook: its per-row report, then its outputs."""

    def set_rows(self, checked: dict[str, Any]) -> "BatchRun":
        self.rows: list[dict[str, Any]] = checked["rows"]
        self.examples = checked.get("examples", [])
        self.cases: list[tuple[str, Any]] = checked.get("cases", [])
        self.read_problems: list[Problem] = checked.get("problems", [])
        # Cases are the rows read from the file; a problem of the whole file
        # or of a column is a line of the report but not a case.
        self.total = sum(1 for r in self.rows if r["source"])
        self.valid = sum(1 for r in self.rows if r["ok"])
        return self

    def check(self, upload: Any, today: dt.date | None = None) -> "BatchRun":
        """The report in one step (tests and the command line; the interview
        runs ``check_batch`` in a background task)."""
        return self.set_rows(check_batch(upload, today))

    def report(self, lang: str) -> list[dict[str, Any]]:
        return [{"case_id": r["case_id"], "source": source_text(r["source"], lang), "ok": r["ok"],
                 "messages": problem_rows(r["problems"], lang)} for r in self.rows]

    def report_table(self, lang: str, labels: dict[str, str]) -> str:
        """The report as an HTML table in which every cell is escaped: case
        ids, file names, field names, column headers and messages come from
        the uploaded file and are shown as text, never as markup."""
        labels = {k: str(v).strip() for k, v in labels.items()}
        head = "".join(f"<th scope=\"col\">{esc(labels[k])}</th>" for k in ("case", "source", "status", "fix"))
        body = []
        for row in self.report(lang):
            status = ("✔ " + labels["valid"]) if row["ok"] else ("✖ " + labels["invalid"])
            fix = "<br>".join(esc((m["field"] + ": " if m["field"] else "") + m["message"])
                              for m in row["messages"]) or "—"
            # Long text from the file (an id, a header) wraps inside its own cell.
            body.append(f'<tr><td style="overflow-wrap: anywhere">{esc(row["case_id"])}</td>'
                        f'<td>{esc(row["source"])}</td><td>{esc(status)}</td>'
                        f'<td style="overflow-wrap: anywhere">{fix}</td></tr>')
        return (f'<table class="table table-sm puente-batch-report">'
                f'<thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table>')

    def example_note(self, lang: str) -> str:
        if not self.examples:
            return ""
        where = ", ".join(esc(source_text(s, lang)) for s in self.examples)
        return esc(translate(_EXAMPLE_SKIPPED, lang, case_id=EXAMPLE_CASE["case_id"])) + f" ({where})"


_EXAMPLE_SKIPPED = N_("The template's example row ({case_id}, a fictional case) was skipped: it is not generated. "
                      "Delete it from the sheet, or leave it; it is never filed.")


class BatchParts(DAObject):
    """The generation of one uploaded file, fanned out across the server's
    Celery workers with docassemble's own background tasks: one task per
    part of a few cases (``batch_parts.plan_parts``), on whichever worker
    process or worker container takes it from RabbitMQ.

    Only web requests save the session's answers. A part's task writes its
    results (and its ZIP, a file of the session) under its own key of the
    session's store, which docassemble encrypts with the same key as the
    answers and deletes with the session; the request that reloads the
    waiting screen collects them. No two tasks ever race to save the
    session, and the task arguments (RabbitMQ, the worker's log) hold only
    part numbers, never a case.

    A part whose task failed is cut into single cases and each is tried
    again in a task of its own; a single case that fails again is reported
    alone, with its case id, in Spanish and English. When every part is in,
    one more task merges them into the ZIP and the manifest
    (``batch_parts.merge_parts``)."""

    def start(self, check: BatchRun, languages: list[str]) -> None:
        self.run_id = secrets.token_hex(6)
        self.languages = list(languages or LANGUAGES)
        self.pdf = pdf_enabled()
        self.today = _today().isoformat()
        size = int((get_config("puente") or {}).get("batch part size") or auto_part_size(check.valid))
        self.parts: list[list[int]] = plan_parts(check.cases, max(1, size))
        self.total = len(check.cases)
        self.tasks: dict[int, Any] = {}
        self.done: list[int] = []
        self.failed: list[tuple[int, CaseResult]] = []
        self.started = dt.datetime.now(dt.timezone.utc).timestamp()
        for n in range(len(self.parts)):
            self._dispatch(n)

    def _dispatch(self, n: int) -> None:
        self.tasks[n] = background_action("puente_batch_part", part=n)

    def _key(self, name: Any) -> str:
        return f"puente-batch:{self.run_id}:{name}"

    # -- in a part's task ---------------------------------------------------
    def run(self, check: BatchRun, n: int) -> None:
        """Generate part ``n`` (in its background task) and store its results."""
        store = _batch_store()
        store.set(self._key(f"{n}:started"), dt.datetime.now(dt.timezone.utc).timestamp())
        options = Options(languages=tuple(self.languages), pdf=self.pdf, today=dt.date.fromisoformat(self.today))
        with tempfile.TemporaryDirectory() as tmp:
            try:
                part = run_part(check.cases, self.parts[n], Path(tmp), law(), calendar(), options)
                zipped = _session_file(part.zip_path, f"puente-batch-part-{n}.zip")
            except Exception as exc:
                # Only the kind of error: its message could quote the file.
                log.error("batch part %s failed (%s)", n, type(exc).__name__)
                raise RuntimeError(f"batch part {n} failed ({type(exc).__name__})") from None
        store.set(self._key(n), {"results": part.results, "zip": zipped})  # the last thing the task does

    # -- in the web request that reloads the waiting screen ----------------
    def collect(self, check: BatchRun) -> bool:
        """Take in the parts that are done; a part whose task failed, or has
        run longer than ``batch part timeout`` (a worker that hangs or died),
        is tried again case by case, and a single case is reported. True
        when every part is in."""
        if not self.tasks:
            return True
        ended = {n for n, task in self.tasks.items() if task.ready()}
        store = _batch_store()
        stored = set(store.keys())  # read after ``ready()``: a task stores its results before it ends
        limit = float((get_config("puente") or {}).get("batch part timeout") or PART_TIMEOUT)
        now = dt.datetime.now(dt.timezone.utc).timestamp()
        for n in list(self.tasks):
            if self._key(n) in stored:
                self.done.append(n)
            elif n in ended or (self._key(f"{n}:started") in stored
                                and now - float(store.get(self._key(f"{n}:started")) or now) > limit):
                self._retry(check, n)
            else:
                continue
            del self.tasks[n]
        return not self.tasks

    def _retry(self, check: BatchRun, n: int) -> None:
        split = split_part(check.cases, self.parts[n])
        if len(split) > 1:
            log.warning("batch part %s failed; its %s cases are tried one by one", n, len(split))
            for indices in split:
                self.parts.append(indices)
                self._dispatch(len(self.parts) - 1)
        else:
            log.warning("batch part %s failed again; its case is reported", n)
            self.failed += failed_results(check.cases, self.parts[n])

    def cases_done(self) -> int:
        return sum(len(self.parts[n]) for n in self.done) + len(self.failed)

    # -- in the packing task ------------------------------------------------
    def pack(self, check: BatchRun) -> None:
        """Merge every part into the batch's ZIP (in a background task)."""
        store = _batch_store()
        records = [store.get(self._key(n)) for n in sorted(self.done)]
        results = list(self.failed) + [item for rec in records for item in rec["results"]]
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "puente-batch.zip"
            ordered = merge_parts(check.read_problems, results, [Path(rec["zip"].path()) for rec in records],
                                  target, calendar())
            zipped = _session_file(target, "puente-batch.zip")
        store.set(self._key("result"), {"zip": zipped, "ok": sum(r.status == "ok" for r in ordered),
                                        "total": len(ordered), "documents": sum(len(r.documents) for r in ordered)})
        for rec in records:
            # The parts' copies go: the batch's ZIP is the one copy kept.
            rec["zip"].write(b"", binary=True)
            rec["zip"].commit()
        for key in store.keys():
            if key.startswith(self._key("")) and key != self._key("result"):
                store.delete(key)

    def result(self) -> dict[str, Any] | None:
        return _batch_store().get(self._key("result"))


# A part (a few cases) that has run this long is taken for lost: its worker
# hung or died. Its cases are tried again one by one.
PART_TIMEOUT = 15 * 60


def _batch_store() -> DAStore:
    # The session's own store: encrypted like its answers, deleted with it.
    return DAStore("puente_batch_store", base="session")


def _session_file(path: Path, filename: str) -> DAFile:
    f = DAFile()
    f.set_random_instance_name()
    f.initialize(filename=filename)
    f.copy_into(str(path))
    f.commit()
    return f


# One batch at a time per user: a second upload of the same person waits on
# its own screen (not in the worker's queue) until the first is done, so one
# person's many files cannot fill the queue everyone's background tasks share.
_SLOT_TTL = 3 * 60 * 60


def _slot_key() -> str:
    return f"puente:batch:user:{user_info().id}"


def batch_slot_take(session_id: str) -> bool:
    """Take this user's batch slot for ``session_id``; False while another
    session of the same user holds it."""
    r = DARedis()
    key = _slot_key()
    if r.set(key, session_id, nx=True, ex=_SLOT_TTL):
        return True
    holder = r.get(key)
    holder = holder.decode() if isinstance(holder, bytes) else holder
    return holder == session_id


def batch_slot_free(session_id: str) -> None:
    r = DARedis()
    key = _slot_key()
    holder = r.get(key)
    holder = holder.decode() if isinstance(holder, bytes) else holder
    if holder == session_id:
        r.delete(key)


# --------------------------------------------------------------------------
# The office's deadline board (interviews/board.yml): the saved sessions'
# case records through the core's board (board.py), listed with docassemble's
# own session listing (interview_list), never the database.
#
# A case session's answers stay encrypted with its user's key (docassemble's
# default): the administrator cannot read another user's dictionary. So each
# case session keeps a minimal board summary (board.board_summary: case id,
# initials, procedures, the engine's deadlines; never a name or a story) in
# docassemble's unencrypted global store, keyed by its session id; the
# administrator's board joins it with the sessions interview_list(user_id=
# "all") lists (a summary whose session is gone is never shown).

PACKAGE_QUESTIONS = "docassemble.puente:data/questions/"
NOT_CASES = ("board.yml", "batch.yml")
SUMMARY_PREFIX = "puente-board:"
_published: dict[str, str] = {}  # session -> digest of its last written summary (this process)


def _board_store() -> DAStore:
    return DAStore("puente_board_store", base="global", encrypted=False)


def _is_case_interview(filename: str) -> bool:
    return filename.startswith(PACKAGE_QUESTIONS) and not filename.endswith(NOT_CASES)


def board_everyone() -> bool:
    return bool(user_has_privilege(["admin"]))


def _sessions(everyone: bool) -> Iterator[dict]:
    next_id = None
    for _ in range(1000):  # 100 sessions a page
        # exclude_invalid=False: the listing keeps the sessions whose answers
        # cannot be decrypted here (another user's; the user's own through an
        # API key, which does not carry their password's key), with an empty
        # dictionary: their lines come from the global summaries.
        listed = interview_list(user_id="all" if everyone else None, include_dict=True,
                                exclude_invalid=False, next_id=next_id)
        if not listed:
            return
        items, next_id = listed
        yield from items
        if not next_id:
            return


def _record_case(case: PuenteCase, today: dt.date) -> model.Case:
    """The case of the answers: the full record when it is valid, else the
    deadlines its answers so far allow (nothing is assumed: a session that
    has not chosen a procedure has no deadline yet)."""
    record = case.record()
    parsed, _ = parse_case(copy.deepcopy(record), today=today)
    if parsed is not None:
        return parsed
    partial = _deadline_case(case)
    partial.procedures = [p for p in (record.get("procedures") or []) if p in model.PROCEDURES]
    child = record.get("child") or {}
    partial.case_id = str(record.get("case_id") or "")
    partial.child.given_names = child.get("given_names")
    partial.child.family_names = child.get("family_names")
    try:
        partial.child.date_of_birth = dt.date.fromisoformat(child["date_of_birth"])
    except (KeyError, TypeError, ValueError):
        pass
    rep = record.get("representative") or {}
    partial.representative.given_names = rep.get("given_names")
    partial.representative.family_names = rep.get("family_names")
    return partial


def _session_case(info: dict, today: dt.date) -> model.Case | None:
    """The case of a listed session whose dictionary this user can read."""
    case = (info.get("dict") or {}).get("case")
    return _record_case(case, today) if isinstance(case, PuenteCase) else None


def publish_board_summary(case: Any, today: dt.date | None = None) -> dict | None:
    """Write this case session's board summary to the global store (for the
    administrator's board), when it changed. Called with the screen's
    subtitle, i.e. whenever the answers may have changed; cheap: the deadlines
    are the engine's, and the store is written only on a change."""
    if not isinstance(case, PuenteCase):
        return None
    info = user_info()
    filename, session = str(info.filename or ""), str(info.session or "")
    if not session or not _is_case_interview(filename):
        return None
    from .board import board_summary

    the_law = law()
    summary = board_summary(_record_case(case, today or _today()), today or _today(), the_law, calendar())
    summary.update({"session": session, "filename": filename, "owner": str(getattr(info, "email", "") or ""),
                    "owner_id": getattr(info, "id", None)})
    digest = hashlib.sha256(json.dumps(summary, sort_keys=True, default=str).encode()).hexdigest()
    if _published.get(session) != digest:
        _board_store().set(SUMMARY_PREFIX + session, summary)
        _published[session] = digest
    return summary


def _stored_summary(store: DAStore, info: dict) -> dict | None:
    """The global summary of a listed session, if it is that session's."""
    summary = store.get(SUMMARY_PREFIX + str(info["session"]))
    if not isinstance(summary, dict) or summary.get("session") != info["session"] \
            or summary.get("filename") != info.get("filename"):
        return None
    return summary


def office_board(today: dt.date | None = None) -> dict[str, Any]:
    """One line per saved Puente session of the user (of every user for an
    administrator): its most pressing deadline and state, overdue and this
    week first; and the .ics feed of every open deadline listed. A session
    whose answers can be read here gives its rows from them; any other (another
    user's, or the user's own through an API key) from its global summary.
    Only the user's own sessions are linked."""
    from .board import board_summary, deadline_rows, next_row, sort_rows, to_ics

    today = today or _today()
    everyone = board_everyone()
    cal, the_law = calendar(), law()
    store, me = _board_store(), user_info().id
    lines, all_rows = [], []
    for info in _sessions(everyone):
        filename = str(info.get("filename") or "")
        if not _is_case_interview(filename):
            continue
        case = _session_case(info, today)
        summary = board_summary(case, today, the_law, cal) if case is not None else _stored_summary(store, info)
        if summary is None:
            continue
        # Only the user's own sessions are links: another user's answers open only with that user's key.
        link = interview_url(i=filename, session=info["session"]) if info.get("user_id") == me else None
        rows = deadline_rows(summary, today, the_law, cal, link=link)
        all_rows += rows
        lines.append({"case_id": summary["case_id"], "initials": summary["initials"], "counsel": summary["counsel"],
                      "row": next_row(rows), "link": link, "owner": info.get("email") or "",
                      "session": info["session"], "modtime": info.get("utc_modtime")})
    order = {s: i for i, s in enumerate(("overdue", "this_week", "next_30_days", "later", "done", "not_applicable"))}
    lines.sort(key=lambda x: (order[x["row"].state], x["row"].date) if x["row"] else (len(order), dt.date.max))
    ics = None
    open_rows = [r for r in sort_rows(all_rows) if r.state not in ("done", "not_applicable")]
    if open_rows:
        ics = DAFile("puente_board_ics")
        ics.initialize(filename="puente-plazos.ics")
        ics.write(to_ics(open_rows, cal))
        ics.commit()
    return {"lines": lines, "everyone": everyone, "today": today, "ics": ics,
            "counts": {s: sum(1 for x in lines if x["row"] and x["row"].state == s) for s in order}}


def board_table(board: dict[str, Any]) -> str:
    """The board as an HTML table; every case text escaped (``esc``): a case
    id or a name can never become markup on this screen."""
    from .deadlines import STATE_LABELS

    lang = current_language()
    other = "en" if lang == "es" else "es"
    words = {
        "es": ("Estado", "Caso", "NNA", "Próximo plazo", "Fecha", "Abogado(a)", "Sin plazos", "días hábiles",
               "sin clave"),
        "en": ("State", "Case", "Child", "Next deadline", "Date", "Counsel", "No deadlines", "business days",
               "no id"),
    }[lang]
    out = ['<table class="table table-sm puente-board" style="font-size:.9rem"><thead><tr>'
           + "".join(f"<th>{esc(h)}</th>" for h in words[:6]) + "</tr></thead><tbody>"]
    for line in board["lines"]:
        row, case_id = line["row"], line["case_id"]
        child, counsel = line["initials"], line["counsel"]
        # Another user's session has no link: its answers open only with its user's key.
        case_cell = (f'<a href="{esc(line["link"])}">{esc(case_id or words[8])}</a>' if line["link"]
                     else esc(case_id or words[8]))
        if board["everyone"]:
            case_cell += f'<br><small class="text-muted">{esc(line["owner"] or "—")}</small>'
        if row is None:
            cells = [esc(words[6]), case_cell, esc(child), "—", "—", esc(counsel)]
            css = ""
        else:
            label = STATE_LABELS[row.state]
            cells = [f"<strong>{esc(label[lang])}</strong>", case_cell, esc(child),
                     f'{esc(row.label(lang))}<br><small class="text-muted">{esc(row.label(other))} · '
                     f"{esc(row.basis(lang))}</small>",
                     f'{esc(long_date(row.date, lang))}<br><small class="text-muted">'
                     f"{esc(str(row.working_days_left))} {esc(words[7])}</small>",
                     esc(counsel)]
            css = {"overdue": "table-danger", "this_week": "table-warning"}.get(row.state, "")
            if row.birthday_soon:  # the 18th birthday within 90 days: red, with what to do before it
                css = "table-danger"
                cells[3] += f'<br><small>{esc(row.note(lang))}</small>'
        out.append(f'<tr class="{css}" data-state="{row.state if row else "none"}" '
                   f'data-case="{esc(case_id)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)
