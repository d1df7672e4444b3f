"""What a Digipost sending is made of, and its XML (API v8).

A *message* is the envelope: one recipient, one primary document, attachments, and what to do on paper
(print-details as fallback for non-users, or print-if-unread). The document bytes travel in their own parts
of the multipart request, matched to the XML by the document's UUID (see :func:`build_multipart`).

Element names and order follow ``api_v8.xsd`` (namespace ``http://api.digipost.no/schema/v8``) and the
invoice data type ``datatypes.xsd`` (``http://api.digipost.no/schema/datatypes``); the tests validate every
built message against both schemas from the corpus.

Why the checks here: Digipost answers a bad message with a 400 after the upload; catching a wrong
fødselsnummer, an account with a bad check digit or an address line that is too long before sending gives
the user a precise error and spends no request.

Idempotency: ``message_id`` is the sender's unique id for the sending (Digipost refuses a reused one). Give
it the dispatch queue's idempotency key; the document UUIDs are derived from it (:func:`document_uuid`), so a
retry sends byte-identical XML and Digipost's duplicate check stops a second letter.
"""

from __future__ import annotations

import enum
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from lxml import etree

from nofaktura import kid as kid_module
from nofaktura.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from nofaktura.identifiers import validate_account_number, validate_orgnr
from nofaktura.messages import Message as TextMessage
from nofaktura.messages import msg

__all__ = [
    "DATATYPES_NS",
    "MULTIPART_MEDIA_TYPE",
    "NS",
    "XML_MEDIA_TYPE",
    "AuthenticationLevel",
    "Document",
    "ForeignAddress",
    "InvoiceData",
    "Message",
    "NameAndAddress",
    "NondeliverableHandling",
    "NorwegianAddress",
    "PostalAddress",
    "PrintColor",
    "PrintDetails",
    "PrintIfUnread",
    "Recipient",
    "RecipientKind",
    "SensitivityLevel",
    "build_identification_xml",
    "build_message_xml",
    "build_multipart",
    "document_uuid",
    "mask_national_id",
    "validate_national_id",
]

NS = "http://api.digipost.no/schema/v8"
DATATYPES_NS = "http://api.digipost.no/schema/datatypes"
XML_MEDIA_TYPE = "application/vnd.digipost-v8+xml"
MULTIPART_MEDIA_TYPE = "multipart/vnd.digipost-v8+xml"

OSLO = ZoneInfo("Europe/Oslo")
_UUID_NAMESPACE = uuid.UUID("3b1f0d2e-7c55-4d7e-9a51-6f7c2d0b8a10")  # ours: derives document UUIDs
MAX_ATTACHMENTS = 201
MAX_SUBJECT = 255
MAX_INVOICE_REFERENCE = 100
MAX_KID = 25
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- identity numbers -------------------------------------------------------------------------------------


def validate_national_id(number: str) -> str:
    """Check a fødselsnummer / D-number (11 digits, two MOD11 check digits); return it compact.

    Only the check digits are verified, not the birth date: synthetic test numbers (Tenor, month + 80) and
    H-numbers are valid input to Digipost's test environment and must pass. The number is never put into
    the error text.
    """
    compact = re.sub(r"[\s.-]", "", number or "")
    if not compact.isdigit():
        raise InvalidFormat(msg("digipost.nin_digits"))
    if len(compact) != 11:
        raise InvalidLength(msg("digipost.nin_length"))
    digits = [int(c) for c in compact]
    k1 = 11 - sum(w * d for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), digits[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(w * d for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), [*digits[:9], k1], strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    if k1 == 10 or k2 == 10 or digits[9] != k1 or digits[10] != k2:
        raise InvalidChecksum(msg("digipost.nin_check"))
    return compact


def mask_national_id(number: str) -> str:
    """``260798*****``: enough to tell two customers apart in a log, not enough to identify a person."""
    return (number[:6] + "*" * (len(number) - 6)) if len(number) > 6 else "*" * len(number)


def _require(text: str | None, what: TextMessage, max_length: int, *, required: bool = True) -> str | None:
    if text is None or not str(text).strip():
        if required:
            raise ValidationError(msg("digipost.required", what=what))
        return None
    value = " ".join(str(text).split())
    if _NOT_XML.search(value):
        raise InvalidFormat(msg("digipost.control_chars", what=what))
    if len(value) > max_length:
        raise InvalidLength(msg("digipost.too_long", what=what, max_length=max_length))
    return value


def _address_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = (_require(line, msg("digipost.what_an_address_line"), 100, required=False) for line in lines)
    return tuple(line for line in cleaned if line)


# --- addresses and print ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NorwegianAddress:
    """Up to three address lines, a 4-digit postcode and the post town."""

    lines: tuple[str, ...]
    zip_code: str
    city: str

    def __post_init__(self) -> None:
        lines = _address_lines(self.lines)
        if len(lines) > 3:
            raise InvalidLength(msg("digipost.norwegian_lines"))
        zip_code = (self.zip_code or "").strip()
        if not re.fullmatch(r"\d{4}", zip_code):
            raise InvalidFormat(msg("digipost.postcode"))
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "zip_code", zip_code)
        object.__setattr__(self, "city", _require(self.city, msg("digipost.what_post_town"), 80))


