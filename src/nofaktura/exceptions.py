"""The exceptions of nofaktura, one root per concern.

::

    NofakturaError
    ├── ValidationError (ValueError)        a number or code is not what it claims to be
    │   ├── InvalidFormat
    │   │   └── InvalidLength
    │   ├── InvalidChecksum
    │   └── InvalidComponent
    ├── LayoutError (ValueError)            a value does not fit a configured layout (KID agreement)
    │   └── LayoutOverflow
    ├── DocumentError (ValueError)          a file cannot be read as the format it should be
    │   ├── UnsafeDocument                  XML that tries entities, DTDs, or is too large/deep
    │   └── FileTotalsError                 control totals in a bank file do not add up
    ├── TransportError                      talking to an access point / print service / bank failed
    │   ├── TransportTimeout
    │   ├── ServiceUnavailable              may pass: retry later
    │   ├── AuthenticationFailed
    │   └── RecipientRejected               will not pass by retrying
    └── LawTableError (LookupError)         a legal rate or fee is unknown for the asked date

Every class carries a default ``message`` so a caller can show something useful even when the
raiser gave no text, as python-stdnum does.

Every error can also be shown in Norwegian: a class has a ``message_key`` into
:data:`nofaktura.messages.CATALOGUE`, and a raiser passes a :func:`nofaktura.messages.msg` message
(key + named parameters) instead of a plain string. ``exc.text("nb")`` renders the error in Bokmål,
``str(exc)`` stays English. A plain-string message (from code outside the catalogue) is shown in
Bokmål as the class's default text followed by the English detail, so a reader never gets a bare
English sentence without a Norwegian word of what went wrong.
"""

from __future__ import annotations

from typing import Any

from nofaktura.messages import Message, lang_of
from nofaktura.messages import text as render_text


class NofakturaError(Exception):
    """Root of every error this library raises on purpose."""

    message = "An error occurred."
    message_key = "error.generic"

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @property
    def key(self) -> str:
        """The catalogue key of this error's text (the class default when the raiser gave free text)."""
        return self.message.key if isinstance(self.message, Message) else self.message_key

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.message.params) if isinstance(self.message, Message) else {}

    def _body(self, lang: str | None) -> str:
        if lang_of(lang) == "en" or isinstance(self.message, Message):
            return render_text(self.message, lang)
        default = render_text(Message(self.message_key, {}), lang)
        if self.message == type(self).message:
            return default
        return f"{default} ({self.message})"

    def text(self, lang: str | None = "en") -> str:
        """The error for a reader of ``lang`` (``"nb"``, ``"nb_NO"``, ``"en"``…)."""
        return self._body(lang)


class ValidationError(NofakturaError, ValueError):
    """A number failed validation. Raise a subclass, not this."""

    message = "The number is not valid."
    message_key = "error.validation"


class InvalidFormat(ValidationError):
    message = "The number has an invalid format."
    message_key = "error.invalid_format"


class InvalidLength(InvalidFormat):
    message = "The number has an invalid length."
    message_key = "error.invalid_length"


class InvalidChecksum(ValidationError):
    message = "The number's check digit is not correct."
    message_key = "error.invalid_checksum"


class InvalidComponent(ValidationError):
    message = "One of the parts of the number is not valid."
    message_key = "error.invalid_component"


class LayoutError(NofakturaError, ValueError):
    message = "The value does not fit the layout."
    message_key = "error.layout"


class LayoutOverflow(LayoutError):
    message = "The number is too long for its field in the layout."
    message_key = "error.layout_overflow"


class DocumentError(NofakturaError, ValueError):
    """A document cannot be read. ``source`` names the file, ``line`` / ``path`` the place."""

    message = "The document cannot be read."
    message_key = "error.document"

    def __init__(
        self,
        message: str | None = None,
        *,
        source: str | None = None,
        line: int | None = None,
        path: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.path = path
        super().__init__(message)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str | None = "en") -> str:
        where = []
        if self.source:
            where.append(render_text(self.source, lang))
        if self.line is not None:
            where.append(render_text(Message("where.line", {"line": self.line}), lang))
        if self.path:
            where.append(self.path)
        body = self._body(lang)
        return f"{', '.join(where)}: {body}" if where else body


class UnsafeDocument(DocumentError):
    message = "The document uses XML features that are refused for safety (DTD, entities) or is too large."
    message_key = "error.unsafe_document"


