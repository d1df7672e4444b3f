"""Retry with exponential backoff, as a wrapping transport (httpx's pattern, style.md §3).

Only errors whose ``retryable`` is true are retried (timeouts, unavailable, rate limited); a rejected
document or refused credentials fail at once. ``send`` is retried with the *same* idempotency key, so
an attempt whose answer was lost is not sent a second time: the access point answers the first receipt
or :class:`~nofaktura.exceptions.DuplicateSubmission`, which this wrapper turns into a receipt when
the access point named the message.

``sleep`` is injected so tests do not wait. The Odoo addon does not sleep in a worker: it uses
:func:`backoff_delay` to set the next try of a queued record and lets the cron come back.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from nofaktura.exceptions import DuplicateSubmission, TransportError
from nofaktura.peppol.transports.base import (
    AccessPointTransport,
    DeliveryStatus,
    IncomingDocument,
    OutgoingDocument,
    Receipt,
)

__all__ = ["RetryingTransport", "backoff_delay"]

_logger = logging.getLogger(__name__)
T = TypeVar("T")


def backoff_delay(
    attempt: int,
    *,
    base: float = 60.0,
    factor: float = 2.0,
    maximum: float = 6 * 3600.0,
    jitter: float = 0.0,
    rng: Callable[[], float] = random.random,
) -> timedelta:
    """Delay before try number ``attempt + 1`` (``attempt`` ≥ 1): base·factor^(attempt-1), capped.

    ``jitter`` (0..1) spreads retries of many workers: the delay is scaled by 1 - jitter·rng().
    """
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    delay = min(maximum, base * factor ** (attempt - 1))
    if jitter:
        delay *= 1.0 - jitter * rng()
    return timedelta(seconds=delay)


class RetryingTransport(AccessPointTransport):
    """Wraps another transport; retries retryable errors up to ``attempts`` times in total."""

    name = "retrying"

    def __init__(
        self,
        inner: AccessPointTransport,
        *,
        attempts: int = 3,
        base_delay: float = 1.0,
        factor: float = 2.0,
        max_delay: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.inner = inner
        self.attempts = attempts
        self._delay = lambda n: backoff_delay(n, base=base_delay, factor=factor, maximum=max_delay)
        self._sleep = sleep

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        attempt = 1
        while True:
            try:
                return fn()
            except TransportError as exc:
                if not exc.retryable or attempt >= self.attempts:
                    raise
                delay = self._delay(attempt).total_seconds()
                _logger.info(
                    "%s failed (%s), try %d of %d in %.1fs", what, type(exc).__name__, attempt + 1, self.attempts, delay
                )
                self._sleep(delay)
                attempt += 1

    def send(self, document: OutgoingDocument) -> Receipt:
        tried = False

        def once() -> Receipt:
            nonlocal tried
            try:
                return self.inner.send(document)
            except DuplicateSubmission as exc:
                # Only a *retry* may meet its own earlier attempt; on the first try it is a real error.
                if tried and exc.message_id:
                    return Receipt(exc.message_id, document.idempotency_key, None, duplicate=True)
                raise
            finally:
                tried = True

        return self._call(f"sending {document.idempotency_key}", once)

    def fetch_incoming(self) -> list[IncomingDocument]:
        return self._call("fetching incoming documents", self.inner.fetch_incoming)

    def acknowledge(self, incoming_id: str) -> None:
        self._call(f"acknowledging {incoming_id}", lambda: self.inner.acknowledge(incoming_id))

    def status(self, message_id: str) -> DeliveryStatus:
        return self._call(f"status of {message_id}", lambda: self.inner.status(message_id))

    def close(self) -> None:
        self.inner.close()
