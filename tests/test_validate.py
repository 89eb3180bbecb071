"""The validator: every rule of docs/case-record.md, with bilingual messages that
name the field and never repeat a child's name or story."""

from __future__ import annotations

import pytest

from docassemble.puente.errors import CaseInvalid
from docassemble.puente.model import to_dict
from docassemble.puente.validate import parse_case, validate_case

from .conftest import TODAY


def errors(data):
    case, problems = parse_case(data, today=TODAY)
    by_field = {p.field: p for p in problems if p.severity == "error"}
    return case, by_field, [p for p in problems if p.severity == "warning"]


@pytest.mark.parametrize("case_id", ["EX-0001", "EX-0002", "EX-0003"])
def test_examples_are_valid(example, case_id):
    case, errs, _ = errors(example(case_id))
    assert errs == {}
    assert case.case_id == case_id
    assert case.output_languages[0] == "es"


def test_defaults(example):
    data = example("EX-0002")
    del data["filing_date"]
    case = validate_case(data, today=TODAY)
    assert case.filing_date == TODAY
    assert case.output_languages == ["es", "en"] or case.output_languages == ["es"]
    data["output_languages"] = ["en"]
    assert validate_case(data, today=TODAY).output_languages == ["es", "en"]  # Spanish always


def test_round_trip_to_dict(example):
    case = validate_case(example("EX-0001"), today=TODAY)
    again = validate_case(to_dict(case), today=TODAY)
    assert to_dict(again) == to_dict(case)


@pytest.mark.parametrize("path, mutate, field", [
    ("case_id", lambda d: d.pop("case_id"), "case_id"),
    ("case_id unsafe", lambda d: d.update(case_id="../etc"), "case_id"),
    ("procedures", lambda d: d.pop("procedures"), "procedures"),
    ("unknown procedure", lambda d: d.update(procedures=["asylum", "visa"]), "procedures"),
    ("given names", lambda d: d["child"].pop("given_names"), "child.given_names"),
    ("family names", lambda d: d["child"].pop("family_names"), "child.family_names"),
    ("unknown field", lambda d: d.update(favourite_colour="blue"), "favourite_colour"),
    ("unknown nested field", lambda d: d["child"].update(shoe_size=3), "child.shoe_size"),
    ("bad date", lambda d: d["child"].update(date_of_birth="14/05/2010"), "child.date_of_birth"),
    ("impossible date", lambda d: d["child"].update(date_of_birth="2010-02-30"), "child.date_of_birth"),
    ("future birth", lambda d: d["child"].update(date_of_birth="2027-01-01"), "child.date_of_birth"),
    ("entry before birth", lambda d: d["child"].update(entry_date="2009-01-01"), "child.entry_date"),
    ("entry after filing", lambda d: d["child"].update(entry_date="2026-05-01"), "child.entry_date"),
    ("adult", lambda d: d["child"].update(date_of_birth="2008-04-19"), "child.date_of_birth"),
    ("no dob, not estimated", lambda d: d["child"].pop("date_of_birth"), "child.date_of_birth"),
    ("estimated without age",
     lambda d: (d["child"].pop("date_of_birth"), d["child"].update(age_estimated=True)), "child.estimated_age"),
    ("asylum without entry", lambda d: d["child"].pop("entry_date"), "child.entry_date"),
    ("asylum without grounds", lambda d: d["claim"].update(grounds=[]), "claim.grounds"),
    ("asylum without narrative", lambda d: d["claim"].pop("narrative"), "claim.narrative"),
    ("unknown ground", lambda d: d["claim"].update(grounds=["poverty"]), "claim.grounds"),
    ("bad sex", lambda d: d["child"].update(sex="female"), "child.sex"),
    ("bad country", lambda d: d["child"].update(nationality="Guatemala"), "child.nationality"),
    ("bad boolean", lambda d: d["child"].update(needs_interpreter="maybe"), "child.needs_interpreter"),
    ("no comar office", lambda d: d["authority"].pop("comar_office"), "authority.comar_office"),
    ("no ppnna", lambda d: d["authority"].pop("ppnna"), "authority.ppnna"),
    ("estatal without state", lambda d: d["authority"].pop("ppnna_state"), "authority.ppnna_state"),
    ("no counsel", lambda d: d["representative"].pop("family_names"), "representative.family_names"),
    ("other reason unexplained",
     lambda d: (d["claim"].update(late_filing_reasons=["other"]), d["claim"].pop("late_filing_explanation")),
     "claim.late_filing_explanation"),
])
def test_asylum_rules(example, path, mutate, field):
    data = example("EX-0001")
    mutate(data)
    case, errs, _ = errors(data)
    assert case is None
    assert field in errs, f"{path}: expected an error at {field}, got {sorted(errs)}"
    problem = errs[field]
    assert problem.message_es and problem.message_en and problem.message_es != problem.message_en, \
        f"{path}: the message must exist in Spanish and in English"


