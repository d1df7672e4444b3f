"""A received EHF bill from inbox to postable, on the real server (issue 12 item 6).

The receive cron turns an EHF in the access point's inbox into a vendor bill; default coding codes its
line by the vendor's rule and proposes the rule's attestant; the bill's new payee account waits for
the accounting administrator, who confirms it while the bill circulates (the approval lock lets the
confirmation through and the round restarts); the attestant and the anviser, holding only the *Bill
approver* group, approve it in turn; then the billing clerk posts it. Nobody here is a superuser.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from nofaktura.ehf.model import Address

from .conftest import (
    Rpc,
    Server,
    drop_in_inbox,
    is_access_error,
    is_user_error,
    poll,
    read_one,
    refused,
    vendor_ehf,
)

VENDOR_ORGNR = "910000004"
VENDOR_NAME = "Rørlegger Nord AS"
VENDOR_ACCOUNT = "15032080119"


def plumber_ehf(number: str) -> bytes:
    return vendor_ehf(number, seller=VENDOR_NAME, orgnr=VENDOR_ORGNR,
                      address=Address(street="Havnegata 9", city="Tromsø", postal_zone="9008", country="NO"),
                      account=VENDOR_ACCOUNT, line="Utbedring av lekkasje", quantity=2, price=900,
                      buyer_reference="Kari Nordmann")


@pytest.fixture(scope="module")
def setup(server: Server) -> Iterator[dict[str, Any]]:
    """The administrator's part: a known vendor with a coding rule naming its attestant, and a matrix."""
    admin = server.admin
    group = admin.ref("l10n_no_approval.group_l10n_no_approver")
    users: dict[str, Rpc] = {}
    for login in ("vvs-attestant", "vvs-anviser"):
        admin("res.users", "create", {
            "name": login.title(), "login": login, "password": f"{login}-pw-1234",
            "email": f"{login}@selger.example", "company_id": server.company_id,
            "company_ids": [(6, 0, [server.company_id])], "group_ids": [(6, 0, [group])],
        })
        users[login] = Rpc(server.url, server.db, login, f"{login}-pw-1234")
    vendor = admin("res.partner", "create", {
        "name": VENDOR_NAME, "is_company": True, "vat": f"NO{VENDOR_ORGNR}MVA", "country_id": admin.ref("base.no"),
    })
    expense = admin("account.account", "search",
                    [("account_type", "=", "expense"), ("company_ids", "in", [server.company_id])], limit=1)[0]
    rule = admin("l10n_no.coding.rule", "create", {
        "rule_type": "vendor", "partner_id": vendor, "account_id": expense,
        "attestant_id": users["vvs-attestant"].uid,
    })
    matrix = admin("l10n.no.approval.matrix", "create", {
        "name": "Attest og anvis (VVS)", "company_id": server.company_id, "auto_start": False,
        "authority_ids": [
            (0, 0, {"user_id": users["vvs-attestant"].uid, "role": "attest"}),
            (0, 0, {"user_id": users["vvs-anviser"].uid, "role": "anvis", "limit_amount": 50000}),
        ],
    })
    try:
        yield {"users": users, "vendor": vendor, "expense": expense, "rule": rule}
    finally:  # later flows see bills as before
        admin("l10n.no.approval.matrix", "write", [matrix], {"active": False})
        admin("l10n_no.coding.rule", "write", [rule], {"active": False})


def test_received_ehf_bill_is_coded_approved_and_postable(server: Server, setup: dict[str, Any]) -> None:
    number = f"VVS-{int(time.time())}"
    drop_in_inbox(server, number, plumber_ehf(number))
    clerk, manager = server.clerk, server.admin
    bill_id = poll("the received EHF to become a vendor bill", server=server, check=lambda: clerk(
        "account.move", "search", [("ref", "=", number), ("move_type", "=", "in_invoice")]))[0]

    bill = read_one(clerk, "account.move", bill_id,
                    ["partner_id", "l10n_no_attestant_id", "amount_total", "l10n_no_payee_unconfirmed"])
    assert bill["partner_id"][0] == setup["vendor"], "the known vendor (by organisation number) is the bill's vendor"
    assert bill["amount_total"] == 2250.0
    assert bill["l10n_no_attestant_id"][0] == setup["users"]["vvs-attestant"].uid
    assert bill["l10n_no_payee_unconfirmed"] is True
    lines = clerk("account.move.line", "search_read", [("move_id", "=", bill_id), ("display_type", "=", "product")],
                  ["account_id", "l10n_no_coding_source", "l10n_no_coding_rule_id"])
    assert [(line["account_id"][0], line["l10n_no_coding_source"]) for line in lines] == [
        (setup["expense"], "vendor")
    ]

    assert clerk("account.move", "action_l10n_no_request_approval", [bill_id]) is True
    attestant, anviser = setup["users"]["vvs-attestant"], setup["users"]["vvs-anviser"]
    assert attestant("account.move", "validate_tier", [bill_id]) is True

    # The vendor's account came with the document: a person confirms it, the round starts again.
    refused(lambda: clerk("account.move", "action_l10n_no_ehf_confirm_received", [bill_id]), is_access_error,
            "the clerk confirms the received payee account")
    manager("account.move", "action_l10n_no_ehf_confirm_received", [bill_id])
    bill = read_one(clerk, "account.move", bill_id, ["l10n_no_ehf_payee_to_confirm", "partner_bank_id"])
    assert bill["l10n_no_ehf_payee_to_confirm"] is False
    assert bill["partner_bank_id"], "the confirmed account is the bill's payee account"
    reviews = clerk("tier.review", "search_read", [("model", "=", "account.move"), ("res_id", "=", bill_id)],
                    ["status"], order="sequence")
    assert [r["status"] for r in reviews] == ["pending", "waiting"], "the round restarted after the confirmation"

    refused(lambda: clerk("account.move", "action_post", [bill_id]), is_user_error,
            "the clerk posts before the approvals")
    assert attestant("account.move", "validate_tier", [bill_id]) is True
    assert anviser("account.move", "validate_tier", [bill_id]) is True
    clerk("account.move", "action_post", [bill_id])
    bill = read_one(clerk, "account.move", bill_id, ["state", "l10n_no_approved"])
    assert (bill["state"], bill["l10n_no_approved"]) == ("posted", True)
