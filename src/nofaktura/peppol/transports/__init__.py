"""Access-point transports behind one small interface (see :mod:`.base`).

- :class:`InMemoryAccessPoint` — the public fake (tests, demo mode).
- :class:`FolderExchange` — outbox/inbox/receipts directories, local or SFTP.
- :class:`StorecoveAccessPoint` — Storecove's documented REST API.
- :class:`RetryingTransport` — retry with backoff, wrapping any of them.
"""

from nofaktura.peppol.transports.base import (
    AccessPointTransport,
    DeliveryState,
    DeliveryStatus,
    IncomingDocument,
    OutgoingDocument,
    Receipt,
    translate_errors,
)
from nofaktura.peppol.transports.folder import FolderExchange, LocalFilesystem, SftpFilesystem
from nofaktura.peppol.transports.memory import InMemoryAccessPoint, UnexpectedCall
from nofaktura.peppol.transports.retry import RetryingTransport, backoff_delay
from nofaktura.peppol.transports.storecove import StorecoveAccessPoint

__all__ = [
    "AccessPointTransport",
    "DeliveryState",
    "DeliveryStatus",
    "FolderExchange",
    "InMemoryAccessPoint",
    "IncomingDocument",
    "LocalFilesystem",
    "OutgoingDocument",
    "Receipt",
    "RetryingTransport",
    "SftpFilesystem",
    "StorecoveAccessPoint",
    "UnexpectedCall",
    "backoff_delay",
    "translate_errors",
]
