from __future__ import annotations

import httpx
import paramiko
import pytest

from nofaktura.exceptions import (
    AuthenticationFailed,
    RateLimited,
    RecipientRejected,
    ServiceUnavailable,
    TransportTimeout,
)
from nofaktura.peppol.transports.base import error_for_http_status, translate_errors


@pytest.mark.parametrize(
    ("status", "error", "retryable"),
    [
        (401, AuthenticationFailed, False),
        (403, AuthenticationFailed, False),
        (422, RecipientRejected, False),
        (404, RecipientRejected, False),
        (429, RateLimited, True),
        (408, TransportTimeout, True),
        (500, ServiceUnavailable, True),
        (503, ServiceUnavailable, True),
    ],
)
def test_http_status_table(status, error, retryable):
    exc = error_for_http_status(status, "detail")
    assert type(exc) is error
    assert exc.retryable is retryable
    assert f"HTTP {status}" in str(exc)


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (httpx.ConnectTimeout("slow"), TransportTimeout),
        (httpx.ConnectError("refused"), ServiceUnavailable),
        (paramiko.AuthenticationException("no"), AuthenticationFailed),
        (paramiko.SSHException("kex failed"), ServiceUnavailable),
        (TimeoutError("slow"), TransportTimeout),
        (ConnectionRefusedError("refused"), ServiceUnavailable),
        (PermissionError(13, "denied", "/outbox"), AuthenticationFailed),
        (FileNotFoundError(2, "missing"), ServiceUnavailable),
    ],
)
def test_third_party_errors_translated_in_one_place(raised, expected):
    with pytest.raises(expected) as info, translate_errors("testing"):
        raise raised
    assert info.value.__cause__ is raised
    assert "testing" in str(info.value)


def test_other_exceptions_pass_through():
    with pytest.raises(KeyError), translate_errors("testing"):
        raise KeyError("bug")
    with pytest.raises(RecipientRejected), translate_errors("testing"):
        raise RecipientRejected("ours")
