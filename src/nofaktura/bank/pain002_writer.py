"""Write a pain.002 status report answering a :class:`~nofaktura.bank.payment_order.PaymentOrder`.

Why in the library: no bank sends us feedback in tests, demos or the Odoo addon's test suite, and a
fake bank is only honest when it answers the very order that was written (same message id,
payment-information ids and end-to-end ids). As with ``httpx.MockTransport``, the fake ships with
the library so that every layer tests against the same one.

The structure follows pain.002.001.03 / .10 (``GrpHdr``, ``OrgnlGrpInfAndSts``,
``OrgnlPmtInfAndSts``, ``TxInfAndSts``, ``StsRsnInf``) in ISO element order. No pain.002 XSD is
in the shared corpora, so the output is checked by reading it back with
:func:`nofaktura.bank.pain002.read_pain002`, not by schema.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from lxml import etree

from nofaktura.bank.pain002 import StatusReason
from nofaktura.bank.payment_order import PaymentOrder

__all__ = ["write_pain002"]

_NAMESPACES = {v: f"urn:iso:std:iso:20022:tech:xsd:pain.002.001.{v}" for v in ("03", "10")}

Status = tuple[str, Iterable[StatusReason]]


def write_pain002(
    order: PaymentOrder,
    *,
    message_id: str,
    created: datetime.datetime,
    group_status: str | None = None,
    group_reasons: Iterable[StatusReason] = (),
    payment_statuses: Mapping[str, Status] | None = None,
    transaction_statuses: Mapping[str, Status] | None = None,
    original_version: str = "03",
    version: str = "03",
) -> bytes:
    """A status report for ``order``.

    ``payment_statuses`` maps a payment-information id (``<message id>-<n>``) to ``(status,
    reasons)``; ``transaction_statuses`` maps an end-to-end id to ``(status, reasons)``. Only the
    blocks and transactions named are listed, as banks do (a block is listed when it or one of its
    transactions has a status).
    """
    ns = _NAMESPACES[version]
    payment_statuses = payment_statuses or {}
    transaction_statuses = transaction_statuses or {}

    def sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrib)
        if text is not None:
            element.text = text
        return element

    def reasons(parent: etree._Element, items: Iterable[StatusReason]) -> None:
        for reason in items:
            info = sub(parent, "StsRsnInf")
            if reason.originator:
                sub(sub(info, "Orgtr"), "Nm", reason.originator)
            if reason.code or reason.proprietary:
                rsn = sub(info, "Rsn")
                if reason.code:
                    sub(rsn, "Cd", reason.code)
                else:
                    sub(rsn, "Prtry", reason.proprietary)
            for text in reason.additional_info:
                sub(info, "AddtlInf", text)

    root = etree.Element(f"{{{ns}}}Document", nsmap={None: ns})
    report = sub(root, "CstmrPmtStsRpt")
    header = sub(report, "GrpHdr")
    sub(header, "MsgId", message_id)
    sub(header, "CreDtTm", created.replace(microsecond=0).isoformat())
    group = sub(report, "OrgnlGrpInfAndSts")
    sub(group, "OrgnlMsgId", order.message_id)
    sub(group, "OrgnlMsgNmId", f"pain.001.001.{original_version}")
    sub(group, "OrgnlNbOfTxs", str(order.number_of_transactions))
    sub(group, "OrgnlCtrlSum", f"{order.control_sum:f}")
    if group_status:
        sub(group, "GrpSts", group_status)
    reasons(group, group_reasons)
    for batch in order.batches():
        listed = [t for t in batch.transfers if t.end_to_end_id in transaction_statuses]
        if batch.payment_info_id not in payment_statuses and not listed:
            continue
        pmt = sub(report, "OrgnlPmtInfAndSts")
        sub(pmt, "OrgnlPmtInfId", batch.payment_info_id)
        sub(pmt, "OrgnlNbOfTxs", str(batch.number_of_transactions))
        sub(pmt, "OrgnlCtrlSum", f"{batch.control_sum:f}")
        if batch.payment_info_id in payment_statuses:
            status, items = payment_statuses[batch.payment_info_id]
            sub(pmt, "PmtInfSts", status)
            reasons(pmt, items)
        for transfer in listed:
            status, items = transaction_statuses[transfer.end_to_end_id]
            tx = sub(pmt, "TxInfAndSts")
            if transfer.instruction_id:
                sub(tx, "OrgnlInstrId", transfer.instruction_id)
            sub(tx, "OrgnlEndToEndId", transfer.end_to_end_id)
            sub(tx, "TxSts", status)
            reasons(tx, items)
            ref = sub(tx, "OrgnlTxRef")
            sub(sub(ref, "Amt"), "InstdAmt", f"{transfer.amount:f}", Ccy=transfer.currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
