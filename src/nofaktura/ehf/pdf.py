"""A clean, human-readable PDF of an EHF document, for invoices that arrive without one.

EHF senders are not obliged to embed a PDF; an accountant still wants something to look at and to
file. This renders the model with reportlab's platypus (tables that split across pages) using the
PDF standard fonts, whose WinAnsi encoding covers æ, ø and å, so nothing has to be installed.
Works with reportlab 3.6 (Odoo 19's pin) and later. The PDF is a *view*: the EHF XML stays the
accounting original, and the footer says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from nofaktura.ehf.model import Address, Document, Party

__all__ = ["LABELS", "format_money", "render_pdf"]

LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "Invoice": "Faktura",
        "CreditNote": "Kreditnota",
        "number": "Nummer",
        "issue_date": "Fakturadato",
        "due_date": "Forfallsdato",
        "seller": "Selger",
        "buyer": "Kjøper",
        "payee": "Betalingsmottaker",
        "org": "Org.nr.",
        "vat": "MVA-nr.",
        "buyer_reference": "Deres ref.",
        "order_reference": "Bestillingsnr.",
        "contract_reference": "Kontrakt",
        "project_reference": "Prosjekt",
        "preceding": "Gjelder faktura",
        "period": "Periode",
        "delivery": "Levering",
        "line": "Nr.",
        "description": "Beskrivelse",
        "quantity": "Antall",
        "unit": "Enhet",
        "price": "Pris",
        "vat_rate": "MVA %",
        "amount": "Beløp",
        "vat_breakdown": "Merverdiavgift",
        "category": "Kategori",
        "taxable": "Grunnlag",
        "tax": "MVA",
        "line_total": "Sum linjer",
        "allowances": "Rabatter",
        "charges": "Gebyrer",
        "tax_exclusive": "Sum eks. MVA",
        "tax_total": "Sum MVA",
        "tax_inclusive": "Sum inkl. MVA",
        "prepaid": "Forskuddsbetalt",
        "rounding": "Øreavrunding",
        "payable": "Å betale",
        "payment": "Betaling",
        "account": "Kontonr.",
        "kid": "KID",
        "reference": "Betalingsreferanse",
        "bic": "BIC",
        "terms": "Betalingsbetingelser",
        "note": "Merknad",
        "attachments": "Vedlegg",
        "footer": "Visning av EHF-dokument laget av nofaktura. Originalen er EHF-filen (XML).",
        "foretaksregisteret": "Foretaksregisteret",
        "page": "side",
    },
    "en": {
        "Invoice": "Invoice",
        "CreditNote": "Credit note",
        "number": "Number",
        "issue_date": "Issue date",
        "due_date": "Due date",
        "seller": "Seller",
        "buyer": "Buyer",
        "payee": "Payee",
        "org": "Org. no.",
        "vat": "VAT no.",
        "buyer_reference": "Your ref.",
        "order_reference": "Order no.",
        "contract_reference": "Contract",
        "project_reference": "Project",
        "preceding": "Preceding invoice",
        "period": "Period",
        "delivery": "Delivery",
        "line": "No.",
        "description": "Description",
        "quantity": "Qty",
        "unit": "Unit",
        "price": "Price",
        "vat_rate": "VAT %",
        "amount": "Amount",
        "vat_breakdown": "VAT",
        "category": "Category",
        "taxable": "Taxable",
        "tax": "VAT",
        "line_total": "Lines total",
        "allowances": "Allowances",
        "charges": "Charges",
        "tax_exclusive": "Total excl. VAT",
        "tax_total": "Total VAT",
        "tax_inclusive": "Total incl. VAT",
        "prepaid": "Prepaid",
        "rounding": "Rounding",
        "payable": "Amount due",
        "payment": "Payment",
        "account": "Account",
        "kid": "KID",
        "reference": "Payment reference",
        "bic": "BIC",
        "terms": "Payment terms",
        "note": "Note",
        "attachments": "Attachments",
        "footer": "View of an EHF document made by nofaktura. The original is the EHF file (XML).",
        "foretaksregisteret": "Foretaksregisteret",
        "page": "page",
    },
}


def format_money(amount: Decimal | None, lang: str = "nb") -> str:
    """``1 234,50`` (nb, with a thin no-break space) or ``1,234.50`` (en); more decimals kept."""
    if amount is None:
        return ""
    exponent = amount.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    text = f"{amount:,.{places}f}"
    if lang == "nb":
        text = text.replace(",", " ").replace(".", ",")
    return text


def _number(value: Decimal | None, lang: str) -> str:
    if value is None:
        return ""
    text = format(value.normalize() if value == value.to_integral() else value, "f")
    return text.replace(".", ",") if lang == "nb" else text


def _account(account: str) -> str:
    """A Norwegian 11-digit account (BBAN) the way banks print it, ``1503.40.02190``; others as given."""
    compact = account.replace(" ", "").replace(".", "")
    if len(compact) == 11 and compact.isdigit():
        return f"{compact[:4]}.{compact[4:6]}.{compact[6:]}"
    return account


def _date(value: date | None, lang: str) -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if lang == "nb" else value.isoformat()


def _p(text: str | None, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _address_lines(address: Address | None) -> list[str]:
    if address is None:
        return []
    lines = [part for part in (address.street, address.additional_street, address.address_line) if part]
    city = " ".join(part for part in (address.postal_zone, address.city) if part)
    if city:
        lines.append(city)
    tail = ", ".join(part for part in (address.country_subentity, address.country) if part)
    if tail:
        lines.append(tail)
    return lines


def _party_block(title: str, party: Party | None, labels: dict[str, str], styles: dict[str, ParagraphStyle]) -> list:
    if party is None:
        return []
    lines = [f"<b>{escape(title)}</b>", f"<b>{escape(party.name or '')}</b>"]
    if party.trading_name and party.trading_name != party.name:
        lines.append(escape(party.trading_name))
    lines.extend(escape(line) for line in _address_lines(party.address))
    if party.org_number:
        lines.append(f"{labels['org']} {escape(party.org_number)}")
    elif party.legal_id is not None:
        lines.append(f"{labels['org']} {escape(party.legal_id.value)}")
    if party.vat_id:
        lines.append(f"{labels['vat']} {escape(party.vat_id)}")
    if party.foretaksregisteret:
        lines.append(labels["foretaksregisteret"])
    if party.contact is not None:
        for value in (party.contact.name, party.contact.telephone, party.contact.email):
            if value:
                lines.append(escape(value))
    return [Paragraph("<br/>".join(lines), styles["small"])]


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    small = ParagraphStyle("nf-small", parent=base["Normal"], fontName="Helvetica", fontSize=8.5, leading=11)
    return {
        "title": ParagraphStyle("nf-title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=18, alignment=0),
        "h": ParagraphStyle("nf-h", parent=base["Heading4"], fontName="Helvetica-Bold", fontSize=10, spaceBefore=6),
        "small": small,
        "right": ParagraphStyle("nf-right", parent=small, alignment=TA_RIGHT),
        "footer": ParagraphStyle("nf-footer", parent=small, fontSize=7, textColor=colors.grey),
    }


_GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
    ]
)


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float], style: TableStyle = _GRID) -> Table:
    table = Table(list(rows), colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(style)
    return table


# Page layout for print (nofaktura.printcheck, Digipost's rules): nothing in the 15 mm barcode zone on the left,
# the recipient's address in the window of a C5/C4 window envelope (20 mm from the left, 45 mm from the top).
_LEFT_MARGIN = 20 * mm
_RIGHT_MARGIN = 15 * mm
_TOP_MARGIN = 15 * mm
_WINDOW_TOP = 46 * mm
_BODY_WIDTH = A4[0] - _LEFT_MARGIN - _RIGHT_MARGIN


def render_pdf(document: Document, *, lang: str = "nb") -> bytes:
    """The PDF bytes of ``document``; ``lang`` is ``nb`` (Norwegian Bokmål) or ``en``."""
    labels = LABELS[lang]
    styles = _styles()
    money = lambda amount: format_money(amount, lang)  # noqa: E731 - local shorthand
    story: list = []
    doc = document

    # The title sits in a band of fixed height so the buyer's address below it starts at the top of the
    # envelope window (nofaktura.printcheck: C5/C4 window 45-90 mm from the top, 20 mm from the left).
    title = Table(
        [[Paragraph(f"{escape(labels[doc.kind])} {escape(doc.number)}", styles["title"])]],
        colWidths=[_BODY_WIDTH],
        rowHeights=[_WINDOW_TOP - _TOP_MARGIN],
        hAlign="LEFT",
    )
    title.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    story.append(title)
    facts = [
        (labels["issue_date"], _date(doc.issue_date, lang)),
        (labels["due_date"], _date(doc.due_date, lang)),
        (labels["buyer_reference"], doc.buyer_reference),
        (labels["order_reference"], doc.order_reference),
        (labels["contract_reference"], doc.contract_reference),
        (labels["project_reference"], doc.project_reference),
        *((labels["preceding"], f"{ref.id} {_date(ref.issue_date, lang)}".strip()) for ref in doc.billing_references),
    ]
    if doc.invoice_period is not None:
        facts.append(
            (labels["period"], f"{_date(doc.invoice_period.start, lang)} – {_date(doc.invoice_period.end, lang)}")
        )
    if doc.delivery is not None and doc.delivery.date is not None:
        facts.append((labels["delivery"], _date(doc.delivery.date, lang)))
    fact_table = Table(
        [[_p(label, styles["small"]), _p(value, styles["small"])] for label, value in facts if value],
        colWidths=[32 * mm, 55 * mm],
        hAlign="LEFT",
    )
    fact_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))

    # The buyer (the letter's recipient) first, in the envelope window; the facts and the seller beside it.
    parties = Table(
        [
            [
                _party_block(labels["buyer"], doc.buyer, labels, styles),
                [fact_table, Spacer(1, 3 * mm), *_party_block(labels["seller"], doc.seller, labels, styles)],
            ]
        ],
        colWidths=[85 * mm, _BODY_WIDTH - 85 * mm],
        hAlign="LEFT",
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    story += [parties, Spacer(1, 6 * mm)]

    # Lines
    rows: list[list[object]] = [
        [labels["line"], labels["description"], labels["quantity"], labels["unit"], labels["price"],
         labels["vat_rate"], labels["amount"]],
    ]  # fmt: skip
    for item_line in doc.lines:
        text = escape(item_line.item.name)
        if item_line.item.description:
            text += f"<br/><font size=7.5>{escape(item_line.item.description)}</font>"
        if item_line.note:
            text += f"<br/><font size=7.5><i>{escape(item_line.note)}</i></font>"
        for ac in item_line.allowances_charges:
            sign = "+" if ac.charge else "-"
            text += f"<br/><font size=7.5>{sign} {escape(ac.reason or ac.reason_code or '')} {money(ac.amount)}</font>"
        rows.append(
            [
                item_line.id,
                Paragraph(text, styles["small"]),
                _number(item_line.quantity, lang),
                item_line.unit_code,
                money(item_line.price.amount),
                _number(item_line.item.vat_rate, lang) or item_line.item.vat_category,
                money(item_line.line_extension_amount),
            ]
        )
    story.append(_table(rows, [10 * mm, 67 * mm, 16 * mm, 12 * mm, 24 * mm, 14 * mm, 32 * mm]))

    # Document level allowances and charges
    if doc.allowances_charges:
        ac_rows: list[list[object]] = [[labels["allowances"] + " / " + labels["charges"], "", labels["amount"]]]
        for ac in doc.allowances_charges:
            sign = "" if ac.charge else "-"
            ac_rows.append(
                [_p(ac.reason or ac.reason_code, styles["small"]), ac.tax_category or "", sign + money(ac.amount)]
            )
        story += [Spacer(1, 4 * mm), _table(ac_rows, [105 * mm, 20 * mm, 50 * mm])]

    # VAT breakdown and totals side by side
    vat_rows: list[list[object]] = [[labels["category"], labels["vat_rate"], labels["taxable"], labels["tax"]]]
    total = doc.tax_total
    for sub in total.subtotals if total is not None else ():
        category = sub.category + (
            f" ({sub.exemption_reason or sub.exemption_reason_code})"
            if (sub.exemption_reason or sub.exemption_reason_code)
            else ""
        )
        vat_rows.append(
            [_p(category, styles["small"]), _number(sub.rate, lang), money(sub.taxable_amount), money(sub.tax_amount)]
        )
    totals = doc.totals
    total_rows: list[list[object]] = [[labels["line_total"], money(totals.line_extension)]]
    if totals.allowance_total is not None:
        total_rows.append([labels["allowances"], "-" + money(totals.allowance_total)])
    if totals.charge_total is not None:
        total_rows.append([labels["charges"], money(totals.charge_total)])
    total_rows.append([labels["tax_exclusive"], money(totals.tax_exclusive)])
    if total is not None:
        total_rows.append([labels["tax_total"], money(total.amount)])
    total_rows.append([labels["tax_inclusive"], money(totals.tax_inclusive)])
    if totals.prepaid is not None:
        total_rows.append([labels["prepaid"], "-" + money(totals.prepaid)])
    if totals.rounding is not None:
        total_rows.append([labels["rounding"], money(totals.rounding)])
    total_rows.append([f"{labels['payable']} ({doc.currency})", money(totals.payable)])
    totals_table = Table(total_rows, colWidths=[38 * mm, 32 * mm], hAlign="RIGHT")
    totals_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
                ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 10),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ]
        )
    )
    vat_style = TableStyle([*_GRID.getCommands(), ("ALIGN", (1, 0), (-1, -1), "RIGHT")])
    vat_table = _table(vat_rows, [40 * mm, 14 * mm, 26 * mm, 22 * mm], vat_style)
    story += [
        Spacer(1, 5 * mm),
        KeepTogether(
            Table([[[Paragraph(labels["vat_breakdown"], styles["h"]), vat_table], totals_table]],
                  colWidths=[_BODY_WIDTH - 72 * mm, 72 * mm], hAlign="LEFT",
                  style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        ),
    ]  # fmt: skip

    # Payment
    pay_lines = []
    if doc.due_date is not None:
        pay_lines.append(f"{labels['due_date']}: <b>{_date(doc.due_date, lang)}</b>")
    pay_lines.append(f"{labels['payable']}: <b>{doc.currency} {money(totals.payable)}</b>")
    for means in doc.payment_means:
        if means.account_id:
            pay_lines.append(f"{labels['account']}: <b>{escape(_account(means.account_id))}</b>")
        if means.bic:
            pay_lines.append(f"{labels['bic']}: {escape(means.bic)}")
        if means.payment_id:
            key = "kid" if means.payment_id.isdigit() else "reference"
            pay_lines.append(f"{labels[key]}: <b>{escape(means.payment_id)}</b>")
    if doc.payee is not None and doc.payee.name:
        pay_lines.append(f"{labels['payee']}: {escape(doc.payee.name)}")
    if doc.payment_terms:
        pay_lines.append(f"{labels['terms']}: {escape(doc.payment_terms)}")
    story += [Paragraph(labels["payment"], styles["h"]), Paragraph("<br/>".join(pay_lines), styles["small"])]

    if doc.note:
        story += [Paragraph(labels["note"], styles["h"]), _p(doc.note, styles["small"])]
    if doc.attachments:
        items = []
        for attachment in doc.attachments:
            parts = [attachment.filename or attachment.id]
            if attachment.description:
                parts.append(attachment.description)
            if attachment.size is not None:
                parts.append(f"{attachment.size} bytes")
            if attachment.uri:
                parts.append(attachment.uri)
            items.append(escape(" – ".join(parts)))
        story.append(
            KeepTogether(
                [Paragraph(labels["attachments"], styles["h"]), Paragraph("<br/>".join(items), styles["small"])]
            )
        )

    story += [Spacer(1, 8 * mm), Paragraph(escape(labels["footer"]), styles["footer"])]

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_LEFT_MARGIN,
        rightMargin=_RIGHT_MARGIN,
        topMargin=_TOP_MARGIN,
        bottomMargin=15 * mm,
        title=f"{labels[doc.kind]} {doc.number}",
        author=doc.seller.name or "",
        creator="nofaktura",
        invariant=1,
    )
    page_label = f"{labels[doc.kind]} {doc.number}"

    def footer(canvas, _template) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, f"{page_label} - {labels['page']} {canvas.getPageNumber()}")
        canvas.restoreState()

    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
