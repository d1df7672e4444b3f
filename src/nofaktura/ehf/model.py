"""The EN 16931 invoice model: what an EHF 3 / Peppol BIS Billing 3.0 document says, without XML.

One frozen dataclass per business group (BG-nn) of EN 16931, with the business terms (BT-nn) as
fields. Money is :class:`~decimal.Decimal` exactly as written, dates are :class:`datetime.date`;
nothing is rounded or recomputed here, so a document read and written again says the same thing.
The reader (:mod:`nofaktura.ehf.reader`) fills it from UBL, the writer (:mod:`nofaktura.ehf.writer`)
turns it into UBL, :mod:`nofaktura.ehf.jsonform` into plain JSON, and code that builds invoices
(Odoo addons, integrations) constructs it directly with keyword arguments.

Invoice and credit note share one model; ``Document.kind`` says which. Quantities and amounts on a
credit note are written as they appear (usually positive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

__all__ = [
    "BIS3_CUSTOMIZATION_ID",
    "BIS3_PROFILE_ID",
    "DEFAULT_MAX_ATTACHMENT_BYTES",
    "KINDS",
    "Address",
    "AllowanceCharge",
    "Attachment",
    "BillingReference",
    "CardAccount",
    "Classification",
    "Contact",
    "Delivery",
    "Document",
    "Identifier",
    "Item",
    "ItemProperty",
    "Line",
    "MonetaryTotals",
    "Party",
    "PaymentMandate",
    "PaymentMeans",
    "Period",
    "Price",
    "TaxSubtotal",
    "TaxTotal",
]

#: BT-24 for Peppol BIS Billing 3.0 (= EHF Billing 3.0).
BIS3_CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
#: BT-23, profile 01 (billing).
BIS3_PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#: Largest decoded embedded attachment the reader accepts by default (EHF allows 5 MB per file in
#: practice; received documents are bounded as a whole by nofaktura.xml's size limit too).
DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

KINDS = ("Invoice", "CreditNote")

_frozen = {"frozen": True, "kw_only": True}


@dataclass(**_frozen)
class Identifier:
    """An identifier with its optional scheme (ISO 6523 ICD such as ``0192``, EAS, or other)."""

    value: str
    scheme: str | None = None


@dataclass(**_frozen)
class Address:
    """BG-5 / BG-8 / BG-12 / BG-15: a postal address."""

    street: str | None = None
    additional_street: str | None = None
    city: str | None = None
    postal_zone: str | None = None
    country_subentity: str | None = None
    address_line: str | None = None
    country: str | None = None


@dataclass(**_frozen)
class Contact:
    """BG-6 / BG-9."""

    name: str | None = None
    telephone: str | None = None
    email: str | None = None


@dataclass(**_frozen)
class Party:
    """Seller (BG-4), buyer (BG-7), payee (BG-10) or tax representative (BG-11).

    The writer emits only the parts BIS 3 allows for the party's role.

    * ``name``: legal registration name (BT-27/44), or the payee/tax representative name (BT-59/62);
    * ``trading_name``: ``PartyName`` (BT-28/45) when it differs from the legal name;
    * ``legal_id``: ``PartyLegalEntity/CompanyID`` (BT-30/47/61), in Norway ``0192`` + org number;
    * ``vat_id``: ``PartyTaxScheme`` with tax scheme ``VAT`` (BT-31/48/63), e.g. ``NO123456785MVA``;
    * ``tax_registration_id``: the seller's other ``PartyTaxScheme`` (BT-32); in Norway the text
      ``Foretaksregisteret`` (foretaksregisterloven § 10-2), see :attr:`foretaksregisteret`.
    """

    name: str | None = None
    trading_name: str | None = None
    endpoint: Identifier | None = None
    identifiers: tuple[Identifier, ...] = ()
    legal_id: Identifier | None = None
    legal_form: str | None = None
    vat_id: str | None = None
    tax_registration_id: str | None = None
    tax_registration_scheme: str = "TAX"
    address: Address | None = None
    contact: Contact | None = None

    def __post_init__(self) -> None:
        # A trading name alone *is* the party's name: keep one spelling of that, so a party read
        # from UBL (where the reader cannot tell the two apart) equals the one that was written.
        if self.name is None and self.trading_name is not None:
            object.__setattr__(self, "name", self.trading_name)
            object.__setattr__(self, "trading_name", None)

    @property
    def foretaksregisteret(self) -> bool:
        """True when the party states it is registered in Foretaksregisteret (NO-R-002)."""
        return (self.tax_registration_id or "").strip().lower() == "foretaksregisteret"

    @property
    def org_number(self) -> str | None:
        """The Norwegian organisation number, from the legal id, endpoint or VAT id, if any."""
        for ident in (self.legal_id, self.endpoint, *self.identifiers):
            if ident is not None and ident.scheme == "0192":
                return ident.value
        vat = (self.vat_id or "").replace(" ", "")
        if vat.startswith("NO") and vat.endswith("MVA") and vat[2:-3].isdigit():
            return vat[2:-3]
        return None


@dataclass(**_frozen)
class Period:
    """BG-14 / BG-26: invoicing period; ``description_code`` is BT-8 (UNCL 2005)."""

    start: date | None = None
    end: date | None = None
    description_code: str | None = None


@dataclass(**_frozen)
class BillingReference:
    """BG-3: a preceding invoice (BT-25, BT-26)."""

    id: str
    issue_date: date | None = None


@dataclass(**_frozen)
class Attachment:
    """BG-24: an additional supporting document, embedded (``content``) or referenced (``uri``).

    ``document_type_code`` ``130`` marks an invoiced object identifier (BT-18) instead of an
    attachment; ``50`` on a credit note carries the project reference (BT-11).
    """

    id: str
    id_scheme: str | None = None
    document_type_code: str | None = None
    description: str | None = None
    filename: str | None = None
    mime_code: str | None = None
    content: bytes | None = field(default=None, repr=False)
    uri: str | None = None

    @property
    def size(self) -> int | None:
        return None if self.content is None else len(self.content)


@dataclass(**_frozen)
class Delivery:
    """BG-13: delivery date, place and party."""

    date: date | None = None
    location_id: Identifier | None = None
    address: Address | None = None
    party_name: str | None = None


@dataclass(**_frozen)
class CardAccount:
    """BG-18: payment card (only the last digits of the PAN are allowed)."""

    primary_account_number: str
    network_id: str
    holder_name: str | None = None


@dataclass(**_frozen)
class PaymentMandate:
    """BG-19: direct debit."""

    id: str | None = None
    payer_account: str | None = None


@dataclass(**_frozen)
class PaymentMeans:
    """BG-16. ``payment_id`` is BT-83, the remittance information: in Norway the **KID**.

    ``account_id`` (BT-84) is an IBAN or a Norwegian 11-digit BBAN; ``bic`` is BT-86.
    """

    code: str
    name: str | None = None
    payment_id: str | None = None
    account_id: str | None = None
    account_name: str | None = None
    bic: str | None = None
    card: CardAccount | None = None
    mandate: PaymentMandate | None = None


@dataclass(**_frozen)
class AllowanceCharge:
    """BG-20/BG-21 (document level, with VAT category) and BG-27/BG-28 (line level, without).

    ``charge`` False is an allowance (discount), True a charge. ``percent`` is BT-94/101/138/143.
    """

    charge: bool
    amount: Decimal
    base_amount: Decimal | None = None
    percent: Decimal | None = None
    reason: str | None = None
    reason_code: str | None = None
    tax_category: str | None = None
    tax_rate: Decimal | None = None
    tax_scheme: str = "VAT"


@dataclass(**_frozen)
class TaxSubtotal:
    """BG-23: one VAT breakdown row."""

    taxable_amount: Decimal
    tax_amount: Decimal
    category: str
    rate: Decimal | None = None
    exemption_reason_code: str | None = None
    exemption_reason: str | None = None
    tax_scheme: str = "VAT"


@dataclass(**_frozen)
class TaxTotal:
    """A ``cac:TaxTotal``: BT-110 with its breakdown, or BT-111 (accounting currency, no rows)."""

    amount: Decimal
    currency: str
    subtotals: tuple[TaxSubtotal, ...] = ()


@dataclass(**_frozen)
class MonetaryTotals:
    """BG-22."""

    line_extension: Decimal
    tax_exclusive: Decimal
    tax_inclusive: Decimal
    payable: Decimal
    allowance_total: Decimal | None = None
    charge_total: Decimal | None = None
    prepaid: Decimal | None = None
    rounding: Decimal | None = None


@dataclass(**_frozen)
class Classification:
    """BT-158 with its list id (UNTDID 7143) and list version."""

    code: str
    list_id: str | None = None
    list_version: str | None = None


@dataclass(**_frozen)
class ItemProperty:
    """BG-32."""

    name: str
    value: str


@dataclass(**_frozen)
class Item:
    """BG-31 plus the line VAT information BG-30 (``vat_category`` BT-151, ``vat_rate`` BT-152)."""

    name: str
    vat_category: str
    vat_rate: Decimal | None = None
    vat_scheme: str = "VAT"
    description: str | None = None
    sellers_id: str | None = None
    buyers_id: str | None = None
    standard_id: Identifier | None = None
    origin_country: str | None = None
    classifications: tuple[Classification, ...] = ()
    properties: tuple[ItemProperty, ...] = ()


@dataclass(**_frozen)
class Price:
    """BG-29: net price (BT-146) per ``base_quantity`` (BT-149, unit BT-150), and the price
    discount (BT-147) off the gross price (BT-148). UBL has room for a gross price only together
    with its discount, so ``gross_amount`` needs ``allowance_amount`` (``Decimal(0)`` if none)."""

    amount: Decimal
    base_quantity: Decimal | None = None
    base_quantity_unit: str | None = None
    allowance_amount: Decimal | None = None
    gross_amount: Decimal | None = None


@dataclass(**_frozen)
class Line:
    """BG-25: an invoice or credit note line."""

    id: str
    quantity: Decimal
    unit_code: str
    line_extension_amount: Decimal
    item: Item
    price: Price
    note: str | None = None
    accounting_cost: str | None = None
    period: Period | None = None
    order_line_reference: str | None = None
    object_id: Identifier | None = None
    allowances_charges: tuple[AllowanceCharge, ...] = ()


@dataclass(**_frozen)
class Document:
    """An EN 16931 invoice (``kind="Invoice"``) or credit note (``kind="CreditNote"``)."""

    number: str
    issue_date: date
    currency: str
    seller: Party
    buyer: Party
    totals: MonetaryTotals
    lines: tuple[Line, ...]
    kind: str = "Invoice"
    customization_id: str = BIS3_CUSTOMIZATION_ID
    profile_id: str | None = BIS3_PROFILE_ID
    type_code: str | None = None
    due_date: date | None = None
    note: str | None = None
    tax_point_date: date | None = None
    tax_currency: str | None = None
    accounting_cost: str | None = None
    buyer_reference: str | None = None
    invoice_period: Period | None = None
    order_reference: str | None = None
    sales_order_reference: str | None = None
    billing_references: tuple[BillingReference, ...] = ()
    despatch_reference: str | None = None
    receipt_reference: str | None = None
    originator_reference: str | None = None
    contract_reference: str | None = None
    attachments: tuple[Attachment, ...] = ()
    project_reference: str | None = None
    payee: Party | None = None
    tax_representative: Party | None = None
    delivery: Delivery | None = None
    payment_means: tuple[PaymentMeans, ...] = ()
    payment_terms: str | None = None
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    tax_totals: tuple[TaxTotal, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")

    @property
    def effective_type_code(self) -> str:
        """BT-3, defaulting to 380 (commercial invoice) / 381 (credit note)."""
        return self.type_code or ("380" if self.kind == "Invoice" else "381")

    @property
    def tax_total(self) -> TaxTotal | None:
        """The tax total in the document currency (BT-110 with the VAT breakdown)."""
        for total in self.tax_totals:
            if total.currency == self.currency:
                return total
        return None

    @property
    def kid(self) -> str | None:
        """The first payment id (BT-83), which Norwegian sellers use for the KID."""
        for means in self.payment_means:
            if means.payment_id:
                return means.payment_id
        return None
