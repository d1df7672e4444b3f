"""Hand-over of claims to a debt-collection agency, behind one small provider interface.

A provider takes a batch of :class:`HandoverClaim` and returns a :class:`HandoverReceipt`. The library
ships :class:`ExportFileProvider`, which writes everything an agency needs to register a claim as CSV
or JSON (for agencies that import files), and :class:`InMemoryProvider`, a fake that records what it
received (for tests and demo mode). An agency API is one more subclass of :class:`HandoverProvider`.

What an agency needs (inkassoloven § 10 content of the betalingsoppfordring it will send, plus the
§ 9 proof that the inkassovarsel was given): the debtor (name, organisation number or person, address,
e-mail), the claim (number, invoice date, due date, principal, interest with rate start date, fees,
KID) and the history of notices with their dates, deadlines and fees.

>>> from datetime import date
>>> from decimal import Decimal
>>> claim = HandoverClaim(
...     Debtor("Ola Nordmann", DebtorKind.PERSON, address_lines=("Storgata 1",), postcode="0155",
...            city="Oslo"),
...     "INV/2026/0001", date(2026, 1, 5), date(2026, 1, 19), Decimal("1000.00"), Decimal("12.00"),
...     Decimal("37.50"), kid="0000012345674")
>>> print(ExportFileProvider(format="csv").render([claim]).decode().splitlines()[1][:40])
INV/2026/0001;Ola Nordmann;person;;;Stor
"""

from __future__ import annotations

import abc
import csv
import enum
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

__all__ = [
    "CSV_COLUMNS",
    "Debtor",
    "DebtorKind",
    "ExportFileProvider",
    "HandoverClaim",
    "HandoverProvider",
    "HandoverReceipt",
    "InMemoryProvider",
    "Notice",
]


class DebtorKind(str, enum.Enum):
    #: A private person (consumer).
    PERSON = "person"
    #: A business or public body.
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class Debtor:
    name: str
    kind: DebtorKind
    org_number: str = ""
    birth_date: date | None = None
    address_lines: tuple[str, ...] = ()
    postcode: str = ""
    city: str = ""
    country: str = "NO"
    email: str = ""
    phone: str = ""
    customer_number: str = ""


@dataclass(frozen=True)
class Notice:
    """One dunning notice already sent for the claim."""

    kind: str
    sent_on: date
    deadline: date | None = None
    fee: Decimal = Decimal(0)
    channel: str = ""


@dataclass(frozen=True)
class HandoverClaim:
    debtor: Debtor
    claim_number: str
    invoice_date: date
    due_date: date
    principal: Decimal
    interest: Decimal = Decimal(0)
    fees: Decimal = Decimal(0)
    kid: str = ""
    currency: str = "NOK"
    interest_rate: Decimal | None = None
    interest_from: date | None = None
    notices: tuple[Notice, ...] = ()
    reference: str = ""

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fees


@dataclass(frozen=True)
class HandoverReceipt:
    """What the provider did: its name, a reference (file name, batch id), and the claims it took."""

    provider: str
    reference: str
    claim_numbers: tuple[str, ...]
    content: bytes = field(default=b"", repr=False)


class HandoverProvider(abc.ABC):
    """Hands claims to an agency. Subclasses implement :meth:`hand_over`."""

    name = "abstract"

    @abc.abstractmethod
    def hand_over(self, claims: Sequence[HandoverClaim], *, reference: str) -> HandoverReceipt:
        """Deliver ``claims`` as one batch named ``reference``; raise a ``TransportError`` on failure."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (connections); nothing by default."""

    def __enter__(self) -> HandoverProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


CSV_COLUMNS = (
    "claim_number", "debtor_name", "debtor_kind", "org_number", "birth_date", "address", "postcode",
    "city", "country", "email", "phone", "customer_number", "invoice_date", "due_date", "currency",
    "principal", "interest", "interest_rate", "interest_from", "fees", "total", "kid", "reference",
    "notices",
)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv_row(claim: HandoverClaim) -> list[str]:
    d = claim.debtor
    notices = " | ".join(
        f"{n.kind} {n.sent_on.isoformat()} deadline {_text(n.deadline)} fee {n.fee} {n.channel}".strip()
        for n in claim.notices
    )
    values = (
        claim.claim_number, d.name, d.kind.value, d.org_number, d.birth_date, ", ".join(d.address_lines),
        d.postcode, d.city, d.country, d.email, d.phone, d.customer_number, claim.invoice_date,
        claim.due_date, claim.currency, claim.principal, claim.interest, claim.interest_rate,
        claim.interest_from, claim.fees, claim.total, claim.kid, claim.reference, notices,
    )
    return [_text(v) for v in values]


def _json_default(value: object) -> str:
    if isinstance(value, (date, Decimal, enum.Enum)):
        return value.value if isinstance(value, enum.Enum) else _text(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


class ExportFileProvider(HandoverProvider):
    """Writes the batch as a CSV (``;``-separated, UTF-8, amounts with ``.``) or JSON file.

    With ``directory`` the file is written there as ``<reference>.<format>``; without, only the
    receipt's ``content`` holds it (the Odoo addon stores it as an attachment).
    """

    name = "export_file"

    def __init__(self, directory: Path | str | None = None, *, format: str = "csv") -> None:
        if format not in ("csv", "json"):
            raise ValueError("format must be 'csv' or 'json'")
        self.directory = Path(directory) if directory is not None else None
        self.format = format

    def render(self, claims: Sequence[HandoverClaim]) -> bytes:
        if self.format == "json":
            data = [asdict(c) | {"total": c.total} for c in claims]
            return json.dumps(data, default=_json_default, ensure_ascii=False, indent=1).encode()
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for claim in claims:
            writer.writerow(_csv_row(claim))
        return out.getvalue().encode()

    def hand_over(self, claims: Sequence[HandoverClaim], *, reference: str) -> HandoverReceipt:
        content = self.render(claims)
        filename = f"{reference}.{self.format}"
        if self.directory is not None:
            (self.directory / filename).write_bytes(content)
        return HandoverReceipt(self.name, filename, tuple(c.claim_number for c in claims), content)


class InMemoryProvider(HandoverProvider):
    """A fake agency: keeps every batch; ``handler`` may raise to simulate a failing agency."""

    name = "in_memory"

    def __init__(self, handler: Callable[[Sequence[HandoverClaim]], None] | None = None) -> None:
        self.handler = handler
        self.batches: list[tuple[str, tuple[HandoverClaim, ...]]] = []

    def hand_over(self, claims: Sequence[HandoverClaim], *, reference: str) -> HandoverReceipt:
        if self.handler is not None:
            self.handler(claims)
        self.batches.append((reference, tuple(claims)))
        return HandoverReceipt(self.name, reference, tuple(c.claim_number for c in claims))
