"""The attacks of issue 10, tried over XML-RPC on the real server by users holding only their job's groups.

Each numbered finding of issue 10 that test_04_security does not already cover has a test here:
10.6 (a received bill naming a known vendor's organisation number with a new account), 10.8 (secrets
of the bank channel and the access point), the accountant of one company against another company's
records (10.4), and the direct writes of status fields (10.5), the future-dated run (10.2), the
connection test (10.3), the Community accounting administrator's bank import (10.7) and the Peppol
lookup (10.8) for the roles that must not reach them.
"""

from __future__ import annotations

import base64
import datetime
import re
import time
import xmlrpc.client
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest

from nofaktura.ehf.model import Address
from nofaktura.identifiers import is_valid_account_number

from .conftest import (
    Rpc,
    Server,
    drop_in_inbox,
    is_access_error,
    is_user_error,
    make_invoice,
    make_partner,
    poll,
    vendor_ehf,
)
from .test_04_security import assert_access_error

VENDOR_ORGNR = "923609016"
PASSWORD = "-pw-1234"


def valid_account(first_ten: str) -> str:
    """A Norwegian account number (MOD11) starting with ``first_ten``."""
    for digit in "0123456789":
        if is_valid_account_number(first_ten + digit):
            return first_ten + digit
    raise ValueError(f"no MOD11 check digit for {first_ten}")


def assert_user_error(call: Callable[[], Any], what: str, text: str = "") -> str:
    """The call is refused with a message for the user (UserError/ValidationError), not an AccessError."""
    try:
        result = call()
    except xmlrpc.client.Fault as fault:
        assert is_user_error(fault), f"{what}: refused, but not with a user error: {str(fault.faultCode)[:1500]}"
        assert text in fault.faultString, f"{what}: {fault.faultString[:500]}"
        return fault.faultString
    pytest.fail(f"{what}: allowed (returned {result!r}), expected a refusal")


def new_user(server: Server, login: str, groups: list[str], company_ids: list[int] | None = None) -> Rpc:
    """A user created by the administrator over XML-RPC, holding only ``groups``."""
    companies = company_ids or [server.company_id]
    server.admin("res.users", "create", {
        "name": login.title(), "login": login, "password": login + PASSWORD, "email": f"{login}@selger.example",
        "company_id": companies[0], "company_ids": [(6, 0, companies)],
        "group_ids": [(6, 0, [server.admin.ref(xmlid) for xmlid in groups])],
    })
    return Rpc(server.url, server.db, login, login + PASSWORD)


@pytest.fixture(scope="module")
def internal(server: Server) -> Rpc:
    return new_user(server, "internal", ["base.group_user"])


@pytest.fixture(scope="module")
def community_admin(server: Server) -> Rpc:
    """The Community "Administrator" of accounting: group_account_manager, without full accounting features."""
    return new_user(server, "commadmin", ["account.group_account_manager"])


# ---------------------------------------------------------------------------------------------
# 10.6: nothing received changes where money goes
# ---------------------------------------------------------------------------------------------


def accounting_roles(server: Server) -> tuple[tuple[Rpc, str], ...]:
    return (server.clerk, "billing clerk"), (server.accountant, "accountant"), (server.admin, "administrator")


def trusted_vendor_ehf(number: str, account: str) -> bytes:
    return vendor_ehf(number, seller="Trygg Leverandør AS", orgnr=VENDOR_ORGNR,
                      address=Address(street="Verkstedveien 1", city="Bergen", postal_zone="5003", country="NO"),
                      account=account, line="Service", quantity=1, price=800)


def receive(server: Server, number: str, content: bytes) -> dict[str, Any]:
    """Drop ``content`` in the access point's inbox, run the receive job, return the bill."""
    drop_in_inbox(server, number, content)
    bills = poll(f"the received EHF {number} to become a bill", timeout=60, server=server, check=lambda: (
        server.accountant("account.move", "search_read", [("ref", "=", number), ("move_type", "=", "in_invoice")],
                          fields=["partner_id", "partner_bank_id", "state", "l10n_no_ehf_payee_to_confirm"])))
    assert len(bills) == 1, bills
    return bills[0]


