"""Default coding over XML-RPC on the real server: rules by the administrator, bills by the billing clerk.

The clerk creates bills with a plain ``create`` (as any integration does) and finds them coded; recoding
is logged; an uncodeable bill is refused at posting, and the clerk cannot fake "coded by hand".
"""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import Server, is_access_error, is_user_error, read_one


def _fault(call: Any) -> xmlrpc.client.Fault:
    try:
        result = call()
    except xmlrpc.client.Fault as fault:
        return fault
    pytest.fail(f"allowed (returned {result!r}), expected a refusal")


@pytest.fixture(scope="module")
def coding(server: Server) -> dict[str, int]:
    admin = server.admin
    expense = admin(
        "account.account",
        "search",
        [("account_type", "=", "expense"), ("company_ids", "in", [server.company_id])],
        limit=2,
    )
    plan = admin("account.analytic.plan", "create", {"name": "Avdeling"})
    department = admin(
        "account.analytic.account", "create", {"name": "Drift", "plan_id": plan, "company_id": server.company_id}
    )
    vendor = admin("res.partner", "create", {"name": "Kontorleverandør AS", "is_company": True})
    other_vendor = admin("res.partner", "create", {"name": "Ukjent Leverandør AS", "is_company": True})
    product = admin("product.product", "create", {"name": "Kopipapir A4"})
    vendor_rule = admin(
        "l10n_no.coding.rule",
        "create",
        {
            "rule_type": "vendor",
            "partner_id": vendor,
            "account_id": expense[0],
            "analytic_distribution": {str(department): 100},
            "attestant_id": server.accountant.uid,
        },
    )
    product_rule = admin(
        "l10n_no.coding.rule",
        "create",
        {
            "rule_type": "product",
            "product_id": product,
            "account_id": expense[1],
        },
    )
    return {
        "expense_vendor": expense[0],
        "expense_product": expense[1],
        "department": department,
        "vendor": vendor,
        "other_vendor": other_vendor,
        "product": product,
        "vendor_rule": vendor_rule,
        "product_rule": product_rule,
    }


@pytest.fixture
def required(server: Server) -> Iterator[None]:
    server.admin("res.company", "write", [server.company_id], {"l10n_no_coding_required": True})
    try:
        yield
    finally:  # the other flows of the session post bills nothing codes
        server.admin("res.company", "write", [server.company_id], {"l10n_no_coding_required": False})


def _bill(server: Server, vendor: int, lines: list[dict[str, Any]]) -> int:
    return server.clerk(
        "account.move",
        "create",
        {
            "move_type": "in_invoice",
            "partner_id": vendor,
            "invoice_date": "2026-11-30",
            "invoice_line_ids": [(0, 0, line) for line in lines],
        },
    )


def _lines(server: Server, move_id: int) -> list[dict[str, Any]]:
    return server.clerk(
        "account.move.line",
        "search_read",
        [("move_id", "=", move_id), ("display_type", "=", "product")],
        ["account_id", "analytic_distribution", "l10n_no_coding_source", "l10n_no_coding_rule_id"],
        order="sequence, id",
    )


def test_clerk_creates_a_bill_that_arrives_coded(server: Server, coding: dict[str, int]) -> None:
    move_id = _bill(
        server,
        coding["vendor"],
        [
            {"product_id": coding["product"], "quantity": 2, "price_unit": 80.0},
            {"name": "Frakt", "price_unit": 120.0},
        ],
    )
    paper, freight = _lines(server, move_id)
    assert (paper["account_id"][0], paper["l10n_no_coding_source"]) == (coding["expense_product"], "product")
    assert paper["l10n_no_coding_rule_id"][0] == coding["product_rule"]
    assert (freight["account_id"][0], freight["l10n_no_coding_source"]) == (coding["expense_vendor"], "vendor")
    assert freight["analytic_distribution"] == {str(coding["department"]): 100}
    bill = read_one(server.clerk, "account.move", move_id, ["l10n_no_attestant_id"])
    assert bill["l10n_no_attestant_id"][0] == server.accountant.uid
    # the clerk reads the rules, but does not change them; a portal user does not even read them
    assert server.clerk("l10n_no.coding.rule", "search_count", []) >= 2
    fault = _fault(lambda: server.clerk("l10n_no.coding.rule", "write", [coding["vendor_rule"]], {"sequence": 1}))
    assert is_access_error(fault)
    fault = _fault(lambda: server.portal("l10n_no.coding.rule", "search_read", [], ["id"]))
    assert is_access_error(fault)


def test_recoding_is_logged_on_the_bill(server: Server, coding: dict[str, int]) -> None:
    move_id = _bill(server, coding["vendor"], [{"name": "Toner", "price_unit": 300.0}])
    line_id = _lines(server, move_id)[0]["id"]
    server.accountant("account.move.line", "write", [line_id], {"account_id": coding["expense_product"]})
    line = read_one(server.clerk, "account.move.line", line_id, ["l10n_no_coding_source"])
    assert line["l10n_no_coding_source"] == "manual"
    bodies = [
        m["body"]
        for m in server.clerk(
            "mail.message", "search_read", [("model", "=", "account.move"), ("res_id", "=", move_id)], ["body"]
        )
    ]
    assert any("recoded by" in body and "→" in body for body in bodies), bodies


@pytest.mark.usefixtures("required")
def test_uncodeable_bill_is_refused_at_posting_for_the_clerk(server: Server, coding: dict[str, int]) -> None:
    move_id = _bill(server, coding["other_vendor"], [{"name": "Ukjent vare", "price_unit": 50.0}])
    bill = read_one(server.clerk, "account.move", move_id, ["l10n_no_coding_problem"])
    assert "Ukjent vare" in bill["l10n_no_coding_problem"]
    fault = _fault(lambda: server.clerk("account.move", "action_post", [move_id]))
    assert is_user_error(fault) and "Ukjent vare" in fault.faultString
    line_id = _lines(server, move_id)[0]["id"]
    fault = _fault(lambda: server.clerk("account.move.line", "write", [line_id], {"l10n_no_recoded": True}))
    assert is_access_error(fault), "only the coding writes where a line's coding came from"
    assert read_one(server.clerk, "account.move", move_id, ["state"])["state"] == "draft"
    # a rule added by the administrator, then the button: the bill can be posted
    server.admin(
        "l10n_no.coding.rule",
        "create",
        {
            "rule_type": "vendor",
            "partner_id": coding["other_vendor"],
            "account_id": coding["expense_vendor"],
        },
    )
    assert server.clerk("account.move", "action_l10n_no_apply_coding", [move_id]) is True
    server.clerk("account.move", "action_post", [move_id])
    assert read_one(server.clerk, "account.move", move_id, ["state"])["state"] == "posted"
