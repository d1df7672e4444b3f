"""Read an ISO 20022 pain.002 status report: what the bank did with our pain.001 payments.

pain.002 (CustomerPaymentStatusReport) answers a pain.001 at three levels — the whole message
(``OrgnlGrpInfAndSts/GrpSts``), a payment-information block (``OrgnlPmtInfAndSts/PmtInfSts``) and
a single transaction (``TxInfAndSts/TxSts``) — each with optional reasons
(``StsRsnInf/Rsn/Cd`` or ``Prtry``, ``AddtlInf``). Norwegian banks send ``pain.002.001.03`` (BSK
implementation guide, after CGI-MP); the 2019 family (``pain.002.001.10``) uses the same paths for
everything read here. Swiss ``pain.002.001.03.ch.02`` files and files without a namespace (seen
from some US banks) are read too; any other namespace is refused.

Why :meth:`StatusReport.outcome`: a bank reports at the level it decided at. A rejected file has
only ``GrpSts = RJCT``; a rejected block only ``PmtInfSts``; CGI-MP banks often list only the
rejected transactions of a partially accepted (``PART``) block. ``outcome`` resolves, for one of
our end-to-end ids, the status that applies to it and the reasons, so the Odoo addon can mark each
payment accepted or rejected with the bank's words:

1. a ``RJCT`` of the message or of the transaction's block rejects it whatever else is said;
2. else the transaction's own ``TxSts``; else its block's status; else the message's status;
3. ``PART`` is never inherited: a transaction not listed under a ``PART`` status gets
   ``unlisted_in_partial`` (``None`` = unknown, by default; pass ``"ACCP"`` for a bank that lists
   only rejections, as its MIG says).

Parsing goes only through :func:`nofaktura.xml.parse_untrusted` (no DTD, no entities, bounded
size and depth). Broken files raise :class:`~nofaktura.exceptions.DocumentError` naming the file,
the line and the element path (``/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[2]/TxInfAndSts[1]/TxSts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cached_property
from pathlib import Path

from lxml import etree

from nofaktura.bank.payment_order import PaymentOrder
from nofaktura.exceptions import DocumentError
from nofaktura.xml import element_path, parse_untrusted, parse_untrusted_file

__all__ = [
    "REASON_CODES",
    "STATUS_CODES",
    "Outcome",
    "PaymentInfoStatus",
    "StatusKind",
    "StatusReason",
    "StatusReport",
    "TransactionStatus",
    "read_pain002",
    "read_pain002_file",
    "status_kind",
]


class StatusKind(str, Enum):
    """What a status code means for the payment, coarsely — what an ERP needs to act on."""

    #: The bank accepted the payment (customer profile, settlement in process or completed …).
    ACCEPTED = "accepted"
    #: The bank rejected (or cancelled) it: the invoice is still unpaid.
    REJECTED = "rejected"
    #: Received or technically valid only, or pending: wait for the next report.
    PENDING = "pending"
    #: Some transactions accepted, some not (message or block level only).
    PARTIAL = "partial"
    #: No status applies, or a code this library does not know.
    UNKNOWN = "unknown"


#: ISO 20022 (External)PaymentTransactionStatus codes: code → (kind, name).
STATUS_CODES: dict[str, tuple[StatusKind, str]] = {
    "ACCP": (StatusKind.ACCEPTED, "Accepted customer profile"),
    "ACSP": (StatusKind.ACCEPTED, "Accepted settlement in process"),
    "ACSC": (StatusKind.ACCEPTED, "Accepted settlement completed"),
    "ACCC": (StatusKind.ACCEPTED, "Accepted settlement completed on the creditor's account"),
    "ACWC": (StatusKind.ACCEPTED, "Accepted with change"),
    "ACWP": (StatusKind.ACCEPTED, "Accepted without posting"),
    "ACFC": (StatusKind.ACCEPTED, "Accepted funds checked"),
    "ACTC": (StatusKind.PENDING, "Accepted technical validation"),
    "RCVD": (StatusKind.PENDING, "Received"),
    "PDNG": (StatusKind.PENDING, "Pending"),
    "PART": (StatusKind.PARTIAL, "Partially accepted"),
    "PATC": (StatusKind.PARTIAL, "Partially accepted technical correct"),
    "RJCT": (StatusKind.REJECTED, "Rejected"),
    "CANC": (StatusKind.REJECTED, "Cancelled"),
}

#: Frequent ISO 20022 ExternalStatusReason1Code values, to show a person what went wrong.
REASON_CODES: dict[str, str] = {
    "AC01": "Incorrect account number",
    "AC02": "Invalid debtor account number",
    "AC03": "Invalid creditor account number",
    "AC04": "Closed account number",
    "AC06": "Blocked account",
    "AG01": "Transaction forbidden on this account",
    "AG02": "Invalid bank operation code",
    "AM01": "Zero amount",
    "AM02": "Amount not allowed",
    "AM03": "Currency not allowed",
    "AM04": "Insufficient funds",
    "AM05": "Duplication",
    "AM09": "Wrong amount",
    "BE01": "Inconsistent with end customer",
    "BE04": "Missing creditor address",
    "BE05": "Unrecognised initiating party",
    "BE06": "Unknown end customer",
    "CH03": "Requested execution date too far in the future",
    "CH04": "Requested execution date too far in the past",
    "CUST": "Requested by customer",
    "DT01": "Invalid date",
    "DU01": "Duplicate message id",
    "DU02": "Duplicate payment information id",
    "DU05": "Duplicate instruction id",
    "FF01": "Invalid file format",
    "MS02": "Reason not specified (customer generated)",
    "MS03": "Reason not specified (agent generated)",
    "NARR": "Narrative: see the additional information",
    "RC01": "Bank identifier incorrect",
    "RR01": "Missing debtor account or identification",
    "RR02": "Missing debtor name or address",
    "RR03": "Missing creditor name or address",
    "RR04": "Regulatory reason",
    "TM01": "Received after the cut-off time",
    # Codes banks give when they reject a whole message or block (ISO 20022 ExternalStatusReason1Code).
    "AC05": "Closed debtor account number",
    "AG03": "Transaction type not supported",
    "AM10": "Control sum does not match the instructed amounts",
    "AM12": "Invalid amount",
    "AM14": "Amount exceeds the agreed limit",
    "AM18": "Number of transactions does not match",
    "BE07": "Missing debtor address",
    "CNOR": "Creditor bank is not registered",
    "DNOR": "Debtor bank is not registered",
    "DU03": "Duplicate transaction",
    "DU04": "Duplicate end-to-end id",
    "FF02": "Syntax error",
    "FF03": "Invalid payment type information",
    "FF05": "Invalid local instrument code",
}

_NS_RE = re.compile(r"pain\.002\.001\.(\d\d)(\.[a-z]{2}\.\d\d)?(?:\.xsd)?\Z")
_CODE_RE = re.compile(r"[A-Z]{4}\Z")


def status_kind(code: str | None) -> StatusKind:
    """The :class:`StatusKind` of a status code (``UNKNOWN`` for ``None`` or an unknown code)."""
    if code is None:
        return StatusKind.UNKNOWN
    return STATUS_CODES.get(code, (StatusKind.UNKNOWN, ""))[0]


@dataclass(frozen=True)
class StatusReason:
    """One ``StsRsnInf``: the reason code (or proprietary reason) and the bank's free text."""

    code: str | None
    proprietary: str | None = None
    additional_info: tuple[str, ...] = ()
    #: Who gave the reason (``Orgtr/Nm`` or its BIC), when the bank says.
    originator: str | None = None

    @property
    def description(self) -> str | None:
        return REASON_CODES.get(self.code or "")

    def __str__(self) -> str:
        head = self.code or self.proprietary or "-"
        if self.description:
            head += f" ({self.description})"
        return f"{head}: {' '.join(self.additional_info)}" if self.additional_info else head

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "proprietary": self.proprietary, "description": self.description,
                "additional_info": list(self.additional_info), "originator": self.originator}  # fmt: skip