def vendor_accounts(server: Server, vendor_id: int) -> list[str]:
    rows = server.admin("res.partner.bank", "search_read", [("partner_id", "=", vendor_id)],
                        fields=["acc_number"], context={"active_test": False})
    return sorted("".join(ch for ch in row["acc_number"] if ch.isalnum()) for row in rows)


def bank_number(server: Server, bank_id: int) -> str:
    return server.admin("res.partner.bank", "read", [bank_id], ["sanitized_acc_number"])[0]["sanitized_acc_number"]


@pytest.fixture(scope="module")
def vendor(server: Server) -> dict[str, Any]:
    """A known vendor with the account its bills are paid to, entered by people."""
    trusted = valid_account("1503208011")
    vendor_id = server.clerk("res.partner", "create", {
        "name": "Trygg Leverandør AS", "is_company": True, "l10n_no_bronnoysund_number": VENDOR_ORGNR,
        "vat": f"NO{VENDOR_ORGNR}MVA", "country_id": server.admin.ref("base.no"),
    })
    trusted_id = server.admin("res.partner.bank", "create", {"acc_number": trusted, "partner_id": vendor_id})
    return {"id": vendor_id, "trusted": trusted, "trusted_id": trusted_id}


def check_blocked_until_confirmed(server: Server, vendor: dict[str, Any], bill: dict[str, Any], forged: str) -> None:
    """The forged account is on the bill only as "to confirm"; nobody posts or pays the bill, nobody
    clears the flag by a write; the accounting administrator confirms, which is logged."""
    vendor_id = vendor["id"]
    before = vendor_accounts(server, vendor_id)
    assert forged not in before
    assert bill["partner_id"][0] == vendor_id, "the bill is not on the known vendor"
    assert not bill["partner_bank_id"] or bill["partner_bank_id"][0] == vendor["trusted_id"], \
        f"the bill pays to {bill['partner_bank_id']}"
    assert bill["l10n_no_ehf_payee_to_confirm"] == forged
    move_id = bill["id"]
    for rpc, who in accounting_roles(server):
        assert_user_error(lambda rpc=rpc: rpc("account.move", "action_post", [move_id]), f"{who} posts the bill",
                          "confirm")
        assert_user_error(lambda rpc=rpc: rpc("account.move", "action_register_payment", [move_id]),
                          f"{who} pays the bill", "confirm")
    assert server.admin("account.move", "read", [move_id], ["state"])[0]["state"] == "draft"
    clear = {"l10n_no_ehf_payee_to_confirm": False}
    assert_access_error(lambda: server.clerk("account.move", "write", [move_id], clear),
                        "billing clerk clears the account to confirm")
    assert_access_error(lambda: server.admin("account.move", "write", [move_id], clear),
                        "administrator clears the account to confirm without confirming")
    assert_access_error(lambda: server.clerk("account.move", "action_l10n_no_ehf_confirm_received", [move_id]),
                        "billing clerk confirms the received account")
    assert_access_error(lambda: server.accountant("account.move", "action_l10n_no_ehf_confirm_received", [move_id]),
                        "accountant (not administrator) confirms the received account")
    assert vendor_accounts(server, vendor_id) == before, "the vendor's accounts changed before the confirmation"

    assert server.admin("account.move", "action_l10n_no_ehf_confirm_received", [move_id]) is True
    after = server.admin("account.move", "read", [move_id], ["l10n_no_ehf_payee_to_confirm", "partner_bank_id"])[0]
    assert after["l10n_no_ehf_payee_to_confirm"] is False
    assert after["partner_bank_id"], "the confirmed account is not on the bill"
    assert bank_number(server, after["partner_bank_id"][0]) == forged
    assert vendor_accounts(server, vendor_id) == sorted([*before, forged])
    logged = server.admin("mail.message", "search_read", [("model", "=", "account.move"), ("res_id", "=", move_id),
                                                          ("body", "ilike", "Confirmed by")], fields=["author_id"])
    assert logged, "the confirmation is not in the bill's chatter"


def test_received_bill_with_a_new_account_never_changes_the_payee(server: Server, vendor: dict[str, Any]) -> None:
    forged = valid_account("9710051234")
    number = f"FRAUD-{int(time.time())}"
    bill = receive(server, number, trusted_vendor_ehf(number, forged))
    check_blocked_until_confirmed(server, vendor, bill, forged)
    server.admin("account.move", "action_post", [bill["id"]])
    assert server.admin("account.move", "read", [bill["id"]], ["state"])[0]["state"] == "posted"


