"""Property tests: any valid order gives a schema-valid pain.001 whose fields read back, and a bank's
pain.002 answer maps back to exactly the transfers it names."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nofaktura import kid
from nofaktura.bank.pain001 import write_pain001
from nofaktura.bank.pain002 import StatusReason, read_pain002
from nofaktura.bank.pain002_writer import write_pain002
from nofaktura.bank.payment_order import CreditTransfer, InvoiceReference, PaymentOrder

from .helpers import CREATED, DAY, DEBTOR_ACCOUNT, account, assert_valid, read_back

ACCOUNTS = [account(n) for n in range(8)]
STATUSES = ["ACCP", "ACSC", "ACSP", "ACTC", "PDNG", "RJCT"]


@st.composite
def transfers(draw, index: int) -> CreditTransfer:
    ore = draw(st.integers(min_value=1, max_value=10**9))
    amount = Decimal(ore).scaleb(-2)
    remittance = draw(st.sampled_from(["kid10", "kid11", "text", "invoices", "none"]))
    kw: dict = {}
    if remittance.startswith("kid"):
        base = str(draw(st.integers(min_value=1, max_value=10**20)))
        kw["kid"] = kid.make(base, "mod10" if remittance == "kid10" else "mod11")
    elif remittance == "text":
        kw["text"] = draw(st.text(alphabet="abcæøåÆØÅ 0123456789-/", min_size=1, max_size=140).filter(str.strip))
    elif remittance == "invoices":
        credit = draw(st.integers(min_value=0, max_value=ore - 1)) if ore > 1 else 0
        refs = [InvoiceReference(f"F-{index}", Decimal(ore + credit).scaleb(-2))]
        if credit:
            refs.append(InvoiceReference(f"K-{index}", Decimal(credit).scaleb(-2), credit_note=True))
        kw["invoices"] = tuple(refs)
    return CreditTransfer(
        end_to_end_id=f"E2E-{index}", instruction_id=draw(st.sampled_from([None, f"I-{index}"])), amount=amount,
        creditor_name=draw(st.sampled_from(["Kraft AS", "Ærlig Øl AS", "Å & Co"])),
        creditor_account=draw(st.sampled_from(ACCOUNTS)),
        execution_date=DAY + datetime.timedelta(days=draw(st.integers(0, 2))),
        category_purpose=draw(st.sampled_from([None, "SUPP", "SALA"])), **kw,
    )  # fmt: skip


@st.composite
def orders(draw) -> PaymentOrder:
    count = draw(st.integers(min_value=1, max_value=25))
    return PaymentOrder(message_id="P", debtor_name="Betaler AS", debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                        transfers=[draw(transfers(n)) for n in range(count)])  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(order=orders(), version=st.sampled_from(["03", "09"]))
def test_any_order_is_valid_and_reads_back(order, version):
    xml = write_pain001(order, created=CREATED, version=version)
    assert_valid(xml, version)
    back = read_back(xml, version)
    written = {tx["e2e"]: (batch, tx) for batch in back["batches"] for tx in batch["txs"]}
    assert list(written) != [] and len(written) == len(order.transfers)
    ids = order.batch_ids()
    for transfer in order.transfers:
        batch, tx = written[transfer.end_to_end_id]
        assert batch["id"] == ids[transfer.end_to_end_id]
        assert batch["date"] == (transfer.execution_date or DAY).isoformat()
        assert batch["purpose"] == transfer.category_purpose
        assert Decimal(tx["amount"]) == transfer.amount and tx["currency"] == "NOK"
        assert tx["instr_id"] == transfer.instruction_id
        assert tx["bban"] == str(transfer.creditor) and tx["bban_scheme"] == "BBAN"
        assert tx["kid"] == transfer.kid
        assert tx["ustrd"] == ([transfer.text] if transfer.text else [])
        assert len(tx["invoices"]) == len(transfer.invoices)
    assert Decimal(back["ctrl_sum"]) == sum(t.amount for t in order.transfers)


@settings(max_examples=40, deadline=None)
@given(order=orders(), data=st.data())
def test_status_report_maps_back(order, data):
    named = data.draw(st.lists(st.sampled_from([t.end_to_end_id for t in order.transfers]), unique=True))
    statuses = {e2e: (data.draw(st.sampled_from(STATUSES)), [StatusReason("AC01", None, (f"for {e2e}",))])
                for e2e in named}  # fmt: skip
    report = read_pain002(write_pain002(order, message_id="B", created=CREATED, group_status="PART",
                                        transaction_statuses=statuses))  # fmt: skip
    for outcome in report.outcomes(order):
        if outcome.end_to_end_id in statuses:
            status, reasons = statuses[outcome.end_to_end_id]
            assert (outcome.status, outcome.level, outcome.reasons) == (status, "transaction", tuple(reasons))
        else:
            assert (outcome.status, outcome.level) == (None, "none")