def test_adult_message_names_the_age_and_the_law(example):
    data = example("EX-0001")
    data["child"]["date_of_birth"] = "2008-04-19"  # 18 on 2026-04-20
    _, errs, _ = errors(data)
    p = errs["child.date_of_birth"]
    assert "18" in p.message_en and "LGDNNA" in p.message_en
    assert "LGDNNA" in p.message_es and "adultas" in p.message_es


def test_seventeen_the_day_before_the_birthday_is_a_child(example):
    data = example("EX-0001")
    data["child"]["date_of_birth"] = "2008-04-21"
    assert errors(data)[1] == {}


def test_estimated_age_is_accepted(example):
    data = example("EX-0001")
    del data["child"]["date_of_birth"]
    data["child"].update(age_estimated=True, estimated_age=15)
    case, errs, _ = errors(data)
    assert errs == {}
    assert case.age == 15


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["family"][0].update(is_principal_refugee=False), "family"),
    (lambda d: d["family"].append(dict(d["family"][0], given_names="Otra")), "family"),
    (lambda d: d["family"][0]["refugee_status"].pop("resolution_number"), "family[0].refugee_status.resolution_number"),
    (lambda d: d["child"].pop("entry_date"), "child.entry_date"),
])
def test_derivative_rules(example, mutate, field):
    data = example("EX-0002")
    mutate(data)
    _, errs, _ = errors(data)
    assert field in errs, sorted(errs)


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.pop("refugee_status"), "refugee_status.resolution_number"),
    (lambda d: [m.update(reunification_requested=False) for m in d["family"]], "family"),
    (lambda d: d["family"][0].update(in_mexico=True), "family[0].in_mexico"),
])
def test_reunification_rules(example, mutate, field):
    data = example("EX-0003")
    mutate(data)
    _, errs, _ = errors(data)
    assert field in errs, sorted(errs)


def test_reunification_may_rest_on_a_relative_refugee(example):
    data = example("EX-0003")
    data.pop("refugee_status")
    data["family"].append({"given_names": "Ana", "family_names": "Orellana", "relationship": "mother",
                           "in_mexico": True, "is_principal_refugee": True,
                           "refugee_status": {"resolution_number": "COMAR/CDMX/1/2026",
                                              "resolution_date": "2026-01-02"}})
    assert errors(data)[1] == {}


def test_all_errors_are_collected_at_once(example):
    data = example("EX-0001")
    data["child"].pop("given_names")
    data["child"]["date_of_birth"] = "nope"
    data["claim"]["grounds"] = []
    _, errs, _ = errors(data)
    assert {"child.given_names", "child.date_of_birth", "claim.grounds"} <= set(errs)


def test_messages_never_repeat_free_text(example):
    data = example("EX-0001")
    data["child"]["given_names"] = {"nested": "Ana Lucía"}
    data["claim"]["narrative"] = ["Relato secreto"]
    case, problems = parse_case(data, today=TODAY)
    text = " ".join(p.line() for p in problems)
    assert "Ana Lucía" not in text and "Relato secreto" not in text
    assert "EX-0001" in text


def test_validate_case_raises_with_case_id(example):
    data = example("EX-0001")
    data["procedures"] = ["nope"]
    with pytest.raises(CaseInvalid) as info:
        validate_case(data, today=TODAY)
    assert info.value.case_id == "EX-0001"
    assert info.value.problems[0].field == "procedures"


def test_spreadsheet_values_are_coerced(example):
    data = example("EX-0001")
    data["procedures"] = "asylum; coadyuvante"
    data["child"]["needs_interpreter"] = "sí"
    data["representative"]["professional_license"] = 12345678.0
    data["child"]["date_of_birth"] = "2010-05-14"
    case, errs, _ = errors(data)
    assert errs == {}
    assert case.procedures == ["asylum", "coadyuvante"]
    assert case.child.needs_interpreter is True
    assert case.representative.professional_license == "12345678"
