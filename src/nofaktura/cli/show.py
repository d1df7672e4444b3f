"""``nofaktura show``: what an EHF document says, for a person.

::

    nofaktura show faktura.xml                 # parties, references, lines, VAT, totals, payment
    nofaktura show faktura.xml --json          # the JSON form (attachments as name/size/mime only)
    nofaktura show faktura.xml --pdf vis.pdf   # also render a readable PDF (for EHF without one)

FILE is UBL (Invoice or CreditNote, optionally in a Peppol SBDH envelope) or the JSON form; a
Peppol Invoice Response (ApplicationResponse) is shown as its status and clarifications.
Exit codes: 0 shown, 1 shown in part (a UBL document the reader cannot map: an outline, and why on
stderr), 2 the file cannot be used (not XML/JSON, hostile XML, wrong document).
``show`` does not judge business rules; ``nofaktura validate`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from lxml import etree

from nofaktura.cli._common import input_name, read_input
from nofaktura.ehf.jsonform import from_json, to_json
from nofaktura.ehf.model import Document, Party
from nofaktura.ehf.namespaces import APPLICATION_RESPONSE, NSMAP
from nofaktura.ehf.pdf import render_pdf
from nofaktura.ehf.reader import read
from nofaktura.exceptions import DocumentError, UnsafeDocument
from nofaktura.peppol.invoice_response import ACTION_CODES, REASON_CODES, ResponseCode
from nofaktura.xml import DEFAULT_MAX_BYTES, load_ubl, parse_untrusted, unwrap_sbdh

_APPLICATION_RESPONSE = f"{{{APPLICATION_RESPONSE}}}ApplicationResponse"
_RESPONSE_NAMES = {
    ResponseCode.ACKNOWLEDGED.value: "message acknowledged",
    ResponseCode.IN_PROCESS.value: "in process",
    ResponseCode.UNDER_QUERY.value: "under query",
    ResponseCode.CONDITIONALLY_ACCEPTED.value: "conditionally accepted",
    ResponseCode.REJECTED.value: "rejected",
    ResponseCode.ACCEPTED.value: "accepted",
    ResponseCode.PAID.value: "paid",
}

__all__ = ["invoice_response_summary", "load_bytes", "load_document", "outline", "register", "summary"]


def load_document(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read ``path`` as UBL or as the JSON form (decided by content, not by name).

    Both are bounded by ``max_bytes`` (checked before reading a file), like every received document.
    """
    source = input_name(path)
    data = read_input(path, max_bytes=max_bytes)  # the one message for a missing file, size limit first
    return load_bytes(data, source, max_bytes=max_bytes)


def load_bytes(data: bytes, source: str | None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """:func:`load_document` for bytes already read (standard input can be read only once)."""
    if data.lstrip()[:1] == b"{":
        try:
            parsed = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            # ValueError covers json.JSONDecodeError and an integer of more than 4300 digits
            # (Python's int_max_str_digits), which json.loads refuses with a bare ValueError.
            raise DocumentError(f"not valid JSON: {exc}", source=source) from exc
        return from_json(parsed, source=source)
    return read(data, source=source, max_bytes=max_bytes)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}".replace(",", " ")


def _party_lines(title: str, party: Party | None) -> list[str]:
    if party is None:
        return []
    lines = [f"{title}: {party.name or ''}"]
    if party.trading_name and party.trading_name != party.name:
        lines.append(f"  trading name: {party.trading_name}")
    if party.org_number:
        lines.append(f"  org. number: {party.org_number}")
    elif party.legal_id is not None:
        lines.append(
            f"  legal id: {party.legal_id.value}" + (f" ({party.legal_id.scheme})" if party.legal_id.scheme else "")
        )
    if party.vat_id:
        lines.append(f"  VAT id: {party.vat_id}")
    if party.foretaksregisteret:
        lines.append("  Foretaksregisteret")
    if party.endpoint is not None:
        lines.append(f"  Peppol: {party.endpoint.scheme}:{party.endpoint.value}")
    if party.address is not None:
        address = party.address
        parts = [
            address.street,
            address.additional_street,
            " ".join(p for p in (address.postal_zone, address.city) if p),
            address.country,
        ]
        lines.append("  address: " + ", ".join(p for p in parts if p))
    if party.contact is not None:
        contact = ", ".join(p for p in (party.contact.name, party.contact.telephone, party.contact.email) if p)
        if contact:
            lines.append(f"  contact: {contact}")
    return lines


