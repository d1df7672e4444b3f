"""KID on the invoice, an OCR giro file imported by the accountant, and the same file twice at once."""

from __future__ import annotations

import base64
import datetime
import io
import xmlrpc.client
from decimal import Decimal
from typing import Any

from nofaktura.bank.generate import OcrTx, write_ocr
from nofaktura.kid import is_valid

from .conftest import BANK_ACCOUNT, Server, at_once, is_user_error, make_invoice, make_partner, read_one


def ocr_file(payments: list[tuple[str, str]], number: str) -> bytes:
    """A valid Nets OCR giro file paying ``(kid, amount)`` into the company's account."""
    today = datetime.date.today()
    txs = [
        OcrTx(amount_ore=int(Decimal(amount) * 100), kid=kid, transaction_type=10, nets_date=today,
              reference=f"{index:09d}", form_number=f"{index:010d}", debit_account="12345678903")
        for index, (kid, amount) in enumerate(payments, start=1)
    ]
    out = io.StringIO()
    write_ocr(out, [(BANK_ACCOUNT, txs)], transmission_number=number, nets_date=today)
    return out.getvalue().encode("iso-8859-1")


def kid_invoice(srv: Server, name: str, amount: float) -> tuple[int, str]:
    move_id = make_invoice(srv, make_partner(srv, name), amount)
    move = read_one(srv.clerk, "account.move", move_id, ["state", "payment_reference"])
    assert move["state"] == "posted"
    return move_id, move["payment_reference"]


def import_twice_at_once(srv: Server, data: str, name: str) -> list[Any]:
    """The accountant imports the same file over two XML-RPC connections at the same instant; returns
    both answers (a summary dict or the fault)."""
    return at_once(lambda index: srv.accountant("l10n_no.bank.import", "l10n_no_bank_import_file",
                                                f"{name}-{index}.txt", data, srv.bank_journal_id))


def test_clerk_posts_invoice_with_kid(server: Server) -> None:
    _move_id, reference = kid_invoice(server, "Kunde Kid AS", 1000.0)
    assert reference and reference.isdigit() and len(reference) == 15, reference
    assert is_valid(reference, "mod10"), f"{reference} fails its MOD10 check digit"


def test_accountant_imports_ocr_and_invoice_is_paid(server: Server) -> None:
    move_id, kid = kid_invoice(server, "Kunde Ocr AS", 1250.0)
    data = base64.b64encode(ocr_file([(kid, "1250.00")], number="1000001")).decode()
    summary = server.accountant("l10n_no.bank.import", "l10n_no_bank_import_file", "ocr-1.txt", data,
                                server.bank_journal_id)
    assert (summary["created"], summary["reconciled"]) == (1, 1), summary
    move = read_one(server.accountant, "account.move", move_id, ["payment_state", "amount_residual"])
    assert move["payment_state"] in ("paid", "in_payment"), move
    assert move["amount_residual"] == 0


def test_same_file_imported_twice_at_once(server: Server) -> None:
    """Two XML-RPC connections import the same file at the same instant: one set of lines."""
    move_id, kid = kid_invoice(server, "Kunde Dobbel AS", 777.0)
    data = base64.b64encode(ocr_file([(kid, "777.00")], number="1000002")).decode()
    lines_before = server.accountant("account.bank.statement.line", "search_count",
                                     [("journal_id", "=", server.bank_journal_id)])
    results = import_twice_at_once(server, data, "same")
    summaries = [r for r in results if isinstance(r, dict)]
    faults = [r for r in results if isinstance(r, xmlrpc.client.Fault)]
    assert len(summaries) + len(faults) == 2, results
    created = sum(s["created"] for s in summaries)
    assert created == 1, f"the two imports created {created} statement lines: {results}"
    for fault in faults:  # a refusal must say why, not be a crash
        assert is_user_error(fault), str(fault.faultString)[-2000:]
    lines_after = server.accountant("account.bank.statement.line", "search_count",
                                    [("journal_id", "=", server.bank_journal_id)])
    assert lines_after - lines_before == 1
    move = read_one(server.accountant, "account.move", move_id, ["payment_state"])
    assert move["payment_state"] in ("paid", "in_payment"), move


def test_an_ocr_assignment_imported_twice_at_once_is_booked_once_on_one_line(server: Server) -> None:
    """Three KID payments of one OCR assignment: one statement line (the bank's amount) with one item per
    payment, each invoice paid once, even when two connections import the file at the same instant."""
    invoices = [kid_invoice(server, f"Kunde Oppdrag {index} AS", amount)
                for index, amount in enumerate((100.0, 250.0, 400.0), start=1)]
    data = base64.b64encode(ocr_file([(kid, f"{amount:.2f}") for (_m, kid), amount
                                      in zip(invoices, (100.0, 250.0, 400.0), strict=True)], number="1000003")).decode()
    results = import_twice_at_once(server, data, "assignment")
    summaries = [r for r in results if isinstance(r, dict)]
    assert len(summaries) == 1, results  # the other one is refused (already imported or the unique key)
    for fault in (r for r in results if isinstance(r, xmlrpc.client.Fault)):
        assert is_user_error(fault), str(fault.faultString)[-2000:]
    summary = summaries[0]
    assert (summary["created"], summary["reconciled"]) == (3, 3), summary
    lines = server.accountant("account.bank.statement.line", "search_read",
                              [("l10n_no_bank_import_id", "=", summary["import_id"])],
                              fields=["amount", "l10n_no_bank_state", "move_id"])
    assert [(line["amount"], line["l10n_no_bank_state"]) for line in lines] == [(750.0, "grouped")], lines
    items = server.accountant("account.move.line", "search_read",
                              [("move_id", "=", lines[0]["move_id"][0]), ("l10n_no_bank_key", "!=", False)],
                              fields=["balance", "reconciled"])
    assert sorted(item["balance"] for item in items) == [-400.0, -250.0, -100.0], items
    assert all(item["reconciled"] for item in items), items
    for move_id, _kid in invoices:
        move = read_one(server.accountant, "account.move", move_id, ["payment_state", "amount_residual"])
        assert move["payment_state"] in ("paid", "in_payment") and move["amount_residual"] == 0, move