@dataclass(frozen=True)
class TransactionStatus:
    """One ``TxInfAndSts``: the status of one of our credit transfers."""

    payment_info_id: str | None
    end_to_end_id: str | None
    instruction_id: str | None
    status: str | None
    reasons: tuple[StatusReason, ...] = ()
    #: ``OrgnlTxRef/Amt/InstdAmt`` when the bank repeats it.
    amount: Decimal | None = None
    currency: str | None = None
    #: ``AcctSvcrRef``: the bank's reference of the transaction.
    bank_reference: str | None = None
    path: str | None = None
    line: int | None = None

    @property
    def kind(self) -> StatusKind:
        return status_kind(self.status)

    def as_json(self) -> dict[str, object]:
        return {
            "payment_info_id": self.payment_info_id, "end_to_end_id": self.end_to_end_id,
            "instruction_id": self.instruction_id, "status": self.status, "kind": self.kind.value,
            "reasons": [r.as_json() for r in self.reasons],
            "amount": None if self.amount is None else f"{self.amount:f}", "currency": self.currency,
            "bank_reference": self.bank_reference, "line": self.line,
        }  # fmt: skip


@dataclass(frozen=True)
class PaymentInfoStatus:
    """One ``OrgnlPmtInfAndSts``: the status of a payment-information block and its transactions."""

    payment_info_id: str
    status: str | None
    reasons: tuple[StatusReason, ...] = ()
    transactions: tuple[TransactionStatus, ...] = ()
    original_count: int | None = None
    original_sum: Decimal | None = None
    path: str | None = None
    line: int | None = None

    @property
    def kind(self) -> StatusKind:
        return status_kind(self.status)


