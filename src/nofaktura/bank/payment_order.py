"""Outgoing payments: the payment order a company sends its bank, before it becomes a pain.001 file.

Why a model of its own: the Odoo addon (vendor bill payments), the CLI (an order as JSON) and the
tests should build the same checked object, and the writer (:mod:`nofaktura.bank.pain001`) should
never have to decide whether a KID or an account number is right. Objects are **checked when they
are made**: an invalid :class:`CreditTransfer` or :class:`PaymentOrder` cannot exist, and the
:class:`~nofaktura.exceptions.PaymentOrderError` raised names the transfer (end-to-end id, position)
and the field, so an addon can point at the payment at fault.

What is checked (sources: ISO 20022 pain.001.001.03/09 XSD limits, CGI-MP as used by the BSK
implementation guide and the Nordic bank MIGs, norway.md §4):

* ids (message, end-to-end, instruction) are 1–35 printable ASCII characters, unique in the order;
* amounts are ``Decimal`` > 0 with at most the currency's minor units (2; 0 for JPY, ISK …);
* accounts are an IBAN (checked) or a Norwegian account number of exactly 11 digits (MOD11),
  written as BBAN (``Othr/Id`` + ``SchmeNm/Cd = BBAN``);
* a KID is checked with :func:`nofaktura.kid.validate` (MOD10 or MOD11, whichever it carries) and
  only allowed on a domestic NOK payment to a Norwegian account — KID is a Norwegian clearing
  reference; the remittance is EITHER a KID, OR one free text (≤ 140 characters), OR invoice
  references (invoice numbers with amounts, credit notes subtracted, adding up to the amount);
* texts use only ISO-8859-1 characters (Nordea: "UTF-8 using only ISO-8859-1 characters") and no
  control characters, and fit the XSD lengths (names 140, street 70, town 35 …).

How transfers are grouped into payment-information blocks (``PmtInf``): by requested execution
date, debtor account, currency, payment kind and category purpose — the values ``PmtInf`` carries
once for all its transfers. Blocks and transfers keep the order in which transfers were given, and
block ids are ``<message id>-<n>``, so the same order always gives the same file and the same ids
(an addon can recompute them instead of storing them).

Payment kind (decides ``PmtTpInf``): ``domestic`` = NOK to a Norwegian account (service level
``NURG``, never ``SEPA``); ``sepa`` = EUR to an IBAN of a SEPA country (``SEPA``, charges ``SLEV``);
``international`` = anything else (no service level; charges ``SHAR`` unless the order says
otherwise; the creditor's country is required).

>>> order = PaymentOrder(
...     message_id="PAY-1", debtor_name="Leverandør AS", debtor_account="8601 11 17947",
...     execution_date=datetime.date(2026, 12, 1),
...     transfers=[CreditTransfer(end_to_end_id="E1", amount=Decimal("100.50"),
...                               creditor_name="Kraft AS", creditor_account="1503.56.84279",
...                               kid="123456785")])
>>> [(b.payment_info_id, b.kind.value, b.control_sum) for b in order.batches()]
[('PAY-1-1', 'domestic', Decimal('100.50'))]
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from nofaktura import kid as kid_module
from nofaktura.exceptions import PaymentOrderError, ValidationError
from nofaktura.identifiers import validate_account_number, validate_iban, validate_orgnr
from nofaktura.messages import msg

__all__ = [
    "SEPA_COUNTRIES",
    "Account",
    "AccountKind",
    "CreditTransfer",
    "InvoiceReference",
    "PaymentBatch",
    "PaymentKind",
    "PaymentOrder",
    "PostalAddress",
    "order_from_dict",
    "parse_account",
]

#: IBAN country codes of the SEPA scheme (EPC list; territories use their parent's code).
SEPA_COUNTRIES = frozenset({
    "AD", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GI", "GR", "HR", "HU", "IE",
    "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "SM", "VA",
})  # fmt: skip
#: Currencies without minor units (ISO 4217 exponent 0) that a Norwegian company may pay in.
_ZERO_DECIMAL = frozenset({"JPY", "ISK", "KRW", "CLP", "VND", "XOF", "XAF", "XPF", "UGX", "PYG"})
#: ChargeBearerType1Code.
_CHARGE_BEARERS = frozenset({"DEBT", "CRED", "SHAR", "SLEV"})
#: ISO 20022 limits used below (XSD Max35Text, Max140Text …).
_ID_MAX = 35
_NAME_MAX = 140
_TEXT_MAX = 140
_MAX_DIGITS = 18  # ActiveOrHistoricCurrencyAndAmount / DecimalNumber: totalDigits 18

_ID_RE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?\Z")
_CURRENCY_RE = re.compile(r"[A-Z]{3}\Z")
_COUNTRY_RE = re.compile(r"[A-Z]{2}\Z")
_CODE_RE = re.compile(r"[A-Z0-9]{1,4}\Z")
# BICIdentifier / BICFIIdentifier pattern of the pain.001 XSDs.
_BIC_RE = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9](?:[A-Z0-9]{3})?\Z")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_REGULATORY_CODE_RE = re.compile(r"[A-Za-z0-9]{1,10}\Z")
_REGULATORY_TEXT_MAX = 35


class AccountKind(str, Enum):
    """How an account is written in the file."""

    #: ``Id/IBAN``.
    IBAN = "IBAN"
    #: ``Id/Othr/Id`` with ``SchmeNm/Cd = BBAN``: a Norwegian 11-digit account number.
    BBAN = "BBAN"


class PaymentKind(str, Enum):
    """Which payment type a transfer is; decides ``PmtTpInf`` and the checks that apply."""

    #: NOK to a Norwegian account: service level NURG, KID allowed.
    DOMESTIC = "domestic"
    #: EUR to an IBAN in a SEPA country: service level SEPA, charge bearer SLEV.
    SEPA = "sepa"
    #: Everything else (cross-border or foreign currency).
    INTERNATIONAL = "international"


@dataclass(frozen=True)
class Account:
    """A checked, compact account number and how it is written."""

    number: str
    kind: AccountKind

    @property
    def country(self) -> str:
        return "NO" if self.kind is AccountKind.BBAN else self.number[:2]

    @property
    def is_norwegian(self) -> bool:
        return self.country == "NO"

    def __str__(self) -> str:
        return self.number


def parse_account(text: str) -> Account:
    """An IBAN (any country, checked) or a Norwegian account number (11 digits, MOD11).

    Raises :class:`~nofaktura.exceptions.ValidationError` subclasses (``InvalidLength`` for a
    Norwegian number that is not 11 digits).
    """
    if not isinstance(text, str):
        raise ValidationError(f"Account number {text!r}: expected text.")
    compact = re.sub(r"[\s.\-]", "", text).upper()
    if compact[:2].isalpha():
        return Account(validate_iban(compact), AccountKind.IBAN)
    return Account(validate_account_number(compact), AccountKind.BBAN)


# -- small checking helpers ---------------------------------------------------------------------------


def _err(message: str, transfer: str | None, field_name: str) -> PaymentOrderError:
    return PaymentOrderError(message, transfer=transfer, field=field_name)


def _check_id(value: object, name: str, transfer: str | None) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value) or len(value) > _ID_MAX:
        raise _err(
            f"{value!r} is not an id of 1–{_ID_MAX} printable ASCII characters without leading/trailing spaces",
            transfer, name,
        )  # fmt: skip
    return value


def _check_text(
    value: object, name: str, transfer: str | None, max_length: int, *, required: bool = False
) -> str | None:
    if value is None:
        if required:
            raise _err(msg("pay.required"), transfer, name)
        return None
    if not isinstance(value, str):
        raise _err(msg("pay.expected_text", got=type(value).__name__), transfer, name)
    if not value.strip():
        raise _err(msg("pay.empty"), transfer, name)
    if len(value) > max_length:
        raise _err(msg("pay.too_long", length=len(value), limit=max_length), transfer, name)
    if _CONTROL_RE.search(value):
        raise _err(msg("pay.control_chars", value=value), transfer, name)
    try:
        value.encode("iso-8859-1")
    except UnicodeEncodeError as exc:
        bad = value[exc.start : exc.end]
        raise _err(
            msg("pay.not_latin1", value=value, bad=bad),
            transfer, name,
        ) from None  # fmt: skip
    return value


def _check_bic(value: object, name: str, transfer: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _BIC_RE.match(value.replace(" ", "").upper()):
        raise _err(msg("pay.not_bic", value=value), transfer, name)
    return value.replace(" ", "").upper()


def _check_account(value: object, name: str, transfer: str | None) -> Account:
    try:
        # An Account made by hand is checked again: only parse_account decides what an account is.
        return parse_account(value.number if isinstance(value, Account) else value)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise _err(exc.message, transfer, name) from exc


def _check_amount(value: object, currency: str, name: str, transfer: str | None) -> Decimal:
    if isinstance(value, (float, bool)) or not isinstance(value, (Decimal, int, str)):
        raise _err(f"{value!r} is not an exact amount: pass a Decimal, int or str (never a float)", transfer, name)
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise _err(f"{value!r} is not an amount", transfer, name) from None
    if not amount.is_finite():
        raise _err(f"{value!r} is not an amount", transfer, name)
    if amount <= 0:
        raise _err(msg("pay.not_positive", amount=amount), transfer, name)
    places = 0 if currency in _ZERO_DECIMAL else 2
    if amount.adjusted() + 1 + places > _MAX_DIGITS:
        raise _err(f"{amount} has more than {_MAX_DIGITS} digits", transfer, name)
    quantized = amount.quantize(Decimal(1).scaleb(-places))
    if quantized != amount:
        raise _err(msg("pay.decimals", amount=amount, currency=currency, places=places), transfer, name)
    amount = quantized
    return amount


def _check_date(value: object, name: str, transfer: str | None) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise _err(f"{value!r} is not a date (datetime.date)", transfer, name)
    return value


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


# -- the model ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostalAddress:
    """A postal address as ISO 20022 ``PstlAdr`` holds it (structured, with optional free lines)."""

    country: str | None = None
    street: str | None = None
    building_number: str | None = None
    postcode: str | None = None
    town: str | None = None
    #: Free address lines (``AdrLine``), at most 7 of 70 characters.
    lines: tuple[str, ...] = ()

    def checked(self, transfer: str | None, prefix: str) -> PostalAddress:
        """Return the address checked against the XSD limits (errors name ``prefix``.field)."""
        if self.country is not None and (not isinstance(self.country, str) or not _COUNTRY_RE.match(self.country)):
            raise _err(msg("pay.country_code", value=self.country), transfer, f"{prefix}.country")
        _check_text(self.street, f"{prefix}.street", transfer, 70)
        _check_text(self.building_number, f"{prefix}.building_number", transfer, 16)
        _check_text(self.postcode, f"{prefix}.postcode", transfer, 16)
        _check_text(self.town, f"{prefix}.town", transfer, 35)
        if isinstance(self.lines, str) or not isinstance(self.lines, (tuple, list)):
            raise _err("expected a list of address lines", transfer, f"{prefix}.lines")
        lines = tuple(self.lines)
        if len(lines) > 7:
            raise _err(f"has {len(lines)} address lines, at most 7 are allowed", transfer, f"{prefix}.lines")
        for number, line in enumerate(lines, start=1):
            _check_text(line, f"{prefix}.lines[{number}]", transfer, 70, required=True)
        if not any((self.country, self.street, self.building_number, self.postcode, self.town, lines)):
            raise _err(msg("pay.address_empty"), transfer, prefix)
        return PostalAddress(self.country, self.street, self.building_number, self.postcode, self.town, lines)


@dataclass(frozen=True)
class InvoiceReference:
    """One invoice (or credit note) a transfer pays: ``Strd/RfrdDocInf`` + ``RfrdDocAmt``.

    ``amount`` is the amount paid for the invoice (``RmtdAmt``) or, for a credit note, the amount
    deducted (``CdtNoteAmt``), both positive.
    """

    number: str
    amount: Decimal
    credit_note: bool = False
    date: datetime.date | None = None


@dataclass(frozen=True)
class CreditTransfer:
    """One payment to one creditor (``CdtTrfTxInf``). Checked when made."""

    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    #: IBAN or Norwegian 11-digit account number (spaces and dots allowed); becomes an :class:`Account`.
    creditor_account: Account | str
    currency: str = "NOK"
    instruction_id: str | None = None
    creditor_address: PostalAddress | None = None
    creditor_bic: str | None = None
    #: KID (structured creditor reference, ``SCOR``); excludes ``text`` and ``invoices``.
    kid: str | None = None
    #: Free text to the creditor (``Ustrd``), at most 140 characters.
    text: str | None = None
    invoices: tuple[InvoiceReference, ...] = ()
    #: Overrides of the order's defaults (a transfer on another day or from another account).
    execution_date: datetime.date | None = None
    debtor_account: Account | str | None = None
    #: ``CtgyPurp/Cd`` (SUPP supplier, SALA salary, INTC intra-company …); part of the grouping.
    category_purpose: str | None = None
    #: Norwegian regulatory reporting of a payment abroad (``RgltryRptg/Dtls/Cd``): the code of the
    #: payment's purpose from the currency register's list (e.g. ``14`` import/export of goods).
    regulatory_code: str | None = None
    #: What the payment is for, in words (``RgltryRptg/Dtls/Inf``, at most 35 characters).
    regulatory_text: str | None = None
    #: Set when checked: the payment type.
    kind: PaymentKind = field(init=False)

    def __post_init__(self) -> None:
        e2e = _check_id(self.end_to_end_id, "end_to_end_id", None)
        if self.instruction_id is not None:
            _check_id(self.instruction_id, "instruction_id", e2e)
        if not isinstance(self.currency, str) or not _CURRENCY_RE.match(self.currency):
            raise _err(msg("pay.currency", value=self.currency), e2e, "currency")
        _set(self, "amount", _check_amount(self.amount, self.currency, "amount", e2e))
        _check_text(self.creditor_name, "creditor_name", e2e, _NAME_MAX, required=True)
        account = _check_account(self.creditor_account, "creditor_account", e2e)
        _set(self, "creditor_account", account)
        _set(self, "creditor_bic", _check_bic(self.creditor_bic, "creditor_bic", e2e))
        if self.creditor_address is not None:
            if not isinstance(self.creditor_address, PostalAddress):
                raise _err("expected a PostalAddress", e2e, "creditor_address")
            _set(self, "creditor_address", self.creditor_address.checked(e2e, "creditor_address"))
        if self.execution_date is not None:
            _check_date(self.execution_date, "execution_date", e2e)
        if self.debtor_account is not None:
            _set(self, "debtor_account", _check_account(self.debtor_account, "debtor_account", e2e))
        if self.category_purpose is not None and (
            not isinstance(self.category_purpose, str) or not _CODE_RE.match(self.category_purpose)
        ):
            raise _err(f"{self.category_purpose!r} is not a category purpose code (SUPP, SALA …)", e2e,
                       "category_purpose")  # fmt: skip

        if self.currency == "NOK" and account.is_norwegian:
            kind = PaymentKind.DOMESTIC
        elif self.currency == "EUR" and account.kind is AccountKind.IBAN and account.country in SEPA_COUNTRIES:
            kind = PaymentKind.SEPA
        else:
            kind = PaymentKind.INTERNATIONAL
        _set(self, "kind", kind)
        if kind is PaymentKind.INTERNATIONAL and (self.creditor_address is None or not self.creditor_address.country):
            raise _err(msg("pay.needs_country"), e2e, "creditor_address")
        self._check_remittance(e2e, kind)
        self._check_regulatory(e2e)

    def _check_regulatory(self, e2e: str) -> None:
        if self.regulatory_code is None and self.regulatory_text is None:
            return
        if self.creditor.is_norwegian:
            raise _err("regulatory reporting is only for payments to accounts abroad", e2e, "regulatory_code")
        if not isinstance(self.regulatory_code, str) or not _REGULATORY_CODE_RE.match(self.regulatory_code):
            raise _err(f"{self.regulatory_code!r} is not a reporting code of 1–10 letters or digits", e2e,
                       "regulatory_code")  # fmt: skip
        _check_text(self.regulatory_text, "regulatory_text", e2e, _REGULATORY_TEXT_MAX, required=True)

    @property
    def needs_regulatory_reporting(self) -> bool:
        """True for a payment to an account abroad: Norway's currency register needs code and text."""
        return not self.creditor.is_norwegian

    def _check_remittance(self, e2e: str, kind: PaymentKind) -> None:
        if not isinstance(self.invoices, (tuple, list)):
            raise _err("expected a list of InvoiceReference", e2e, "invoices")
        invoices = tuple(self.invoices)
        _set(self, "invoices", invoices)
        given = [name for name, value in (("kid", self.kid), ("text", self.text), ("invoices", invoices)) if value]
        if len(given) > 1:
            raise _err(f"give either a KID, a free text or invoice references, not {' and '.join(given)}", e2e,
                       given[1])  # fmt: skip
        if self.kid is not None:
            if kind is not PaymentKind.DOMESTIC:
                raise _err(msg("pay.kid_domestic"), e2e, "kid")
            try:
                _set(self, "kid", kid_module.validate(self.kid))
            except ValidationError as exc:
                raise _err(exc.message, e2e, "kid") from exc
        _check_text(self.text, "text", e2e, _TEXT_MAX)
        if invoices:
            total = Decimal(0)
            checked = []
            for number, ref in enumerate(invoices, start=1):
                name = f"invoices[{number}]"
                if not isinstance(ref, InvoiceReference):
                    raise _err("expected an InvoiceReference", e2e, name)
                _check_text(ref.number, f"{name}.number", e2e, _ID_MAX, required=True)
                amount = _check_amount(ref.amount, self.currency, f"{name}.amount", e2e)
                if ref.date is not None:
                    _check_date(ref.date, f"{name}.date", e2e)
                total += -amount if ref.credit_note else amount
                checked.append(InvoiceReference(ref.number, amount, bool(ref.credit_note), ref.date))
            if total != self.amount:
                raise _err(msg("pay.references_sum", total=total, amount=self.amount), e2e, "invoices")
            _set(self, "invoices", tuple(checked))

    @property
    def creditor(self) -> Account:
        return self.creditor_account  # type: ignore[return-value]


