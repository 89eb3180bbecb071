"""WorkingCalendar, extra (acuerdo) days, the law loader's strictness on the
calendar and deadline files, the deadlines of whole cases, and the .ics file.

Dates below are counted by hand from docs/deadlines.md (see tests/cases/deadlines.yml
for the longer counts).
"""

from __future__ import annotations

import copy
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from docassemble.puente.calendar import ExtraDay, WorkingCalendar, load_extra_days, nth_weekday
from docassemble.puente.deadlines import Deadline, case_deadlines, compute
from docassemble.puente.errors import InputError, LawDataError
from docassemble.puente.ics import PRODID, deadlines_to_ics, escape_text, fold_line
from docassemble.puente.law import default_law, load_law
from docassemble.puente.resources import law_dir
from docassemble.puente.validate import parse_case

REPO = Path(__file__).resolve().parent.parent
ANA = REPO / "examples" / "ana-asylum.yaml"
LUIS = REPO / "examples" / "luis-derivative.yaml"
ROSA = REPO / "examples" / "rosa-reunification.yaml"
HOLY_WEEK_2026 = [ExtraDay(date(2026, 4, 2), "DOF 2026-03-20 (prueba)", "Jueves Santo"),
                  ExtraDay(date(2026, 4, 3), "DOF 2026-03-20 (prueba)", "Viernes Santo")]


def cal(extra=()) -> WorkingCalendar:
    return WorkingCalendar(default_law().calendar, extra)


# --------------------------------------------------------------------------
# WorkingCalendar


class TestNonWorkingReason:
    def test_working_day(self):
        assert cal().non_working_reason(date(2026, 3, 3)) is None

    @pytest.mark.parametrize("day", [date(2026, 3, 7), date(2026, 3, 8)])
    def test_weekend(self, day):
        assert cal().non_working_reason(day) == "weekend"

    @pytest.mark.parametrize("day,reason", [
        (date(2026, 1, 1), "1 de enero"),
        (date(2026, 5, 5), "5 de mayo"),
        (date(2026, 9, 16), "16 de septiembre"),
        (date(2026, 12, 25), "25 de diciembre"),
        (date(2026, 3, 16), "Tercer lunes de marzo (21 de marzo)"),
        (date(2030, 10, 1), "Transmisión del Poder Ejecutivo Federal"),
    ])
    def test_holiday_gives_its_spanish_name(self, day, reason):
        assert cal().non_working_reason(day) == reason

    def test_extra_day_gives_its_dof_reference(self):
        c = cal(HOLY_WEEK_2026)
        assert c.non_working_reason(date(2026, 4, 2)) == "DOF 2026-03-20 (prueba)"
        assert not c.is_working_day(date(2026, 4, 3))
        assert cal().is_working_day(date(2026, 4, 2))  # not without the acuerdo

    def test_weekend_and_holiday_take_precedence_over_extra_days(self):
        c = cal([ExtraDay(date(2026, 5, 5), "DOF x"), ExtraDay(date(2026, 4, 4), "DOF y")])
        assert c.non_working_reason(date(2026, 5, 5)) == "5 de mayo"
        assert c.non_working_reason(date(2026, 4, 4)) == "weekend"

    def test_extra_days_are_sorted_and_described(self):
        c = cal(list(reversed(HOLY_WEEK_2026)))
        assert [d.date for d in c.extra_days] == [date(2026, 4, 2), date(2026, 4, 3)]
        described = c.describe()
        assert described["name"] == "LFPA art. 28" == c.name
        assert described["extra_days"][0] == {"date": "2026-04-02", "reference": "DOF 2026-03-20 (prueba)",
                                              "name": "Jueves Santo"}

    def test_nth_weekday(self):
        assert nth_weekday(2026, 2, 0, 1) == date(2026, 2, 2)
        assert nth_weekday(2026, 3, 0, 3) == date(2026, 3, 16)
        assert nth_weekday(2027, 2, 0, 1) == date(2027, 2, 1)   # the 1st is a Monday
        assert nth_weekday(2027, 11, 0, 3) == date(2027, 11, 15)