def test_emailed_bill_with_a_new_account_never_changes_the_payee(server: Server, vendor: dict[str, Any]) -> None:
    """The same attack by e-mail to the purchase journal's alias, delivered as Odoo's mailgate script
    delivers it: ``mail.thread.message_process`` over XML-RPC with the mailgate's user (here the
    administrator; Odoo's own mail fetching runs it as superuser). The sender is nobody to trust."""
    admin = server.admin
    domains = admin("mail.alias.domain", "search", [("name", "=", "selger.example")])
    domain_id = domains[0] if domains else admin("mail.alias.domain", "create", {"name": "selger.example"})
    admin("res.company", "write", [server.company_id], {"alias_domain_id": domain_id})
    purchase = admin("account.journal", "search", [("type", "=", "purchase"), ("company_id", "=", server.company_id)],
                     limit=1)[0]
    admin("account.journal", "write", [purchase], {"alias_name": "bilag"})
    forged = valid_account("9710059876")
    number = f"MAIL-{int(time.time())}"
    message = EmailMessage()
    message["From"] = "Trygg Leverandør AS <faktura@angriper.example>"
    message["To"] = "bilag@selger.example"
    message["Subject"] = f"Faktura {number}"
    message["Message-Id"] = f"<{number}@angriper.example>"
    message.set_content("Vedlagt faktura.")
    message.add_attachment(trusted_vendor_ehf(number, forged), maintype="application", subtype="xml",
                           filename=f"{number}.xml")
    move_id = admin("mail.thread", "message_process", False, message.as_string(), {})
    assert move_id, "the mail gateway created nothing"
    bill = admin("account.move", "read", [move_id], ["partner_id", "partner_bank_id", "state", "move_type",
                                                     "l10n_no_ehf_payee_to_confirm"])[0]
    assert bill["move_type"] == "in_invoice"
    check_blocked_until_confirmed(server, vendor, bill, forged)


def test_received_bill_with_the_known_account_needs_no_confirmation(server: Server, vendor: dict[str, Any]) -> None:
    """The control: the vendor's own account is used as it is, nothing to confirm."""
    number = f"OK-{int(time.time())}"
    bill = receive(server, number, trusted_vendor_ehf(number, vendor["trusted"]))
    assert bill["l10n_no_ehf_payee_to_confirm"] is False
    assert bill["partner_bank_id"] and bill["partner_bank_id"][0] == vendor["trusted_id"]
    server.clerk("account.move", "action_post", [bill["id"]])


# ---------------------------------------------------------------------------------------------
# 10.8: secrets
# ---------------------------------------------------------------------------------------------

SECRET_KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAsecretsecret\n-----END OPENSSH PRIVATE KEY-----\n"
)


def test_sftp_key_and_api_keys_are_unreadable_for_non_admins(server: Server, community_admin: Rpc) -> None:
    journal = server.bank_journal_id
    server.admin("account.journal", "write", [journal], {
        "l10n_no_bank_sftp_private_key": SECRET_KEY, "l10n_no_bank_sftp_password": "pw-secret-42",
    })
    access_point = server.admin("l10n_no_ehf.access.point", "search", [], limit=1)[0]
    server.admin("l10n_no_ehf.access.point", "write", [access_point], {"storecove_api_key": "api-secret-42"})
    for rpc, who in ((server.clerk, "billing clerk"), (server.accountant, "accountant"),
                     (community_admin, "accounting administrator")):
        for field in ("l10n_no_bank_sftp_private_key", "l10n_no_bank_sftp_password"):
            assert_access_error(lambda rpc=rpc, field=field: rpc("account.journal", "read", [journal], [field]),
                                f"{who} reads {field}")
        for field in ("storecove_api_key", "sftp_password"):
            assert_access_error(
                lambda rpc=rpc, field=field: rpc("l10n_no_ehf.access.point", "read", [access_point], [field]),
                f"{who} reads the access point's {field}")
        everything = str(rpc("account.journal", "read", [journal]))
        assert "secret" not in everything, f"{who} reads a secret among all fields of the journal"
        assert "l10n_no_bank_sftp_private_key" not in rpc("account.journal", "fields_get", [])
    # the system administrator may read and write them; the form shows them masked
    assert server.admin("account.journal", "read", [journal], ["l10n_no_bank_sftp_private_key"])[0][
        "l10n_no_bank_sftp_private_key"].startswith("-----BEGIN")
    form = server.admin("account.journal", "get_views", [[False, "form"]])["views"]["form"]["arch"]
    for field in ("l10n_no_bank_sftp_private_key", "l10n_no_bank_sftp_password"):
        tag = re.search(rf'<field[^>]*name="{field}"[^>]*>', form)
        assert tag, f"{field} is not on the journal form"
        assert 'password="True"' in tag.group(0), f"{field} is not masked in the journal form: {tag.group(0)}"


