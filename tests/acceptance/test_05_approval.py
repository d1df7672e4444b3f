"""Approval of vendor bills (l10n_no_approval) over XML-RPC, each person holding only their job's groups.

The accounting administrator sets up the Norwegian preset matrix; the billing clerk registers a bill
and cannot post it, forge a review or pass a context key to skip the check; the attestant and the
anviser (group *Bill approver* only) approve it in turn; then the clerk posts it. The matrix is
archived at the end so later flows see bills as before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import Rpc, Server, is_access_error, is_user_error, read_one, refused


@pytest.fixture(scope="module")
def approvers(server: Server) -> Iterator[dict[str, Rpc]]:
    admin = server.admin
    group = admin.ref("l10n_no_approval.group_l10n_no_approver")
    users = {}
    for login in ("attestant", "anviser"):
        admin(
            "res.users",
            "create",
            {
                "name": login.title(),
                "login": login,
                "password": f"{login}-pw-1234",
                "email": f"{login}@selger.example",
                "company_id": server.company_id,
                "company_ids": [(6, 0, [server.company_id])],
                "group_ids": [(6, 0, [group])],
            },
        )
        users[login] = Rpc(server.url, server.db, login, f"{login}-pw-1234")
    matrix_id = admin(
        "l10n.no.approval.matrix",
        "create",
        {
            "name": "Attest og anvis",
            "company_id": server.company_id,
            "auto_start": False,
            "authority_ids": [
                (0, 0, {"user_id": users["attestant"].uid, "role": "attest"}),
                (0, 0, {"user_id": users["anviser"].uid, "role": "anvis", "limit_amount": 50000}),
            ],
        },
    )
    try:
        yield users
    finally:
        admin("l10n.no.approval.matrix", "write", [matrix_id], {"active": False})


def test_bill_is_attested_and_anvised_before_it_is_posted(server: Server, approvers: dict[str, Rpc]) -> None:
    clerk = server.clerk
    vendor_id = clerk("res.partner", "create", {"name": "Kontorleverandør AS", "is_company": True})
    bill_id = clerk(
        "account.move",
        "create",
        {
            "move_type": "in_invoice",
            "partner_id": vendor_id,
            "invoice_date": "2026-12-01",
            "invoice_line_ids": [
                (0, 0, {"name": "Papir", "quantity": 10, "price_unit": 120.0, "tax_ids": [(6, 0, [])]})
            ],
        },
    )
    message = refused(
        lambda: clerk("account.move", "action_post", [bill_id]), is_user_error, "the clerk posts a bill nobody approved"
    )
    assert "must be attested and approved" in message
    assert clerk("account.move", "action_l10n_no_request_approval", [bill_id]) is True

    review_ids = clerk(
        "tier.review", "search", [("model", "=", "account.move"), ("res_id", "=", bill_id)], order="sequence"
    )
    assert len(review_ids) == 2
    refused(
        lambda: clerk("tier.review", "write", review_ids, {"status": "approved"}),
        is_access_error,
        "the clerk marks the reviews approved",
    )
    refused(lambda: clerk("tier.review", "unlink", review_ids), is_access_error, "the clerk deletes the reviews")
    refused(
        lambda: clerk("account.move", "action_post", [bill_id], context={"skip_validation_check": True}),
        is_user_error,
        "the clerk posts with a context key",
    )
    refused(
        lambda: approvers["anviser"]("account.move", "validate_tier", [bill_id]),
        is_user_error,
        "the anviser approves before the attestant",
    )

    assert approvers["attestant"]("account.move", "validate_tier", [bill_id]) is True
    refused(
        lambda: approvers["attestant"]("account.move", "validate_tier", [bill_id]),
        is_user_error,
        "the attestant also anvises",
    )
    to_approve = approvers["anviser"]("account.move", "search", [("can_review", "=", True)])
    assert bill_id in to_approve
    assert approvers["anviser"]("account.move", "validate_tier", [bill_id]) is True

    clerk("account.move", "action_post", [bill_id])
    bill = read_one(clerk, "account.move", bill_id, ["state", "validation_status", "l10n_no_approved"])
    assert bill["state"] == "posted"
    assert bill["validation_status"] == "validated"
    assert bill["l10n_no_approved"] is True
    reviews = clerk("tier.review", "read", review_ids, ["done_by", "status"])
    assert [r["done_by"][0] for r in reviews] == [approvers["attestant"].uid, approvers["anviser"].uid]


def test_approver_cannot_read_other_bills(server: Server, approvers: dict[str, Rpc]) -> None:
    clerk = server.clerk
    vendor_id = clerk("res.partner", "create", {"name": "Annen Leverandør AS", "is_company": True})
    bill_id = clerk(
        "account.move",
        "create",
        {
            "move_type": "in_invoice",
            "partner_id": vendor_id,
            "invoice_date": "2026-12-01",
            "invoice_line_ids": [
                (0, 0, {"name": "Toner", "quantity": 1, "price_unit": 900.0, "tax_ids": [(6, 0, [])]})
            ],
        },
    )
    assert bill_id not in approvers["attestant"]("account.move", "search", [("move_type", "=", "in_invoice")])
    refused(
        lambda: approvers["attestant"]("account.move", "write", [bill_id], {"ref": "x"}),
        is_access_error,
        "an approver edits a bill",
    )