def summary(document: Document) -> str:
    """A plain-text summary of ``document`` (English labels, values as written)."""
    doc = document
    title = "Invoice" if doc.kind == "Invoice" else "Credit note"
    out = [f"{title} {doc.number} (type {doc.effective_type_code}, {doc.currency})"]
    out.append(f"Issue date: {doc.issue_date.isoformat()}")
    if doc.due_date is not None:
        out.append(f"Due date: {doc.due_date.isoformat()}")
    references = [
        ("Buyer reference", doc.buyer_reference),
        ("Order", doc.order_reference),
        ("Sales order", doc.sales_order_reference),
        ("Contract", doc.contract_reference),
        ("Project", doc.project_reference),
        ("Despatch advice", doc.despatch_reference),
        ("Receiving advice", doc.receipt_reference),
        ("Tender/lot", doc.originator_reference),
        ("Accounting cost", doc.accounting_cost),
    ]
    out += [f"{label}: {value}" for label, value in references if value]
    for ref in doc.billing_references:
        out.append(f"Preceding invoice: {ref.id}" + (f" of {ref.issue_date.isoformat()}" if ref.issue_date else ""))
    if doc.invoice_period is not None:
        start = doc.invoice_period.start.isoformat() if doc.invoice_period.start else "?"
        end = doc.invoice_period.end.isoformat() if doc.invoice_period.end else "?"
        out.append(f"Period: {start} - {end}")
    if doc.note:
        out.append(f"Note: {doc.note}")
    out.append("")
    out += _party_lines("Seller", doc.seller)
    out += _party_lines("Buyer", doc.buyer)
    out += _party_lines("Payee", doc.payee)
    out += _party_lines("Tax representative", doc.tax_representative)
    if doc.delivery is not None and doc.delivery.date is not None:
        out.append(f"Delivery: {doc.delivery.date.isoformat()}")
    out.append("")
    out.append(f"Lines ({len(doc.lines)}):")
    for line in doc.lines:
        vat = (
            f"{line.item.vat_category} {line.item.vat_rate}%"
            if line.item.vat_rate is not None
            else line.item.vat_category
        )
        out.append(
            f"  {line.id:>4}  {line.item.name}  {line.quantity} {line.unit_code} x {_amount(line.price.amount)}"
            f"  = {_amount(line.line_extension_amount)}  [VAT {vat}]"
        )
        for ac in line.allowances_charges:
            kind = "charge" if ac.charge else "allowance"
            out.append(f"        {kind}: {_amount(ac.amount)} {ac.reason or ac.reason_code or ''}".rstrip())
    for ac in doc.allowances_charges:
        kind = "Charge" if ac.charge else "Allowance"
        out.append(f"{kind}: {_amount(ac.amount)} {ac.reason or ac.reason_code or ''} [VAT {ac.tax_category}]")
    out.append("")
    out.append("VAT:")
    for total in doc.tax_totals:
        for sub in total.subtotals:
            reason = (
                f" ({sub.exemption_reason or sub.exemption_reason_code})"
                if sub.exemption_reason or sub.exemption_reason_code
                else ""
            )
            rate = f" {sub.rate}%" if sub.rate is not None else ""
            out.append(f"  {sub.category}{rate}: {_amount(sub.tax_amount)} on {_amount(sub.taxable_amount)}{reason}")
        out.append(f"  total VAT: {_amount(total.amount)} {total.currency}")
    totals = doc.totals
    out.append("Totals:")
    out.append(f"  lines: {_amount(totals.line_extension)}")
    if totals.allowance_total is not None:
        out.append(f"  allowances: {_amount(totals.allowance_total)}")
    if totals.charge_total is not None:
        out.append(f"  charges: {_amount(totals.charge_total)}")
    out.append(f"  excl. VAT: {_amount(totals.tax_exclusive)}")
    out.append(f"  incl. VAT: {_amount(totals.tax_inclusive)}")
    if totals.prepaid is not None:
        out.append(f"  prepaid: {_amount(totals.prepaid)}")
    if totals.rounding is not None:
        out.append(f"  rounding: {_amount(totals.rounding)}")
    out.append(f"  amount due: {_amount(totals.payable)} {doc.currency}")
    if doc.payment_means or doc.payment_terms:
        out.append("Payment:")
    for means in doc.payment_means:
        parts = [f"means {means.code}" + (f" ({means.name})" if means.name else "")]
        if means.account_id:
            parts.append(f"account {means.account_id}")
        if means.bic:
            parts.append(f"BIC {means.bic}")
        if means.payment_id:
            parts.append(f"KID {means.payment_id}" if means.payment_id.isdigit() else f"reference {means.payment_id}")
        if means.card is not None:
            parts.append(f"card {means.card.network_id} ...{means.card.primary_account_number}")
        if means.mandate is not None and means.mandate.id:
            parts.append(f"mandate {means.mandate.id}")
        out.append("  " + ", ".join(parts))
    if doc.payment_terms:
        out.append(f"  terms: {doc.payment_terms}")
    if doc.attachments:
        out.append(f"Attachments ({len(doc.attachments)}):")
        for attachment in doc.attachments:
            parts = [attachment.filename or attachment.id]
            if attachment.mime_code:
                parts.append(attachment.mime_code)
            if attachment.size is not None:
                parts.append(f"{attachment.size} bytes")
            if attachment.description:
                parts.append(attachment.description)
            if attachment.uri:
                parts.append(attachment.uri)
            if attachment.document_type_code:
                parts.append(f"type {attachment.document_type_code}")
            out.append("  " + ", ".join(parts))
    return "\n".join(out) + "\n"


