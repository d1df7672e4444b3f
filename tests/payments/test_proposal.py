"""Payment proposal: what is paid, what is left out and why, credit-note netting, and the file it becomes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nofaktura.bank.pain001 import write_pain001
from nofaktura.bank.payment_order import PostalAddress
from nofaktura.bank.proposal import REASON_TEXTS, Bill, Reason, propose, reason_text

from .helpers import CREATED, DEBTOR_ACCOUNT, account, assert_valid, ns_of

TODAY = datetime.date(2026, 12, 3)


def bill(ref, **kw) -> Bill:
    data = dict(ref=ref, payee=kw.pop("payee", "P1"), payee_name="Kraft AS", due_date=TODAY,
                amount=Decimal("100.00"), payee_account=account(1), account_confirmed=True, kid=None,
                message=f"Faktura {ref}", number=f"F-{ref}")
    data.update(kw)
    return Bill(**data)


def reasons(proposal):
    return {left.bill.ref: left.reason for left in proposal.left_out}


def test_every_reason_to_leave_out():
    bills = [
        bill("ok"),
        bill("unapproved", approved=False),
        bill("blocked", blocked=True),
        bill("noacc", payee_account=None),
        bill("badacc", payee_account="15035684278"),
        bill("unconfirmed", account_confirmed=False),
        bill("badkid", kid="123456784", message=None),
        bill("nothing", message=None),
        bill("later", due_date=TODAY + datetime.timedelta(days=30)),
        bill("zero", amount=Decimal("0.00")),
    ]
    proposal = propose(bills, today=TODAY, horizon_days=7)
    assert [line.bill.ref for line in proposal.lines] == ["ok"]
    assert reasons(proposal) == {
        "unapproved": Reason.NOT_APPROVED, "blocked": Reason.BLOCKED, "noacc": Reason.NO_ACCOUNT,
        "badacc": Reason.INVALID_ACCOUNT, "unconfirmed": Reason.UNCONFIRMED_ACCOUNT, "badkid": Reason.INVALID_KID,
        "nothing": Reason.NO_REFERENCE, "later": Reason.NOT_DUE, "zero": Reason.NOTHING_TO_PAY,
    }
    left = {x.bill.ref: x for x in proposal.left_out}
    assert "MOD11" in left["badacc"].text or "check" in left["badacc"].text.lower()
    assert left["unconfirmed"].text == REASON_TEXTS[Reason.UNCONFIRMED_ACCOUNT]
    assert all(reason_text(r) for r in Reason)


def test_kid_is_the_reference_an_invalid_kid_falls_back_to_the_message():
    proposal = propose([bill("k", kid="1234567890128"), bill("bad", kid="1234567890127", message="Faktura 9")],
                       today=TODAY)
    by_ref = {line.bill.ref: line for line in proposal.lines}
    assert (by_ref["k"].kid, by_ref["k"].text) == ("1234567890128", None)
    assert (by_ref["bad"].kid, by_ref["bad"].text) == (None, "Faktura 9")


def test_due_horizon_overdue_and_chosen_by_hand():
    bills = [bill("overdue", due_date=TODAY - datetime.timedelta(days=5)),
             bill("in7", due_date=TODAY + datetime.timedelta(days=7)),
             bill("in8", due_date=TODAY + datetime.timedelta(days=8)),
             bill("hand", due_date=TODAY + datetime.timedelta(days=60))]
    proposal = propose(bills, today=TODAY, horizon_days=7, chosen={"hand"})
    dates = {line.bill.ref: line.execution_date for line in proposal.lines}
    assert dates == {"overdue": TODAY, "in7": TODAY + datetime.timedelta(days=7),
                     "hand": TODAY + datetime.timedelta(days=60)}
    assert reasons(proposal) == {"in8": Reason.NOT_DUE}
    # Chosen by hand still needs approval.
    assert reasons(propose([bill("hand", approved=False)], today=TODAY, chosen={"hand"})) == {
        "hand": Reason.NOT_APPROVED}


def test_credit_notes_only_where_allowed_and_never_against_kid():
    bills = [
        bill("kidbill", kid="1234567890128", amount=Decimal("500.00")),
        bill("small", amount=Decimal("50.00")),
        bill("big", amount=Decimal("300.00")),
        bill("cn1", credit_note=True, amount=Decimal("100.00")),
        bill("cn2", credit_note=True, amount=Decimal("400.00")),  # larger than any bill without KID
        bill("cn-other", credit_note=True, amount=Decimal("10.00"), payee="P2"),
    ]
    proposal = propose(bills, today=TODAY, net_credit_notes=True)
    by_ref = {line.bill.ref: line for line in proposal.lines}
    assert by_ref["kidbill"].amount == Decimal("500.00") and not by_ref["kidbill"].credit_notes
    assert by_ref["big"].amount == Decimal("200.00")
    assert [c.ref for c in by_ref["big"].credit_notes] == ["cn1"]
    assert by_ref["small"].amount == Decimal("50.00")
    assert reasons(proposal) == {"cn2": Reason.NO_BILL_TO_NET, "cn-other": Reason.NO_BILL_TO_NET}
    # The bank does not net: every credit note is left out, bills are paid in full.
    plain = propose(bills, today=TODAY, net_credit_notes=False)
    assert {line.bill.ref: line.amount for line in plain.lines}["big"] == Decimal("300.00")
    assert set(reasons(plain).values()) == {Reason.NETTING_NOT_ALLOWED}
    # A credit note that would bring a bill to zero is not netted either.
    exact = propose([bill("b"), bill("c", credit_note=True)], today=TODAY, net_credit_notes=True)
    assert reasons(exact) == {"c": Reason.NO_BILL_TO_NET}
    # Unapproved credit notes are never netted.
    unapproved = propose([bill("b", amount=Decimal("300")), bill("c", credit_note=True, approved=False)],
                         today=TODAY, net_credit_notes=True)
    assert reasons(unapproved) == {"c": Reason.NOT_APPROVED}


@pytest.mark.parametrize("version", ["03", "09"])
def test_proposal_becomes_a_valid_file_with_netting_and_batches(version):
    later = TODAY + datetime.timedelta(days=2)
    bills = [bill("a", kid="1234567890128"), bill("b", amount=Decimal("300.00"), due_date=later),
             bill("c", credit_note=True, amount=Decimal("120.50")),
             bill("d", currency="EUR", payee="P9", payee_account="DE89370400440532013000", payee_bic="COBADEFFXXX",
                  payee_address=None, regulatory_code="14", regulatory_text="Import of goods")]
    bills[3] = Bill(**{**bills[3].__dict__, "payee_address": PostalAddress(country="DE")})
    proposal = propose(bills, today=TODAY, horizon_days=5, net_credit_notes=True)
    order = proposal.payment_order(end_to_end_id=lambda line: f"E-{line.bill.ref}", message_id="PAY-P",
                                   debtor_name="Betaler AS", debtor_account=DEBTOR_ACCOUNT, debtor_bic="DNBANOKK",
                                   regulatory_reporting=True)
    root = assert_valid(write_pain001(order, created=CREATED, version=version), version)
    ns = ns_of(version)
    assert len(root.findall(".//p:PmtInf", ns)) == 3  # NOK today, NOK later, EUR today
    b = root.xpath(".//p:CdtTrfTxInf[p:PmtId/p:EndToEndId='E-b']", namespaces=ns)[0]
    assert b.findtext("p:Amt/p:InstdAmt", namespaces=ns) == "179.50"
    assert [c.text for c in b.findall(".//p:RfrdDocInf/p:Tp/p:CdOrPrtry/p:Cd", ns)] == ["CINV", "CREN"]
    assert proposal.total == {"NOK": Decimal("279.50"), "EUR": Decimal("100.00")}


def test_bad_arguments():
    with pytest.raises(TypeError):
        propose([], today=datetime.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="horizon"):
        propose([], today=TODAY, horizon_days=-1)
    with pytest.raises(TypeError):
        propose([{"ref": 1}], today=TODAY)
