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
"""

from __future__ import annotations


class NofakturaError(Exception):
    """Root of every error this library raises on purpose."""

    message = "An error occurred."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class ValidationError(NofakturaError, ValueError):
    """A number failed validation. Raise a subclass, not this."""

    message = "The number is not valid."


class InvalidFormat(ValidationError):
    message = "The number has an invalid format."


class InvalidLength(InvalidFormat):
    message = "The number has an invalid length."


class InvalidChecksum(ValidationError):
    message = "The number's check digit is not correct."


class InvalidComponent(ValidationError):
    message = "One of the parts of the number is not valid."


class LayoutError(NofakturaError, ValueError):
    message = "The value does not fit the layout."


class LayoutOverflow(LayoutError):
    message = "The number is too long for its field in the layout."


class DocumentError(NofakturaError, ValueError):
    """A document cannot be read. ``source`` names the file, ``line`` / ``path`` the place."""

    message = "The document cannot be read."

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
        where = []
        if self.source:
            where.append(str(self.source))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.path:
            where.append(self.path)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class UnsafeDocument(DocumentError):
    message = "The document uses XML features that are refused for safety (DTD, entities) or is too large."


class FileTotalsError(DocumentError):
    message = "The control totals in the file do not match its transactions."


class TransportError(NofakturaError):
    """Sending or fetching failed. ``retryable`` says whether trying again later may pass."""

    message = "The transport failed."
    retryable = False
    #: The service's own error code when it gave one (Digipost ``error-code`` e.g. ``UNKNOWN_RECIPIENT``).
    code: str | None = None
    #: The HTTP status of the answer, when there was one.
    http_status: int | None = None


class TransportTimeout(TransportError):
    message = "The service did not answer in time."
    retryable = True


class ServiceUnavailable(TransportError):
    message = "The service is unavailable."
    retryable = True


class AuthenticationFailed(TransportError):
    message = "The service refused our credentials."


class RecipientRejected(TransportError):
    message = "The recipient or the service rejected the document."


class LawTableError(NofakturaError, LookupError):
    message = "No legal value is known for that date; supply it explicitly."


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


class LookupFailed(TransportError):
    """The SML (DNS) or SMP (HTTP) lookup could not be completed; the answer is unknown, not negative."""

    message = "The Peppol lookup could not be completed."
    retryable = True


class RateLimited(ServiceUnavailable):
    message = "The service asks to slow down; try again later."


class DuplicateSubmission(TransportError):
    """The access point refused the document because it already accepted one with the same idempotency
    key: the document *was* sent before, so it must not be sent again. ``message_id`` is set when the
    access point told which message it was."""

    message = "The access point already accepted a document with this idempotency key."

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
        where = []
        if self.index is not None or self.transfer is not None:
            label = "transfer"
            if self.index is not None:
                label += f" {self.index}"
            if self.transfer is not None:
                label += f" (end-to-end id {self.transfer!r})"
            where.append(label)
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


# --- Digipost (nofaktura.digipost) ------------------------------------------------------------------------
#
#    TransportError
#    └── RecipientRejected
#        └── UnknownRecipient                not a Digipost user, and the message had no print fallback


class UnknownRecipient(RecipientRejected):
    """Digipost cannot deliver to this recipient digitally and the message gave no print details: final for
    this channel, the dispatcher moves on to the next one."""

    message = "The recipient has no Digipost mailbox and the message had no print fallback."


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

    def __init__(self, message: str | None = None, *, orgnr: str | None = None) -> None:
        self.orgnr = orgnr
        super().__init__(message)


class UnitDeleted(UnitNotFound):
    """The unit existed but was removed (HTTP 410 Gone): a different answer from "never existed" because
    a partner that had this number is now a company that no longer exists."""

    message = "The unit has been deleted from the Enhetsregisteret."


class BadQuery(NofakturaError, ValueError):
    message = "The search cannot be sent to the Enhetsregisteret as asked."


class RegistryUnavailable(ServiceUnavailable):
    """The Enhetsregisteret could not answer usefully now (down, timeout, 5xx, malformed or oversized
    answer). Always retryable: the caller shows the message and lets the user go on without the lookup."""

    message = "The Enhetsregisteret (Brønnøysundregistrene) cannot be reached just now; try again later."
