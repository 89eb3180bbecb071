"""Which procedures intake recommends, and why: the core function the
interview's intake screen calls, tested without docassemble."""

from __future__ import annotations

import pytest

from docassemble.puente.intake import FACTS, Recommendation, recommend


@pytest.mark.parametrize("accompaniment, facts, expected", [
    # accompaniment     fear   relative child  abroad   -> procedures (model order)
    ("unaccompanied", (True, False, False, False), ["asylum", "coadyuvante"]),
    ("separated", (False, False, False, False), ["coadyuvante"]),
    ("accompanied", (True, False, False, False), ["asylum"]),
    (None, (False, True, False, False), ["derivative_status"]),
    (None, (False, False, True, True), ["family_reunification"]),
    (None, (False, False, True, False), []),   # a refugee child with no family abroad
    (None, (False, False, False, True), []),   # family abroad, but the child is not a refugee
    ("unaccompanied", (True, True, True, True),
     ["asylum", "coadyuvante", "family_reunification", "derivative_status"]),
    ("accompanied", (False, False, False, False), []),
])
def test_procedures_for_the_facts(accompaniment, facts, expected):
    found = recommend(accompaniment, dict(zip(FACTS, facts, strict=True)))
    assert [r.procedure for r in found] == expected


def test_each_recommendation_says_why():
    found = recommend("separated", {"fear_of_return": True, "relative_is_refugee": True})
    assert found == [Recommendation("asylum", "fear_of_return"),
                     Recommendation("coadyuvante", "separated"),
                     Recommendation("derivative_status", "relative_is_refugee")]


def test_an_unanswered_fact_recommends_nothing():
    assert recommend(None, {"fear_of_return": None}) == []
    assert recommend(None, {}) == []


def test_an_unknown_fact_is_refused():
    with pytest.raises(ValueError, match="fear_of_retun"):
        recommend(None, {"fear_of_retun": True})


def test_title_and_basis_come_from_the_law_data(law):
    rec = Recommendation("asylum", "fear_of_return")
    es, en = rec.describe(law, "es"), rec.describe(law, "en")
    assert es["title"] == "Solicitud de reconocimiento de la condición de refugiado"
    assert en["title"] == law.term("procedures", "asylum")["en"]
    assert "LSRPCAP art. 13" in es["basis"] and "LSRPCAP art. 13" in en["basis"]
    assert es["procedure"] == en["procedure"] == "asylum" and es["reason"] == "fear_of_return"
    derivative = Recommendation("derivative_status", "relative_is_refugee").describe(law, "en")
    assert "derivative refugee status" in derivative["title"] and "LSRPCAP art. 12" in derivative["basis"]


@pytest.mark.parametrize("procedures, fear, expected", [
    # the application and the recurso always argue the child's own claim
    (["asylum"], None, True),
    (["review_appeal"], False, True),
    (["asylum", "derivative_status"], None, True),
    # the derivative filing argues it subsidiarily, only for a child who fears returning
    (["derivative_status"], True, True),
    (["derivative_status"], False, False),
    (["derivative_status"], None, None),          # not said yet: the interview asks it first
    (["derivative_status", "coadyuvante"], None, None),
    # no filing of these argues the claim
    (["coadyuvante"], True, False),
    (["family_reunification", "ratification"], True, False),
    ([], None, False),
])
def test_which_procedures_argue_the_childs_own_claim(procedures, fear, expected):
    """The interview asks the claim's structure (grounds, persecutor, social
    group, state protection) exactly when a chosen filing argues it."""
    from docassemble.puente.facts import own_claim_argued

    assert own_claim_argued(procedures, fear) is expected