class TestCounting:
    def test_add_working_days_needs_a_positive_count(self):
        with pytest.raises(ValueError):
            cal().add_working_days(date(2026, 3, 2), 0)

    def test_add_one_day_from_friday_is_monday(self):
        assert cal().add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)

    @pytest.mark.parametrize("after,up_to,expected", [
        (date(2026, 4, 14), date(2026, 4, 14), 0),   # same day
        (date(2026, 4, 14), date(2026, 4, 10), 0),   # up_to before after
        (date(2026, 4, 14), date(2026, 4, 15), 1),   # the next day counts
        (date(2026, 4, 17), date(2026, 4, 19), 0),   # Fri -> Sun: only the weekend
        (date(2026, 4, 17), date(2026, 4, 20), 1),   # Fri -> Mon
        (date(2026, 4, 18), date(2026, 4, 20), 1),   # from a Saturday
        (date(2026, 4, 14), date(2026, 4, 20), 4),   # the late example of docs/deadlines.md
        (date(2026, 4, 30), date(2026, 5, 6), 2),    # 1 May and 5 May skipped: 4, 6 May
        (date(2026, 12, 24), date(2027, 1, 4), 5),   # 28, 29, 30, 31 Dec, 4 Jan (25 Dec, 1 Jan X)
    ])
    def test_working_days_between(self, after, up_to, expected):
        assert cal().working_days_between(after, up_to) == expected

    def test_working_days_between_with_acuerdo(self):
        assert cal(HOLY_WEEK_2026).working_days_between(date(2026, 4, 1), date(2026, 4, 6)) == 1


# --------------------------------------------------------------------------
# Extra days from a file


