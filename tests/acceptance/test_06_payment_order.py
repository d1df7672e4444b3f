"""Paying a vendor bill (l10n_no_payment_order) over XML-RPC, each person holding only their job's groups.

The accounting administrator sets up a bank journal whose channel is a folder and a "Norwegian credit
transfer" payment mode; a payer (full accounting plus OCA's *Payments* group) proposes the posted bill
and confirms the order; the payer cannot approve it, the administrator cannot approve an order of
their own; the administrator approves the payer's order (tier validation); the billing clerk cannot
generate or send it; the payer writes and sends the pain.001, which lands in the folder; the fake
bank (the library's pain.002 writer) answers in the same folder; the scheduled fetch reads it, the
payment is accepted and the bill paid; the same answer again changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from lxml import etree

from nofaktura.bank.pain002_writer import write_pain002
from nofaktura.bank.payment_order import CreditTransfer, PaymentOrder

from .conftest import Rpc, Server, is_access_error, is_user_error, poll, read_one, refused

PAYER_ACCOUNT = "12345678903"
VENDOR_ACCOUNT = "15035684279"
OTHER_VENDOR_ACCOUNT = "97100012344"


def answer_for(pain001: bytes, status: str) -> bytes:
    """The bank's pain.002 for a delivered pain.001, written by the library's fake bank."""
    root = etree.fromstring(pain001)
    ns = {"p": root.nsmap[None]}
    transfers = tuple(
        CreditTransfer(
            end_to_end_id=tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns),
            amount=Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=ns)),
            creditor_name=tx.findtext("p:Cdtr/p:Nm", namespaces=ns),
            creditor_account=tx.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=ns),
            text="answer",
        )
        for tx in root.iterfind(".//p:CdtTrfTxInf", ns)
    )
    order = PaymentOrder(
        message_id=root.findtext(".//p:GrpHdr/p:MsgId", namespaces=ns), debtor_name="Selger AS",
        debtor_account=PAYER_ACCOUNT, execution_date=datetime.date.today(), transfers=transfers,
    )  # fmt: skip
    return write_pain002(order, message_id=f"BANK-{order.message_id}"[:35],
                        created=datetime.datetime(2026, 12, 3, 10), group_status=status)


def vendor_bill(server: Server, name: str, account: str, amount: float, kid: str) -> int:
    """A vendor with an account the administrator trusted, and a bill the billing clerk registered and posted."""
    admin = server.admin
    partner_id = admin("res.partner", "create", {"name": name, "is_company": True,
                                                 "country_id": admin.ref("base.no")})
    bank_id = admin("res.partner.bank", "create", {"acc_number": account, "partner_id": partner_id,
                                                   "allow_out_payment": True})
    today = datetime.date.today()
    bill_id = server.clerk("account.move", "create", {
        "move_type": "in_invoice", "partner_id": partner_id, "partner_bank_id": bank_id,
        "invoice_date": today.isoformat(), "invoice_date_due": (today + datetime.timedelta(days=2)).isoformat(),
        "invoice_payment_term_id": False, "payment_reference": kid, "ref": f"F-{name[:5]}",
        "invoice_line_ids": [(0, 0, {"name": "Varer", "quantity": 1, "price_unit": amount, "tax_ids": [(6, 0, [])]})],
    })  # fmt: skip
    server.clerk("account.move", "action_post", [bill_id])
    bill = read_one(server.clerk, "account.move", bill_id, ["state", "validation_status"])
    assert bill["state"] == "posted", bill
    assert bill["validation_status"] in ("no", "validated"), f"the bill is not approved: {bill}"
    return bill_id


def test_bill_paid_by_a_four_eyes_payment_order(server: Server) -> None:
    admin = server.admin
    folder = server.folder.parent / "bank-payments"
    folder.mkdir()
    # The administrator: a second bank account and journal whose channel is a folder, and the payment mode.
    company_partner = admin("res.company", "read", [server.company_id], ["partner_id"])[0]["partner_id"][0]
    account_id = admin("res.partner.bank", "create", {"acc_number": PAYER_ACCOUNT, "partner_id": company_partner,
                                                      "allow_out_payment": True})
    journal_id = admin("account.journal", "create", {
        "name": "Betalinger DNB", "code": "BETAL", "type": "bank", "company_id": server.company_id,
        "bank_account_id": account_id, "l10n_no_bank_channel": "folder", "l10n_no_bank_folder": str(folder),
    })  # fmt: skip
    mode_id = admin("account.payment.mode", "create", {
        "name": "Norsk overføring", "company_id": server.company_id,
        "payment_method_id": admin.ref("l10n_no_payment_order.payment_method_no_credit_transfer"),
        "bank_account_link": "fixed", "fixed_journal_id": journal_id, "payment_order_ok": True, "group_lines": True,
        "l10n_no_bank_agreement_id": "AGR-4711", "l10n_no_delivery": "channel", "l10n_no_proposal_days": 10,
    })  # fmt: skip
    # The payer: full accounting and OCA's Payments group, nothing else.
    admin("res.users", "create", {
        "name": "Payer", "login": "payer", "password": "payer-pw-1234", "email": "payer@selger.example",
        "company_id": server.company_id, "company_ids": [(6, 0, [server.company_id])],
        "group_ids": [(6, 0, [admin.ref("account.group_account_user"),
                              admin.ref("account_payment_order.group_account_payment")])],
    })  # fmt: skip
    payer = Rpc(server.url, server.db, "payer", "payer-pw-1234")
    bill_id = vendor_bill(server, "Kraft Leverandør AS", VENDOR_ACCOUNT, 1250.0, "1234567890128")

    # The payer proposes and confirms; confirming sends the order round for review.
    order_id = payer("account.payment.order", "create", {"payment_mode_id": mode_id, "payment_type": "outbound"})
    assert payer("account.payment.order", "action_l10n_no_propose", [order_id]) is True
    lines = payer("account.payment.line", "search_read", [("order_id", "=", order_id)], fields=["move_line_id"])
    assert lines, "the posted, approved bill was not proposed"
    payer("account.payment.order", "draft2open", [order_id])
    order = read_one(payer, "account.payment.order", order_id, ["state", "validation_status"])
    assert (order["state"], order["validation_status"]) == ("open", "pending"), order

    # Four eyes: the payer can neither approve nor generate; the clerk cannot even see the order.
    refused(lambda: payer("account.payment.order", "validate_tier", [order_id]), is_access_error,
            "the payer approves their own order")
    reviews = payer("account.payment.order", "read", [order_id], ["review_ids"])[0]["review_ids"]
    refused(lambda: payer("tier.review", "write", reviews, {"status": "approved"}), is_access_error,
            "the payer approves the review record directly")
    refused(lambda: payer("account.payment.order", "open2generated", [order_id]), is_user_error,
            "the payer writes the file before approval")
    for method in ("open2generated", "validate_tier", "action_l10n_no_send"):
        refused(lambda m=method: server.clerk("account.payment.order", m, [order_id]), is_access_error,
                f"the billing clerk calls {method}")

    # The administrator cannot approve an order they made themselves ...
    vendor_bill(server, "Papir Leverandør AS", OTHER_VENDOR_ACCOUNT, 300.0, "123456785")
    own_id = admin("account.payment.order", "create", {"payment_mode_id": mode_id, "payment_type": "outbound"})
    admin("account.payment.order", "action_l10n_no_propose", [own_id])
    admin("account.payment.order", "draft2open", [own_id])
    message = refused(lambda: admin("account.payment.order", "validate_tier", [own_id]), is_user_error,
                      "the administrator approves their own order")
    assert "Four eyes" in message, message
    refused(lambda: admin("account.payment.order", "open2generated", [own_id]), is_user_error,
            "the administrator writes the file of their own unapproved order")
    assert admin("account.payment.order", "action_cancel", [own_id]) is True

    # ... but approves the payer's.
    assert admin("account.payment.order", "validate_tier", [order_id]) is True
    order = read_one(payer, "account.payment.order", order_id, ["validation_status", "l10n_no_approved_by_id"])
    assert order["validation_status"] == "validated" and order["l10n_no_approved_by_id"][0] == admin.uid, order

    # The payer writes the file and sends it: it lands in the folder, once.
    payer("account.payment.order", "open2generated", [order_id])
    payer("account.payment.order", "action_l10n_no_send", [order_id])
    order = read_one(payer, "account.payment.order", order_id, ["state", "l10n_no_file_name", "l10n_no_sent_to"])
    assert order["state"] == "uploaded", order
    delivered = folder / "outbox" / order["l10n_no_file_name"]
    assert delivered.is_file(), f"not delivered: {order}"
    refused(lambda: payer("account.payment.order", "action_l10n_no_send", [order_id]), is_user_error,
            "the payer sends the order twice")

    # The bank answers in the same folder; the scheduled fetch reads it.
    answer = answer_for(delivered.read_bytes(), "ACCP")
    (folder / "pain002-1.xml").write_bytes(answer)
    cron_id = admin.ref("l10n_no_bank.ir_cron_l10n_no_bank_poll")
    admin("ir.cron", "method_direct_trigger", [cron_id])

    def payment_states() -> list[str]:
        rows = payer("account.payment", "search_read", [("payment_order_id", "=", order_id)],
                     fields=["l10n_no_bank_state"])
        return [row["l10n_no_bank_state"] for row in rows]

    poll("the pain.002 accepted the payment", lambda: payment_states() == ["accepted"], server=server)
    bill = read_one(payer, "account.move", bill_id, ["payment_state", "amount_residual"])
    assert bill["payment_state"] in ("paid", "in_payment") and bill["amount_residual"] == 0, bill
    imports = admin("l10n_no.bank.import", "search_count", [("journal_id", "=", journal_id)])

    # The same answer again changes nothing.
    (folder / "pain002-again.xml").write_bytes(answer)
    admin("ir.cron", "method_direct_trigger", [cron_id])
    poll("the second answer file was taken from the folder", lambda: not (folder / "pain002-again.xml").exists(),
         server=server)
    assert payment_states() == ["accepted"]
    assert admin("l10n_no.bank.import", "search_count", [("journal_id", "=", journal_id)]) == imports
    assert read_one(payer, "account.move", bill_id, ["payment_state"])["payment_state"] == bill["payment_state"]