@dataclass(frozen=True)
class Outcome:
    """The status that applies to one of our transfers, and at which level the bank decided it."""

    end_to_end_id: str
    payment_info_id: str | None
    status: str | None
    reasons: tuple[StatusReason, ...]
    #: ``transaction``, ``payment`` (the PmtInf block), ``group`` (the message) or ``none``.
    level: str
    bank_reference: str | None = None

    @property
    def kind(self) -> StatusKind:
        return status_kind(self.status)

    def as_json(self) -> dict[str, object]:
        return {"end_to_end_id": self.end_to_end_id, "payment_info_id": self.payment_info_id,
                "status": self.status, "kind": self.kind.value, "level": self.level,
                "reasons": [r.as_json() for r in self.reasons], "bank_reference": self.bank_reference}  # fmt: skip


@dataclass(frozen=True)
class StatusReport:
    """A whole pain.002 message."""

    #: ``pain.002.001.03``, ``pain.002.001.10``, ``pain.002.001.03.ch.02`` or ``pain.002`` (no namespace).
    version: str
    message_id: str
    #: ``GrpHdr/CreDtTm`` as written (ISO date-time text).
    created: str | None
    #: ``OrgnlMsgId``; ``None`` only in a report that rejects a message the bank could not read
    #: (then it cannot name it, and :meth:`outcomes` refuses to apply the report to an order).
    original_message_id: str | None
    original_message_name: str | None
    original_created: str | None
    original_count: int | None
    original_sum: Decimal | None
    group_status: str | None
    group_reasons: tuple[StatusReason, ...]
    payments: tuple[PaymentInfoStatus, ...]
    source: str | None = None

    @property
    def group_kind(self) -> StatusKind:
        return status_kind(self.group_status)

    def transactions(self) -> Iterator[TransactionStatus]:
        for payment in self.payments:
            yield from payment.transactions

    @cached_property
    def _blocks(self) -> dict[str, PaymentInfoStatus]:
        return {payment.payment_info_id: payment for payment in self.payments}  # the last one wins

    @cached_property
    def _by_end_to_end_id(self) -> dict[str | None, list[TransactionStatus]]:
        index: dict[str | None, list[TransactionStatus]] = {}
        for tx in self.transactions():
            index.setdefault(tx.end_to_end_id, []).append(tx)
        return index

    def payment_info(self, payment_info_id: str) -> PaymentInfoStatus | None:
        """The block with this id (the last one when a bank repeats it)."""
        return self._blocks.get(payment_info_id)

    def outcome(
        self, end_to_end_id: str, payment_info_id: str | None = None, *, unlisted_in_partial: str | None = None
    ) -> Outcome:
        """The status that applies to the transfer ``end_to_end_id`` of block ``payment_info_id``.

        See the module docstring for the rules. ``payment_info_id`` is needed to apply a block-level
        status to a transfer the block does not list (:meth:`PaymentOrder.batch_ids` gives it).
        """
        tx: TransactionStatus | None = None
        for candidate in self._by_end_to_end_id.get(end_to_end_id, ()):
            if payment_info_id is None or candidate.payment_info_id in (None, payment_info_id):
                tx = candidate  # a later report line wins over an earlier one
        block_id = payment_info_id or (tx.payment_info_id if tx else None)
        block = self.payment_info(block_id) if block_id else None

        def result(status: str | None, reasons: tuple[StatusReason, ...], level: str) -> Outcome:
            return Outcome(end_to_end_id, block_id, status, reasons, level, tx.bank_reference if tx else None)

        if self.group_status == "RJCT":
            return result("RJCT", self.group_reasons, "group")
        if block is not None and block.status == "RJCT":
            return result("RJCT", block.reasons, "payment")
        if tx is not None and tx.status:
            return result(tx.status, tx.reasons, "transaction")
        for status, reasons, level in (
            (block.status if block else None, block.reasons if block else (), "payment"),
            (self.group_status, self.group_reasons, "group"),
        ):
            if status is None:
                continue
            if status_kind(status) is StatusKind.PARTIAL:
                # Only the listed transactions are known; the rest is what the bank's MIG says.
                if unlisted_in_partial is None:
                    return result(None, (), "none")
                return result(unlisted_in_partial, (), level)
            return result(status, reasons, level)
        return result(None, (), "none")

    def outcomes(
        self,
        order: PaymentOrder | Mapping[str, str],
        *,
        unlisted_in_partial: str | None = None,
        check_message_id: bool = True,
    ) -> list[Outcome]:
        """One :class:`Outcome` per transfer of the original order, in the order's sequence.

        ``order`` is the :class:`PaymentOrder` that was sent, or a mapping end-to-end id →
        payment-information id (as stored by an ERP). With a ``PaymentOrder`` the report must answer
        its message id (``OrgnlMsgId``), else :class:`DocumentError` is raised.
        """
        if self.original_message_id is None:
            raise DocumentError(
                f"the status report rejects a message it does not name (no OrgnlMsgId), so it cannot be applied "
                f"to message {getattr(order, 'message_id', None) or 'of this order'}: "
                f"{self.group_status} {_reasons_text(self.group_reasons)}".rstrip(),
                source=self.source, path="/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgId",
            )  # fmt: skip
        if isinstance(order, PaymentOrder):
            if check_message_id and order.message_id != self.original_message_id:
                raise DocumentError(
                    f"the status report answers message {self.original_message_id!r}, not {order.message_id!r}",
                    source=self.source, path="/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgId",
                )  # fmt: skip
            mapping: Mapping[str, str] = order.batch_ids()
        else:
            mapping = order
        return [self.outcome(e2e, pmt, unlisted_in_partial=unlisted_in_partial) for e2e, pmt in mapping.items()]

    def unmatched(self, order: PaymentOrder | Mapping[str, str]) -> list[TransactionStatus]:
        """Reported transactions whose end-to-end id is not in ``order`` (someone else's, or a typo)."""
        known = order.batch_ids() if isinstance(order, PaymentOrder) else order
        return [tx for tx in self.transactions() if tx.end_to_end_id not in known]

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.source, "version": self.version, "message_id": self.message_id, "created": self.created,
            "original_message_id": self.original_message_id, "original_message_name": self.original_message_name,
            "original_created": self.original_created, "original_count": self.original_count,
            "original_sum": None if self.original_sum is None else f"{self.original_sum:f}",
            "group_status": self.group_status, "group_kind": self.group_kind.value,
            "group_reasons": [r.as_json() for r in self.group_reasons],
            "payments": [
                {"payment_info_id": p.payment_info_id, "status": p.status, "kind": p.kind.value,
                 "reasons": [r.as_json() for r in p.reasons], "original_count": p.original_count,
                 "original_sum": None if p.original_sum is None else f"{p.original_sum:f}",
                 "transactions": [t.as_json() for t in p.transactions]}
                for p in self.payments
            ],
        }  # fmt: skip