class TestLoadExtraDays:
    def test_yaml_list(self, tmp_path):
        p = tmp_path / "acuerdos.yml"
        p.write_text(
            "- {date: 2026-04-02, reference: 'DOF 20/03/2026', name: Jueves Santo}\n"
            "- {date: '2026-04-03', dof: 'DOF 20/03/2026'}\n", encoding="utf-8")
        days = load_extra_days(p)
        assert days == [ExtraDay(date(2026, 4, 2), "DOF 20/03/2026", "Jueves Santo"),
                        ExtraDay(date(2026, 4, 3), "DOF 20/03/2026", "")]
        assert cal(days).add_working_days(date(2026, 3, 2), 30) == date(2026, 4, 16)

    def test_yaml_mapping_with_days(self, tmp_path):
        p = tmp_path / "acuerdos.yaml"
        p.write_text("days:\n  - {date: 2026-11-02, reference: DOF 1}\n", encoding="utf-8")
        assert load_extra_days(p) == [ExtraDay(date(2026, 11, 2), "DOF 1")]

    def test_empty_yaml(self, tmp_path):
        p = tmp_path / "empty.yml"
        p.write_text("", encoding="utf-8")
        assert load_extra_days(p) == []

    def test_csv_with_bom(self, tmp_path):
        p = tmp_path / "acuerdos.CSV"
        p.write_text("date,reference,name\n2026-04-02,\"DOF 20/03/2026, primera sección\",Jueves Santo\n"
                     " 2026-04-03 ,DOF 20/03/2026,\n", encoding="utf-8-sig")
        assert load_extra_days(p) == [ExtraDay(date(2026, 4, 2), "DOF 20/03/2026, primera sección", "Jueves Santo"),
                                      ExtraDay(date(2026, 4, 3), "DOF 20/03/2026", "")]

    @pytest.mark.parametrize("name,content", [
        ("a.yml", "- {date: 2026-04-02}\n"),
        ("b.yml", "- {date: 2026-04-02, reference: '  '}\n"),
        ("c.csv", "date,reference\n2026-04-02,\n"),
        ("d.csv", "date,name\n2026-04-02,Jueves Santo\n"),
    ])
    def test_missing_dof_reference(self, tmp_path, name, content):
        p = tmp_path / name
        p.write_text(content, encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_extra_days(p)
        assert "DOF" in str(err.value)
        assert err.value.problem.params["entry"] == 1

    @pytest.mark.parametrize("name,content", [
        ("a.yml", "- {date: '02/04/2026', reference: DOF 1}\n"),
        ("b.yml", "- {date: '2026-02-30', reference: DOF 1}\n"),
        ("c.yml", "- {reference: DOF 1}\n"),
        ("d.csv", "date,reference\n02/04/2026,DOF 1\n"),
        ("e.csv", "date,reference\n2026-04-31,DOF 1\n"),
    ])
    def test_bad_date(self, tmp_path, name, content):
        p = tmp_path / name
        p.write_text(content, encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_extra_days(p)
        assert "YYYY-MM-DD" in str(err.value)

    def test_entry_not_a_mapping(self, tmp_path):
        p = tmp_path / "a.yml"
        p.write_text("- 2026-04-02\n", encoding="utf-8")
        with pytest.raises(InputError):
            load_extra_days(p)

    def test_unreadable(self, tmp_path):
        with pytest.raises(InputError):
            load_extra_days(tmp_path / "missing.yml")
        p = tmp_path / "broken.yml"
        p.write_text("- {date: [\n", encoding="utf-8")
        with pytest.raises(InputError):
            load_extra_days(p)

    def test_bad_unquoted_yaml_date(self, tmp_path):
        p = tmp_path / "a.yml"
        p.write_text("- {date: 2026-13-01, reference: DOF 1}\n", encoding="utf-8")
        with pytest.raises(InputError):
            load_extra_days(p)

    def test_not_utf8(self, tmp_path):
        p = tmp_path / "a.csv"
        p.write_bytes("date,reference\n2026-04-02,DOF Jueves Santo año 2026\n".encode("latin-1"))
        with pytest.raises(InputError):
            load_extra_days(p)

    def test_yaml_datetime_is_not_silently_ignored(self, tmp_path):
        p = tmp_path / "a.yml"
        p.write_text("- {date: 2026-04-02 10:00:00, reference: DOF 1}\n", encoding="utf-8")
        try:
            days = load_extra_days(p)
        except InputError:
            return
        assert not cal(days).is_working_day(date(2026, 4, 2))


# --------------------------------------------------------------------------
# The law loader is strict on calendar.yml and deadlines.yml


@pytest.fixture
def law_copy(tmp_path) -> Path:
    target = tmp_path / "law"
    shutil.copytree(law_dir(), target)
    return target


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _replace(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _fails(folder: Path, *fragments: str) -> str:
    with pytest.raises(LawDataError) as err:
        load_law(folder)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_unchanged_copy_loads(law_copy):
    law = load_law(law_copy)
    assert set(law.deadlines) == set(default_law().deadlines)
    assert law.calendar == default_law().calendar


class TestLawStrictness:
    def test_calendar_day_unknown_key(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][0].update(observed=True))
        _fails(law_copy, "law/calendar.yml", "days[0]", "observed")

    def test_calendar_top_level_unknown_key(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d.update(saturdays=True))
        _fails(law_copy, "law/calendar.yml", "'calendar'", "saturdays")

    def test_calendar_bad_date(self, law_copy):
        _replace(law_copy, "calendar.yml", "valid_until: 2023-12-31", "valid_until: '31/12/2023'")
        _fails(law_copy, "law/calendar.yml", "days[8]", "bad date", "31/12/2023")

    def test_calendar_impossible_unquoted_date(self, law_copy):
        _replace(law_copy, "calendar.yml", "valid_until: 2023-12-31", "valid_until: 2023-13-31")
        _fails(law_copy, "law/calendar.yml")

    def test_calendar_impossible_day_of_month(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][0].update(month=2, day=30))
        _fails(law_copy, "law/calendar.yml", "days[0]")

    def test_calendar_month_not_a_number(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][0].update(month="enero"))
        _fails(law_copy, "law/calendar.yml", "days[0]")

    def test_calendar_month_out_of_range(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][0].update(month=13))
        _fails(law_copy, "law/calendar.yml", "days[0]", "month")

    def test_calendar_day_missing_basis(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][4].pop("basis"))
        _fails(law_copy, "law/calendar.yml", "days[4]", "basis")

    def test_calendar_day_basis_unknown_citation(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][4].update(basis=["lfpa_art28", "lfpa_art99"]))
        _fails(law_copy, "law/calendar.yml", "days[4]", "unknown citation 'lfpa_art99'")

    def test_calendar_basis_unknown_citation(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d.update(basis=["nope"]))
        _fails(law_copy, "law/calendar.yml", "'calendar'", "'nope'")

    def test_calendar_unknown_weekday(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d.update(weekly_rest=["saturday", "domingo"]))
        _fails(law_copy, "law/calendar.yml", "weekly_rest", "domingo")

    def test_calendar_nth_weekday_needs_n(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][1].pop("n"))
        _fails(law_copy, "law/calendar.yml", "days[1]", "'n'")

    def test_calendar_every_years_needs_first_year(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][9].pop("first_year"))
        _fails(law_copy, "law/calendar.yml", "days[9]", "first_year")

    def test_calendar_day_without_day_or_weekday(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][0].pop("day"))
        _fails(law_copy, "law/calendar.yml", "days[0]")

    def test_calendar_name_needs_both_languages(self, law_copy):
        _edit(law_copy, "calendar.yml", lambda d: d["days"][0]["name"].pop("en"))
        _fails(law_copy, "law/calendar.yml", "days[0]", "en")

    def test_deadline_unknown_key(self, law_copy):
        _edit(law_copy, "deadlines.yml", lambda d: d["asylum_filing"].update(days=30))
        _fails(law_copy, "law/deadlines.yml", "'asylum_filing'", "days")

    def test_deadline_missing_basis(self, law_copy):
        _edit(law_copy, "deadlines.yml", lambda d: d["review_appeal"].pop("basis"))
        _fails(law_copy, "law/deadlines.yml", "'review_appeal'", "basis")

    def test_deadline_basis_unknown_citation(self, law_copy):
        _edit(law_copy, "deadlines.yml", lambda d: d["review_appeal"].update(basis=["lfpa_art85", "lsrpcap_art250"]))
        _fails(law_copy, "law/deadlines.yml", "'review_appeal'", "'lsrpcap_art250'")

    @pytest.mark.parametrize("key,value,fragment", [
        ("unit", "calendar_days", "unit"),
        ("trigger", "arrival_date", "trigger"),
        ("term", 0, "term"),
        ("term", "30", "term"),
        ("term", 2.5, "term"),
    ])
    def test_deadline_bad_values(self, law_copy, key, value, fragment):
        _edit(law_copy, "deadlines.yml", lambda d: d["asylum_filing"].update({key: value}))
        _fails(law_copy, "law/deadlines.yml", "'asylum_filing'", fragment)

    def test_deadline_term_bool(self, law_copy):
        _edit(law_copy, "deadlines.yml", lambda d: d["asylum_filing"].update(term=True))
        _fails(law_copy, "law/deadlines.yml", "'asylum_filing'", "term")

    def test_deadline_label_needs_both_languages(self, law_copy):
        _edit(law_copy, "deadlines.yml", lambda d: d["ratification"].update(label={"es": "Ratificación"}))
        _fails(law_copy, "law/deadlines.yml", "'ratification'")

    def test_citation_without_source(self, law_copy):
        _edit(law_copy, "citations.yml", lambda d: d["lfpa_art28"].pop("source"))
        _fails(law_copy, "law/citations.yml", "'lfpa_art28'", "source")

    def test_statute_without_source(self, law_copy):
        def change(d):
            next(iter(d.values())).pop("source")
        _edit(law_copy, "statutes.yml", change)
        _fails(law_copy, "law/statutes.yml", "source")

    def test_checklist_item_without_basis_or_source(self, law_copy):
        def change(d):
            for sections in d.values():
                for items in sections.values():
                    for item in items or []:
                        item.pop("basis", None)
                        item.pop("source", None)
                        return
        _edit(law_copy, "checklists.yml", change)
        _fails(law_copy, "law/checklists.yml", "needs a 'basis'")

    def test_missing_file(self, law_copy):
        (law_copy / "calendar.yml").unlink()
        _fails(law_copy, "law/calendar.yml", "missing")

    def test_invalid_yaml(self, law_copy):
        (law_copy / "deadlines.yml").write_text("asylum_filing: [\n", encoding="utf-8")
        _fails(law_copy, "law/deadlines.yml", "YAML")


