"""Format detection and the ``nofaktura ocr|camt show`` commands."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from nofaktura.bank.detect import detect_format
from nofaktura.cli import main

from .helpers import camt_bytes
from .test_camt import NORWEGIAN

OCR = "nets-ocr-avtalegiro/tests/data/ocr_giro_transactions.txt"


def test_detect(corpora):
    assert detect_format((corpora / OCR).read_bytes()[:100]) == "ocr"
    assert detect_format(camt_bytes(NORWEGIAN)[:500]) == "camt.054"
    oca = corpora / "iso20022/oca-bank-statement-import/account_statement_import_camt/test_files"
    assert detect_format((oca / "test-camt053").read_bytes()[:2000]) == "camt.053"
    assert detect_format(b"\xef\xbb\xbf<?xml version='1.0'?><Document><BkToCstmrStmt>") == "camt.053"
    assert detect_format(b"NY210020") == "unknown"
    assert detect_format(b"%PDF-1.4") == "unknown"
    assert detect_format(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">') == "unknown"


def test_ocr_show_json(corpora, capsys):
    assert main(["ocr", "show", str(corpora / OCR), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "ocr"
    assert data["totals"]["declared_total"] == "51449.00" and data["totals"]["count"] == 20
    first = data["transactions"][0]
    assert (first["kid"], first["amount"]) == ("0000531", "1020.00")
    assert (first["currency"], first["date"]) == ("NOK", "1992-01-20")


def test_ocr_show_table(corpora, capsys):
    assert main(["ocr", "show", str(corpora / OCR)]) == 0
    out = capsys.readouterr().out
    assert "0000531" in out and "1020.00" in out and "Foo bar baz" in out


def test_camt_show_json(tmp_path, capsys):
    path = tmp_path / "n.xml"
    path.write_bytes(camt_bytes(NORWEGIAN))
    assert main(["camt", "show", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["kid"] for t in data["transactions"]][:2] == ["123456782", "000004226000174"]
    assert data["transactions"][0]["amount"] == "1234.50"
    assert data["totals"]["credit_total"] == "1459.75"
    assert Decimal(data["totals"]["net_total"]) == Decimal("1449.75")


def test_broken_ocr_file_exits_2_naming_file_and_line(corpora, tmp_path, capsys):
    path = tmp_path / "cut.txt"
    path.write_bytes(b"\n".join((corpora / OCR).read_bytes().splitlines()[:20]) + b"\n")
    assert main(["ocr", "show", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}, line 20" in err and "truncated" in err


@pytest.mark.parametrize(("command", "fixture"), [("camt", "ocr"), ("ocr", "camt")])
def test_wrong_format_exits_2(corpora, tmp_path, capsys, command, fixture):
    path = tmp_path / "f"
    path.write_bytes((corpora / OCR).read_bytes() if fixture == "ocr" else camt_bytes(NORWEGIAN))
    assert main([command, "show", str(path)]) == 2
    assert "not a" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["camt", "show", str(tmp_path / "nope.xml")]) == 2
    assert "nope.xml" in capsys.readouterr().err