@dataclass(frozen=True)
class ForeignAddress:
    """One to four address lines and the country as ISO 3166-1 alpha-2 code (or its name)."""

    lines: tuple[str, ...]
    country_code: str | None = None
    country: str | None = None

    def __post_init__(self) -> None:
        lines = _address_lines(self.lines)
        if not 1 <= len(lines) <= 4:
            raise InvalidLength(msg("digipost.foreign_lines"))
        if bool(self.country_code) == bool(self.country):
            raise ValidationError(msg("digipost.foreign_country"))
        if self.country_code and not re.fullmatch(r"[A-Z]{2}", self.country_code):
            raise InvalidFormat(msg("digipost.country_code"))
        if self.country_code == "NO":
            raise ValidationError(msg("digipost.foreign_is_norwegian"))
        object.__setattr__(self, "lines", lines)
        if self.country:
            object.__setattr__(self, "country", _require(self.country, msg("digipost.what_country"), 80))


@dataclass(frozen=True)
class PostalAddress:
    """A name (person or company) and where the letter goes."""

    name: str
    address: NorwegianAddress | ForeignAddress

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _require(self.name, msg("digipost.what_letter_name"), 130))


class PrintColor(str, enum.Enum):
    MONOCHROME = "MONOCHROME"
    COLORS = "COLORS"


class NondeliverableHandling(str, enum.Enum):
    RETURN_TO_SENDER = "RETURN_TO_SENDER"
    SHRED = "SHRED"


@dataclass(frozen=True)
class PrintDetails:
    """How Digipost prints and posts the letter: to whom, where it comes back, colour, undeliverable letters.

    Digipost prints duplex; API v8 has no simplex switch. ``print_instructions`` are free key/value pairs
    passed on as ``print-instruction`` elements — only keys agreed with Digipost have an effect.
    """

    recipient: PostalAddress
    return_address: PostalAddress
    color: PrintColor = PrintColor.MONOCHROME
    nondeliverable: NondeliverableHandling = NondeliverableHandling.RETURN_TO_SENDER
    print_instructions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PrintIfUnread:
    """Deliver digitally; if the recipient has not opened it by ``after``, print and post it."""

    after: datetime
    print_details: PrintDetails

    def __post_init__(self) -> None:
        if self.after.tzinfo is None:
            raise ValidationError(msg("digipost.print_unread_zone"))

    @classmethod
    def after_days(cls, days: int, print_details: PrintDetails, *, now: datetime) -> PrintIfUnread:
        """Print if still unread ``days`` days from ``now``, at noon Oslo time (a working-hours deadline)."""
        if days < 1:
            raise ValidationError(msg("digipost.print_unread_days"))
        day = now.astimezone(OSLO).date() + timedelta(days=days)
        return cls(datetime.combine(day, time(12, 0), tzinfo=OSLO), print_details)


# --- recipients -------------------------------------------------------------------------------------------


class RecipientKind(str, enum.Enum):
    NATIONAL_ID = "personal-identification-number"
    ORGANISATION = "organisation-number"
    DIGIPOST_ADDRESS = "digipost-address"
    NAME_AND_ADDRESS = "name-and-address"


@dataclass(frozen=True)
class NameAndAddress:
    """Identification by name and street address (a person without a known fødselsnummer)."""

    fullname: str
    addressline1: str
    postalcode: str
    city: str
    addressline2: str | None = None
    birth_date: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fullname", _require(self.fullname, msg("digipost.what_recipient_name"), 130))
        object.__setattr__(self, "addressline1", _require(self.addressline1, msg("digipost.what_address_line"), 100))
        object.__setattr__(self, "addressline2", _require(self.addressline2, msg("digipost.what_address_line"), 100,
                                                           required=False))
        object.__setattr__(self, "postalcode", _require(self.postalcode, msg("digipost.what_postcode"), 10))
        object.__setattr__(self, "city", _require(self.city, msg("digipost.what_post_town"), 80))

    def __repr__(self) -> str:  # name and address of a person are personal data: not in logs
        return f"NameAndAddress(postalcode={self.postalcode!r}, …)"