# --------------------------------------------------------------------------
# case_deadlines on whole cases


def _case_data(path: Path = ANA) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _case(data: dict, today: date = date(2026, 4, 20)):
    case, problems = parse_case(copy.deepcopy(data), today=today)
    assert case is not None, [p.line() for p in problems]
    return case


def _deadlines(data: dict, extra=()) -> dict[str, Deadline]:
    found = case_deadlines(_case(data), default_law(), cal(extra))
    ids = [d.id for d in found]
    assert len(ids) == len(set(ids))
    return {d.id: d for d in found}


class TestCaseDeadlines:
    def test_ana_example(self):
        found = case_deadlines(_case(_case_data()), default_law(), cal())
        assert [d.id for d in found] == ["asylum_filing", "ratification", "comar_resolution"]
        d = {x.id: x for x in found}

        asylum = d["asylum_filing"]
        assert (asylum.from_date, asylum.date) == (date(2026, 3, 2), date(2026, 4, 14))
        assert asylum.status == "past" and asylum.is_past
        assert asylum.working_days_late == 4
        assert not asylum.projected
        assert asylum.basis == "LSRPCAP art. 18"

        # Projected from the filing date of these documents, Monday 20 April 2026.
        rat = d["ratification"]
        assert (rat.from_date, rat.date, rat.status, rat.projected) == (
            date(2026, 4, 20), date(2026, 4, 23), "open", True)
        res = d["comar_resolution"]
        assert (res.from_date, res.date, res.status, res.projected) == (
            date(2026, 4, 20), date(2026, 6, 24), "open", True)
        assert res.rule.informational

    def test_ana_to_dict(self):
        asylum = _deadlines(_case_data())["asylum_filing"].to_dict()
        assert asylum["date"] == "2026-04-14" and asylum["from"] == "2026-03-02"
        assert asylum["working_days"] == 30 and asylum["status"] == "past" and asylum["working_days_late"] == 4
        res = _deadlines(_case_data())["comar_resolution"].to_dict()
        assert res["informational"] is True and res["projected"] is True and "working_days_late" not in res

    def test_ana_with_holy_week_acuerdo(self):
        asylum = _deadlines(_case_data(), HOLY_WEEK_2026)["asylum_filing"]
        assert asylum.date == date(2026, 4, 16)
        assert asylum.working_days_late == 2   # 17 and 20 April

    def test_refusal_gives_review_appeal(self):
        data = _case_data()
        data["proceedings"] = {"refusal_notified_date": "2026-04-06"}
        data["procedures"] = ["review_appeal", "coadyuvante"]  # a refused case gets the recurso, not a new application
        appeal = _deadlines(data)["review_appeal"]
        # Mon 6 Apr: 7-10 ->4; 13-17 ->9; 20-24 ->14; Mon 27 ->15
        assert (appeal.from_date, appeal.date, appeal.status) == (date(2026, 4, 6), date(2026, 4, 27), "open")
        assert "LFPA art. 85" in appeal.basis

    def test_refusal_already_past(self):
        data = _case_data()
        data["proceedings"] = {"refusal_notified_date": "2026-03-20"}
        data["procedures"] = ["review_appeal", "coadyuvante"]  # a refused case gets the recurso, not a new application
        appeal = _deadlines(data)["review_appeal"]
        # Fri 20 Mar: 23-27 ->5; 30 Mar-3 Apr ->10; 6-10 Apr ->15. Late: 13-17, 20 -> 6
        assert (appeal.date, appeal.status, appeal.working_days_late) == (date(2026, 4, 10), "past", 6)

    def test_prevention_gives_prevention_reply(self):
        data = _case_data()
        data["proceedings"] = {"prevention_notified_date": "2026-04-15"}
        reply = _deadlines(data)["prevention_reply"]
        # Wed 15 Apr: 16 ->1; 17 ->2; 20 ->3; 21 ->4; 22 ->5
        assert (reply.from_date, reply.date, reply.status) == (date(2026, 4, 15), date(2026, 4, 22), "open")
        assert "review_appeal" not in _deadlines(data)

    def test_prevention_reply_past(self):
        data = _case_data()
        data["proceedings"] = {"prevention_notified_date": "2026-04-08"}
        reply = _deadlines(data)["prevention_reply"]
        # Wed 8 Apr: 9, 10, 13, 14, 15 -> 15 Apr. Late: 16, 17, 20 -> 3
        assert (reply.date, reply.status, reply.working_days_late) == (date(2026, 4, 15), "past", 3)

    def test_comar_filed_date_is_used(self):
        data = _case_data()
        data["proceedings"] = {"comar_filed_date": "2026-04-16", "comar_case_number": "TAP/123/2026"}
        d = _deadlines(data)
        # The asylum term is judged on the date actually filed (Thu 16 Apr): 15, 16 -> 2 late.
        assert (d["asylum_filing"].status, d["asylum_filing"].working_days_late) == ("past", 2)
        # Ratification and resolution run from the recorded filing, not projected.
        rat = d["ratification"]
        assert (rat.from_date, rat.date, rat.status, rat.projected) == (
            date(2026, 4, 16), date(2026, 4, 21), "open", False)
        res = d["comar_resolution"]
        # 17 ->1; 20-24 ->6; 27-30 ->10; 1 May X; 4 ->11; 5 May X; 6-8 ->14; 11-15 ->19; 18-22 ->24;
        # 25-29 ->29; 1-5 Jun ->34; 8-12 ->39; 15-19 ->44; Mon 22 Jun ->45
        assert (res.from_date, res.date, res.projected) == (date(2026, 4, 16), date(2026, 6, 22), False)

    def test_filed_in_time(self):
        data = _case_data()
        data["proceedings"] = {"comar_filed_date": "2026-04-14"}
        asylum = _deadlines(data)["asylum_filing"]
        assert (asylum.status, asylum.working_days_late) == ("open", 0)

    def test_derivative_status_example(self):
        d = _deadlines(_case_data(LUIS))
        # Entry Sunday 10 May 2026: 11-15 ->5; 18-22 ->10; 25-29 ->15; 1-5 Jun ->20; 8-12 ->25; 15-19 ->30
        assert (d["asylum_filing"].date, d["asylum_filing"].status) == (date(2026, 6, 19), "open")
        # Filing Monday 1 June 2026: 2, 3, 4 June
        assert d["ratification"].date == date(2026, 6, 4)

    def test_family_reunification_has_no_comar_terms(self):
        # Rosa (born 11 February 2009) turns 18 within a year of the filing
        # date (15 September 2026): that is her only row.
        assert list(_deadlines(_case_data(ROSA))) == ["coming_of_age"]

    def test_informational_deadline_is_never_past(self):
        rule = default_law().deadlines["comar_resolution"]
        d = compute(rule, date(2026, 3, 2), date(2026, 12, 31), cal())
        assert d.status == "open" and d.working_days_late == 0


