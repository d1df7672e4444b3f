"""Read a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0 / EHF 3) into the EN 16931 model.

The XML is parsed only through :func:`nofaktura.xml.load_ubl` (no DTD, no entities, no network,
size limit, SBDH envelope unwrapped). The reader maps what is there; it does not judge business
rules (that is :mod:`nofaktura.ehf.validation`). It raises :class:`~nofaktura.exceptions.DocumentError`
only when a value cannot be represented at all (an amount that is not a number, a date that is not
a date, a required element that is missing, an attachment over the size limit), and the error names
the element as an XPath, e.g. ``/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount``.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree

from nofaktura.ehf.model import (
    DEFAULT_MAX_ATTACHMENT_BYTES,
    Address,
    AllowanceCharge,
    Attachment,
    BillingReference,
    CardAccount,
    Classification,
    Contact,
    Delivery,
    Document,
    Identifier,
    Item,
    ItemProperty,
    Line,
    MonetaryTotals,
    Party,
    PaymentMandate,
    PaymentMeans,
    Period,
    Price,
    TaxSubtotal,
    TaxTotal,
)
from nofaktura.ehf.namespaces import CAC, CBC, PREFIX_OF
from nofaktura.exceptions import DocumentError
from nofaktura.xml import DEFAULT_MAX_BYTES, element_path, load_ubl

__all__ = ["location_of", "read", "read_root"]

_NS = {"cac": CAC, "cbc": CBC}


@lru_cache(maxsize=512)
def _clark(path: str) -> str:
    """``cac:Party/cbc:ID`` → ``{urn:…CommonAggregate…}Party/{urn:…CommonBasic…}ID``.

    lxml's ``find`` is several times faster with Clark names than with a prefix map, and the
    reader makes thousands of lookups per large invoice.
    """
    steps = []
    for step in path.split("/"):
        prefix, _, local = step.rpartition(":")
        steps.append(f"{{{_NS[prefix]}}}{local}" if prefix else step)
    return "/".join(steps)


_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}


def location_of(node: etree._Element) -> str:
    """A readable XPath of ``node``: ``/Invoice/cac:InvoiceLine[2]/cbc:ID`` (index only when repeated)."""
    return element_path(node, PREFIX_OF)


class _Reader:
    def __init__(self, source: str | None, max_attachment_bytes: int) -> None:
        self.source = source
        self.max_attachment_bytes = max_attachment_bytes

    # -- errors and primitives ------------------------------------------------------------

    def error(self, node: etree._Element, message: str) -> DocumentError:
        return DocumentError(message, source=self.source, path=location_of(node))

    def text(self, parent: etree._Element | None, path: str) -> str | None:
        if parent is None:
            return None
        node = parent.find(_clark(path))
        if node is None or node.text is None:
            return None
        value = node.text.strip()
        return value or None

    def required_node(self, parent: etree._Element, path: str) -> etree._Element:
        node = parent.find(_clark(path))
        if node is None:
            raise self.error(parent, f"the required element {path} is missing")
        return node

    def required_text(self, parent: etree._Element, path: str) -> str:
        node = self.required_node(parent, path)
        value = (node.text or "").strip()
        if not value:
            raise self.error(node, "the element is empty but a value is required")
        return value

    def decimal_of(self, node: etree._Element) -> Decimal:
        raw = (node.text or "").strip()
        if not _DECIMAL.match(raw):
            raise self.error(node, f"{raw!r} is not a number (write e.g. 1234.50, with a point)")
        try:
            return Decimal(raw)
        except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
            raise self.error(node, f"{raw!r} is not a number") from exc

    def decimal(self, parent: etree._Element | None, path: str) -> Decimal | None:
        if parent is None:
            return None
        node = parent.find(_clark(path))
        if node is None or not (node.text or "").strip():
            return None
        return self.decimal_of(node)

    def required_decimal(self, parent: etree._Element, path: str) -> Decimal:
        node = self.required_node(parent, path)
        return self.decimal_of(node)

    def date(self, parent: etree._Element | None, path: str) -> date | None:
        if parent is None:
            return None
        node = parent.find(_clark(path))
        if node is None or not (node.text or "").strip():
            return None
        return self.date_of(node)

    def date_of(self, node: etree._Element) -> date:
        raw = (node.text or "").strip()
        try:
            if len(raw) != 10:
                raise ValueError(raw)
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise self.error(node, f"{raw!r} is not a date in the form YYYY-MM-DD") from exc

    def boolean(self, parent: etree._Element, path: str) -> bool:
        node = self.required_node(parent, path)
        raw = (node.text or "").strip().lower()
        if raw not in _BOOLEAN:
            raise self.error(node, f"{raw!r} is not true or false")
        return _BOOLEAN[raw]

    def identifier(self, parent: etree._Element | None, path: str, attribute: str = "schemeID") -> Identifier | None:
        if parent is None:
            return None
        node = parent.find(_clark(path))
        if node is None or not (node.text or "").strip():
            return None
        scheme = node.get(attribute)
        return Identifier(value=node.text.strip(), scheme=scheme.strip() if scheme else None)

    # -- groups ---------------------------------------------------------------------------

    def address(self, node: etree._Element | None) -> Address | None:
        if node is None:
            return None
        return Address(
            street=self.text(node, "cbc:StreetName"),
            additional_street=self.text(node, "cbc:AdditionalStreetName"),
            city=self.text(node, "cbc:CityName"),
            postal_zone=self.text(node, "cbc:PostalZone"),
            country_subentity=self.text(node, "cbc:CountrySubentity"),
            address_line=self.text(node, "cac:AddressLine/cbc:Line"),
            country=self.text(node, "cac:Country/cbc:IdentificationCode"),
        )

    def contact(self, node: etree._Element | None) -> Contact | None:
        if node is None:
            return None
        return Contact(
            name=self.text(node, "cbc:Name"),
            telephone=self.text(node, "cbc:Telephone"),
            email=self.text(node, "cbc:ElectronicMail"),
        )

    def optional_party(self, node: etree._Element | None) -> Party | None:
        return None if node is None else self.party(node)

    def party(self, node: etree._Element) -> Party:
        """Seller, buyer, payee and tax representative share ``cac:Party``; read all that is there."""
        vat_id = tax_registration_id = None
        tax_registration_scheme = "TAX"
        for scheme in node.findall(_clark("cac:PartyTaxScheme")):
            company_id = self.text(scheme, "cbc:CompanyID")
            scheme_id = self.text(scheme, "cac:TaxScheme/cbc:ID")
            if scheme_id == "VAT" and vat_id is None:
                vat_id = company_id
            elif tax_registration_id is None:
                tax_registration_id = company_id
                tax_registration_scheme = scheme_id or "TAX"
        legal = node.find(_clark("cac:PartyLegalEntity"))
        registration_name = self.text(legal, "cbc:RegistrationName")
        party_name = self.text(node, "cac:PartyName/cbc:Name")
        return Party(
            # Payee and tax representative carry only PartyName; the seller and buyer carry both.
            name=registration_name or party_name,
            trading_name=party_name if registration_name else None,
            endpoint=self.identifier(node, "cbc:EndpointID"),
            identifiers=tuple(
                ident
                for ident in (
                    self.identifier(ident_node, "cbc:ID")
                    for ident_node in node.findall(_clark("cac:PartyIdentification"))
                )
                if ident is not None
            ),
            legal_id=self.identifier(legal, "cbc:CompanyID"),
            legal_form=self.text(legal, "cbc:CompanyLegalForm"),
            vat_id=vat_id,
            tax_registration_id=tax_registration_id,
            tax_registration_scheme=tax_registration_scheme,
            address=self.address(node.find(_clark("cac:PostalAddress"))),
            contact=self.contact(node.find(_clark("cac:Contact"))),
        )

    def period(self, node: etree._Element | None) -> Period | None:
        if node is None:
            return None
        return Period(
            start=self.date(node, "cbc:StartDate"),
            end=self.date(node, "cbc:EndDate"),
            description_code=self.text(node, "cbc:DescriptionCode"),
        )

    def attachment(self, node: etree._Element) -> Attachment:
        ident = self.identifier(node, "cbc:ID")
        if ident is None:
            raise self.error(node, "the required element cbc:ID is missing")
        embedded = node.find(_clark("cac:Attachment/cbc:EmbeddedDocumentBinaryObject"))
        content = None
        mime_code = filename = None
        if embedded is not None:
            mime_code = embedded.get("mimeCode")
            filename = embedded.get("filename")
            raw = "".join((embedded.text or "").split())
            # base64 inflates by 4/3: refuse before decoding rather than after.
            if len(raw) // 4 * 3 > self.max_attachment_bytes + 2:
                raise self.error(
                    embedded,
                    f"the embedded attachment {filename or ident.value!r} is larger than the limit of "
                    f"{self.max_attachment_bytes} bytes",
                )
            try:
                content = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise self.error(embedded, "the embedded attachment is not valid base64") from exc
            if len(content) > self.max_attachment_bytes:
                raise self.error(
                    embedded,
                    f"the embedded attachment {filename or ident.value!r} is {len(content)} bytes, "
                    f"larger than the limit of {self.max_attachment_bytes} bytes",
                )
        return Attachment(
            id=ident.value,
            id_scheme=ident.scheme,
            document_type_code=self.text(node, "cbc:DocumentTypeCode"),
            description=self.text(node, "cbc:DocumentDescription"),
            filename=filename,
            mime_code=mime_code,
            content=content,
            uri=self.text(node, "cac:Attachment/cac:ExternalReference/cbc:URI"),
        )

    def delivery(self, node: etree._Element | None) -> Delivery | None:
        if node is None:
            return None
        location = node.find(_clark("cac:DeliveryLocation"))
        return Delivery(
            date=self.date(node, "cbc:ActualDeliveryDate"),
            location_id=self.identifier(location, "cbc:ID"),
            address=self.address(location.find(_clark("cac:Address"))) if location is not None else None,
            party_name=self.text(node, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
        )

    def payment_means(self, node: etree._Element) -> PaymentMeans:
        code_node = self.required_node(node, "cbc:PaymentMeansCode")
        card = node.find(_clark("cac:CardAccount"))
        mandate = node.find(_clark("cac:PaymentMandate"))
        account = node.find(_clark("cac:PayeeFinancialAccount"))
        return PaymentMeans(
            code=self.required_text(node, "cbc:PaymentMeansCode"),
            name=(code_node.get("name") or "").strip() or None,
            payment_id=self.text(node, "cbc:PaymentID"),
            account_id=self.text(account, "cbc:ID"),
            account_name=self.text(account, "cbc:Name"),
            bic=self.text(account, "cac:FinancialInstitutionBranch/cbc:ID"),
            card=CardAccount(
                primary_account_number=self.text(card, "cbc:PrimaryAccountNumberID") or "",
                network_id=self.text(card, "cbc:NetworkID") or "",
                holder_name=self.text(card, "cbc:HolderName"),
            )
            if card is not None
            else None,
            mandate=PaymentMandate(
                id=self.text(mandate, "cbc:ID"),
                payer_account=self.text(mandate, "cac:PayerFinancialAccount/cbc:ID"),
            )
            if mandate is not None
            else None,
        )

    def allowance_charge(self, node: etree._Element) -> AllowanceCharge:
        category = node.find(_clark("cac:TaxCategory"))
        return AllowanceCharge(
            charge=self.boolean(node, "cbc:ChargeIndicator"),
            amount=self.required_decimal(node, "cbc:Amount"),
            base_amount=self.decimal(node, "cbc:BaseAmount"),
            percent=self.decimal(node, "cbc:MultiplierFactorNumeric"),
            reason=self.text(node, "cbc:AllowanceChargeReason"),
            reason_code=self.text(node, "cbc:AllowanceChargeReasonCode"),
            tax_category=self.text(category, "cbc:ID"),
            tax_rate=self.decimal(category, "cbc:Percent"),
            tax_scheme=self.text(category, "cac:TaxScheme/cbc:ID") or "VAT",
        )

    def tax_total(self, node: etree._Element) -> TaxTotal:
        amount_node = self.required_node(node, "cbc:TaxAmount")
        subtotals = []
        for sub in node.findall(_clark("cac:TaxSubtotal")):
            category = self.required_node(sub, "cac:TaxCategory")
            subtotals.append(
                TaxSubtotal(
                    taxable_amount=self.required_decimal(sub, "cbc:TaxableAmount"),
                    tax_amount=self.required_decimal(sub, "cbc:TaxAmount"),
                    category=self.required_text(category, "cbc:ID"),
                    rate=self.decimal(category, "cbc:Percent"),
                    exemption_reason_code=self.text(category, "cbc:TaxExemptionReasonCode"),
                    exemption_reason=self.text(category, "cbc:TaxExemptionReason"),
                    tax_scheme=self.text(category, "cac:TaxScheme/cbc:ID") or "VAT",
                )
            )
        return TaxTotal(
            amount=self.decimal_of(amount_node),
            currency=(amount_node.get("currencyID") or "").strip(),
            subtotals=tuple(subtotals),
        )

    def totals(self, node: etree._Element) -> MonetaryTotals:
        return MonetaryTotals(
            line_extension=self.required_decimal(node, "cbc:LineExtensionAmount"),
            tax_exclusive=self.required_decimal(node, "cbc:TaxExclusiveAmount"),
            tax_inclusive=self.required_decimal(node, "cbc:TaxInclusiveAmount"),
            allowance_total=self.decimal(node, "cbc:AllowanceTotalAmount"),
            charge_total=self.decimal(node, "cbc:ChargeTotalAmount"),
            prepaid=self.decimal(node, "cbc:PrepaidAmount"),
            rounding=self.decimal(node, "cbc:PayableRoundingAmount"),
            payable=self.required_decimal(node, "cbc:PayableAmount"),
        )

    def item(self, node: etree._Element) -> Item:
        category = self.required_node(node, "cac:ClassifiedTaxCategory")
        classifications = []
        for code_node in node.findall(_clark("cac:CommodityClassification/cbc:ItemClassificationCode")):
            if (code_node.text or "").strip():
                classifications.append(
                    Classification(
                        code=code_node.text.strip(),
                        list_id=code_node.get("listID"),
                        list_version=code_node.get("listVersionID"),
                    )
                )
        properties = tuple(
            ItemProperty(name=self.text(prop, "cbc:Name") or "", value=self.text(prop, "cbc:Value") or "")
            for prop in node.findall(_clark("cac:AdditionalItemProperty"))
        )
        return Item(
            name=self.required_text(node, "cbc:Name"),
            vat_category=self.required_text(category, "cbc:ID"),
            vat_rate=self.decimal(category, "cbc:Percent"),
            vat_scheme=self.text(category, "cac:TaxScheme/cbc:ID") or "VAT",
            description=self.text(node, "cbc:Description"),
            sellers_id=self.text(node, "cac:SellersItemIdentification/cbc:ID"),
            buyers_id=self.text(node, "cac:BuyersItemIdentification/cbc:ID"),
            standard_id=self.identifier(node, "cac:StandardItemIdentification/cbc:ID"),
            origin_country=self.text(node, "cac:OriginCountry/cbc:IdentificationCode"),
            classifications=tuple(classifications),
            properties=properties,
        )

    def price(self, node: etree._Element) -> Price:
        base_node = node.find(_clark("cbc:BaseQuantity"))
        allowance = node.find(_clark("cac:AllowanceCharge"))
        return Price(
            amount=self.required_decimal(node, "cbc:PriceAmount"),
            base_quantity=self.decimal(node, "cbc:BaseQuantity"),
            base_quantity_unit=base_node.get("unitCode") if base_node is not None else None,
            allowance_amount=self.required_decimal(allowance, "cbc:Amount") if allowance is not None else None,
            gross_amount=self.decimal(allowance, "cbc:BaseAmount"),
        )

    def line(self, node: etree._Element, quantity_tag: str) -> Line:
        quantity = self.required_node(node, quantity_tag)
        unit_code = (quantity.get("unitCode") or "").strip()
        if not unit_code:
            raise self.error(quantity, "the quantity has no unitCode (BT-130)")
        return Line(
            id=self.required_text(node, "cbc:ID"),
            note=self.text(node, "cbc:Note"),
            quantity=self.decimal_of(quantity),
            unit_code=unit_code,
            line_extension_amount=self.required_decimal(node, "cbc:LineExtensionAmount"),
            accounting_cost=self.text(node, "cbc:AccountingCost"),
            period=self.period(node.find(_clark("cac:InvoicePeriod"))),
            order_line_reference=self.text(node, "cac:OrderLineReference/cbc:LineID"),
            object_id=self.identifier(node, "cac:DocumentReference/cbc:ID"),
            allowances_charges=tuple(self.allowance_charge(ac) for ac in node.findall(_clark("cac:AllowanceCharge"))),
            item=self.item(self.required_node(node, "cac:Item")),
            price=self.price(self.required_node(node, "cac:Price")),
        )

    # -- the document ---------------------------------------------------------------------

    def document(self, root: etree._Element, kind: str) -> Document:
        invoice = kind == "Invoice"
        payment_means = root.findall(_clark("cac:PaymentMeans"))
        if invoice:
            due_date = self.date(root, "cbc:DueDate")
        else:
            # UBL 2.1 CreditNote has no cbc:DueDate; BIS 3 puts BT-9 in PaymentMeans.
            due_date = next((d for d in (self.date(pm, "cbc:PaymentDueDate") for pm in payment_means) if d), None)
        project = self.text(root, "cac:ProjectReference/cbc:ID")
        attachments = [self.attachment(node) for node in root.findall(_clark("cac:AdditionalDocumentReference"))]
        if not invoice and project is None:
            # UBL 2.1 CreditNote has no ProjectReference; BIS 3 carries BT-11 as a bare additional
            # document reference with type code 50. One with more content stays an attachment.
            for attachment in attachments:
                if attachment.document_type_code == "50" and attachment == Attachment(
                    id=attachment.id, document_type_code="50"
                ):
                    project = attachment.id
                    attachments.remove(attachment)
                    break
        line_tag = "cac:InvoiceLine" if invoice else "cac:CreditNoteLine"
        quantity_tag = "cbc:InvoicedQuantity" if invoice else "cbc:CreditedQuantity"
        seller = self.party(self.required_node(root, "cac:AccountingSupplierParty/cac:Party"))
        buyer = self.party(self.required_node(root, "cac:AccountingCustomerParty/cac:Party"))
        tax_rep = root.find(_clark("cac:TaxRepresentativeParty"))
        payee = root.find(_clark("cac:PayeeParty"))
        notes = [n.text.strip() for n in root.findall(_clark("cbc:Note")) if n.text and n.text.strip()]
        return Document(
            kind=kind,
            customization_id=self.required_text(root, "cbc:CustomizationID"),
            profile_id=self.text(root, "cbc:ProfileID"),
            number=self.required_text(root, "cbc:ID"),
            issue_date=self.date_of(self.required_node(root, "cbc:IssueDate")),
            due_date=due_date,
            type_code=self.text(root, "cbc:InvoiceTypeCode" if invoice else "cbc:CreditNoteTypeCode"),
            note="\n".join(notes) if notes else None,
            tax_point_date=self.date(root, "cbc:TaxPointDate"),
            currency=self.required_text(root, "cbc:DocumentCurrencyCode"),
            tax_currency=self.text(root, "cbc:TaxCurrencyCode"),
            accounting_cost=self.text(root, "cbc:AccountingCost"),
            buyer_reference=self.text(root, "cbc:BuyerReference"),
            invoice_period=self.period(root.find(_clark("cac:InvoicePeriod"))),
            order_reference=self.text(root, "cac:OrderReference/cbc:ID"),
            sales_order_reference=self.text(root, "cac:OrderReference/cbc:SalesOrderID"),
            billing_references=tuple(
                BillingReference(
                    id=self.required_text(ref, "cbc:ID"),
                    issue_date=self.date(ref, "cbc:IssueDate"),
                )
                for ref in root.findall(_clark("cac:BillingReference/cac:InvoiceDocumentReference"))
            ),
            despatch_reference=self.text(root, "cac:DespatchDocumentReference/cbc:ID"),
            receipt_reference=self.text(root, "cac:ReceiptDocumentReference/cbc:ID"),
            originator_reference=self.text(root, "cac:OriginatorDocumentReference/cbc:ID"),
            contract_reference=self.text(root, "cac:ContractDocumentReference/cbc:ID"),
            attachments=tuple(attachments),
            project_reference=project,
            seller=seller,
            buyer=buyer,
            payee=self.optional_party(payee),
            tax_representative=self.optional_party(tax_rep),
            delivery=self.delivery(root.find(_clark("cac:Delivery"))),
            payment_means=tuple(self.payment_means(pm) for pm in payment_means),
            payment_terms=self.text(root, "cac:PaymentTerms/cbc:Note"),
            allowances_charges=tuple(
                self.allowance_charge(node) for node in root.findall(_clark("cac:AllowanceCharge"))
            ),
            tax_totals=tuple(self.tax_total(node) for node in root.findall(_clark("cac:TaxTotal"))),
            totals=self.totals(self.required_node(root, "cac:LegalMonetaryTotal")),
            lines=tuple(self.line(node, quantity_tag) for node in root.findall(_clark(line_tag))),
        )


def read_root(
    root: etree._Element,
    kind: str,
    *,
    source: str | None = None,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
) -> Document:
    """Map an already safely parsed UBL root (from :func:`nofaktura.xml.load_ubl`) to the model."""
    return _Reader(source, max_attachment_bytes).document(root, kind)


def read(
    data: bytes,
    *,
    source: str | None = None,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read an EHF 3 / BIS 3 Invoice or CreditNote (optionally in an SBDH envelope) from bytes.

    ``source`` names the file in error messages. Raises :class:`DocumentError` (or its subclass
    :class:`~nofaktura.exceptions.UnsafeDocument`) when the input cannot be used.
    """
    root, kind = load_ubl(data, source, max_bytes=max_bytes)
    return read_root(root, kind, source=source, max_attachment_bytes=max_attachment_bytes)
