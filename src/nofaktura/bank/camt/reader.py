"""Streaming reader for ISO 20022 bank-to-customer cash management messages.

Reads camt.054 (debit/credit notification), camt.053 (statement) and camt.052 (account report)
in the versions Norwegian banks send (001.02, Bits' baseline, and the 2019 versions 001.08) and
the ones between; the element paths used are the same in all of them except where noted, so the
reader ignores the namespace and looks at local names.

Why streaming: a bank may send a day's 100,000 KID payments in one camt.054. lxml ``iterparse``
hands us one ``Ntry`` at a time; we turn it into payments and clear it, so memory stays flat.

Why not :func:`nofaktura.xml.parse_untrusted`: it builds the whole tree. The same hardening is
applied here instead: a DOCTYPE is refused (sniffed before parsing and checked again on the first
element), entities are never resolved, nothing is fetched from the network, ``huge_tree`` is off.

Mapping (paths relative to ``Ntry`` / ``TxDtls``):

* a batch entry (``NtryDtls`` with several ``TxDtls``) becomes one payment per ``TxDtls``; an entry
  without ``TxDtls`` becomes one payment;
* amount: what was booked on the account. A single-transaction entry (one or no ``TxDtls``) is
  the entry's ``Amt``, whatever its details say (instructed amount in another currency, gross
  before charges); a batch is split by each ``TxDtls/Amt`` (001.02: ``AmtDtls/TxAmt/Amt``) in
  the account currency, which must add up to the entry amount (else refused). Sign from
  ``CdtDbtInd`` (credit +, debit −). The other amounts (``Amt``, ``InstdAmt``, ``TxAmt``,
  ``CntrValAmt``, exchange rate) go to ``Payment.extra`` (``instructed_amount`` …), ``Chrgs`` to
  ``Payment.charges``;
* charges on a batch: when the details add up to the entry, the charges were not taken from it and
  are information (per transaction on its payment, for the whole batch in ``FileSummary.batch_charges``);
  when details plus charges (signed by each record's ``CdtDbtInd``, debit if absent) add up to the
  entry, the bank took them from it and each becomes an item of its own (``Payment.is_charges``, one per
  transaction that has charges, else one for the batch) right after its payment, so the items of an
  entry always add up to the booked amount and each payment keeps what the payer sent. Charges given
  for the batch and per transaction count once (per transaction) when their totals agree; any other
  combination is refused with the three amounts named;
* status: entries with ``Sts`` (001.02) or ``Sts/Cd`` (001.08) other than ``BOOK`` (``PDNG``,
  ``INFO``) are yielded with that status but are not booked (``Payment.booked``): they are left out
  of the summary's count and totals (``unbooked_count``/``unbooked_total`` instead);
* KID: ``RmtInf/Strd/CdtrRefInf/Ref`` when ``Tp/CdOrPrtry/Cd`` is ``SCOR`` or absent and the
  reference passes MOD10 or MOD11 (:mod:`nofaktura.kid`); every structured reference (RF …,
  invoice numbers, digits failing both checks) stays in ``reference``;
* free text: ``RmtInf/Ustrd`` (several joined by a space);
* payer: ``RltdPties/Dbtr/Nm`` (001.02–001.06) or ``RltdPties/Dbtr/Pty/Nm`` (001.08) and
  ``DbtrAcct/Id/IBAN`` or ``DbtrAcct/Id/Othr/Id``; for debits the creditor instead;
* returns: ``TxDtls/RtrInf`` or bank transaction sub-family RRTN/ARET; reversals: ``Ntry/RvslInd``;
* dates: ``BookgDt`` and ``ValDt``, each ``Dt`` or ``DtTm``.

A message with no ``Stmt``/``Ntfctn``/``Rpt`` is refused (not read as "0 transactions"); an ISO
20022 message we do not read (camt.055, camt.052.001.01, pain.001 …) is refused by its name.

Checks that raise :class:`~nofaktura.exceptions.FileTotalsError`: ``TxsSummry/TtlNtries``
(number and sum of entries, all of them or the booked ones only) when present, a batch's ``NbOfTxs`` and the sum of its
transaction amounts against the entry amount. For statements, opening balance plus booked
entries against the closing balance is only reported (``balance_differences``), because real
statements (and most samples in the corpora) include items that are not listed as entries.
"""

from __future__ import annotations

import datetime
import re
from collections import OrderedDict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import IO

from lxml import etree

from nofaktura import kid as _kid
from nofaktura.bank.model import FileSummary, Payment, make_key
from nofaktura.exceptions import DocumentError, FileTotalsError, UnsafeDocument
from nofaktura.messages import msg
from nofaktura.xml import LIBXML2_LIMIT_MESSAGES, declares_doctype  # parse_untrusted's own guards

__all__ = ["CamtReader", "read_camt"]

_NS_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[234]\.001\.\d\d)\Z")
#: Any ISO 20022 message namespace, to name a message we do not read (camt.055, pain.001 …).
_ISO_NS_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})\Z")
#: Message versions whose layout differs from what this reader knows (001.01 predates BkToCstmr* as read here).
_UNSUPPORTED_VERSIONS = frozenset({"01"})
UNSUPPORTED_MESSAGE = "{message} is not supported (we read camt.052/053/054)"
_MESSAGES = {"BkToCstmrStmt": ("camt.053", "Stmt"), "BkToCstmrDbtCdtNtfctn": ("camt.054", "Ntfctn"),
             "BkToCstmrAcctRpt": ("camt.052", "Rpt")}  # fmt: skip