#: what the outline of a document the reader cannot map shows: label -> path from the root
_OUTLINE = (
    ("Specification", "cbc:CustomizationID"),
    ("Process", "cbc:ProfileID"),
    ("Number", "cbc:ID"),
    ("Issue date", "cbc:IssueDate"),
    ("Due date", "cbc:DueDate"),
    ("Currency", "cbc:DocumentCurrencyCode"),
    ("Seller", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    ("Seller name", "cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name"),
    ("Buyer", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    ("Buyer name", "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name"),
    ("Amount due", "cac:LegalMonetaryTotal/cbc:PayableAmount"),
)


def outline(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, str] | None:
    """What a UBL document says in a few plain values, as written, for one the reader cannot map.

    ``nofaktura validate`` reads any UBL Invoice/CreditNote, also an EHF 2.x document or one with a
    missing or malformed required element; ``show`` then still shows what is there (and says why
    the full summary is not possible). None when the file is not such a document at all.
    """
    try:
        if path == "-" or not Path(path).is_file() or Path(path).stat().st_size > max_bytes:
            return None
        root, kind = load_ubl(Path(path).read_bytes(), path, max_bytes=max_bytes)
    except (DocumentError, OSError):
        return None
    found = {"Document": kind}
    for label, where in _OUTLINE:
        node = root.find(where, NSMAP)
        if node is not None and " ".join("".join(node.itertext()).split()):
            currency = node.get("currencyID")
            found[label] = " ".join("".join(node.itertext()).split()) + (f" {currency}" if currency else "")
    lines = root.findall("cac:InvoiceLine", NSMAP) + root.findall("cac:CreditNoteLine", NSMAP)
    found["Lines"] = str(len(lines))
    return found


#: what the summary of a Peppol Invoice Response shows: label -> path from the root
_RESPONSE_FIELDS = (
    ("Specification", "cbc:CustomizationID"),
    ("Process", "cbc:ProfileID"),
    ("Number", "cbc:ID"),
    ("Issue date", "cbc:IssueDate"),
    ("Note", "cbc:Note"),
    ("From (buyer)", "cac:SenderParty/cac:PartyLegalEntity/cbc:RegistrationName"),
    ("From endpoint", "cac:SenderParty/cbc:EndpointID"),
    ("To (seller)", "cac:ReceiverParty/cac:PartyLegalEntity/cbc:RegistrationName"),
    ("To endpoint", "cac:ReceiverParty/cbc:EndpointID"),
    ("Answers document", "cac:DocumentResponse/cac:DocumentReference/cbc:ID"),
    ("Document type", "cac:DocumentResponse/cac:DocumentReference/cbc:DocumentTypeCode"),
    ("Document date", "cac:DocumentResponse/cac:DocumentReference/cbc:IssueDate"),
    ("Response", "cac:DocumentResponse/cac:Response/cbc:ResponseCode"),
    ("Effective date", "cac:DocumentResponse/cac:Response/cbc:EffectiveDate"),
)


def _plain(node: etree._Element | None) -> str:
    return "" if node is None else " ".join("".join(node.itertext()).split())


def invoice_response_summary(data: bytes, source: str | None = None) -> dict[str, object] | None:
    """What a Peppol Invoice Response (UBL ApplicationResponse) says, or None for any other document.

    ``nofaktura validate`` checks Invoice Responses (T111), so ``show`` shows them too: who answers
    whom, about which document, the status and each clarification (code, its meaning, the text).
    """
    if b"ApplicationResponse-2" not in data:
        return None  # cheap: only a document in that namespace is parsed here
    root = unwrap_sbdh(parse_untrusted(data, source=source), source)
    if root.tag != _APPLICATION_RESPONSE:
        return None
    found: dict[str, object] = {"Document": "Invoice Response (ApplicationResponse)"}
    for label, where in _RESPONSE_FIELDS:
        node = root.find(where, NSMAP)
        text = _plain(node)
        if not text:
            continue
        if label == "Response":
            text += f" ({_RESPONSE_NAMES[text]})" if text in _RESPONSE_NAMES else ""
        elif label.endswith("endpoint") and node is not None and node.get("schemeID"):
            text = f"{node.get('schemeID')}:{text}"
        found[label] = text
    statuses = []
    for status in root.iterfind("cac:DocumentResponse/cac:Response/cac:Status", NSMAP):
        code_node = status.find("cbc:StatusReasonCode", NSMAP)
        code, list_id = _plain(code_node), (code_node.get("listID") if code_node is not None else None) or ""
        names = ACTION_CODES if list_id == "OPStatusAction" else REASON_CODES
        meaning = names.get(code, "")
        parts = [f"{code} ({meaning})" if meaning else code, _plain(status.find("cbc:StatusReason", NSMAP))]
        statuses.append(" - ".join(part for part in parts if part))
    if statuses:
        found["Statuses"] = statuses
    return found


def _print_response(found: dict[str, object], as_json: bool) -> None:
    if as_json:
        json.dump({"invoice_response": found}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for label, value in found.items():
        if isinstance(value, list):
            sys.stdout.write(f"{label}:\n" + "".join(f"  {item}\n" for item in value))
        else:
            sys.stdout.write(f"{label}: {value}\n")


def _show(args: argparse.Namespace) -> int:
    data = read_input(args.file, max_bytes=DEFAULT_MAX_BYTES)  # the limit before reading, as for any document
    response = invoice_response_summary(data, input_name(args.file))
    if response is not None:
        missing = [label for label in ("Response", "Answers document") if label not in response]
        if missing:  # shown in part, as an invoice the reader cannot map
            print(f"nofaktura: error: {input_name(args.file)}: not a complete Invoice Response (no "
                  f"{' and no '.join(label.lower() for label in missing)})", file=sys.stderr)  # fmt: skip
        _print_response(response, args.json)
        if args.pdf:
            print(f"nofaktura: no PDF written to {args.pdf}: PDFs are made for invoices and credit notes only",
                  file=sys.stderr)  # fmt: skip
        return 1 if missing else 0
    try:
        document = load_bytes(data, input_name(args.file))
    except DocumentError as exc:
        # a UBL document the reader cannot map (validate reads it): show what is there, exit 1
        partial = None if isinstance(exc, UnsafeDocument) else outline(args.file)
        if partial is None:
            raise
        print(f"nofaktura: error: {exc}", file=sys.stderr)
        if args.json:
            json.dump({"outline": partial, "error": str(exc)}, sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            sys.stdout.write("Not a complete EHF 3 document; what it says:\n")
            sys.stdout.write("".join(f"{label}: {value}\n" for label, value in partial.items()))
        if args.pdf:
            print(f"nofaktura: no PDF written to {args.pdf}: the document could not be read in full", file=sys.stderr)
        return 1
    if args.json:
        json.dump(to_json(document, include_content=False), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(summary(document))
    if args.pdf:
        Path(args.pdf).write_bytes(render_pdf(document, lang=args.lang))
        print(f"nofaktura: wrote {args.pdf}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``show`` to the ``nofaktura`` command."""
    parser = subparsers.add_parser(
        "show",
        help="Show what an EHF invoice, credit note or Invoice Response says",
        description=(
            "Print a readable summary of an EHF 3 / Peppol BIS 3 document (UBL XML, optionally in an SBDH "
            "envelope, or the nofaktura JSON form): parties, references, lines, VAT, totals, due date, KID, "
            "account and attachments. A Peppol Invoice Response (ApplicationResponse) is shown as its status, "
            "its clarifications and the document it answers."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="The EHF XML or JSON file to read ('-' for stdin)")
    parser.add_argument(
        "--json", action="store_true", help="Print the JSON form (attachments as name, size and type only)"
    )
    parser.add_argument("--pdf", metavar="OUT.pdf", help="Also write a human-readable PDF of the document")
    parser.add_argument("--lang", choices=["nb", "en"], default="nb", help="Language of the PDF (default nb)")
    parser.set_defaults(func=_show)
