from __future__ import annotations

import pytest

from nofaktura.exceptions import InvalidChecksum, InvalidFormat
from nofaktura.peppol import ids
from nofaktura.peppol.ids import ParticipantId


def test_parse_short_and_wire_forms_are_equal():
    short = ParticipantId.parse("0192:987654325")
    wire = ParticipantId.parse("iso6523-actorid-upis::0192:987654325")
    assert short == wire
    assert str(short) == "0192:987654325"
    assert short.uri == "iso6523-actorid-upis::0192:987654325"


def test_orgnr_checked_for_0192():
    # PEPPOL-COMMON-R041: 9 digits and MOD11
    with pytest.raises(InvalidChecksum):
        ParticipantId.parse("0192:987654321")
    with pytest.raises(InvalidChecksum):
        ParticipantId.for_orgnr("12345678")


def test_other_schemes_compare_case_insensitively():
    assert ParticipantId.parse("0088:ABC") == ParticipantId.parse("0088:abc")
    assert len({ParticipantId("0088", "ABC"), ParticipantId("0088", "abc")}) == 1


@pytest.mark.parametrize("text", ["", "0192", "92:1", "abcd:1", "0088:a b"])
def test_bad_participants(text):
    with pytest.raises(InvalidFormat):
        ParticipantId.parse(text)


def test_document_type_ids_follow_the_pattern():
    # norway.md §1.2: <UBL namespace>::<root>##<CustomizationID>::2.1
    assert ids.INVOICE == (
        "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##"
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
    )
    assert ids.CREDIT_NOTE.startswith("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##")
    assert ids.INVOICE_RESPONSE.endswith("##urn:fdc:peppol.eu:poacc:trns:invoice_response:3::2.1")
    assert ids.document_type_for_root("CreditNote") == ids.CREDIT_NOTE
    with pytest.raises(InvalidFormat):
        ids.document_type_for_root("Order")