_RETURN_SUBFAMILIES = frozenset({"RRTN", "ARET", "RPCR"})
_SNIFF_BYTES = 65536
#: Largest message read, as ``nofaktura.bank.channel.MAX_FILE_BYTES`` (a 100,000-payment camt.054 is ~60 MB).
MAX_BYTES = 200 * 1024 * 1024
# An amount as xs:decimal writes it: no exponent, NaN or Infinity (Decimal() would accept those).
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_RECENT = 1000
# The payer of a credit is the debtor, of a debit the creditor: name (001.02–001.06, 001.08) and account.
_PARTY_PATHS = {
    credit: (f"RltdPties/{party}/Nm", f"RltdPties/{party}/Pty/Nm", f"RltdPties/{party}Acct/Id/IBAN",
             f"RltdPties/{party}Acct/Id/Othr/Id")
    for credit, party in ((True, "Dbtr"), (False, "Cdtr"))
}  # fmt: skip
# Bounds of the per-reader cache of element paths (``_flatten``): a real camt file uses a few
# hundred paths, none near 128 characters; a hostile one with endless distinct or very long names
# must not make the memory kept between entries grow with it (at most ~256 * 65 short strings).
_NAME_CACHE_PREFIXES = 256
_NAME_CACHE_NAMES = 64
_NAME_CACHE_LENGTH = 128


def _message_name(container: str) -> str:
    return next((name for name, (_kind, cont) in _MESSAGES.items() if cont == container), container)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


@lru_cache(maxsize=512)
def _path(ns: str, path: str) -> str:
    """``A/B`` → ``{ns}A/{ns}B`` (or unchanged without a namespace)."""
    if not ns:
        return path
    return "/".join(f"{{{ns}}}{part}" if part not in (".", "..") else part for part in path.split("/"))


_KID_SHAPE = re.compile(r"[0-9]{1,24}[0-9-]\Z")
_MOD11_WEIGHTS = (2, 3, 4, 5, 6, 7) * 5


def _is_kid(reference: str) -> bool:
    """A creditor reference is a KID only when it carries a valid MOD10 or MOD11 check digit.

    RF creditor references (ISO 11649), invoice numbers and other structured references stay in
    ``Payment.reference``: reporting them as a KID would match them against KIDs we issued.

    The same answer as :func:`nofaktura.kid.is_valid` (a test holds them together), computed
    directly: that function's input cleaning costs a third of the reading time of a large file.
    """
    number = reference.replace(" ", "") if " " in reference else reference
    if len(number) < _kid.MIN_CHECK_LENGTH or not _KID_SHAPE.match(number):
        return False
    base, check = number[:-1], number[-1]
    remainder = sum(w * int(d) for w, d in zip(_MOD11_WEIGHTS, reversed(base), strict=False)) % 11
    if check == ("0" if remainder == 0 else "-" if remainder == 1 else str(11 - remainder)):
        return True
    if check == "-":
        return False
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


#: Detail amounts kept in ``Payment.extra`` (path under ``TxDtls`` → name), never used as the payment amount.
_DETAIL_AMOUNTS = (
    ("Amt", "details"),
    ("AmtDtls/InstdAmt/Amt", "instructed"),
    ("AmtDtls/TxAmt/Amt", "transaction"),
    ("AmtDtls/CntrValAmt/Amt", "counter_value"),
)


def _date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


#: ``_flatten``'s result: path → first element at that path, and ``path*`` → all of them when several.
_Flat = dict[str, "etree._Element | list[etree._Element]"]


def _text(flat: _Flat, path: str, fallback: str | None = None) -> str | None:
    """The stripped text of the first element at ``path`` (else at ``fallback``), ``None`` when empty.

    A plain function with at most two paths: it runs about 17 times per transaction.
    """
    found = flat.get(path)
    if found is not None:
        text = found.text  # type: ignore[union-attr]
        if text:
            text = text.strip()
            if text:
                return text
    return None if fallback is None else _text(flat, fallback)


class _Sniffer:
    """Wrap a binary stream; refuse a DOCTYPE before lxml sees it, and a stream longer than ``max_bytes``."""

    def __init__(self, stream: IO[bytes], source: str | None, max_bytes: int = MAX_BYTES) -> None:
        self._stream = stream
        self._source = source
        self._head = b""
        self._checked = False
        self._max_bytes = max_bytes
        self._total = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._total += len(data)
        if self._total > self._max_bytes:
            raise UnsafeDocument(msg("xml.stream_too_large", limit=self._max_bytes), source=self._source)
        if not self._checked:
            self._head += data
            if declares_doctype(self._head):
                raise UnsafeDocument(msg("xml.doctype"), source=self._source)
            if len(self._head) >= _SNIFF_BYTES or not data:
                self._checked = True
                self._head = b""
        return data