@dataclass(frozen=True)
class PaymentBatch:
    """One ``PmtInf`` block: transfers sharing execution date, debtor account, currency and type."""

    payment_info_id: str
    execution_date: datetime.date
    debtor_account: Account
    currency: str
    kind: PaymentKind
    category_purpose: str | None
    charge_bearer: str | None
    transfers: tuple[CreditTransfer, ...]

    @property
    def number_of_transactions(self) -> int:
        return len(self.transfers)

    @property
    def control_sum(self) -> Decimal:
        return sum((t.amount for t in self.transfers), Decimal("0.00"))

    @property
    def service_level(self) -> str | None:
        """``SEPA`` for SEPA, ``NURG`` for domestic NOK, none for international payments."""
        return {PaymentKind.SEPA: "SEPA", PaymentKind.DOMESTIC: "NURG"}.get(self.kind)


@dataclass(frozen=True)
class PaymentOrder:
    """A message to the bank: who pays, from which account, when, and the credit transfers."""

    message_id: str
    debtor_name: str
    debtor_account: Account | str
    execution_date: datetime.date
    transfers: tuple[CreditTransfer, ...]
    #: Norwegian organisation number, written as ``OrgId/Othr`` with ``SchmeNm/Cd = CUST``.
    debtor_orgnr: str | None = None
    debtor_bic: str | None = None
    debtor_address: PostalAddress | None = None
    #: The bank's id of the customer agreement (Nordea "service code"), ``OrgId/Othr`` with ``SchmeNm/Cd = BANK``.
    bank_customer_id: str | None = None
    #: Name of the initiating party when it is not the debtor (an accounting office).
    initiating_party_name: str | None = None
    #: ``BtchBookg``: true = one booking per ``PmtInf`` on the debtor's statement.
    batch_booking: bool = True
    #: ``ChrgBr`` for domestic and international blocks (SEPA blocks are always ``SLEV``); ``None`` = not written.
    charge_bearer: str | None = None
    #: Norway: payments to accounts abroad must carry the currency register's code and text
    #: (``RgltryRptg``). True = refuse such a transfer without them (what a Norwegian payer sends).
    regulatory_reporting: bool = False

    def __post_init__(self) -> None:
        _check_id(self.message_id, "message_id", None)
        _check_text(self.debtor_name, "debtor_name", None, _NAME_MAX, required=True)
        _check_text(self.initiating_party_name, "initiating_party_name", None, _NAME_MAX)
        _set(self, "debtor_account", _check_account(self.debtor_account, "debtor_account", None))
        _check_date(self.execution_date, "execution_date", None)
        _set(self, "debtor_bic", _check_bic(self.debtor_bic, "debtor_bic", None))
        if self.debtor_orgnr is not None:
            try:
                _set(self, "debtor_orgnr", validate_orgnr(self.debtor_orgnr))
            except ValidationError as exc:
                raise _err(str(exc), None, "debtor_orgnr") from exc
        if self.bank_customer_id is not None:
            _check_id(self.bank_customer_id, "bank_customer_id", None)
        if self.debtor_address is not None:
            if not isinstance(self.debtor_address, PostalAddress):
                raise _err("expected a PostalAddress", None, "debtor_address")
            _set(self, "debtor_address", self.debtor_address.checked(None, "debtor_address"))
        if not isinstance(self.batch_booking, bool):
            raise _err(f"{self.batch_booking!r} is not true/false", None, "batch_booking")
        if self.charge_bearer is not None and self.charge_bearer not in _CHARGE_BEARERS:
            raise _err(f"{self.charge_bearer!r} is not one of {', '.join(sorted(_CHARGE_BEARERS))}", None,
                       "charge_bearer")  # fmt: skip
        transfers = tuple(self.transfers)
        _set(self, "transfers", transfers)
        if not transfers:
            raise _err(msg("pay.no_transfers"), None, "transfers")
        seen_e2e: dict[str, int] = {}
        seen_instr: dict[str, int] = {}
        for index, transfer in enumerate(transfers, start=1):
            if not isinstance(transfer, CreditTransfer):
                raise PaymentOrderError("expected a CreditTransfer", index=index, field="transfers")
            if transfer.end_to_end_id in seen_e2e:
                raise PaymentOrderError(
                    f"the end-to-end id is also used by transfer {seen_e2e[transfer.end_to_end_id]}; the bank's "
                    "status report is matched back by it, so it must be unique",
                    transfer=transfer.end_to_end_id, index=index, field="end_to_end_id",
                )
            seen_e2e[transfer.end_to_end_id] = index
            if self.regulatory_reporting and transfer.needs_regulatory_reporting and not transfer.regulatory_code:
                raise PaymentOrderError(
                    "a payment to an account abroad needs Norway's regulatory reporting code and text "
                    "(regulatory_code, regulatory_text)",
                    transfer=transfer.end_to_end_id, index=index, field="regulatory_code",
                )
            if transfer.instruction_id is not None:
                if transfer.instruction_id in seen_instr:
                    raise PaymentOrderError(
                        f"the instruction id is also used by transfer {seen_instr[transfer.instruction_id]}",
                        transfer=transfer.end_to_end_id, index=index, field="instruction_id",
                    )
                seen_instr[transfer.instruction_id] = index
        last_id = f"{self.message_id}-{len(self.batches())}"
        if len(last_id) > _ID_MAX:
            raise _err(f"payment-information ids '{last_id}' would be longer than {_ID_MAX} characters; "
                       "use a shorter message id", None, "message_id")  # fmt: skip

    @property
    def account(self) -> Account:
        return self.debtor_account  # type: ignore[return-value]

    @property
    def number_of_transactions(self) -> int:
        return len(self.transfers)

    @property
    def control_sum(self) -> Decimal:
        """Sum of all amounts, whatever their currency (as ISO 20022 ``GrpHdr/CtrlSum`` is defined)."""
        return sum((t.amount for t in self.transfers), Decimal("0.00"))

    def batches(self) -> list[PaymentBatch]:
        """The ``PmtInf`` blocks, in the order their first transfer appears; ids ``<message id>-<n>``."""
        groups: dict[tuple[Any, ...], list[CreditTransfer]] = {}
        for transfer in self.transfers:
            account = transfer.debtor_account or self.debtor_account
            key = (
                transfer.execution_date or self.execution_date, account, transfer.currency, transfer.kind,
                transfer.category_purpose,
            )  # fmt: skip
            groups.setdefault(key, []).append(transfer)
        batches = []
        for number, ((day, account, currency, kind, purpose), transfers) in enumerate(groups.items(), start=1):
            bearer = "SLEV" if kind is PaymentKind.SEPA else self.charge_bearer
            if kind is PaymentKind.INTERNATIONAL and bearer is None:
                bearer = "SHAR"
            batch_id = f"{self.message_id}-{number}"
            batches.append(PaymentBatch(batch_id, day, account, currency, kind, purpose, bearer, tuple(transfers)))
        return batches

    def batch_ids(self) -> dict[str, str]:
        """End-to-end id → payment-information id, to store beside each payment."""
        return {t.end_to_end_id: batch.payment_info_id for batch in self.batches() for t in batch.transfers}


