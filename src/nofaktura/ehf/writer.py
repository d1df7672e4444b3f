"""Write the EN 16931 model as Peppol BIS Billing 3.0 / EHF 3 UBL 2.1 (Invoice or CreditNote).

Elements come in the order the UBL 2.1 schema requires (``xsd/maindoc/UBL-Invoice-2.1.xsd`` and the
common aggregate types), restricted to what the BIS 3 syntax binding uses. Amounts are written with
two decimals when they have at most two (``1273`` → ``1273.00``); an amount with more decimals (a
unit price may have them) is written as it is, never rounded here. Nothing is computed: the writer
writes what the model says, so a document read and written reads back equal.

Differences between the two document types that the writer takes care of:

* a CreditNote has no ``cbc:DueDate`` in UBL 2.1: BT-9 goes to the first
  ``cac:PaymentMeans/cbc:PaymentDueDate``;
* a CreditNote has no ``cac:ProjectReference``: BT-11 goes to an ``AdditionalDocumentReference``
  with ``DocumentTypeCode`` 50 (the BIS 3 rule);
* ``cac:OriginatorDocumentReference`` stands after the additional documents in a CreditNote and
  before the contract reference in an Invoice;
* lines are ``cac:CreditNoteLine`` with ``cbc:CreditedQuantity``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from lxml import etree

from nofaktura.ehf.model import (
    Address,
    AllowanceCharge,
    Attachment,
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
    TaxTotal,
)
from nofaktura.ehf.namespaces import CAC, CBC, CREDIT_NOTE, INVOICE

__all__ = ["PROJECT_DOCUMENT_TYPE_CODE", "format_amount", "format_decimal", "to_element", "write"]

#: UNTDID 1001 code for a project reference carried as an additional document (credit notes).
PROJECT_DOCUMENT_TYPE_CODE = "50"
_CENT = Decimal("0.01")


def format_decimal(value: Decimal) -> str:
    """``xs:decimal`` text: never exponent notation (``Decimal('1E+2')`` → ``100``), no ``-0``."""
    if value == 0:
        value = abs(value)
    return format(value, "f")


def format_amount(value: Decimal) -> str:
    """An amount with two decimals, or with all its decimals when it has more (never rounded)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        value = value.quantize(_CENT)
    return format_decimal(value)


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.currency = document.currency

    # -- primitives -----------------------------------------------------------------------

    @staticmethod
    def cbc(parent: etree._Element, tag: str, value: str | None, /, **attributes: str | None) -> etree._Element | None:
        if value is None:
            return None
        element = etree.SubElement(parent, f"{{{CBC}}}{tag}")
        element.text = value
        for key, attribute in attributes.items():
            if attribute is not None:
                element.set(key, attribute)
        return element

    @staticmethod
    def cac(parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def amount(self, parent: etree._Element, name: str, value: Decimal | None, currency: str | None = None) -> None:
        if value is not None:
            self.cbc(parent, name, format_amount(value), currencyID=currency or self.currency)

    def number(self, parent: etree._Element, name: str, value: Decimal | None, /, **attributes: str | None) -> None:
        if value is not None:
            self.cbc(parent, name, format_decimal(value), **attributes)

    def date(self, parent: etree._Element, name: str, value: date | None) -> None:
        if value is not None:
            self.cbc(parent, name, value.isoformat())

    def identifier(self, parent: etree._Element, name: str, ident: Identifier | None) -> None:
        if ident is not None:
            self.cbc(parent, name, ident.value, schemeID=ident.scheme)

    def id_only(self, parent: etree._Element, name: str, value: str | None) -> None:
        """``<cac:Name><cbc:ID>value</cbc:ID></cac:Name>``, the shape of most references."""
        if value is not None:
            self.cbc(self.cac(parent, name), "ID", value)

    # -- groups ---------------------------------------------------------------------------

    def period(self, parent: etree._Element, period: Period | None) -> None:
        if period is None:
            return
        node = self.cac(parent, "InvoicePeriod")
        self.date(node, "StartDate", period.start)
        self.date(node, "EndDate", period.end)
        self.cbc(node, "DescriptionCode", period.description_code)

    def address(self, parent: etree._Element, name: str, address: Address | None) -> None:
        if address is None:
            return
        node = self.cac(parent, name)
        self.cbc(node, "StreetName", address.street)
        self.cbc(node, "AdditionalStreetName", address.additional_street)
        self.cbc(node, "CityName", address.city)
        self.cbc(node, "PostalZone", address.postal_zone)
        self.cbc(node, "CountrySubentity", address.country_subentity)
        if address.address_line is not None:
            self.cbc(self.cac(node, "AddressLine"), "Line", address.address_line)
        if address.country is not None:
            self.cbc(self.cac(node, "Country"), "IdentificationCode", address.country)

    def contact(self, parent: etree._Element, contact: Contact | None) -> None:
        if contact is None:
            return
        node = self.cac(parent, "Contact")
        self.cbc(node, "Name", contact.name)
        self.cbc(node, "Telephone", contact.telephone)
        self.cbc(node, "ElectronicMail", contact.email)

    def tax_scheme(self, parent: etree._Element, company_id: str, scheme: str) -> None:
        node = self.cac(parent, "PartyTaxScheme")
        self.cbc(node, "CompanyID", company_id)
        self.cbc(self.cac(node, "TaxScheme"), "ID", scheme)

    def party(self, parent: etree._Element, party: Party, *, legal_name: bool) -> None:
        """``cac:Party`` in PartyType order.

        Seller and buyer (``legal_name``) carry the name as ``RegistrationName`` (BT-27/44) and the
        trading name as ``PartyName``; payee and tax representative carry the name as ``PartyName``
        (BT-59/62), unless they also have a trading name, which then takes ``PartyName`` while the
        name moves to ``RegistrationName`` so that nothing is dropped.
        """
        node = self.cac(parent, "Party")
        self.identifier(node, "EndpointID", party.endpoint)
        for ident in party.identifiers:
            self.identifier(self.cac(node, "PartyIdentification"), "ID", ident)
        if legal_name or party.trading_name is not None:
            party_name, registration_name = party.trading_name, party.name
        else:
            party_name, registration_name = party.name, None
        if party_name is not None:
            self.cbc(self.cac(node, "PartyName"), "Name", party_name)
        self.address(node, "PostalAddress", party.address)
        if party.vat_id is not None:
            self.tax_scheme(node, party.vat_id, "VAT")
        if party.tax_registration_id is not None:
            self.tax_scheme(node, party.tax_registration_id, party.tax_registration_scheme)
        if registration_name is not None or party.legal_id is not None or party.legal_form is not None:
            legal = self.cac(node, "PartyLegalEntity")
            self.cbc(legal, "RegistrationName", registration_name)
            self.identifier(legal, "CompanyID", party.legal_id)
            self.cbc(legal, "CompanyLegalForm", party.legal_form)
        self.contact(node, party.contact)

    def attachment(self, parent: etree._Element, attachment: Attachment) -> None:
        node = self.cac(parent, "AdditionalDocumentReference")
        self.cbc(node, "ID", attachment.id, schemeID=attachment.id_scheme)
        self.cbc(node, "DocumentTypeCode", attachment.document_type_code)
        self.cbc(node, "DocumentDescription", attachment.description)
        if attachment.content is not None or attachment.uri is not None:
            holder = self.cac(node, "Attachment")
            if attachment.content is not None:
                if not attachment.mime_code:
                    raise ValueError(
                        f"the embedded attachment {attachment.filename or attachment.id!r} needs a MIME code "
                        "(mimeCode, e.g. application/pdf)"
                    )
                self.cbc(
                    holder,
                    "EmbeddedDocumentBinaryObject",
                    base64.b64encode(attachment.content).decode("ascii"),
                    mimeCode=attachment.mime_code,
                    filename=attachment.filename,
                )
            if attachment.uri is not None:
                self.cbc(self.cac(holder, "ExternalReference"), "URI", attachment.uri)

    def delivery(self, parent: etree._Element, delivery: Delivery | None) -> None:
        if delivery is None:
            return
        node = self.cac(parent, "Delivery")
        self.date(node, "ActualDeliveryDate", delivery.date)
        if delivery.location_id is not None or delivery.address is not None:
            location = self.cac(node, "DeliveryLocation")
            self.identifier(location, "ID", delivery.location_id)
            self.address(location, "Address", delivery.address)
        if delivery.party_name is not None:
            self.cbc(self.cac(self.cac(node, "DeliveryParty"), "PartyName"), "Name", delivery.party_name)

    def payment_means(self, parent: etree._Element, means: PaymentMeans, due_date: date | None) -> None:
        node = self.cac(parent, "PaymentMeans")
        self.cbc(node, "PaymentMeansCode", means.code, name=means.name)
        self.date(node, "PaymentDueDate", due_date)
        self.cbc(node, "PaymentID", means.payment_id)
        if means.card is not None:
            card = self.cac(node, "CardAccount")
            self.cbc(card, "PrimaryAccountNumberID", means.card.primary_account_number)
            self.cbc(card, "NetworkID", means.card.network_id)
            self.cbc(card, "HolderName", means.card.holder_name)
        if means.account_id is not None or means.account_name is not None or means.bic is not None:
            account = self.cac(node, "PayeeFinancialAccount")
            self.cbc(account, "ID", means.account_id)
            self.cbc(account, "Name", means.account_name)
            self.id_only(account, "FinancialInstitutionBranch", means.bic)
        if means.mandate is not None:
            mandate = self.cac(node, "PaymentMandate")
            self.cbc(mandate, "ID", means.mandate.id)
            self.id_only(mandate, "PayerFinancialAccount", means.mandate.payer_account)

    def allowance_charge(self, parent: etree._Element, ac: AllowanceCharge) -> None:
        node = self.cac(parent, "AllowanceCharge")
        self.cbc(node, "ChargeIndicator", "true" if ac.charge else "false")
        self.cbc(node, "AllowanceChargeReasonCode", ac.reason_code)
        self.cbc(node, "AllowanceChargeReason", ac.reason)
        self.number(node, "MultiplierFactorNumeric", ac.percent)
        self.amount(node, "Amount", ac.amount)
        self.amount(node, "BaseAmount", ac.base_amount)
        if ac.tax_category is not None or ac.tax_rate is not None:
            category = self.cac(node, "TaxCategory")
            self.cbc(category, "ID", ac.tax_category)
            self.number(category, "Percent", ac.tax_rate)
            self.cbc(self.cac(category, "TaxScheme"), "ID", ac.tax_scheme)

    def tax_total(self, parent: etree._Element, total: TaxTotal) -> None:
        node = self.cac(parent, "TaxTotal")
        self.amount(node, "TaxAmount", total.amount, total.currency)
        for sub in total.subtotals:
            subnode = self.cac(node, "TaxSubtotal")
            self.amount(subnode, "TaxableAmount", sub.taxable_amount, total.currency)
            self.amount(subnode, "TaxAmount", sub.tax_amount, total.currency)
            category = self.cac(subnode, "TaxCategory")
            self.cbc(category, "ID", sub.category)
            self.number(category, "Percent", sub.rate)
            self.cbc(category, "TaxExemptionReasonCode", sub.exemption_reason_code)
            self.cbc(category, "TaxExemptionReason", sub.exemption_reason)
            self.cbc(self.cac(category, "TaxScheme"), "ID", sub.tax_scheme)

    def totals(self, parent: etree._Element, totals: MonetaryTotals) -> None:
        node = self.cac(parent, "LegalMonetaryTotal")
        self.amount(node, "LineExtensionAmount", totals.line_extension)
        self.amount(node, "TaxExclusiveAmount", totals.tax_exclusive)
        self.amount(node, "TaxInclusiveAmount", totals.tax_inclusive)
        self.amount(node, "AllowanceTotalAmount", totals.allowance_total)
        self.amount(node, "ChargeTotalAmount", totals.charge_total)
        self.amount(node, "PrepaidAmount", totals.prepaid)
        self.amount(node, "PayableRoundingAmount", totals.rounding)
        self.amount(node, "PayableAmount", totals.payable)

    def item(self, parent: etree._Element, item: Item) -> None:
        node = self.cac(parent, "Item")
        self.cbc(node, "Description", item.description)
        self.cbc(node, "Name", item.name)
        self.id_only(node, "BuyersItemIdentification", item.buyers_id)
        self.id_only(node, "SellersItemIdentification", item.sellers_id)
        if item.standard_id is not None:
            self.identifier(self.cac(node, "StandardItemIdentification"), "ID", item.standard_id)
        if item.origin_country is not None:
            self.cbc(self.cac(node, "OriginCountry"), "IdentificationCode", item.origin_country)
        for classification in item.classifications:
            self.cbc(
                self.cac(node, "CommodityClassification"),
                "ItemClassificationCode",
                classification.code,
                listID=classification.list_id,
                listVersionID=classification.list_version,
            )
        category = self.cac(node, "ClassifiedTaxCategory")
        self.cbc(category, "ID", item.vat_category)
        self.number(category, "Percent", item.vat_rate)
        self.cbc(self.cac(category, "TaxScheme"), "ID", item.vat_scheme)
        for prop in item.properties:
            prop_node = self.cac(node, "AdditionalItemProperty")
            self.cbc(prop_node, "Name", prop.name)
            self.cbc(prop_node, "Value", prop.value)

    def price(self, parent: etree._Element, price: Price) -> None:
        node = self.cac(parent, "Price")
        self.amount(node, "PriceAmount", price.amount)
        self.number(node, "BaseQuantity", price.base_quantity, unitCode=price.base_quantity_unit)
        if price.base_quantity is None and price.base_quantity_unit is not None:
            raise ValueError("a base quantity unit (BT-150) needs the base quantity (BT-149)")
        if price.allowance_amount is None and price.gross_amount is not None:
            # BT-148 only exists inside the price discount, whose amount UBL requires.
            raise ValueError("a gross price (BT-148) needs the price discount (BT-147); give 0 when there is none")
        if price.allowance_amount is not None:
            allowance = self.cac(node, "AllowanceCharge")
            self.cbc(allowance, "ChargeIndicator", "false")
            self.amount(allowance, "Amount", price.allowance_amount)
            self.amount(allowance, "BaseAmount", price.gross_amount)

    def line(self, parent: etree._Element, line: Line, invoice: bool) -> None:
        node = self.cac(parent, "InvoiceLine" if invoice else "CreditNoteLine")
        self.cbc(node, "ID", line.id)
        self.cbc(node, "Note", line.note)
        self.number(node, "InvoicedQuantity" if invoice else "CreditedQuantity", line.quantity, unitCode=line.unit_code)
        self.amount(node, "LineExtensionAmount", line.line_extension_amount)
        self.cbc(node, "AccountingCost", line.accounting_cost)
        self.period(node, line.period)
        if line.order_line_reference is not None:
            self.cbc(self.cac(node, "OrderLineReference"), "LineID", line.order_line_reference)
        if line.object_id is not None:
            reference = self.cac(node, "DocumentReference")
            self.identifier(reference, "ID", line.object_id)
            self.cbc(reference, "DocumentTypeCode", "130")
        for ac in line.allowances_charges:
            self.allowance_charge(node, ac)
        self.item(node, line.item)
        self.price(node, line.price)

    # -- the document ---------------------------------------------------------------------

    def build(self) -> etree._Element:
        doc = self.document
        invoice = doc.kind == "Invoice"
        if not invoice and doc.due_date is not None and not doc.payment_means:
            # Dropping BT-9 silently would change what the document says.
            raise ValueError(
                "a credit note's due date (BT-9) is written in cac:PaymentMeans/cbc:PaymentDueDate; "
                "add a payment means or leave the due date out"
            )
        namespace = INVOICE if invoice else CREDIT_NOTE
        root = etree.Element(f"{{{namespace}}}{doc.kind}", nsmap={None: namespace, "cac": CAC, "cbc": CBC})
        self.cbc(root, "CustomizationID", doc.customization_id)
        self.cbc(root, "ProfileID", doc.profile_id)
        self.cbc(root, "ID", doc.number)
        self.date(root, "IssueDate", doc.issue_date)
        if invoice:
            self.date(root, "DueDate", doc.due_date)
            self.cbc(root, "InvoiceTypeCode", doc.effective_type_code)
            self.cbc(root, "Note", doc.note)
            self.date(root, "TaxPointDate", doc.tax_point_date)
        else:
            self.date(root, "TaxPointDate", doc.tax_point_date)
            self.cbc(root, "CreditNoteTypeCode", doc.effective_type_code)
            self.cbc(root, "Note", doc.note)
        self.cbc(root, "DocumentCurrencyCode", doc.currency)
        self.cbc(root, "TaxCurrencyCode", doc.tax_currency)
        self.cbc(root, "AccountingCost", doc.accounting_cost)
        self.cbc(root, "BuyerReference", doc.buyer_reference)
        self.period(root, doc.invoice_period)
        if doc.order_reference is not None or doc.sales_order_reference is not None:
            order = self.cac(root, "OrderReference")
            # BIS requires the order id when there is a sales order id; "NA" is the official filler.
            self.cbc(order, "ID", doc.order_reference if doc.order_reference is not None else "NA")
            self.cbc(order, "SalesOrderID", doc.sales_order_reference)
        for reference in doc.billing_references:
            ref = self.cac(self.cac(root, "BillingReference"), "InvoiceDocumentReference")
            self.cbc(ref, "ID", reference.id)
            self.date(ref, "IssueDate", reference.issue_date)
        self.id_only(root, "DespatchDocumentReference", doc.despatch_reference)
        self.id_only(root, "ReceiptDocumentReference", doc.receipt_reference)
        if invoice:
            self.id_only(root, "OriginatorDocumentReference", doc.originator_reference)
            self.id_only(root, "ContractDocumentReference", doc.contract_reference)
            self._attachments(root, doc.attachments)
            self.id_only(root, "ProjectReference", doc.project_reference)
        else:
            self.id_only(root, "ContractDocumentReference", doc.contract_reference)
            if doc.project_reference is not None:
                self.attachment(
                    root, Attachment(id=doc.project_reference, document_type_code=PROJECT_DOCUMENT_TYPE_CODE)
                )
            self._attachments(root, doc.attachments)
            self.id_only(root, "OriginatorDocumentReference", doc.originator_reference)
        self.party(self.cac(root, "AccountingSupplierParty"), doc.seller, legal_name=True)
        self.party(self.cac(root, "AccountingCustomerParty"), doc.buyer, legal_name=True)
        if doc.payee is not None:
            self._party_children(root, "PayeeParty", doc.payee)
        if doc.tax_representative is not None:
            self._party_children(root, "TaxRepresentativeParty", doc.tax_representative)
        self.delivery(root, doc.delivery)
        for index, means in enumerate(doc.payment_means):
            self.payment_means(root, means, doc.due_date if not invoice and index == 0 else None)
        if doc.payment_terms is not None:
            self.cbc(self.cac(root, "PaymentTerms"), "Note", doc.payment_terms)
        for ac in doc.allowances_charges:
            self.allowance_charge(root, ac)
        for total in doc.tax_totals:
            self.tax_total(root, total)
        self.totals(root, doc.totals)
        for line in doc.lines:
            self.line(root, line, invoice)
        return root

    def _attachments(self, root: etree._Element, attachments: Iterable[Attachment]) -> None:
        for attachment in attachments:
            self.attachment(root, attachment)

    def _party_children(self, root: etree._Element, name: str, party: Party) -> None:
        """PayeeParty and TaxRepresentativeParty are PartyType themselves (no inner cac:Party)."""
        holder = etree.Element("holder")
        self.party(holder, party, legal_name=False)
        inner = holder[0]
        inner.tag = f"{{{CAC}}}{name}"
        root.append(inner)


def to_element(document: Document) -> etree._Element:
    """The UBL root element for ``document`` (for callers that post-process the tree)."""
    return _Builder(document).build()


def write(document: Document, *, pretty: bool = True) -> bytes:
    """UBL 2.1 bytes (UTF-8, with XML declaration) for ``document``."""
    body = etree.tostring(to_element(document), encoding="UTF-8", pretty_print=pretty)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