class CamtReader:
    """Iterate the payments of a camt.052/053/054 file; ``summary`` is complete once exhausted."""

    def __init__(self, stream: IO[bytes], source: str | None = None, *, max_bytes: int = MAX_BYTES) -> None:
        if isinstance(stream, (str, bytes)):
            raise TypeError("CamtReader takes a binary stream (open(path, 'rb') or io.BytesIO)")
        self._stream = stream
        self._max_bytes = max_bytes
        self.source = source or getattr(stream, "name", None)
        self.summary = FileSummary(format="camt", source=self.source)
        self._ns = ""
        #: ``_flatten``'s paths: prefix → Clark tag → path (bounded by the _NAME_CACHE_* limits).
        self._names: dict[str, dict[object, str]] = {}
        self._recent: OrderedDict[str, int] = OrderedDict()
        #: opening + booked entries − closing, per statement, when a statement gives both balances.
        self.balance_differences: list[tuple[str, Decimal]] = []

    def __iter__(self) -> Iterator[Payment]:
        return self.payments()

    # -- the walk -------------------------------------------------------------------------------

    def payments(self) -> Iterator[Payment]:
        tags = ("{*}Document", "{*}GrpHdr", "{*}Stmt", "{*}Ntfctn", "{*}Rpt", "{*}Ntry",
                "{*}BkToCstmrStmt", "{*}BkToCstmrDbtCdtNtfctn", "{*}BkToCstmrAcctRpt")  # fmt: skip
        context = etree.iterparse(
            _Sniffer(self._stream, self.source, self._max_bytes),  # type: ignore[arg-type]
            events=("start", "end"),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
        )
        summary = self.summary
        first = True
        message_seen = False
        container_name = ""
        container_index = 0
        entry_index = 0
        header: _Header | None = None
        # Per statement/notification: entries counted, gross sum, booked net.
        n_entries = n_booked = 0
        gross = gross_booked = Decimal(0)
        booked_net = Decimal(0)
        try:
            for event, elem in context:
                if first:
                    first = False
                    self._first_element(elem)
                local = _local(elem.tag)
                if event == "start":
                    if local in _MESSAGES:
                        message_seen = True
                        kind, container_name = _MESSAGES[local]
                        if summary.format == "camt":
                            summary.format = kind
                    elif local == container_name:
                        container_index += 1
                        entry_index = 0
                        n_entries, gross, booked_net = 0, Decimal(0), Decimal(0)
                        n_booked, gross_booked = 0, Decimal(0)
                        header = None
                    continue
                if local == "GrpHdr":
                    summary.message_id = elem.findtext(self._p("MsgId"))
                    summary.created = _date(elem.findtext(self._p("CreDtTm")))
                    elem.clear()
                elif local == "Ntry":
                    if not container_name or _local(elem.getparent().tag) != container_name:
                        continue  # an Ntry nested elsewhere is not an entry of ours
                    if header is None:
                        header = self._header(elem.getparent(), container_index)
                    entry_index += 1
                    where = f"/Document/{container_name}[{container_index}]/Ntry[{entry_index}]"
                    payments, amount, signed, booked = self._entry_payments(
                        elem, header.account, where, f"{container_index}/{entry_index}")
                    n_entries += 1
                    gross += amount
                    if booked:
                        booked_net += signed
                        n_booked += 1
                        gross_booked += amount
                    yield from payments
                    elem.clear()
                    parent = elem.getparent()
                    previous = elem.getprevious()
                    while previous is not None and _local(previous.tag) == "Ntry":
                        parent.remove(previous)
                        previous = elem.getprevious()
                elif local == container_name and local:
                    if header is None:
                        header = self._header(elem, container_index)
                    self._check_container(header, (n_entries, n_booked), (gross, gross_booked), booked_net)
                    header = None
                    elem.clear()
        except etree.XMLSyntaxError as exc:
            line = getattr(exc, "lineno", None) or None  # lxml says line 0 when there is no line at all
            if line is None:
                raise DocumentError(msg("xml.empty"), source=self.source) from exc
            if any(limit in str(exc.msg) for limit in LIBXML2_LIMIT_MESSAGES):
                raise UnsafeDocument(msg("xml.parser_limits", detail=exc.msg),
                                     source=self.source, line=line) from exc  # fmt: skip
            raise DocumentError(
                msg("camt.not_well_formed", detail=exc.msg), source=self.source, line=line,
            ) from exc  # fmt: skip
        if not message_seen:
            raise DocumentError(
                msg("camt.not_camt"),
                source=self.source,
            )
        if container_index == 0:
            # Zero statements is not "0 transactions": the message is cut short or not what it says.
            raise DocumentError(
                msg("camt.no_container", format=summary.format, container=container_name),
                source=self.source, path=f"/Document/{_message_name(container_name)}",
            )  # fmt: skip

    # -- pieces ---------------------------------------------------------------------------------

    def _p(self, path: str) -> str:
        return _path(self._ns, path)

    def _first_element(self, elem: etree._Element) -> None:
        docinfo = elem.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise UnsafeDocument(msg("xml.doctype"), source=self.source)
        ns = elem.tag[1:].partition("}")[0] if elem.tag.startswith("{") else ""
        self._ns = ns
        self._names.clear()  # paths cut with the namespace of a previous read
        match = _NS_RE.match(ns)
        if match and match.group(1).rpartition(".")[2] in _UNSUPPORTED_VERSIONS:
            raise DocumentError(msg("camt.unsupported_message", message=match.group(1)), source=self.source)
        if match:
            self.summary.format = match.group(1)
        elif _ISO_NS_RE.match(ns):
            raise DocumentError(msg("camt.unsupported_message", message=_ISO_NS_RE.match(ns).group(1)),  # type: ignore[union-attr]
                                source=self.source)  # fmt: skip
        elif ns and "camt.05" not in ns:
            raise DocumentError(msg("camt.unexpected_namespace", ns=ns), source=self.source)
        if _local(elem.tag) != "Document":
            raise DocumentError(msg("camt.wrong_root", root=_local(elem.tag)), source=self.source)

    def _account_id(self, acct: etree._Element | None) -> str | None:
        if acct is None:
            return None
        iban = acct.findtext(self._p("Id/IBAN"))
        if iban:
            return iban.strip()
        other = acct.findtext(self._p("Id/Othr/Id"))
        return other.strip() if other else None

    def _container_account(self, container: etree._Element, index: int) -> str:
        account = self._account_id(container.find(self._p("Acct")))
        if account is None:
            raise DocumentError(
                msg("camt.no_account"),
                source=self.source, path=f"/Document/{_local(container.tag)}[{index}]/Acct",
            )  # fmt: skip
        return account

    def _amount(self, elem: etree._Element | None, where: str) -> tuple[Decimal, str] | None:
        if elem is None:
            return None
        try:
            text = (elem.text or "").strip()
            if not _DECIMAL.fullmatch(text):
                raise InvalidOperation(text)
            value = Decimal(text)
        except InvalidOperation:
            raise DocumentError(msg("camt.not_amount", value=elem.text), source=self.source, line=elem.sourceline,
                                path=where) from None  # fmt: skip
        return value, elem.get("Ccy") or ""

    def _flatten(self, elem: etree._Element, skip: str = "") -> _Flat:
        """Every descendant by its path of local names (``Refs/AcctSvcrRef``), in document order.

        ``flat[path]`` is the first element at ``path``; only a path used more than once also has
        ``flat[path + "*"]``, the list of all its elements (``*`` is not allowed in an XML name), so
        the common single element costs no list.

        One pass in C-speed child iteration instead of dozens of ``findtext`` calls per transaction
        (lxml evaluates slashed paths in Python): this is what keeps 100,000 transactions fast.
        """
        cut = len(self._ns) + 2 if self._ns else 0
        cache = self._names
        out: _Flat = {}
        # Breadth first, so elements sharing a path are listed in document order (the loop also
        # walks the entries appended to ``queue`` while it runs).
        queue: list[tuple[etree._Element, str]] = [(elem, "")]
        for node, prefix in queue:
            # Path of a child = prefix + its local name, remembered per (prefix, Clark tag) so the
            # same few dozen paths are not sliced and concatenated again for every transaction.
            names = cache.get(prefix)
            if names is None:
                names = {}
                if len(cache) < _NAME_CACHE_PREFIXES and len(prefix) <= _NAME_CACHE_LENGTH:
                    cache[prefix] = names
            for child in node:
                tag = child.tag
                name = names.get(tag)
                if name is None:
                    if not isinstance(tag, str):
                        continue  # comments, processing instructions
                    name = prefix + (tag[cut:] if cut else _local(tag))
                    if len(names) < _NAME_CACHE_NAMES and len(name) <= _NAME_CACHE_LENGTH:
                        names[tag] = name
                found = out.get(name)
                if found is None:
                    if name == skip:
                        continue
                    out[name] = child
                else:
                    many = out.get(name + "*")
                    if many is None:
                        out[name + "*"] = [found, child]  # type: ignore[list-item]
                    else:
                        many.append(child)  # type: ignore[union-attr]
                if len(child):
                    queue.append((child, name + "/"))
        return out

    def _account_of(self, flat: _Flat, prefix: str) -> str | None:
        return _text(flat, prefix + "Id/IBAN", prefix + "Id/Othr/Id")

    def _account_id(self, acct: etree._Element | None) -> str | None:
        return None if acct is None else self._account_of(self._flatten(acct), "")

    def _container_account(self, container: etree._Element, index: int) -> str:
        account = self._account_id(container.find(self._p("Acct")))
        if account is None:
            raise DocumentError(
                msg("camt.no_account"),
                source=self.source, path=f"/Document/{_local(container.tag)}[{index}]/Acct",
            )  # fmt: skip
        return account

    def _bank_code(self, flat: _Flat) -> str | None:
        domain = _text(flat, "BkTxCd/Domn/Cd")
        if domain:
            family = _text(flat, "BkTxCd/Domn/Fmly/Cd") or ""
            sub = _text(flat, "BkTxCd/Domn/Fmly/SubFmlyCd") or ""
            return f"{domain}/{family}/{sub}"
        return _text(flat, "BkTxCd/Prtry/Cd")

    def _entry_payments(
        self, entry: etree._Element, account: str, where: str, entry_id: str | None = None
    ) -> tuple[list[Payment], Decimal, Decimal, bool]:
        """The payments of one entry, and the entry's amount, signed amount and whether it is booked."""
        flat = self._flatten(entry, skip="NtryDtls")
        line = entry.sourceline
        amt = self._amount(flat.get("Amt"), where + "/Amt")  # type: ignore[arg-type]
        if amt is None:
            raise DocumentError(msg("camt.entry_no_amount"), source=self.source, line=line, path=where)
        entry_amount, entry_ccy = amt
        indicator = _text(flat, "CdtDbtInd")
        if indicator not in ("CRDT", "DBIT"):
            raise DocumentError(msg("camt.bad_indicator", value=indicator), source=self.source,
                                line=line, path=where + "/CdtDbtInd")  # fmt: skip
        entry_credit = indicator == "CRDT"
        signed = entry_amount if entry_credit else -entry_amount
        status = _text(flat, "Sts/Cd", "Sts")
        common = {
            "booking": _date(_text(flat, "BookgDt/Dt", "BookgDt/DtTm")),
            "value": _date(_text(flat, "ValDt/Dt", "ValDt/DtTm")),
            "reversal": (_text(flat, "RvslInd") or "").lower() in ("true", "1"),
            # NtryRef is only a sequence number inside one message, so it is not used for keys.
            "entry_ref": _text(flat, "AcctSvcrRef"),
            "status": status,
            "account": account,
            "entry": entry_id,
        }
        entry_code = self._bank_code(flat)
        entry_text = _text(flat, "AddtlNtryInf")
        ntry_dtls, tx_dtls = self._p("NtryDtls"), self._p("TxDtls")
        details = [tx for dtls in entry.iterchildren(ntry_dtls) for tx in dtls.iterchildren(tx_dtls)]
        booked = status in (None, "BOOK")
        if not details:
            payment = self._make(
                None, amount=signed, currency=entry_ccy, position=0, code=entry_code, text=entry_text,
                credit=entry_credit, line=line, detail=self._detail_amounts(flat, where, entry=True), **common,
            )  # fmt: skip
            return [payment], entry_amount, signed, booked
        if len(details) > 1:
            self._check_batches(entry, where, len(details))
        flats = [self._flatten(tx) for tx in details]
        batch = len(details) > 1
        amounts: list[tuple[Decimal, str] | None] = []
        #: charges booked inside this entry, as their own items: per transaction position (0: the batch)
        items: dict[int, tuple[Decimal, Decimal, str, int | None]] = {}
        if batch:
            # Split a batch only by amounts in the account currency (TxDtls/Amt, 001.02: AmtDtls/TxAmt);
            # InstdAmt or a foreign-currency amount is not what the account was booked with.
            for number, tx_flat in enumerate(flats, start=1):
                tx_where = f"{where}/NtryDtls/TxDtls[{number}]"
                found = None
                for path in ("Amt", "AmtDtls/TxAmt/Amt"):
                    candidate = self._amount(tx_flat.get(path), f"{tx_where}/{path}")  # type: ignore[arg-type]
                    if candidate is not None and candidate[1] in ("", entry_ccy):
                        found = candidate
                        break
                if found is None:
                    raise DocumentError(
                        msg("camt.batch_detail_no_amount", currency=entry_ccy),
                        source=self.source, line=details[number - 1].sourceline or line, path=tx_where,
                    )  # fmt: skip
                amounts.append(found)
            details_signed = Decimal(0)  # as the details affect the account: credits +, debits -
            for tx_flat, tx_amt in zip(flats, amounts, strict=True):
                tx_credit = (_text(tx_flat, "CdtDbtInd") or indicator) == "CRDT"
                details_signed += tx_amt[0] if tx_credit else -tx_amt[0]  # type: ignore[index]
            tx_charges = [
                self._charge_effect(tx, f"{where}/NtryDtls/TxDtls[{number}]")
                for number, tx in enumerate(details, start=1)
            ]
            items = self._batch_charges(
                entry, where, signed, entry_ccy, details_signed, tx_charges=tx_charges,
                state=(booked, status, common["entry_ref"]),  # type: ignore[arg-type]
            )  # fmt: skip
        else:
            # One transaction: the booked entry amount is the payment, whatever else the details say.
            amounts.append((entry_amount, entry_ccy))
        payments = []
        for position, (tx, tx_flat, tx_amt) in enumerate(zip(details, flats, amounts, strict=True), start=1):
            amount = tx_amt[0]  # type: ignore[index]
            tx_indicator = _text(tx_flat, "CdtDbtInd") if batch else None
            credit = entry_credit if tx_indicator is None else tx_indicator == "CRDT"
            detail_extra = self._detail_amounts(tx_flat, where + f"/NtryDtls/TxDtls[{position}]")
            if not batch:
                # The entry's own charges count for its only transaction when the details give none.
                detail_extra.setdefault("_charges", self._charges(flat, where))  # type: ignore[arg-type]
            payments.append(self._make(
                tx_flat, amount=amount if credit else -amount, currency=entry_ccy, position=position,
                code=self._bank_code(tx_flat) or entry_code, text=entry_text, credit=credit,
                line=tx.sourceline or line, detail=detail_extra, **common,
            ))  # fmt: skip
            if position in items:
                payments.append(self._charges_item(
                    items[position], position, payments[-1], entry_code=entry_code, entry_ccy=entry_ccy,
                    common=common,
                ))  # fmt: skip
        if 0 in items:
            payments.append(
                self._charges_item(items[0], 0, None, entry_code=entry_code, entry_ccy=entry_ccy, common=common)
            )
        return payments, entry_amount, signed, booked

    def _charge_effect(self, owner: etree._Element, where: str) -> tuple[Decimal, Decimal, str, int | None] | None:
        """The ``Chrgs`` directly under an entry or a TxDtls: (total, effect on the account, currency, line).

        The total is ``TtlChrgsAndTaxAmt`` (charges and their taxes; summed over 001.02's repeated
        ``Chrgs``) or else the sum of the records (001.04+ ``Rcrd/Amt``, 001.02 ``Chrgs/Amt``). The
        effect is that total signed as the charges move the account: by the records' ``CdtDbtInd``
        (a refund is CRDT), a debit where none is given. None when there are no charges.
        """
        blocks = list(owner.iterchildren(self._p("Chrgs")))
        if not blocks:
            return None
        records = [rec for block in blocks for rec in block.iterchildren(self._p("Rcrd"))] or blocks
        effect, currency, line = Decimal(0), "", blocks[0].sourceline
        for record in records:
            amt = self._amount(record.find(self._p("Amt")), where + "/Chrgs/Amt")
            if amt is None:
                continue
            currency = currency or amt[1]
            effect += amt[0] if record.findtext(self._p("CdtDbtInd")) == "CRDT" else -amt[0]
        # TtlChrgsAndTaxAmt (one per Chrgs) includes the taxes on the charges: what the account is charged
        totals = [self._amount(block.find(self._p("TtlChrgsAndTaxAmt")), where + "/Chrgs/TtlChrgsAndTaxAmt")
                  for block in blocks]  # fmt: skip
        if any(totals):
            total = sum((found[0] for found in totals if found), Decimal(0))
            currency = currency or next(found[1] for found in totals if found)
            return total, (total if effect > 0 else -total), currency, line
        return abs(effect), effect, currency, line

    def _batch_charges(
        self, entry: etree._Element, where: str, entry_signed: Decimal, entry_ccy: str, details_signed: Decimal, *,
        tx_charges: list[tuple[Decimal, Decimal, str, int | None] | None],
        state: tuple[bool, str | None, str | None],
    ) -> dict[int, tuple[Decimal, Decimal, str, int | None]]:
        """Reconcile a batch with its charges; the charges to book as their own items (see the module doc).

        * The details add up to the entry: the charges (if any) were not taken from this entry; per
          transaction they stay on their payment (``Payment.charges``), for the batch they are listed
          in ``FileSummary.batch_charges`` (booked elsewhere, not an amount of this entry).
        * The details plus the charges add up to the entry: the bank took the charges from it. They
          become items of their own (``Payment.is_charges``, a debit), one per transaction that has
          charges, or one for the batch, so the payments of the entry add up to what was booked and
          each payment keeps the amount the payer sent (what matches the invoice).
        * Anything else is refused, naming the entry amount, the details and the charges.

        Charges given both for the batch and per transaction are the same charges when the totals
        agree (counted once, per transaction); when they do not, the file is refused.
        """
        booked, status, entry_ref = state
        batch_charges = self._charge_effect(entry, where)
        per_tx = {position: found for position, found in enumerate(tx_charges, start=1) if found is not None}
        if batch_charges is not None and per_tx:
            per_tx_total = sum((found[0] for found in per_tx.values()), Decimal(0))
            if per_tx_total != batch_charges[0]:
                raise FileTotalsError(
                    msg("camt.charges_mismatch", entry=batch_charges[0], details=per_tx_total),
                    source=self.source, line=batch_charges[3] or entry.sourceline, path=where + "/Chrgs",
                )  # fmt: skip
            batch_charges = None  # the same charges, reported once more for the whole batch
        found: dict[int, tuple[Decimal, Decimal, str, int | None]] = dict(per_tx)
        if batch_charges is not None:
            found[0] = batch_charges
        if details_signed == entry_signed:
            if 0 in found:
                total, _effect, currency, _line = found[0]
                self.summary.batch_charges.append({
                    "entry": where, "entry_ref": entry_ref, "amount": f"{total}", "currency": currency or entry_ccy,
                    "in_entry_amount": False, "booked": booked, "status": status,
                })  # fmt: skip
            return {}
        charges_effect = sum((item[1] for item in found.values()), Decimal(0))
        same_currency = all(item[2] in ("", entry_ccy) for item in found.values())
        if found and same_currency and details_signed + charges_effect == entry_signed:
            if 0 in found:
                total, _effect, currency, _line = found[0]
                self.summary.batch_charges.append({
                    "entry": where, "entry_ref": entry_ref, "amount": f"{total}", "currency": currency or entry_ccy,
                    "in_entry_amount": True, "booked": booked, "status": status,
                })  # fmt: skip
            return found
        problem = msg("camt.entry_sum_mismatch", entry=entry_signed, details=details_signed)
        if found:
            problem = msg(
                "camt.entry_sum_mismatch_charges", entry=entry_signed, details=details_signed,
                other=msg("camt.other_currency") if not same_currency else "", charges=charges_effect,
            )  # fmt: skip
        raise FileTotalsError(
            problem,
            source=self.source, line=entry.sourceline, path=where,
        )  # fmt: skip

    def _charges_item(
        self, charges: tuple[Decimal, Decimal, str, int | None], position: int, payment: Payment | None, *,
        entry_code: str | None, entry_ccy: str, common: dict[str, object],
    ) -> Payment:  # fmt: skip
        """A batch's (``position`` 0) or one transaction's charges, booked inside the entry, as an item."""
        total, effect, currency, line = charges
        if payment is None:
            text = "Bank charges for the batch"
        else:
            text = f"Bank charges for the payment of {abs(payment.amount)} ({payment.bank_reference or position})"
        detail: dict[str, object] = {"_charges": (total, currency)}
        if payment is not None:
            detail["charges_for"] = payment.key
        return self._make(
            None, amount=effect, currency=entry_ccy, position=f"charges-{position}", code=entry_code, text=text,
            credit=effect >= 0, line=line, detail=detail, is_charges=True, **common,  # type: ignore[arg-type]
        )  # fmt: skip

    def _detail_amounts(self, tx_flat: _Flat, where: str, *, entry: bool = False) -> dict[str, object]:
        """Other amounts the transaction details (or an entry's ``AmtDtls``) name, and the charges."""
        found: dict[str, object] = {}
        for path, name in _DETAIL_AMOUNTS[1:] if entry else _DETAIL_AMOUNTS:
            amt = self._amount(tx_flat.get(path), f"{where}/{path}")  # type: ignore[arg-type]
            if amt is not None:
                found[f"{name}_amount"] = f"{amt[0]}"
                if amt[1]:
                    found[f"{name}_currency"] = amt[1]
        rate = _text(tx_flat, "AmtDtls/InstdAmt/CcyXchg/XchgRate", "AmtDtls/TxAmt/CcyXchg/XchgRate")
        if rate:
            found["exchange_rate"] = rate
        charges = self._charges(tx_flat, where)
        if charges is not None:
            found["_charges"] = charges
        return found

    def _charges(self, flat: _Flat, where: str) -> tuple[Decimal, str] | None:
        """``Chrgs``: the total (001.04+ ``TtlChrgsAndTaxAmt``) or the sum of its records (001.02 ``Chrgs/Amt``)."""
        total = self._amount(flat.get("Chrgs/TtlChrgsAndTaxAmt"), where + "/Chrgs/TtlChrgsAndTaxAmt")  # type: ignore[arg-type]
        if total is not None:
            return total
        for path in ("Chrgs/Rcrd/Amt", "Chrgs/Amt"):
            many = flat.get(path + "*")
            elems = many if many is not None else ([flat[path]] if path in flat else [])
            if elems:
                amounts = [self._amount(e, f"{where}/{path}") for e in elems]  # type: ignore[arg-type]
                return sum((a[0] for a in amounts if a), Decimal(0)), amounts[0][1] if amounts[0] else ""
        return None

    def _unique(self, key: str) -> str:
        """Tell apart identical transactions near each other in one file (same refs, same amount).

        The n-th repeat gets a key derived from the first and n, so a re-sent file gives the same keys.
        Only the last ``_RECENT`` keys are remembered, to keep memory flat on large files.
        """
        recent = self._recent
        seen = recent.get(key, 0)
        recent[key] = seen + 1
        recent.move_to_end(key)
        if len(recent) > _RECENT:
            recent.popitem(last=False)
        return key if seen == 0 else make_key("camt", key, seen)

    def _check_batches(self, entry: etree._Element, where: str, n_details: int) -> None:
        declared_total = 0
        for batch in entry.iterfind(self._p("NtryDtls/Btch/NbOfTxs")):
            try:
                declared_total += int(batch.text or "")
            except ValueError:
                return
        # Only called with several TxDtls: one TxDtls under a batch of many is a lump-sum summary
        # (statements do that), not a broken batch.
        if declared_total and declared_total != n_details:
            raise FileTotalsError(
                msg("camt.batch_count_mismatch", declared=declared_total, counted=n_details),
                source=self.source, line=entry.sourceline, path=where + "/NtryDtls/Btch/NbOfTxs",
            )  # fmt: skip

    def _make(
        self, tx: _Flat | None, *, account: str, amount: Decimal, currency: str,
        entry_ref: str | None, position: int | str, booking: datetime.date | None, value: datetime.date | None,
        reversal: bool, code: str | None, status: str | None, text: str | None, credit: bool, line: int | None,
        detail: dict[str, object] | None = None, is_charges: bool = False, entry: str | None = None,
    ) -> Payment:  # fmt: skip
        kid = reference = e2e = tx_ref = payer_name = payer_account = None
        is_return = False
        detail = dict(detail or {})
        charges = detail.pop("_charges", None)
        extra: dict[str, str] = {name: str(value) for name, value in detail.items()}
        if tx is not None:
            txt = _text
            tx_ref = txt(tx, "Refs/AcctSvcrRef")
            e2e = txt(tx, "Refs/EndToEndId")
            if e2e and e2e.upper() == "NOTPROVIDED":
                e2e = None
            refs = tx.get("RmtInf/Strd/CdtrRefInf*")
            if refs is None and "RmtInf/Strd/CdtrRefInf" in tx:
                # The common case, one structured reference: read it from the map we have.
                ref = txt(tx, "RmtInf/Strd/CdtrRefInf/Ref")
                if ref:
                    reference = ref
                    if txt(tx, "RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd") in (None, "SCOR") and _is_kid(ref):
                        kid = ref
            elif refs:
                # Several Strd blocks (one payment for several invoices): the first KID wins; the
                # others stay in the file and are listed in ``extra['references']``.
                all_refs = []
                for ref_elem in refs:  # type: ignore[union-attr]
                    ref_flat = self._flatten(ref_elem)
                    ref = txt(ref_flat, "Ref")
                    if not ref:
                        continue
                    all_refs.append(ref)
                    if reference is None:
                        reference = ref
                    if kid is None and txt(ref_flat, "Tp/CdOrPrtry/Cd") in (None, "SCOR") and _is_kid(ref):
                        kid = ref
                if len(all_refs) > 1:
                    extra["references"] = " ".join(all_refs)
            ustrd = tx.get("RmtInf/Ustrd*")
            if ustrd is None and "RmtInf/Ustrd" in tx:
                ustrd = [tx["RmtInf/Ustrd"]]  # type: ignore[list-item]
            if ustrd:
                texts = [u.text.strip() for u in ustrd if u.text and u.text.strip()]
                if texts:
                    text = " ".join(texts)
            name_path, pty_name_path, iban_path, other_path = _PARTY_PATHS[credit]
            payer_name = txt(tx, name_path, pty_name_path)
            payer_account = txt(tx, iban_path, other_path)
            if "RtrInf" in tx:
                is_return = True
                reason = txt(tx, "RtrInf/Rsn/Cd", "RtrInf/Rsn/Prtry")
                if reason:
                    extra["return_reason"] = reason
                info = txt(tx, "RtrInf/AddtlInf")
                if info:
                    extra["return_info"] = info
            for name, path in (("TxId", "Refs/TxId"), ("InstrId", "Refs/InstrId")):
                found = txt(tx, path)
                if found:
                    extra[name] = found
        if code and code.rpartition("/")[2] in _RETURN_SUBFAMILIES:
            is_return = True
        if tx_ref:
            key = make_key("camt", account, tx_ref, amount, e2e)
        elif entry_ref:
            # Batch details without their own reference: the bank's entry reference and the position
            # inside the entry, both repeated as-is when the bank re-sends the message.
            key = make_key("camt", account, entry_ref, position, amount, e2e)
        else:
            key = make_key(
                "camt", account, booking, value, amount, currency, kid, reference, e2e, text, payer_account, payer_name
            )
        payment = Payment(
            amount=amount, currency=currency, kid=kid, key=self._unique(key), reference=reference, text=text,
            booking_date=booking, value_date=value, payer_name=payer_name, payer_account=payer_account,
            bank_reference=tx_ref or entry_ref, end_to_end_id=e2e, transaction_type=code, is_reversal=reversal,
            is_return=is_return, account=account, status=status, line=line, extra=extra,
            charges=charges[0] if charges else None, charges_currency=(charges[1] or currency) if charges else None,
            is_charges=is_charges, entry=entry,
        )  # fmt: skip
        self.summary.add(payment)
        return payment

    def _header(self, container: etree._Element, index: int) -> _Header:
        """What a statement/notification says before its entries: account, declared totals, balances."""
        p = self._p
        where = f"/Document/{_local(container.tag)}[{index}]"
        header = _Header(self._container_account(container, index), where)
        if header.account not in self.summary.accounts:
            self.summary.accounts.append(header.account)
        totals = container.find(p("TxsSummry/TtlNtries"))
        if totals is not None:
            header.totals_line = totals.sourceline
            count_text = totals.findtext(p("NbOfNtries"))
            sum_text = totals.findtext(p("Sum"))
            try:
                header.declared_count = int(count_text) if count_text is not None else None
                if sum_text is not None and not _DECIMAL.fullmatch(sum_text.strip()):
                    raise InvalidOperation(sum_text)
                header.declared_sum = Decimal(sum_text) if sum_text is not None else None
            except (ValueError, InvalidOperation):
                raise DocumentError(msg("camt.totals_not_number"), source=self.source,
                                    line=totals.sourceline, path=where + "/TxsSummry") from None  # fmt: skip
        for bal in container.iterfind(p("Bal")):
            code = bal.findtext(p("Tp/CdOrPrtry/Cd"))
            amt = self._amount(bal.find(p("Amt")), where + "/Bal")
            if amt is None:
                continue
            signed = amt[0] if bal.findtext(p("CdtDbtInd")) != "DBIT" else -amt[0]
            if code in ("OPBD", "PRCD") and header.opening is None:
                header.opening = signed
            elif code == "CLBD":
                header.closing = signed
                header.balance_line = bal.sourceline
        return header

    def _check_container(
        self, header: _Header, counts: tuple[int, int], sums: tuple[Decimal, Decimal], booked_net: Decimal
    ) -> None:
        """Check TxsSummry against all entries, or against the booked ones only (banks differ on pending ones)."""
        summary = self.summary
        where = header.where
        n_entries, gross = counts[0], sums[0]
        if header.declared_count is not None and header.declared_sum is not None and (
            header.declared_count, header.declared_sum
        ) == (counts[1], sums[1]):
            n_entries, gross = counts[1], sums[1]
        elif header.declared_count == counts[1] and header.declared_sum is None:
            n_entries = counts[1]
        elif header.declared_sum == sums[1] and header.declared_count is None:
            gross = sums[1]
        if header.declared_count is not None:
            summary.declared_count = (summary.declared_count or 0) + header.declared_count
            if header.declared_count != n_entries:
                raise FileTotalsError(
                    msg("camt.count_mismatch", declared=header.declared_count, counted=n_entries),
                    source=self.source, line=header.totals_line, path=where + "/TxsSummry/TtlNtries/NbOfNtries",
                )  # fmt: skip
        if header.declared_sum is not None:
            summary.declared_total = (summary.declared_total or Decimal(0)) + header.declared_sum
            if header.declared_sum != gross:
                raise FileTotalsError(
                    msg("camt.sum_mismatch", declared=header.declared_sum, counted=gross),
                    source=self.source, line=header.totals_line, path=where + "/TxsSummry/TtlNtries/Sum",
                )  # fmt: skip
        if header.opening is not None and summary.opening_balance is None:
            summary.opening_balance = header.opening
        if header.closing is not None:
            summary.closing_balance = header.closing
        if header.opening is not None and header.closing is not None and header.opening + booked_net != header.closing:
            # Not refused: many real statements (and the samples in the corpora) report balances that
            # include items not listed as entries. The difference is kept for people to see.
            self.balance_differences.append((where, header.opening + booked_net - header.closing))


class _Header:
    __slots__ = ("account", "balance_line", "closing", "declared_count", "declared_sum", "opening", "totals_line",
                 "where")  # fmt: skip

    def __init__(self, account: str, where: str) -> None:
        self.account = account
        self.where = where
        self.declared_count: int | None = None
        self.declared_sum: Decimal | None = None
        self.totals_line: int | None = None
        self.opening: Decimal | None = None
        self.closing: Decimal | None = None
        self.balance_line: int | None = None


def read_camt(stream: IO[bytes], source: str | None = None) -> tuple[list[Payment], FileSummary]:
    """All payments of a camt file, returned only once every check has passed."""
    reader = CamtReader(stream, source)
    payments = list(reader.payments())
    return payments, reader.summary