# -- from JSON ----------------------------------------------------------------------------------------

_ORDER_KEYS = {"message_id", "created", "debtor", "execution_date", "batch_booking", "charge_bearer", "transfers",
               "initiating_party_name", "regulatory_reporting"}  # fmt: skip
_DEBTOR_KEYS = {"name", "orgnr", "account", "bic", "address", "bank_customer_id"}
_CREDITOR_KEYS = {"name", "account", "bic", "address"}
_ADDRESS_KEYS = {"country", "street", "building_number", "postcode", "town", "lines"}
_TRANSFER_KEYS = {"end_to_end_id", "instruction_id", "amount", "currency", "creditor", "kid", "text", "invoices",
                  "execution_date", "debtor_account", "category_purpose", "regulatory_code",
                  "regulatory_text"}  # fmt: skip
_INVOICE_KEYS = {"number", "amount", "credit_note", "date"}


def _mapping(value: object, keys: set[str], where: str, transfer: str | None = None,
             index: int | None = None) -> Mapping[str, Any]:  # fmt: skip
    if not isinstance(value, Mapping):
        raise PaymentOrderError(f"expected an object, got {type(value).__name__}", transfer=transfer, index=index,
                                field=where)  # fmt: skip
    unknown = sorted(set(value) - keys)
    if unknown:
        # A misspelt "kid" must not silently send a payment without its KID.
        raise PaymentOrderError(f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(keys))}",
                                transfer=transfer, index=index, field=where)  # fmt: skip
    return value


