"""Fixtures shared by the camt tests: both schema versions we write, and the XSD check of a written file."""

from __future__ import annotations

import pytest
from lxml import etree


@pytest.fixture(params=["02", "08"])
def version(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def valid(corpora):
    """Check a file against the XSD its namespace names; return it."""
    schemas: dict[str, etree.XMLSchema] = {}

    def check(data: bytes) -> bytes:
        root = etree.fromstring(data)
        message = etree.QName(root).namespace.rpartition(":")[2]
        if message not in schemas:
            schemas[message] = etree.XMLSchema(etree.parse(str(corpora / "iso20022" / "camt-xsd" / f"{message}.xsd")))
        assert schemas[message].validate(root), schemas[message].error_log
        return data

    return check