def _reasons_text(reasons: tuple[StatusReason, ...]) -> str:
    return "; ".join(str(reason) for reason in reasons)


# -- parsing --------------------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _where(element: etree._Element) -> str:
    """``/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[2]/TxSts``: local names, positions among namesakes."""
    return element_path(element)


class _Parser:
    def __init__(self, ns: str, source: str | None) -> None:
        self.ns = ns
        self.source = source

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def error(self, message: str, element: etree._Element, child: str | None = None) -> DocumentError:
        path = _where(element) + (f"/{child}" if child else "")
        return DocumentError(message, source=self.source, line=element.sourceline, path=path)

    def child(self, element: etree._Element, path: str) -> etree._Element | None:
        node: etree._Element | None = element
        for name in path.split("/"):
            node = node.find(self.q(name)) if node is not None else None
        return node

    def children(self, element: etree._Element, name: str) -> list[etree._Element]:
        return element.findall(self.q(name))

    def text(self, element: etree._Element, path: str, *, required: bool = False) -> str | None:
        node = self.child(element, path)
        value = node.text.strip() if node is not None and node.text else None
        if required and not value:
            raise self.error(f"the required element {path} is missing or empty", element, path)
        return value

    def status(self, element: etree._Element, name: str) -> str | None:
        value = self.text(element, name)
        if value is not None and not _CODE_RE.match(value):
            node = self.child(element, name)
            raise self.error(f"{value!r} is not a status code (four capital letters such as ACCP, RJCT)",
                             node if node is not None else element)  # fmt: skip
        return value

    def count(self, element: etree._Element, name: str) -> int | None:
        value = self.text(element, name)
        if value is None:
            return None
        if not value.isascii() or not value.isdigit():  # "²" is a digit to isdigit() but not to int()
            raise self.error(f"{value!r} is not a number of transactions", element, name)
        return int(value)

    def decimal(self, element: etree._Element, name: str) -> Decimal | None:
        value = self.text(element, name)
        if value is None:
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            raise self.error(f"{value!r} is not an amount", element, name)
        return amount

    def reasons(self, element: etree._Element) -> tuple[StatusReason, ...]:
        result = []
        for info in self.children(element, "StsRsnInf"):
            code = self.text(info, "Rsn/Cd")
            originator = self.text(info, "Orgtr/Nm") or self.text(info, "Orgtr/Id/OrgId/BICOrBEI") or self.text(
                info, "Orgtr/Id/OrgId/AnyBIC")  # fmt: skip
            extra = tuple(n.text.strip() for n in self.children(info, "AddtlInf") if n.text and n.text.strip())
            result.append(StatusReason(code, self.text(info, "Rsn/Prtry"), extra, originator))
        return tuple(result)

    def transaction(self, element: etree._Element, payment_info_id: str | None) -> TransactionStatus:
        amount_node = self.child(element, "OrgnlTxRef/Amt/InstdAmt")
        amount = currency = None
        if amount_node is not None:
            amount = self.decimal(self.child(element, "OrgnlTxRef/Amt"), "InstdAmt")  # type: ignore[arg-type]
            currency = amount_node.get("Ccy")
        return TransactionStatus(
            payment_info_id=payment_info_id,
            end_to_end_id=self.text(element, "OrgnlEndToEndId"),
            instruction_id=self.text(element, "OrgnlInstrId"),
            status=self.status(element, "TxSts"),
            reasons=self.reasons(element),
            amount=amount, currency=currency,
            bank_reference=self.text(element, "AcctSvcrRef"),
            path=_where(element), line=element.sourceline,
        )  # fmt: skip

    def payment(self, element: etree._Element) -> PaymentInfoStatus:
        pmt_id = self.text(element, "OrgnlPmtInfId", required=True)
        return PaymentInfoStatus(
            payment_info_id=pmt_id,  # type: ignore[arg-type]
            status=self.status(element, "PmtInfSts"),
            reasons=self.reasons(element),
            transactions=tuple(self.transaction(tx, pmt_id) for tx in self.children(element, "TxInfAndSts")),
            original_count=self.count(element, "OrgnlNbOfTxs"),
            original_sum=self.decimal(element, "OrgnlCtrlSum"),
            path=_where(element), line=element.sourceline,
        )  # fmt: skip


