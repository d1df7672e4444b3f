"""Identifiers read from received documents (org. numbers, VAT ids, accounts, IBANs, Peppol ids, KIDs).

A value taken out of an invoice or a bank file is as hostile as the file: any string must give a
:class:`~nofaktura.exceptions.ValidationError` (the number is not what it claims to be) or a value,
never an ``IndexError``/``ValueError`` from the parsing underneath. And the format sniffing of bank
files never raises on any bytes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nofaktura import identifiers, kid
from nofaktura.bank.detect import CAMT053, CAMT054, OCR, UNKNOWN, detect_format
from nofaktura.exceptions import ValidationError
from nofaktura.peppol.ids import ParticipantId

EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "20")) * 5
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)

PARSERS: dict[str, Callable[[str], Any]] = {
    "identifiers.validate_orgnr": identifiers.validate_orgnr,
    "identifiers.validate_mva": identifiers.validate_mva,
    "identifiers.validate_account_number": identifiers.validate_account_number,
    "identifiers.validate_iban": identifiers.validate_iban,
    "identifiers.iban_to_account_number": identifiers.iban_to_account_number,
    "identifiers.account_number_to_iban": identifiers.account_number_to_iban,
    "identifiers.parse_peppol_id": identifiers.parse_peppol_id,
    "peppol.ids.ParticipantId.parse": ParticipantId.parse,
    "kid.validate": kid.validate,
    "kid.check_format": kid.check_format,
}
#: The boolean forms answer, whatever the input.
PREDICATES: dict[str, Callable[[str], bool]] = {
    "identifiers.is_valid_orgnr": identifiers.is_valid_orgnr,
    "identifiers.is_valid_mva": identifiers.is_valid_mva,
    "identifiers.is_valid_account_number": identifiers.is_valid_account_number,
    "identifiers.is_valid_iban": identifiers.is_valid_iban,
    "identifiers.is_valid_peppol_id": identifiers.is_valid_peppol_id,
    "kid.is_valid": kid.is_valid,
    "kid.looks_like_kid": kid.looks_like_kid,
}

strings = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[0-9 .:\-A-Za-z]{0,40}", fullmatch=True),
    st.sampled_from(["", " ", "0192:", ":", "::", "iso6523-actorid-upis::", "NO", "NO MVA", "0" * 200, "٣٤٥٦٧٨٩١٢"]),
)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_any_string_is_a_value_or_a_validation_error(name: str):
    @SETTINGS
    @given(strings)
    def run(text: str) -> None:
        with contextlib.suppress(ValidationError):  # anything else escapes and fails the test
            PARSERS[name](text)

    run()


@pytest.mark.parametrize("name", sorted(PREDICATES))
def test_predicates_answer_any_string(name: str):
    @SETTINGS
    @given(strings)
    def run(text: str) -> None:
        assert PREDICATES[name](text) in (True, False)

    run()


@SETTINGS
@given(st.one_of(st.binary(max_size=300), st.sampled_from([b"NY", b"NY000010", b"<", b"\xef\xbb\xbf<Document"])))
def test_format_detection_answers_any_bytes(head: bytes):
    assert detect_format(head) in (OCR, CAMT053, CAMT054, "camt.052", UNKNOWN)
