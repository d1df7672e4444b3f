"""Users hold only the groups of their job: what the billing clerk and a portal user must not do.

Each expects an XML-RPC Fault carrying AccessError: a refusal by the access rules, not a crash.
"""

from __future__ import annotations

import base64
import xmlrpc.client
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import Rpc, Server, action, is_access_error, make_invoice, make_partner, poll
from .test_02_ehf import outgoing, send_ehf


def assert_access_error(call: Callable[[], Any], what: str) -> None:
    try:
        result = call()
    except xmlrpc.client.Fault as fault:
        if "cannot marshal None" in str(fault.faultString):  # it ran (and committed); only the answer failed
            pytest.fail(f"{what}: allowed (the method ran, then returned None), expected AccessError")
        assert is_access_error(fault), f"{what}: refused, but not with AccessError: {str(fault.faultCode)[:1500]}"
        return
    pytest.fail(f"{what}: allowed (returned {result!r}), expected AccessError")


@pytest.fixture(scope="module")
def outgoing_id(server: Server) -> int:
    move_id = make_invoice(server, make_partner(server, "Kunde Sikker AS", ehf=True), 500.0, taxed=True)
    send_ehf(server, move_id)
    return poll("the EHF queue record", lambda: outgoing(server, move_id))[0]["id"]


def test_clerk_cannot_change_receiver_of_outgoing_ehf(server: Server, outgoing_id: int) -> None:
    assert_access_error(
        lambda: server.clerk("l10n_no_ehf.outgoing", "write", [outgoing_id], {"receiver": "0192:999999999"}),
        "billing clerk writes the receiver of an outgoing EHF",
    )


def test_clerk_cannot_swap_attachment_of_outgoing_ehf(server: Server, outgoing_id: int) -> None:
    attachment_id = server.clerk("ir.attachment", "create", {
        "name": "other.xml", "datas": base64.b64encode(b"<Invoice/>").decode(), "mimetype": "application/xml",
    })
    assert_access_error(
        lambda: server.clerk("l10n_no_ehf.outgoing", "write", [outgoing_id], {"attachment_id": attachment_id}),
        "billing clerk swaps the document of an outgoing EHF",
    )


def test_clerk_cannot_confirm_dunning_run(server: Server) -> None:
    run_id = server.accountant("l10n_no.dunning.run", "create", {"company_id": server.company_id})
    action(server.accountant, "l10n_no.dunning.run", "action_propose", [run_id], [])  # None: see test_03
    assert_access_error(lambda: server.clerk("l10n_no.dunning.run", "action_confirm", [run_id]),
                        "billing clerk confirms a dunning run")


def test_clerk_cannot_test_access_point_connection(server: Server) -> None:
    access_point_id = server.admin("l10n_no_ehf.access.point", "search", [], limit=1)[0]
    assert_access_error(
        lambda: server.clerk("l10n_no_ehf.access.point", "action_l10n_no_ehf_test_connection", [access_point_id]),
        "billing clerk tests the access point connection",
    )


@pytest.mark.parametrize(("model", "method", "args"), [
    ("account.bank.statement.line", "search_read", [[]]),
    ("l10n_no_ehf.outgoing", "search_read", [[]]),
    ("l10n_no.bank.import", "l10n_no_bank_import_file", ["x.txt", base64.b64encode(b"x").decode()]),
    ("l10n_no.dunning.run", "create", [{}]),
])
def test_portal_user_is_refused(server: Server, model: str, method: str, args: list[Any]) -> None:
    portal: Rpc = server.portal
    assert_access_error(lambda: portal(model, method, *args), f"portal user calls {model}.{method}")