@dataclass(frozen=True)
class Recipient:
    """Who receives the message. Build with one of the ``by_*`` constructors, which validate the number.

    ``repr`` masks a fødselsnummer and hides a name and address: recipients end up in log lines and
    exception texts, personal identity numbers must not.
    """

    kind: RecipientKind
    value: str | NameAndAddress

    @classmethod
    def by_national_id(cls, number: str) -> Recipient:
        return cls(RecipientKind.NATIONAL_ID, validate_national_id(number))

    @classmethod
    def by_organisation_number(cls, number: str) -> Recipient:
        return cls(RecipientKind.ORGANISATION, validate_orgnr(number))

    @classmethod
    def by_digipost_address(cls, address: str) -> Recipient:
        value = (address or "").strip()
        if not re.fullmatch(r"[^\s#]+#[0-9A-Za-z]+", value):
            raise InvalidFormat(msg("digipost.address_format"))
        return cls(RecipientKind.DIGIPOST_ADDRESS, value)

    @classmethod
    def by_name_and_address(cls, name_and_address: NameAndAddress) -> Recipient:
        return cls(RecipientKind.NAME_AND_ADDRESS, name_and_address)

    def __repr__(self) -> str:
        if self.kind is RecipientKind.NATIONAL_ID:
            shown = mask_national_id(str(self.value))
        elif self.kind is RecipientKind.NAME_AND_ADDRESS:
            shown = repr(self.value)
        else:
            shown = str(self.value)
        return f"Recipient({self.kind.name}, {shown})"

    __str__ = __repr__


# --- documents and invoice --------------------------------------------------------------------------------


class AuthenticationLevel(str, enum.Enum):
    PASSWORD = "PASSWORD"  # noqa: S105 - the name of an authentication level, not a secret
    TWO_FACTOR = "TWO_FACTOR"
    IDPORTEN_3 = "IDPORTEN_3"
    IDPORTEN_4 = "IDPORTEN_4"


class SensitivityLevel(str, enum.Enum):
    NORMAL = "NORMAL"
    SENSITIVE = "SENSITIVE"


@dataclass(frozen=True)
class InvoiceData:
    """The Digipost ``invoice`` data type: lets the recipient pay from the mailbox (or send it to the bank).

    ``amount`` is a Decimal in NOK (Digipost's ``sum``); ``account`` a Norwegian BBAN (11 digits, MOD11);
    ``kid`` optional, digits with a valid MOD10 or MOD11 check digit, at most 25 characters.
    """

    amount: Decimal
    account: str
    due_date: date
    kid: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise ValidationError(msg("digipost.amount_decimal"))
        if self.amount <= 0:
            raise ValidationError(msg("digipost.amount_positive"))
        if self.amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValidationError(msg("digipost.amount_decimals"))
        if isinstance(self.due_date, datetime) or not isinstance(self.due_date, date):
            raise ValidationError(msg("digipost.due_date"))
        object.__setattr__(self, "account", validate_account_number(self.account))
        if self.kid is not None:
            kid = kid_module.compact(self.kid)
            if len(kid) > MAX_KID:
                raise InvalidLength(msg("digipost.kid_length", max=MAX_KID))
            kid_module.validate(kid)
            object.__setattr__(self, "kid", kid)


@dataclass(frozen=True)
class Document:
    """One file of the message. ``content`` is the bytes (a PDF for print); ``file_type`` its extension."""

    content: bytes
    subject: str
    file_type: str = "pdf"
    authentication_level: AuthenticationLevel = AuthenticationLevel.PASSWORD
    sensitivity_level: SensitivityLevel = SensitivityLevel.NORMAL
    invoice: InvoiceData | None = None
    uuid: str | None = None  # set by Message from its message_id when None

    def __post_init__(self) -> None:
        if not isinstance(self.content, bytes) or not self.content:
            raise ValidationError(msg("digipost.content"))
        object.__setattr__(self, "subject", _require(self.subject, msg("digipost.what_subject"), MAX_SUBJECT))
        if not re.fullmatch(r"[a-z0-9]{1,10}", self.file_type or ""):
            raise InvalidFormat(msg("digipost.file_type"))
        if self.uuid is not None and not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                                                      self.uuid):  # fmt: skip
            raise InvalidFormat(msg("digipost.uuid"))

    @property
    def media_type(self) -> str:
        return {"pdf": "application/pdf", "txt": "text/plain", "html": "text/html"}.get(
            self.file_type, "application/octet-stream"
        )

    def __repr__(self) -> str:
        return f"Document(uuid={self.uuid!r}, {self.file_type}, {len(self.content)} bytes)"