class FileTotalsError(DocumentError):
    message = "The control totals in the file do not match its transactions."
    message_key = "error.file_totals"


class TransportError(NofakturaError):
    """Sending or fetching failed. ``retryable`` says whether trying again later may pass."""

    message = "The transport failed."
    message_key = "error.transport"
    retryable = False
    #: The service's own error code when it gave one (Digipost ``error-code`` e.g. ``UNKNOWN_RECIPIENT``).
    code: str | None = None
    #: The HTTP status of the answer, when there was one.
    http_status: int | None = None


class TransportTimeout(TransportError):
    message = "The service did not answer in time."
    message_key = "error.transport_timeout"
    retryable = True


class ServiceUnavailable(TransportError):
    message = "The service is unavailable."
    message_key = "error.service_unavailable"
    retryable = True


class AuthenticationFailed(TransportError):
    message = "The service refused our credentials."
    message_key = "error.authentication_failed"


class RecipientRejected(TransportError):
    message = "The recipient or the service rejected the document."
    message_key = "error.recipient_rejected"


class LawTableError(NofakturaError, LookupError):
    message = "No legal value is known for that date; supply it explicitly."
    message_key = "error.law_table"


# --- Peppol lookup and access points (nofaktura.peppol) -------------------------------------------------
#
#    NofakturaError
#    ├── ParticipantNotFound (LookupError)   the SML has no record (or no SMP service) for a participant
#    └── TransportError
#        ├── LookupFailed                    DNS/SMP could not be asked or answered nonsense; may pass later
#        ├── RateLimited (ServiceUnavailable)  the service asks us to slow down
#        └── DuplicateSubmission             the access point already accepted this idempotency key


class ParticipantNotFound(NofakturaError, LookupError):
    """The participant is not registered in the Peppol SML (or its SMP has no such service)."""

    message = "The participant is not registered in the Peppol network."
    message_key = "error.participant_not_found"


class LookupFailed(TransportError):
    """The SML (DNS) or SMP (HTTP) lookup could not be completed; the answer is unknown, not negative."""

    message = "The Peppol lookup could not be completed."
    message_key = "error.lookup_failed"
    retryable = True


class RateLimited(ServiceUnavailable):
    message = "The service asks to slow down; try again later."
    message_key = "error.rate_limited"


class DuplicateSubmission(TransportError):
    """The access point refused the document because it already accepted one with the same idempotency
    key: the document *was* sent before, so it must not be sent again. ``message_id`` is set when the
    access point told which message it was."""

    message = "The access point already accepted a document with this idempotency key."
    message_key = "error.duplicate_submission"

    def __init__(self, message: str | None = None, *, message_id: str | None = None) -> None:
        self.message_id = message_id
        super().__init__(message)


# --- Outgoing payment orders (nofaktura.bank.payment_order, pain001) --------------------------------------
#
#    NofakturaError
#    └── PaymentOrderError (ValueError)      a payment order cannot be written as a payment file


class PaymentOrderError(NofakturaError, ValueError):
    """A payment order (or one of its credit transfers) is not fit to be sent to the bank.

    ``transfer`` is the end-to-end id of the credit transfer at fault (``None`` for order-level
    problems), ``index`` its 1-based position in the order, ``field`` the attribute that is wrong
    (``kid``, ``creditor_account``, ``amount`` …), so a caller can point at the exact record.
    """

    message = "The payment order cannot be written."
    message_key = "error.payment_order"

    def __init__(
        self,
        message: str | None = None,
        *,
        transfer: str | None = None,
        index: int | None = None,
        field: str | None = None,
    ) -> None:
        self.transfer = transfer
        self.index = index
        self.field = field
        super().__init__(message)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str | None = "en") -> str:
        where = []
        if self.index is not None or self.transfer is not None:
            label = render_text(Message("where.transfer", {}), lang)
            if self.index is not None:
                label += f" {self.index}"
            if self.transfer is not None:
                label += " " + render_text(Message("where.end_to_end", {"id": self.transfer}), lang)
            where.append(label)
        if self.field:
            where.append(self.field)
        body = self._body(lang)
        return f"{', '.join(where)}: {body}" if where else body