# ---------------------------------------------------------------------------------------------
# 10.4: the accountant of company A and company B's records
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def company_b(server: Server) -> dict[str, int]:
    """A second company, set up by the system administrator; the accountant belongs to company A only."""
    company = server.admin("res.company", "create", {"name": "Selger B AS"})
    server.admin("res.users", "write", [server.admin.uid], {"company_ids": [(4, company)]})
    both = {"allowed_company_ids": [server.company_id, company]}
    access_point = server.admin("l10n_no_ehf.access.point", "create", {
        "name": "B AP", "company_id": company, "transport_type": "memory"}, context=both)
    law_value = server.admin("l10n_no.dunning.law.value", "create", {
        "company_id": company, "law_table": "forsinkelsesrente", "period_start": "2032-01-01", "value": 12.5,
    }, context=both)
    levels = server.admin("l10n_no.dunning.level", "search", [("company_id", "=", company)], context=both)
    partner = server.admin("res.partner", "create", {"name": "Kunde B AS", "company_id": company}, context=both)
    return {"company": company, "access_point": access_point, "law_value": law_value, "level": levels[0],
            "partner": partner}


@pytest.mark.parametrize(("model", "key", "values"), [
    ("l10n_no_ehf.access.point", "access_point", {"name": "taken"}),
    ("l10n_no.dunning.law.value", "law_value", {"value": 99.0}),
    ("l10n_no.dunning.level", "level", {"days": 1}),
    ("res.partner", "partner", {"name": "taken"}),
])
def test_accountant_of_company_a_cannot_reach_company_b(server: Server, company_b: dict[str, int], model: str,
                                                         key: str, values: dict[str, Any]) -> None:
    record = company_b[key]
    for rpc, who in ((server.accountant, "accountant of company A"), (server.clerk, "billing clerk of company A")):
        assert record not in rpc(model, "search", [("id", "=", record)]), f"{who} finds {model} of company B"
        assert_access_error(lambda rpc=rpc: rpc(model, "read", [record], ["display_name"]), f"{who} reads {model} of B")
        assert_access_error(lambda rpc=rpc: rpc(model, "write", [record], values), f"{who} writes {model} of B")
    # the control: the administrator of both companies reaches it
    assert server.admin(model, "read", [record], ["display_name"],
                        context={"allowed_company_ids": [server.company_id, company_b["company"]]})


def test_accountant_cannot_start_a_run_or_link_items_in_company_b(server: Server, company_b: dict[str, int]) -> None:
    assert_access_error(
        lambda: server.accountant("l10n_no.dunning.run", "create", {"company_id": company_b["company"]}),
        "accountant of company A starts a dunning run in company B")
    move_id = make_invoice(server, make_partner(server, "Kunde Kryss AS"), 300.0)
    assert_access_error(lambda: server.accountant("l10n_no.dunning.item", "create", {
        "move_id": move_id, "level_id": company_b["level"], "company_id": company_b["company"]}),
        "accountant creates a dunning item pointing at company B's level")


# ---------------------------------------------------------------------------------------------
# 10.5: status and amount fields accept no direct writes
# ---------------------------------------------------------------------------------------------