def document_uuid(message_id: str, index: int) -> str:
    """The UUID of document ``index`` (0 = primary) of a message: stable, so a retry is the same sending."""
    return str(uuid.uuid5(_UUID_NAMESPACE, f"{message_id}\x00{index}"))


@dataclass(frozen=True)
class Message:
    """One sending to one recipient.

    ``print_details`` on the recipient: print and post only if the recipient cannot receive digitally.
    ``print_if_unread``: deliver digitally, print if not opened in time. The two may be combined.
    ``on_behalf_of``: the sender id this message is sent for when we act as a broker (``sender-id`` in the
    XML); the request is still signed with our own key and user id.
    """

    message_id: str
    recipient: Recipient
    primary: Document
    attachments: tuple[Document, ...] = ()
    print_details: PrintDetails | None = None
    print_if_unread: PrintIfUnread | None = None
    invoice_reference: str | None = None
    delivery_time: datetime | None = None
    on_behalf_of: int | None = None
    documents: tuple[Document, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.message_id or len(self.message_id) > 200 or not self.message_id.isprintable():
            raise ValidationError(msg("digipost.message_id"))
        if len(self.attachments) > MAX_ATTACHMENTS:
            raise ValidationError(msg("digipost.attachments", max=MAX_ATTACHMENTS))
        object.__setattr__(self, "invoice_reference",
                           _require(self.invoice_reference, msg("digipost.what_invoice_reference"),
                                    MAX_INVOICE_REFERENCE, required=False))  # fmt: skip
        if self.delivery_time is not None and self.delivery_time.tzinfo is None:
            raise ValidationError(msg("digipost.delivery_zone"))
        docs = []
        for index, given in enumerate((self.primary, *self.attachments)):
            if given.uuid is None:
                given = Document(**{**given.__dict__, "uuid": document_uuid(self.message_id, index)})  # noqa: PLW2901
            docs.append(given)
        if len({d.uuid for d in docs}) != len(docs):
            raise ValidationError(msg("digipost.same_uuid"))
        printed = self.print_details is not None or self.print_if_unread is not None
        if printed and any(d.file_type != "pdf" or not d.content.startswith(b"%PDF-") for d in docs):
            raise ValidationError(msg("digipost.print_pdf_only"))
        object.__setattr__(self, "primary", docs[0])
        object.__setattr__(self, "attachments", tuple(docs[1:]))
        object.__setattr__(self, "documents", tuple(docs))

    def __repr__(self) -> str:
        return (f"Message(id={self.message_id!r}, to={self.recipient!r}, documents={len(self.documents)}, "
                f"print={'fallback' if self.print_details else 'no'}"
                f"{', if unread' if self.print_if_unread else ''})")  # fmt: skip


# --- XML --------------------------------------------------------------------------------------------------


def _el(parent: etree._Element, name: str, text: str | None = None, ns: str = NS) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        child.text = text
    return child


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _print_recipient(parent: etree._Element, name: str, postal: PostalAddress) -> None:
    node = _el(parent, name)
    _el(node, "name", postal.name)
    address = postal.address
    if isinstance(address, NorwegianAddress):
        addr = _el(node, "norwegian-address")
        for i, line in enumerate(address.lines, start=1):
            _el(addr, f"addressline{i}", line)
        _el(addr, "zip-code", address.zip_code)
        _el(addr, "city", address.city)
    else:
        addr = _el(node, "foreign-address")
        for i, line in enumerate(address.lines, start=1):
            _el(addr, f"addressline{i}", line)
        if address.country_code:
            _el(addr, "country-code", address.country_code)
        else:
            _el(addr, "country", address.country)


def _print_details(parent: etree._Element, details: PrintDetails) -> None:
    node = _el(parent, "print-details")
    _print_recipient(node, "recipient", details.recipient)
    _print_recipient(node, "return-address", details.return_address)
    _el(node, "color", details.color.value)
    _el(node, "nondeliverable-handling", details.nondeliverable.value)
    if details.print_instructions:
        instructions = _el(node, "print-instructions")
        for key, value in details.print_instructions:
            item = _el(instructions, "print-instruction")
            _el(item, "key", key)
            _el(item, "value", value)


def _identifier(parent: etree._Element, recipient: Recipient) -> None:
    if recipient.kind is RecipientKind.NAME_AND_ADDRESS:
        na = recipient.value
        if not isinstance(na, NameAndAddress):
            raise ValidationError(msg("digipost.name_and_address"))
        node = _el(parent, "name-and-address")
        _el(node, "fullname", na.fullname)
        _el(node, "addressline1", na.addressline1)
        if na.addressline2:
            _el(node, "addressline2", na.addressline2)
        _el(node, "postalcode", na.postalcode)
        _el(node, "city", na.city)
        if na.birth_date:
            _el(node, "birth-date", na.birth_date.isoformat())
    else:
        _el(parent, recipient.kind.value, str(recipient.value))


def _invoice(parent: etree._Element, invoice: InvoiceData) -> None:
    data_type = _el(parent, "data-type")
    node = _el(data_type, "invoice", ns=DATATYPES_NS)
    due = datetime.combine(invoice.due_date, time(0, 0), tzinfo=OSLO)
    _el(node, "due-date", _iso(due), DATATYPES_NS)
    _el(node, "sum", f"{invoice.amount:.2f}", DATATYPES_NS)
    _el(node, "creditor-account", invoice.account, DATATYPES_NS)
    if invoice.kid:
        _el(node, "kid", invoice.kid, DATATYPES_NS)


def _document(parent: etree._Element, name: str, doc: Document) -> None:
    node = _el(parent, name)
    _el(node, "uuid", doc.uuid)
    _el(node, "subject", doc.subject)
    _el(node, "file-type", doc.file_type)
    _el(node, "authentication-level", doc.authentication_level.value)
    _el(node, "sensitivity-level", doc.sensitivity_level.value)
    if doc.invoice is not None:
        _invoice(node, doc.invoice)


def build_message_xml(message: Message) -> bytes:
    """The ``<message>`` XML (part 1 of the multipart request), UTF-8 with declaration."""
    root = etree.Element(f"{{{NS}}}message", nsmap={None: NS})
    _el(root, "message-id", message.message_id)
    if message.on_behalf_of is not None:
        _el(root, "sender-id", str(int(message.on_behalf_of)))
    recipient = _el(root, "recipient")
    _identifier(recipient, message.recipient)
    if message.print_details is not None:
        _print_details(recipient, message.print_details)
    if message.delivery_time is not None:
        _el(root, "delivery-time", _iso(message.delivery_time))
    if message.invoice_reference:
        _el(root, "invoice-reference", message.invoice_reference)
    _document(root, "primary-document", message.primary)
    for attachment in message.attachments:
        _document(root, "attachment", attachment)
    if message.print_if_unread is not None:
        node = _el(root, "print-if-unread")
        _el(node, "print-if-unread-after", _iso(message.print_if_unread.after))
        _print_details(node, message.print_if_unread.print_details)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_identification_xml(recipient: Recipient) -> bytes:
    """The ``<identification>`` body of ``POST /identification``."""
    root = etree.Element(f"{{{NS}}}identification", nsmap={None: NS})
    _identifier(root, recipient)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_multipart(message: Message, boundary: str | None = None) -> tuple[str, bytes]:
    """``(content_type, body)`` of ``POST /messages``: the message XML, then one part per document.

    Each document part's ``filename`` is its UUID, which is how Digipost pairs bytes with metadata. The
    boundary is derived from the message id unless given, so the same message always gives the same bytes
    (and the same ``X-Content-SHA256``).
    """
    boundary = boundary or "nofaktura-" + str(uuid.uuid5(_UUID_NAMESPACE, "boundary\x00" + message.message_id))
    parts: list[tuple[str, str, bytes]] = [(XML_MEDIA_TYPE, '"message"', build_message_xml(message))]
    parts.extend((doc.media_type, f'"{doc.uuid}"', doc.content) for doc in message.documents)
    delimiter = f"--{boundary}".encode("ascii")
    for _media_type, _name, data in parts:
        if delimiter in data:
            raise ValidationError(msg("digipost.boundary"))
    chunks: list[bytes] = []
    for media_type, name, data in parts:
        chunks.append(delimiter + b"\r\n")
        chunks.append(f"Content-Type: {media_type}\r\n".encode("ascii"))
        chunks.append(f"Content-Disposition: attachment; filename={name}\r\n\r\n".encode("ascii"))
        chunks.append(data + b"\r\n")
    chunks.append(delimiter + b"--\r\n")
    return f"{MULTIPART_MEDIA_TYPE}; boundary={boundary}", b"".join(chunks)