# --- Digipost (nofaktura.digipost) ------------------------------------------------------------------------
#
#    TransportError
#    └── RecipientRejected
#        └── UnknownRecipient                not a Digipost user, and the message had no print fallback


class UnknownRecipient(RecipientRejected):
    """Digipost cannot deliver to this recipient digitally and the message gave no print details: final for
    this channel, the dispatcher moves on to the next one."""

    message = "The recipient has no Digipost mailbox and the message had no print fallback."
    message_key = "error.unknown_recipient"


# --- KPI regulation (nofaktura.kpi) -----------------------------------------------------------------------
#
#    NofakturaError
#    ├── IndexNotPublished (LookupError)     the index of a month is not in the series (not published, not fetched)
#    ├── RegulationError (ValueError)        the inputs of a regulation contradict each other
#    ├── DocumentError
#    │   └── IndexDataError                  an answer or file is not the table / contents / base year asked for
#    └── TransportError
#        └── RecipientRejected
#            └── IndexQueryRejected          Statistics Norway refused the query (400, 403 too many cells, 404)
#
# These are shown to people (an agreement's regulation run lists them), so they carry catalogue messages
# (``kpi.*`` in nofaktura.messages): ``str(exc)`` is English, ``exc.text("nb")`` Bokmål, like every other error.


class IndexNotPublished(NofakturaError, LookupError):
    """A month's index is missing: not published yet, not fetched, or published as '..' (no value).

    Never read as zero: a regulation without its index cannot be computed. ``period`` is the month
    (``nofaktura.kpi.Period``) when known.
    """

    message = "The index for that month is not published (or was not fetched)."
    message_key = "error.index_not_published"

    def __init__(self, message: str | None = None, *, period: object = None) -> None:
        self.period = period
        super().__init__(message)


class RegulationError(NofakturaError, ValueError):
    """The amount, the dates or the index values of a regulation contradict each other (a float amount,
    two index values on different base years, a notice before the last setting …)."""

    message = "The regulation cannot be computed from these inputs."
    message_key = "error.regulation"


class IndexDataError(DocumentError):
    """A JSON-stat answer (or file) is not the index asked for: another table, no such contents code, a
    label stating another base year, a value that is not a number, dimensions that do not add up."""

    message = "The answer is not the index table asked for."
    message_key = "error.index_data"


class IndexQueryRejected(RecipientRejected):
    """Statistics Norway refused the query: 400 (a selection it does not know, e.g. a month not in the table),
    403 (more cells than it serves in one answer), 404 (no such table). Retrying the same query will not pass."""

    message = "Statistics Norway refused the query."
    message_key = "error.index_query_rejected"


# --- Enhetsregisteret (nofaktura.brreg) -------------------------------------------------------------------
#
#    NofakturaError
#    ├── UnitNotFound (LookupError)          no unit has this organisation number (HTTP 404)
#    │   └── UnitDeleted                     the unit was removed from the register (HTTP 410 Gone)
#    ├── BadQuery (ValueError)               a search we refuse to send (empty name, page out of range)
#    └── TransportError
#        └── ServiceUnavailable
#            └── RegistryUnavailable         down, timed out, or answered something we cannot read


class UnitNotFound(NofakturaError, LookupError):
    """The Enhetsregisteret has no unit with this organisation number. ``orgnr`` names it."""

    message = "The Enhetsregisteret has no unit with this organisation number."
    message_key = "error.unit_not_found"

    def __init__(self, message: str | None = None, *, orgnr: str | None = None) -> None:
        self.orgnr = orgnr
        super().__init__(message)


class UnitDeleted(UnitNotFound):
    """The unit existed but was removed (HTTP 410 Gone): a different answer from "never existed" because
    a partner that had this number is now a company that no longer exists."""

    message = "The unit has been deleted from the Enhetsregisteret."
    message_key = "error.unit_deleted"


class BadQuery(NofakturaError, ValueError):
    message = "The search cannot be sent to the Enhetsregisteret as asked."
    message_key = "error.bad_query"


class RegistryUnavailable(ServiceUnavailable):
    """The Enhetsregisteret could not answer usefully now (down, timeout, 5xx, malformed or oversized
    answer). Always retryable: the caller shows the message and lets the user go on without the lookup."""

    message = "The Enhetsregisteret (Brønnøysundregistrene) cannot be reached just now; try again later."
    message_key = "error.registry_unavailable"