# --------------------------------------------------------------------------
# Coming of age (LGDNNA art. 5): the 18th birthday within a year of the date


def _with_birth(dob: str, filing: str = "2026-04-20") -> dict:
    data = _case_data()
    data["child"]["date_of_birth"] = dob
    data["filing_date"] = filing
    return data


class TestComingOfAge:
    # (date of birth, the date judged on, expected 18th birthday or None, status)
    TABLE = [
        ("2010-05-14", None, "2028-05-14", None),              # Ana: 2 years away on 20 Apr 2026
        ("2008-06-01", None, "2026-06-01", "open"),            # 6 weeks after filing
        ("2008-04-21", None, "2026-04-21", "open"),            # the day after filing
        ("2009-04-20", None, "2027-04-20", "open"),            # exactly a year after filing: shown
        ("2009-04-21", None, "2027-04-21", None),              # a year and a day: not yet
        ("2008-02-29", "2026-03-01", "2026-02-28", "past"),    # 29 Feb -> 28 Feb; judged after it
        ("2008-06-01", "2026-07-01", "2026-06-01", "past"),    # the board a month after the birthday
        ("2008-06-01", "2027-06-01", "2026-06-01", "past"),    # a year after: still shown
        ("2008-06-01", "2027-06-02", "2026-06-01", None),      # a year and a day after: gone
    ]

    @pytest.mark.parametrize("dob,today,birthday,status", TABLE)
    def test_table(self, dob, today, birthday, status):
        data = _with_birth(dob)
        if date.fromisoformat(birthday) <= date(2026, 4, 20):
            # the validator refuses an adult on the filing date: file earlier
            data["filing_date"], data["child"]["entry_date"] = "2026-01-05", "2025-12-01"
        case = _case(data)
        found = {d.id: d for d in case_deadlines(case, default_law(), cal(),
                                                  today=date.fromisoformat(today) if today else None)}
        if status is None:
            assert "coming_of_age" not in found
            return
        d = found["coming_of_age"]
        assert (d.date, d.from_date, d.status) == (date.fromisoformat(birthday), date.fromisoformat(dob), status)
        assert d.basis == "LGDNNA art. 5"
        assert d.rule.label.es.startswith("La NNA cumple 18 años") and d.rule.note.en

    def test_no_date_of_birth_no_row(self):
        data = _with_birth("2008-06-01")
        del data["child"]["date_of_birth"]
        data["child"].update(age_estimated=True, estimated_age=17)
        assert "coming_of_age" not in _deadlines(data)

    def test_the_other_terms_are_still_judged_on_the_filing_date(self):
        case = _case(_with_birth("2008-06-01"))
        later = {d.id: d for d in case_deadlines(case, default_law(), cal(), today=date(2026, 12, 1))}
        assert (later["asylum_filing"].status, later["asylum_filing"].working_days_late) == ("past", 4)
        assert later["ratification"].status == "open"

    def test_in_the_ics_with_an_alarm(self):
        case = _case(_with_birth("2008-06-01"))
        text = deadlines_to_ics("EX-0001", case_deadlines(case, default_law(), cal()), "LFPA art. 28")
        events = {e["UID"]: e for e in _events(_unfold(text))}
        ev = events["EX-0001-coming_of_age@puente"]
        assert ev["DTSTART;VALUE=DATE"] == "20260601" and "TRIGGER" in ev["_alarm"]


