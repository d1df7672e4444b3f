"""Build an invoice in code: keyword-only helpers that fill the model and do the arithmetic once.

The model (:mod:`nofaktura.ehf.model`) holds what a document *says*; these helpers compute what an
invoice *must* say from its lines, the way EN 16931 defines it, so callers (Odoo addons, scripts,
tests) do not each re-implement the VAT breakdown:

* line net amount (BT-131) = quantity × net price ÷ base quantity − line allowances + line charges,
  rounded to øre;
* one VAT breakdown row (BG-23) per VAT category and rate, taxable amount = sum of line net
  amounts ± document allowances/charges in that category, VAT = taxable × rate, rounded to øre
  (BR-CO-17);
* the document totals (BG-22) from those (BR-CO-10 … BR-CO-16).

Example::

    doc = build.invoice(
        number="10001", issue_date=date(2026, 11, 27), due_date=date(2026, 12, 11),
        seller=build.norwegian_party(name="Fjordkraft Verksted AS", org_number="123456785", ...),
        buyer=build.norwegian_party(name="Kunde AS", org_number="987654325", ...),
        lines=[build.line(id="1", name="Service", quantity=Decimal(2), unit_price=Decimal("950"),
                          vat_rate=Decimal(25))],
        buyer_reference="Ola", kid="0000100015", account="12345678903",
    )
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from nofaktura.ehf.model import (
    Address,
    AllowanceCharge,
    Attachment,
    BillingReference,
    Contact,
    Delivery,
    Document,
    Identifier,
    Item,
    Line,
    MonetaryTotals,
    Party,
    PaymentMeans,
    Period,
    Price,
    TaxSubtotal,
    TaxTotal,
)
from nofaktura.money import round_money

__all__ = ["invoice", "line", "norwegian_party", "vat_breakdown"]

#: Peppol EAS / ISO 6523 ICD of the Norwegian organisation number (Enhetsregisteret).
ORGNR_SCHEME = "0192"
#: Categories without VAT whose breakdown needs an exemption reason (BR-E-10, BR-AE-10, BR-G-10 …).
_NEEDS_REASON = {"E", "AE", "K", "G", "O"}


def norwegian_party(
    *,
    name: str,
    org_number: str,
    address: Address,
    vat_registered: bool = True,
    foretaksregisteret: bool = True,
    trading_name: str | None = None,
    contact: Contact | None = None,
) -> Party:
    """A Norwegian party addressed by its org number (endpoint and legal id ``0192:<orgnr>``).

    ``vat_registered`` adds ``NO<orgnr>MVA`` (NO-R-001); ``foretaksregisteret`` the
    ``Foretaksregisteret`` statement that AS/ASA/NUF sellers must show (NO-R-002). For a buyer the
    latter is meaningless and should be False. No check digits are verified here: that is
    :mod:`nofaktura.identifiers` and the validation's job.
    """
    org_number = org_number.replace(" ", "")
    return Party(
        name=name,
        trading_name=trading_name,
        endpoint=Identifier(value=org_number, scheme=ORGNR_SCHEME),
        legal_id=Identifier(value=org_number, scheme=ORGNR_SCHEME),
        vat_id=f"NO{org_number}MVA" if vat_registered else None,
        tax_registration_id="Foretaksregisteret" if foretaksregisteret else None,
        address=address,
        contact=contact,
    )


def line(
    *,
    id: str,
    name: str,
    quantity: Decimal,
    unit_price: Decimal,
    vat_rate: Decimal | None,
    vat_category: str = "S",
    unit_code: str = "EA",
    base_quantity: Decimal | None = None,
    description: str | None = None,
    sellers_id: str | None = None,
    note: str | None = None,
    accounting_cost: str | None = None,
    period: Period | None = None,
    order_line_reference: str | None = None,
    allowances_charges: Sequence[AllowanceCharge] = (),
) -> Line:
    """An invoice line whose net amount (BT-131) is computed from quantity, price and allowances."""
    per = base_quantity if base_quantity else Decimal(1)
    net = quantity * unit_price / per
    for ac in allowances_charges:
        net += ac.amount if ac.charge else -ac.amount
    return Line(
        id=id,
        note=note,
        quantity=quantity,
        unit_code=unit_code,
        line_extension_amount=round_money(net),
        accounting_cost=accounting_cost,
        period=period,
        order_line_reference=order_line_reference,
        allowances_charges=tuple(allowances_charges),
        item=Item(
            name=name,
            description=description,
            sellers_id=sellers_id,
            vat_category=vat_category,
            vat_rate=vat_rate,
        ),
        price=Price(
            amount=unit_price, base_quantity=base_quantity, base_quantity_unit=unit_code if base_quantity else None
        ),
    )


def vat_breakdown(
    lines: Iterable[Line],
    allowances_charges: Iterable[AllowanceCharge] = (),
    *,
    exemption_reasons: Mapping[str, str] | None = None,
) -> tuple[TaxSubtotal, ...]:
    """One BG-23 row per (category, rate), in the order the categories first appear."""
    taxable: dict[tuple[str, Decimal | None], Decimal] = {}
    for item_line in lines:
        key = (item_line.item.vat_category, item_line.item.vat_rate)
        taxable[key] = taxable.get(key, Decimal(0)) + item_line.line_extension_amount
    for ac in allowances_charges:
        key = (ac.tax_category or "S", ac.tax_rate)
        taxable[key] = taxable.get(key, Decimal(0)) + (ac.amount if ac.charge else -ac.amount)
    reasons = exemption_reasons or {}
    rows = []
    for (category, rate), amount in taxable.items():
        if category in _NEEDS_REASON and category not in reasons:
            raise ValueError(f"VAT category {category} needs an exemption reason (pass exemption_reasons)")
        rows.append(
            TaxSubtotal(
                taxable_amount=round_money(amount),
                tax_amount=round_money(amount * (rate or Decimal(0)) / 100),
                category=category,
                rate=rate,
                exemption_reason=reasons.get(category),
            )
        )
    return tuple(rows)


def invoice(
    *,
    number: str,
    issue_date: date,
    seller: Party,
    buyer: Party,
    lines: Sequence[Line],
    kind: str = "Invoice",
    type_code: str | None = None,
    currency: str = "NOK",
    due_date: date | None = None,
    buyer_reference: str | None = None,
    order_reference: str | None = None,
    contract_reference: str | None = None,
    project_reference: str | None = None,
    preceding_invoices: Sequence[tuple[str, date | None]] = (),
    note: str | None = None,
    kid: str | None = None,
    account: str | None = None,
    bic: str | None = None,
    payment_means_code: str = "30",
    payment_terms: str | None = None,
    delivery: Delivery | None = None,
    allowances_charges: Sequence[AllowanceCharge] = (),
    attachments: Sequence[Attachment] = (),
    prepaid: Decimal | None = None,
    rounding: Decimal | None = None,
    exemption_reasons: Mapping[str, str] | None = None,
    payee: Party | None = None,
) -> Document:
    """A complete BIS 3 document with VAT breakdown and totals computed from the lines.

    ``kid`` goes to ``PaymentID`` (BT-83) and ``account`` (IBAN or 11-digit BBAN) to
    ``PayeeFinancialAccount/ID`` (BT-84); a payment means is written when either is given.
    ``prepaid`` (BT-113) is subtracted from and ``rounding`` (BT-114, e.g. øreavrunding) added to the
    amount due (BT-115).
    """
    subtotals = vat_breakdown(lines, allowances_charges, exemption_reasons=exemption_reasons)
    tax = sum((row.tax_amount for row in subtotals), Decimal(0))
    line_total = sum((item_line.line_extension_amount for item_line in lines), Decimal(0))
    allowance_total = sum((ac.amount for ac in allowances_charges if not ac.charge), Decimal(0))
    charge_total = sum((ac.amount for ac in allowances_charges if ac.charge), Decimal(0))
    tax_exclusive = line_total - allowance_total + charge_total
    tax_inclusive = tax_exclusive + tax
    payable = tax_inclusive - (prepaid or Decimal(0)) + (rounding or Decimal(0))
    has_allowance = any(not ac.charge for ac in allowances_charges)
    has_charge = any(ac.charge for ac in allowances_charges)
    payment_means: tuple[PaymentMeans, ...] = ()
    if kid is not None or account is not None:
        payment_means = (PaymentMeans(code=payment_means_code, payment_id=kid, account_id=account, bic=bic),)
    return Document(
        kind=kind,
        type_code=type_code or ("380" if kind == "Invoice" else "381"),
        number=number,
        issue_date=issue_date,
        due_date=due_date,
        currency=currency,
        note=note,
        buyer_reference=buyer_reference,
        order_reference=order_reference,
        contract_reference=contract_reference,
        project_reference=project_reference,
        billing_references=tuple(BillingReference(id=ref, issue_date=when) for ref, when in preceding_invoices),
        attachments=tuple(attachments),
        seller=seller,
        buyer=buyer,
        payee=payee,
        delivery=delivery,
        payment_means=payment_means,
        payment_terms=payment_terms,
        allowances_charges=tuple(allowances_charges),
        tax_totals=(TaxTotal(amount=round_money(tax), currency=currency, subtotals=subtotals),),
        totals=MonetaryTotals(
            line_extension=round_money(line_total),
            tax_exclusive=round_money(tax_exclusive),
            tax_inclusive=round_money(tax_inclusive),
            allowance_total=round_money(allowance_total) if has_allowance else None,
            charge_total=round_money(charge_total) if has_charge else None,
            prepaid=round_money(prepaid) if prepaid is not None else None,
            rounding=round_money(rounding) if rounding is not None else None,
            payable=round_money(payable),
        ),
        lines=tuple(lines),
    )