def _version(ns: str, root: etree._Element, source: str | None) -> str:
    if not ns:
        return "pain.002"
    match = _NS_RE.search(ns)
    if not match:
        raise DocumentError(f"the namespace {ns!r} is not a pain.002 status report namespace",
                            source=source, line=root.sourceline, path="/" + _local(root.tag))  # fmt: skip
    return f"pain.002.001.{match.group(1)}{match.group(2) or ''}"


def read_pain002(data: bytes, source: str | None = None) -> StatusReport:
    """Parse a pain.002 status report (bytes, as received) into a :class:`StatusReport`."""
    return _report(parse_untrusted(data, source=source).getroot(), source)


def read_pain002_file(path: str | Path) -> StatusReport:
    """Read a pain.002 file (its size is checked before it is read); errors name the file."""
    return _report(parse_untrusted_file(path).getroot(), str(path))


def _report(root: etree._Element, source: str | None) -> StatusReport:
    ns = etree.QName(root).namespace or ""
    if _local(root.tag) != "Document":
        raise DocumentError(f"expected the root element Document, found {_local(root.tag)}", source=source,
                            line=root.sourceline, path="/" + _local(root.tag))  # fmt: skip
    version = _version(ns, root, source)
    p = _Parser(ns, source)
    report = p.child(root, "CstmrPmtStsRpt")
    if report is None:
        found = next((_local(c.tag) for c in root if isinstance(c.tag, str)), "nothing")
        raise p.error(f"not a customer payment status report: Document holds {found}, not CstmrPmtStsRpt", root)
    group = p.child(report, "OrgnlGrpInfAndSts")
    if group is None:
        raise p.error("the required element OrgnlGrpInfAndSts is missing", report, "OrgnlGrpInfAndSts")
    group_status = p.status(group, "GrpSts")
    # OrgnlMsgId is mandatory, but a bank that rejects a file it could not parse cannot name it: the
    # rejection and its reasons are what the user must see, so only then is it allowed to be missing.
    original_message_id = p.text(group, "OrgnlMsgId", required=group_status != "RJCT")
    return StatusReport(
        version=version,
        message_id=p.text(report, "GrpHdr/MsgId", required=True),  # type: ignore[arg-type]
        created=p.text(report, "GrpHdr/CreDtTm"),
        original_message_id=original_message_id,
        original_message_name=p.text(group, "OrgnlMsgNmId"),
        original_created=p.text(group, "OrgnlCreDtTm"),
        original_count=p.count(group, "OrgnlNbOfTxs"),
        original_sum=p.decimal(group, "OrgnlCtrlSum"),
        group_status=group_status,
        group_reasons=p.reasons(group),
        payments=tuple(p.payment(pmt) for pmt in p.children(report, "OrgnlPmtInfAndSts")),
        source=source,
    )