def _json_date(value: object, where: str, transfer: str | None = None, index: int | None = None) -> Any:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PaymentOrderError(f"{value!r} is not a date YYYY-MM-DD", transfer=transfer, index=index,
                                field=where) from None  # fmt: skip


def _json_address(value: object, where: str, transfer: str | None = None, index: int | None = None) -> Any:
    if value is None:
        return None
    data = _mapping(value, _ADDRESS_KEYS, where, transfer, index)
    return PostalAddress(
        country=data.get("country"), street=data.get("street"), building_number=data.get("building_number"),
        postcode=data.get("postcode"), town=data.get("town"), lines=data.get("lines") or (),
    )  # fmt: skip


def _json_transfer(value: object, index: int) -> CreditTransfer:
    raw_e2e = value.get("end_to_end_id") if isinstance(value, Mapping) else None
    e2e = raw_e2e if isinstance(raw_e2e, str) else None
    data = _mapping(value, _TRANSFER_KEYS, "transfers", e2e, index)
    creditor = _mapping(data.get("creditor"), _CREDITOR_KEYS, "creditor", e2e, index)
    invoices = []
    for number, raw in enumerate(data.get("invoices") or (), start=1):
        inv = _mapping(raw, _INVOICE_KEYS, f"invoices[{number}]", e2e, index)
        invoices.append(InvoiceReference(
            number=inv.get("number"), amount=inv.get("amount"), credit_note=bool(inv.get("credit_note", False)),
            date=_json_date(inv.get("date"), f"invoices[{number}].date", e2e, index),
        ))  # fmt: skip
    try:
        return CreditTransfer(
            end_to_end_id=data.get("end_to_end_id"), instruction_id=data.get("instruction_id"),
            amount=data.get("amount"), currency=data.get("currency", "NOK"),
            creditor_name=creditor.get("name"), creditor_account=creditor.get("account"),
            creditor_bic=creditor.get("bic"),
            creditor_address=_json_address(creditor.get("address"), "creditor.address", e2e, index),
            kid=data.get("kid"), text=data.get("text"), invoices=tuple(invoices),
            execution_date=_json_date(data.get("execution_date"), "execution_date", e2e, index),
            debtor_account=data.get("debtor_account"), category_purpose=data.get("category_purpose"),
            regulatory_code=data.get("regulatory_code"), regulatory_text=data.get("regulatory_text"),
        )  # fmt: skip
    except PaymentOrderError as exc:
        exc.index = index
        raise


