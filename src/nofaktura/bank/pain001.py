"""Write a :class:`~nofaktura.bank.payment_order.PaymentOrder` as an ISO 20022 pain.001 file.

pain.001 (CustomerCreditTransferInitiation) is how a company sends payments to its bank. Norwegian
banks take ``pain.001.001.03`` (the Bits/BSK baseline since 2016; Telepay and NDR were switched off
on 1 October 2024); some also take the 2019 version ``pain.001.001.09``. Both are written here in
the CGI-MP style the Norwegian bank guides follow (BSK "implementeringsguide ISO 20022
pain.001.001.03", Nordea/DNB/Danske MIGs):

* ``GrpHdr``: ``MsgId``, ``CreDtTm`` (passed in: no clock in the library), ``NbOfTxs``,
  ``CtrlSum`` (exact decimal sum), ``InitgPty`` (name; org. number as ``OrgId/Othr`` with
  ``SchmeNm/Cd = CUST``, the bank's customer id with ``BANK``);
* one ``PmtInf`` per :class:`~nofaktura.bank.payment_order.PaymentBatch` (execution date, debtor
  account, currency, kind, category purpose) with ``BtchBookg``, ``NbOfTxs``, ``CtrlSum``,
  ``PmtTpInf/SvcLvl`` (``SEPA`` only for SEPA euro payments, ``NURG`` for domestic NOK),
  ``ReqdExctnDt`` (``Dt`` inside it in .09), debtor, account (IBAN or ``Othr`` + ``BBAN``), agent
  (BIC, else ``Othr/Id = NOTPROVIDED``) and ``ChrgBr``;
* per transfer ``PmtId`` (``InstrId``, ``EndToEndId``), ``InstdAmt`` with ``Ccy``, creditor agent
  (BIC when given), creditor with address, creditor account, and ``RmtInf``: a KID as
  ``Strd/CdtrRefInf/Tp/CdOrPrtry/Cd = SCOR`` + ``Ref``; invoice references as one ``Strd`` per
  invoice (``RfrdDocInf`` ``CINV``/``CREN`` + ``RfrdDocAmt`` ``RmtdAmt``/``CdtNoteAmt``); else ``Ustrd``;
  for a payment abroad Norway's regulatory reporting (``RgltryRptg``: ``DbtCdtRptgInd = DEBT``,
  ``Dtls/Cd`` the currency register's purpose code, ``Dtls/Inf`` the text).

The output validates against the ISO XSDs of both versions (tests check it with the schemas of the
shared corpora). Bank-specific rules not in the XSD (which codes a bank accepts in ``CtgyPurp``,
whether it wants ``InitgPty/Id``) are for the bank's MIG: confirm before going live.

>>> import datetime
>>> from decimal import Decimal
>>> from nofaktura.bank.payment_order import CreditTransfer, PaymentOrder
>>> order = PaymentOrder(message_id="PAY-1", debtor_name="Betaler AS", debtor_account="86011117947",
...     execution_date=datetime.date(2026, 12, 1), transfers=[CreditTransfer(end_to_end_id="E1",
...     amount=Decimal("10"), creditor_name="Kraft AS", creditor_account="15035684279", kid="123456785")])
>>> xml = write_pain001(order, created=datetime.datetime(2026, 11, 27, 9, 0))
>>> b"<Ref>123456785</Ref>" in xml and b"<CtrlSum>10.00</CtrlSum>" in xml
True
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from lxml import etree

from nofaktura.bank.payment_order import (
    Account,
    AccountKind,
    CreditTransfer,
    PaymentBatch,
    PaymentOrder,
    PostalAddress,
)
from nofaktura.exceptions import PaymentOrderError

__all__ = ["NAMESPACES", "VERSIONS", "namespace_for", "write_pain001"]

#: The versions written, by short name.
VERSIONS = ("03", "09")
#: Namespace of each version.
NAMESPACES = {v: f"urn:iso:std:iso:20022:tech:xsd:pain.001.001.{v}" for v in VERSIONS}


def namespace_for(version: str) -> str:
    """The namespace of ``version`` (``"03"``/``"09"``, or the full ``pain.001.001.NN``)."""
    short = version.rsplit(".", 1)[-1]
    if short not in NAMESPACES:
        raise PaymentOrderError(f"pain.001 version {version!r} is not supported; use one of {', '.join(VERSIONS)}",
                                field="version")  # fmt: skip
    return NAMESPACES[short]


def _money(amount: Decimal) -> str:
    # Amounts were checked to have at most the currency's decimals; write them exactly.
    return f"{amount:f}"


def _created_text(created: datetime.datetime) -> str:
    if not isinstance(created, datetime.datetime):
        raise PaymentOrderError(f"{created!r} is not a datetime", field="created")
    return created.replace(microsecond=0).isoformat()


class _Writer:
    def __init__(self, version: str) -> None:
        self.ns = namespace_for(version)
        self.v09 = self.ns.endswith(".09")
        self.bic_tag = "BICFI" if self.v09 else "BIC"

    def sub(self, parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{self.ns}}}{tag}", attrib)
        if text is not None:
            element.text = text
        return element

    # -- building blocks ------------------------------------------------------------------------------

    def address(self, parent: etree._Element, address: PostalAddress | None) -> None:
        if address is None:
            return
        adr = self.sub(parent, "PstlAdr")
        fields = (
            ("StrtNm", address.street), ("BldgNb", address.building_number), ("PstCd", address.postcode),
            ("TwnNm", address.town), ("Ctry", address.country),
        )  # fmt: skip
        for tag, value in fields:
            if value:
                self.sub(adr, tag, value)
        for line in address.lines:
            self.sub(adr, "AdrLine", line)

    def org_ids(self, parent: etree._Element, order: PaymentOrder) -> None:
        ids = [(v, scheme) for v, scheme in ((order.bank_customer_id, "BANK"), (order.debtor_orgnr, "CUST")) if v]
        if not ids:
            return
        org = self.sub(self.sub(parent, "Id"), "OrgId")
        for value, scheme in ids:
            othr = self.sub(org, "Othr")
            self.sub(othr, "Id", value)
            self.sub(self.sub(othr, "SchmeNm"), "Cd", scheme)

    def account(self, parent: etree._Element, tag: str, account: Account) -> None:
        ident = self.sub(self.sub(parent, tag), "Id")
        if account.kind is AccountKind.IBAN:
            self.sub(ident, "IBAN", account.number)
        else:
            othr = self.sub(ident, "Othr")
            self.sub(othr, "Id", account.number)
            self.sub(self.sub(othr, "SchmeNm"), "Cd", "BBAN")

    def agent(self, parent: etree._Element, tag: str, bic: str | None, *, required: bool) -> None:
        if bic is None and not required:
            return
        fin = self.sub(self.sub(parent, tag), "FinInstnId")
        if bic is not None:
            self.sub(fin, self.bic_tag, bic)
        else:
            # CGI-MP: a mandatory agent without a known BIC is written as Othr/Id NOTPROVIDED.
            self.sub(self.sub(fin, "Othr"), "Id", "NOTPROVIDED")

    # -- the message ----------------------------------------------------------------------------------

    def write(self, order: PaymentOrder, created: datetime.datetime) -> etree._Element:
        root = etree.Element(f"{{{self.ns}}}Document", nsmap={None: self.ns})
        msg = self.sub(root, "CstmrCdtTrfInitn")
        hdr = self.sub(msg, "GrpHdr")
        self.sub(hdr, "MsgId", order.message_id)
        self.sub(hdr, "CreDtTm", _created_text(created))
        self.sub(hdr, "NbOfTxs", str(order.number_of_transactions))
        self.sub(hdr, "CtrlSum", _money(order.control_sum))
        initiator = self.sub(hdr, "InitgPty")
        self.sub(initiator, "Nm", order.initiating_party_name or order.debtor_name)
        self.org_ids(initiator, order)
        for batch in order.batches():
            self.payment_info(msg, order, batch)
        return root

    def payment_info(self, msg: etree._Element, order: PaymentOrder, batch: PaymentBatch) -> None:
        pmt = self.sub(msg, "PmtInf")
        self.sub(pmt, "PmtInfId", batch.payment_info_id)
        self.sub(pmt, "PmtMtd", "TRF")
        self.sub(pmt, "BtchBookg", "true" if order.batch_booking else "false")
        self.sub(pmt, "NbOfTxs", str(batch.number_of_transactions))
        self.sub(pmt, "CtrlSum", _money(batch.control_sum))
        if batch.service_level or batch.category_purpose:
            tp = self.sub(pmt, "PmtTpInf")
            if batch.service_level:
                self.sub(self.sub(tp, "SvcLvl"), "Cd", batch.service_level)
            if batch.category_purpose:
                self.sub(self.sub(tp, "CtgyPurp"), "Cd", batch.category_purpose)
        day = batch.execution_date.isoformat()
        if self.v09:
            self.sub(self.sub(pmt, "ReqdExctnDt"), "Dt", day)
        else:
            self.sub(pmt, "ReqdExctnDt", day)
        debtor = self.sub(pmt, "Dbtr")
        self.sub(debtor, "Nm", order.debtor_name)
        self.address(debtor, order.debtor_address)
        self.org_ids(debtor, order)
        self.account(pmt, "DbtrAcct", batch.debtor_account)
        self.agent(pmt, "DbtrAgt", order.debtor_bic, required=True)
        if batch.charge_bearer:
            self.sub(pmt, "ChrgBr", batch.charge_bearer)
        for transfer in batch.transfers:
            self.transaction(pmt, transfer)

    def transaction(self, pmt: etree._Element, transfer: CreditTransfer) -> None:
        tx = self.sub(pmt, "CdtTrfTxInf")
        pmt_id = self.sub(tx, "PmtId")
        if transfer.instruction_id is not None:
            self.sub(pmt_id, "InstrId", transfer.instruction_id)
        self.sub(pmt_id, "EndToEndId", transfer.end_to_end_id)
        self.sub(self.sub(tx, "Amt"), "InstdAmt", _money(transfer.amount), Ccy=transfer.currency)
        self.agent(tx, "CdtrAgt", transfer.creditor_bic, required=False)
        creditor = self.sub(tx, "Cdtr")
        self.sub(creditor, "Nm", transfer.creditor_name)
        self.address(creditor, transfer.creditor_address)
        self.account(tx, "CdtrAcct", transfer.creditor)
        if transfer.regulatory_code:
            # Norway's currency register (valutaregisteret): the payer reports what a payment abroad is for.
            rgltry = self.sub(tx, "RgltryRptg")
            self.sub(rgltry, "DbtCdtRptgInd", "DEBT")
            details = self.sub(rgltry, "Dtls")
            self.sub(details, "Cd", transfer.regulatory_code)
            self.sub(details, "Inf", transfer.regulatory_text)
        self.remittance(tx, transfer)

    def remittance(self, tx: etree._Element, transfer: CreditTransfer) -> None:
        if not (transfer.kid or transfer.text or transfer.invoices):
            return
        rmt = self.sub(tx, "RmtInf")
        if transfer.text:
            self.sub(rmt, "Ustrd", transfer.text)
        if transfer.kid:
            ref = self.sub(self.sub(rmt, "Strd"), "CdtrRefInf")
            self.sub(self.sub(self.sub(ref, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
            self.sub(ref, "Ref", transfer.kid)
        for invoice in transfer.invoices:
            strd = self.sub(rmt, "Strd")
            doc = self.sub(strd, "RfrdDocInf")
            self.sub(self.sub(self.sub(doc, "Tp"), "CdOrPrtry"), "Cd", "CREN" if invoice.credit_note else "CINV")
            self.sub(doc, "Nb", invoice.number)
            if invoice.date is not None:
                self.sub(doc, "RltdDt", invoice.date.isoformat())
            amounts = self.sub(strd, "RfrdDocAmt")
            self.sub(amounts, "CdtNoteAmt" if invoice.credit_note else "RmtdAmt", _money(invoice.amount),
                     Ccy=transfer.currency)  # fmt: skip


def write_pain001(order: PaymentOrder, *, created: datetime.datetime, version: str = "03") -> bytes:
    """The pain.001 message for ``order`` as UTF-8 bytes with an XML declaration.

    ``created`` is the message's creation time (``GrpHdr/CreDtTm``), written to the second, with
    its UTC offset when it is timezone-aware. ``version`` is ``"03"`` (default) or ``"09"``.
    The same order, time and version always give the same bytes.
    """
    if not isinstance(order, PaymentOrder):
        raise TypeError("write_pain001 takes a PaymentOrder")
    root = _Writer(version).write(order, created)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
