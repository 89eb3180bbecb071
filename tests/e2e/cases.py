"""Answer tables for the interviews, built from the invented example cases
(examples/*.yaml, the same ones `puente batch` renders), so the interview
and the batch are driven by the same facts. A case field ``child.x.y``
answers the interview variable ``case.child.x.y``; a list of records
(``family``, ``evidence``, ``claim.events``) answers ``case.family[i]...``
and the there_are_any/there_is_another questions. A few variables exist
only in the interview (how the date of birth is known, the first language,
the intake's yes/no facts); they are added here."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import yaml

from .daclient import Answerer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

FILES = {
    "EX-0001": "ana-asylum.yaml",
    "EX-0002": "luis-derivative.yaml",
    "EX-0003": "rosa-reunification.yaml",
    "EX-0005": "valeria-derivative-late.yaml",
    "EX-0008": "marvin-refused-appeal.yaml",
}

# Where a case stands before COMAR, as the after-filing screen asks it
# (interview-only variable; the record's resolution.kind follows from it).
STAGE_OF_KIND = {"refused": "refused", "granted": "granted", "complementary": "complementary",
                 "abandoned": "abandoned"}


# What a lawyer answers on screens whose facts the example cases leave out.
DEFAULTS: dict[str, Any] = {
    "case_start_from": "new",
    "case.proceedings.tvrh_issued": False,
    # a derivative case whose record does not say the child fears returning
    # (the interview asks it before the claim's screens)
    "case.claim.fear_of_return": False,
    "case.screening.disability": False,
    "case.screening.pregnant": False,
    "case.child.needs_interpreter": False,
    "case.coadyuvante.child_heard": False,
    "case.family[i].economically_dependent": False,
    "case.family[i].reunification_requested": False,
    "case.family[i].is_principal_refugee": False,
    "case.family[i].in_mexico": False,
    "case.evidence[i].available": False,
}


def load(case_id: str) -> dict:
    return yaml.safe_load((EXAMPLES / FILES[case_id]).read_text(encoding="utf-8"))


def _flatten(data: Any, prefix: str, answers: dict, lists: dict) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _flatten(value, f"{prefix}.{key}", answers, lists)
    elif isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        lists[prefix] = [copy.deepcopy(item) for item in data]
    else:
        answers[prefix] = data


def answerer_for(case: dict, *, extra: dict | None = None) -> Answerer:
    answers: dict[str, Any] = dict(DEFAULTS)
    lists: dict[str, list[dict]] = {}
    _flatten(case, "case", answers, lists)
    child = case["child"]
    languages = child.get("languages") or ["es"]
    answers.update({
        "case.child.dob_status": "exact" if child.get("date_of_birth") else "unknown",
        "case.child.first_language": languages[0],
        "case.child.other_languages": languages[1:],
        "case.output_languages": case.get("output_languages", ["es", "en"]),
        # Reunification: the refugee asking is the child herself when the
        # case carries her own recognition, else a relative in Mexico.
        "case.refugee_holder": "child" if case.get("refugee_status") else "relative",
        "case.after_filing_stage": _stage_answer(case),
    })
    for name in ("case.claim.events", "case.family", "case.evidence"):
        lists.setdefault(name, [])
        answers.pop(name, None)
    answers.update(extra or {})
    return Answerer(answers, lists)


def _stage_answer(case: dict) -> str:
    pro = case.get("proceedings") or {}
    if pro.get("appeal_filed_date"):
        return "appealed"
    kind = (pro.get("resolution") or {}).get("kind")
    if kind:
        return STAGE_OF_KIND[kind]
    if pro.get("prevention_notified_date"):
        return "prevented"
    return "filed" if pro.get("comar_filed_date") else "not_filed"


def long_date(value: datetime.date | str, lang: str) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if lang == "es":
        months = ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
                  "diciembre").split()
        return f"{value.day} de {months[value.month - 1]} de {value.year}"
    return f"{value.strftime('%B')} {value.day}, {value.year}"


def full_name(case: dict) -> str:
    return f"{case['child']['given_names']} {case['child']['family_names']}"