def order_from_dict(data: Mapping[str, Any]) -> PaymentOrder:
    """Build a checked :class:`PaymentOrder` from the JSON form (see :mod:`nofaktura.cli.pain`).

    Amounts should be JSON strings (``"1234.50"``) or numbers read with ``parse_float=Decimal``;
    unknown keys are refused so that a misspelt field is never silently dropped.
    """
    data = _mapping(data, _ORDER_KEYS, "order")
    debtor = _mapping(data.get("debtor"), _DEBTOR_KEYS, "debtor")
    raw_transfers = data.get("transfers")
    if not isinstance(raw_transfers, Iterable) or isinstance(raw_transfers, (str, bytes, Mapping)):
        raise PaymentOrderError("expected a list of transfers", field="transfers")
    transfers = [_json_transfer(raw, index) for index, raw in enumerate(raw_transfers, start=1)]
    return PaymentOrder(
        message_id=data.get("message_id"),  # type: ignore[arg-type]
        debtor_name=debtor.get("name"),  # type: ignore[arg-type]
        debtor_account=debtor.get("account"),  # type: ignore[arg-type]
        debtor_orgnr=debtor.get("orgnr"), debtor_bic=debtor.get("bic"),
        debtor_address=_json_address(debtor.get("address"), "debtor.address"),
        bank_customer_id=debtor.get("bank_customer_id"),
        initiating_party_name=data.get("initiating_party_name"),
        execution_date=_json_date(data.get("execution_date"), "execution_date"),
        batch_booking=data.get("batch_booking", True), charge_bearer=data.get("charge_bearer"),
        regulatory_reporting=data.get("regulatory_reporting", False), transfers=tuple(transfers),
    )  # fmt: skip