class TestStateOn:
    """A deadline's state on a given day (the board): pinned by hand."""

    @pytest.mark.parametrize("today,due,state,left", [
        # Thursday 23 April 2026 ratification (Ana), seen on:
        (date(2026, 4, 20), date(2026, 4, 23), "this_week", 3),       # Mon: 21, 22, 23
        (date(2026, 4, 23), date(2026, 4, 23), "this_week", 0),       # the day itself
        (date(2026, 4, 24), date(2026, 4, 23), "overdue", -1),        # Fri: one working day late
        (date(2026, 4, 27), date(2026, 4, 23), "overdue", -2),        # Mon: 24, 27
        (date(2026, 4, 17), date(2026, 4, 23), "this_week", 4),       # Fri 17: 20, 21, 22, 23
        (date(2026, 4, 16), date(2026, 4, 23), "next_30_days", 5),    # Thu 16: 17, 20, 21, 22, 23
        (date(2026, 3, 24), date(2026, 4, 23), "next_30_days", 22),   # 30 days: 25-27, 30-31, 1-3, 6-10, 13-17, 20-23
        (date(2026, 3, 23), date(2026, 4, 23), "later", 23),          # 31 days
        # 2-6, 9-13, 16 X, 17-20, 23-27, 30 Mar-3 Apr, 6-10, 13-17, 20-23
        (date(2026, 3, 1), date(2026, 4, 23), "later", 38),
    ])
    def test_ratification(self, today, due, state, left):
        from docassemble.puente.deadlines import state_on, working_days_left
        d = {x.id: x for x in case_deadlines(_case(_case_data()), default_law(), cal())}["ratification"]
        assert d.date == due
        assert working_days_left(d, today, cal()) == left
        assert state_on(d, today, cal()) == state