def test_status_fields_refuse_direct_writes(server: Server) -> None:
    move_id = make_invoice(server, make_partner(server, "Kunde Status AS"), 400.0)
    run_id = server.accountant("l10n_no.dunning.run", "create", {"company_id": server.company_id})
    bank_imports = server.accountant("l10n_no.bank.import", "search", [], limit=1)
    lines = server.accountant("account.bank.statement.line", "search", [("l10n_no_bank_state", "!=", False)], limit=1)
    attempts: list[tuple[str, int, dict[str, Any]]] = [
        ("account.move", move_id, {"l10n_no_ehf_check_state": "ok"}),
        ("account.move", move_id, {"l10n_no_dunning_state": "collection"}),
        ("account.move", move_id, {"l10n_no_vendor_kid_state": "valid"}),
        ("l10n_no.dunning.run", run_id, {"state": "done"}),
        ("l10n_no.dunning.run", run_id, {"company_id": server.company_id}),
    ]
    if bank_imports:
        attempts.append(("l10n_no.bank.import", bank_imports[0], {"state": "duplicate", "count_created": 0}))
    if lines:
        attempts.append(("account.bank.statement.line", lines[0], {"l10n_no_bank_state": "paid"}))
    for rpc, who in accounting_roles(server):
        for model, record, values in attempts:
            assert_access_error(lambda rpc=rpc, model=model, record=record, values=values: rpc(
                model, "write", [record], values), f"{who} writes {values} on {model}")
    assert_access_error(lambda: server.accountant("l10n_no.bank.import", "create", {
        "name": "forged.txt", "company_id": server.company_id, "state": "done"}), "accountant forges a bank file log")


# ---------------------------------------------------------------------------------------------
# 10.2, 10.3, 10.7, 10.8: who may do what
# ---------------------------------------------------------------------------------------------


def test_no_dunning_run_dated_in_the_future(server: Server) -> None:
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    for rpc, who in ((server.clerk, "billing clerk"), (server.accountant, "accountant")):
        assert_user_error(lambda rpc=rpc: rpc("l10n_no.dunning.run", "create",
                                              {"company_id": server.company_id, "date": tomorrow}),
                          f"{who} dates a run in the future", "is dated today")
    assert not server.admin("l10n_no.dunning.run", "search", [("date", "=", tomorrow)])


def test_connection_test_is_for_system_administrators(server: Server, internal: Rpc, community_admin: Rpc) -> None:
    access_point = server.admin("l10n_no_ehf.access.point", "search", [("company_id", "=", server.company_id)],
                                limit=1)[0]
    for rpc, who in ((server.portal, "portal user"), (internal, "internal user"), (server.accountant, "accountant"),
                     (community_admin, "accounting administrator")):
        assert_access_error(lambda rpc=rpc: rpc("l10n_no_ehf.access.point", "action_l10n_no_ehf_test_connection",
                                                [access_point]), f"{who} tests the access point connection")


def test_community_accounting_administrator_may_import_bank_files(server: Server, community_admin: Rpc) -> None:
    """10.7: the Community Administrator passes the access check (the file itself is then refused as
    unreadable, a user error); a billing clerk does not."""
    data = base64.b64encode(b"not a bank file").decode()
    try:
        community_admin("l10n_no.bank.import", "l10n_no_bank_import_file", "x.txt", data, server.bank_journal_id)
        pytest.fail("an unreadable file was imported")
    except xmlrpc.client.Fault as fault:
        assert not is_access_error(fault), f"the accounting administrator may not import: {fault.faultString[:500]}"
        assert is_user_error(fault), str(fault.faultCode)[:1500]
    action = community_admin("account.journal", "action_l10n_no_bank_import", [server.bank_journal_id])
    assert action["res_model"] == "l10n_no.bank.import.wizard"
    assert_access_error(lambda: server.clerk("l10n_no.bank.import", "l10n_no_bank_import_file", "x.txt", data,
                                             server.bank_journal_id), "billing clerk imports a bank file")


def test_peppol_lookup_is_for_billing_users(server: Server, internal: Rpc) -> None:
    partner_id = make_partner(server, "Kunde Oppslag AS")
    for rpc, who in ((server.portal, "portal user"), (internal, "internal user")):
        assert_access_error(lambda rpc=rpc: rpc("res.partner", "action_l10n_no_ehf_check_peppol", [partner_id]),
                            f"{who} makes the server look a partner up in Peppol")