# --------------------------------------------------------------------------
# The .ics file


def _unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "bare LF"
    assert "\r" not in text.replace("\r\n", ""), "bare CR"
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _events(lines: list[str]) -> list[dict[str, str]]:
    events, current, depth = [], None, []
    for line in lines:
        if line.startswith("BEGIN:"):
            depth.append(line[6:])
            if line == "BEGIN:VEVENT":
                current = {"_alarm": ""}
            continue
        if line.startswith("END:"):
            assert depth.pop() == line[4:], line
            if line == "END:VEVENT":
                events.append(current)
                current = None
            continue
        name, _, value = line.partition(":")
        if current is not None:
            if depth[-1] == "VALARM":
                current["_alarm"] += line + "\n"
            else:
                assert name not in current, f"duplicate {name}"
                current[name] = value
    assert depth == []
    return events


@pytest.fixture(scope="module")
def ana_deadlines() -> list[Deadline]:
    return case_deadlines(_case(_case_data()), default_law(), cal())


@pytest.fixture(scope="module")
def ana_ics(ana_deadlines) -> str:
    return deadlines_to_ics("EX-0001", ana_deadlines, "LFPA art. 28 (sin acuerdos)")


class TestIcs:
    def test_calendar_header(self, ana_ics):
        lines = _unfold(ana_ics)
        assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
        assert f"PRODID:{PRODID}" in lines and PRODID == "-//Puente//Deadlines//ES"
        assert "VERSION:2.0" in lines
        assert "CALSCALE:GREGORIAN" in lines

    def test_crlf_and_line_length(self, ana_ics):
        raw = ana_ics.encode("utf-8")
        for line in raw.split(b"\r\n")[:-1]:
            assert len(line) <= 75, line
            line.decode("utf-8")  # never folded inside a character
        assert raw.endswith(b"END:VCALENDAR\r\n")

    def test_every_deadline_is_an_all_day_event(self, ana_ics, ana_deadlines):
        events = _events(_unfold(ana_ics))
        assert len(events) == len(ana_deadlines) == 3
        by_uid = {e["UID"]: e for e in events}
        assert by_uid["EX-0001-asylum_filing@puente"]["DTSTART;VALUE=DATE"] == "20260414"
        assert by_uid["EX-0001-asylum_filing@puente"]["DTEND;VALUE=DATE"] == "20260415"
        assert by_uid["EX-0001-ratification@puente"]["DTSTART;VALUE=DATE"] == "20260423"
        assert by_uid["EX-0001-comar_resolution@puente"]["DTSTART;VALUE=DATE"] == "20260624"
        assert by_uid["EX-0001-comar_resolution@puente"]["DTEND;VALUE=DATE"] == "20260625"
        for event, deadline in zip(events, ana_deadlines, strict=True):
            assert event["UID"] == f"EX-0001-{deadline.id}@puente"
            assert event["DTSTAMP"] == deadline.from_date.strftime("%Y%m%d") + "T000000Z"
            assert _unescape(event["SUMMARY"]) == f"EX-0001: {deadline.label.es}"

    def test_description(self, ana_ics):
        events = {e["UID"]: e for e in _events(_unfold(ana_ics))}
        text = _unescape(events["EX-0001-asylum_filing@puente"]["DESCRIPTION"])
        assert "LSRPCAP art. 18" in text
        assert "2026-03-02" in text
        assert "30 días hábiles" in text
        assert "vencido" in text and "4 días hábiles" in text
        assert "LFPA art. 28 (sin acuerdos)" in text
        assert "DOF" in text  # acuerdos may add days
        res = _unescape(events["EX-0001-comar_resolution@puente"]["DESCRIPTION"])
        assert "informativo" in res and "45 días hábiles" in res and "2026-04-20" in res

    def test_alarms(self, ana_ics):
        events = {e["UID"]: e for e in _events(_unfold(ana_ics))}
        assert events["EX-0001-asylum_filing@puente"]["_alarm"] == ""       # past
        assert events["EX-0001-comar_resolution@puente"]["_alarm"] == ""    # informational
        alarm = events["EX-0001-ratification@puente"]["_alarm"]
        assert "TRIGGER:-P3D" in alarm and "ACTION:DISPLAY" in alarm and "DESCRIPTION:" in alarm

    def test_no_child_name(self, ana_ics):
        data = _case_data()
        text = _unescape("\n".join(_unfold(ana_ics)))
        for word in (data["child"]["given_names"].split() + data["child"]["family_names"].split()):
            assert word not in text, word

    def test_english(self, ana_deadlines):
        text = deadlines_to_ics("EX-0001", ana_deadlines, "LFPA art. 28", lang="en")
        events = _events(_unfold(text))
        assert _unescape(events[0]["SUMMARY"]) == "EX-0001: Filing of the asylum application"
        description = _unescape(events[0]["DESCRIPTION"])
        assert "30 business days" in description and "4 business days late" in description

    def test_unknown_language(self, ana_deadlines):
        with pytest.raises(ValueError):
            deadlines_to_ics("EX-0001", ana_deadlines, "LFPA art. 28", lang="fr")

    def test_reproducible(self, ana_deadlines):
        assert deadlines_to_ics("EX-0001", ana_deadlines, "x") == deadlines_to_ics("EX-0001", ana_deadlines, "x")

    def test_escaping_round_trip(self, ana_deadlines):
        name = "LFPA art. 28; acuerdos, DOF 20/03/2026\\primera\nsegunda línea"
        text = deadlines_to_ics("EX-0001", ana_deadlines, name)
        assert "LFPA art. 28\\; acuerdos\\, DOF 20/03/2026\\\\primera\\nsegunda línea" in "".join(_unfold(text))
        description = _unescape(_events(_unfold(text))[0]["DESCRIPTION"])
        assert name in description

    def test_escape_text(self):
        assert escape_text("a,b;c\\d\r\ne\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
        assert escape_text("tab\there\x00") == "tab\there"

    def test_folding_is_utf8_aware(self, ana_deadlines):
        name = "Calendario " + "é" * 100 + " 🗓" * 40
        text = deadlines_to_ics("EX-0001", ana_deadlines, name)
        for line in text.encode("utf-8").split(b"\r\n")[:-1]:
            assert len(line) <= 75
            line.decode("utf-8")
        assert name in _unescape(_events(_unfold(text))[0]["DESCRIPTION"])

    def test_fold_line(self):
        assert fold_line("A" * 75) == "A" * 75
        assert fold_line("A" * 76) == "A" * 75 + "\r\n A"
        folded = fold_line("ñ" * 50)   # 100 octets
        first, second = folded.split("\r\n")
        assert len(first.encode()) == 74 and second == " " + "ñ" * 13

    def test_years_rule_and_projected(self):
        law = default_law()
        i730 = compute(law.deadlines["i730_filing"], date(2024, 2, 29), date(2026, 4, 20), cal())
        rat = compute(law.deadlines["ratification"], date(2026, 4, 20), date(2026, 4, 20), cal(), projected=True)
        text = deadlines_to_ics("EX-0009", [i730, rat], "LFPA art. 28")
        events = _events(_unfold(text))
        assert events[0]["DTSTART;VALUE=DATE"] == "20260228"   # 29 Feb + 2 years -> 28 Feb
        assert "2 años" in _unescape(events[0]["DESCRIPTION"])
        assert "prevista" in _unescape(events[1]["DESCRIPTION"])
        assert events[1]["_alarm"]

    def test_no_deadlines(self):
        lines = _unfold(deadlines_to_ics("EX-0001", [], "LFPA art. 28"))
        assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
        assert "BEGIN:VEVENT" not in lines
