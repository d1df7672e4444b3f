"""``nofaktura pain001 make`` and ``nofaktura pain002 show``: output, exit codes 0/1/2, errors on stderr."""

from __future__ import annotations

import json
import re

import pytest

import nofaktura.cli.pain as cli_pain
from nofaktura.cli import main

from .helpers import SCHEMAS, account, assert_valid, corpus, read_back

KID = "12345674"


def order_json(**overrides) -> dict:
    data = {
        "message_id": "CLI-1",
        "created": "2026-11-27T09:30:00+01:00",
        "execution_date": "2026-12-01",
        "debtor": {"name": "Betaler AS", "orgnr": "988077917", "account": "8601.11.17947", "bic": "DNBANOKK"},
        "transfers": [
            {"end_to_end_id": "B-17", "amount": "1250.00", "creditor": {"name": "Kraft AS", "account": account(0)},
             "kid": KID},
            {"end_to_end_id": "B-18", "amount": 99.5, "execution_date": "2026-12-03",
             "creditor": {"name": "Vask AS", "account": "NO9386011117947"}, "text": "Faktura 118"},
        ],
    }  # fmt: skip
    data.update(overrides)
    return data


def write(tmp_path, data, name="order.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


@pytest.mark.parametrize("version", ["03", "09"])
def test_make(tmp_path, capsys, version):
    out = tmp_path / "out.xml"
    assert main(["pain001", "make", str(write(tmp_path, order_json())), str(out), "--version", version]) == 0
    xml = out.read_bytes()
    assert_valid(xml, version)
    back = read_back(xml, version)
    assert back["created"] == "2026-11-27T09:30:00+01:00"
    assert back["ctrl_sum"] == "1349.50"  # 99.5 read as an exact decimal, not a float
    assert [b["date"] for b in back["batches"]] == ["2026-12-01", "2026-12-03"]
    assert back["batches"][0]["txs"][0]["kid"] == KID
    assert "2 transfers in 2 payment block(s), control sum 1349.50" in capsys.readouterr().out


def test_make_created_option_and_default_clock(tmp_path):
    out = tmp_path / "out.xml"
    order = write(tmp_path, order_json())
    assert main(["pain001", "make", str(order), str(out), "--created", "2026-01-02T03:04:05Z"]) == 0
    assert read_back(out.read_bytes(), "03")["created"] == "2026-01-02T03:04:05+00:00"
    data = order_json()
    del data["created"]
    assert main(["pain001", "make", str(write(tmp_path, data)), str(out)]) == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", read_back(out.read_bytes(), "03")["created"])


def test_make_with_xsd_check(tmp_path):
    out = tmp_path / "out.xml"
    order = write(tmp_path, order_json())
    xsd = SCHEMAS / "pain.001.001.03.xsd"
    assert main(["pain001", "make", str(order), str(out), "--xsd", str(xsd)]) == 0
    wrong = SCHEMAS / "pain.001.001.09.xsd"
    assert main(["pain001", "make", str(order), str(tmp_path / "no.xml"), "--xsd", str(wrong)]) == 2
    assert not (tmp_path / "no.xml").exists()


def test_make_invalid_order_exit_1(tmp_path, capsys):
    data = order_json()
    data["transfers"][1]["text"] = "x" * 141
    out = tmp_path / "out.xml"
    assert main(["pain001", "make", str(write(tmp_path, data)), str(out)]) == 1
    err = capsys.readouterr().err
    assert "transfer 2 (end-to-end id 'B-18'), text: has 141 characters, more than the 140 allowed" in err
    assert not out.exists()


def test_make_bad_kid_exit_1(tmp_path, capsys):
    data = order_json()
    data["transfers"][0]["kid"] = "12345675"
    assert main(["pain001", "make", str(write(tmp_path, data)), str(tmp_path / "o.xml")]) == 1
    assert "transfer 1 (end-to-end id 'B-17'), kid:" in capsys.readouterr().err


def test_make_unusable_input_exit_2(tmp_path, capsys):
    assert main(["pain001", "make", str(write(tmp_path, "{not json")), str(tmp_path / "o.xml")]) == 2
    assert "not JSON" in capsys.readouterr().err
    assert main(["pain001", "make", str(tmp_path / "missing.json"), str(tmp_path / "o.xml")]) == 2
    assert main(["pain001", "make", str(write(tmp_path, order_json())), str(tmp_path / "o.xml"),
                 "--created", "yesterday"]) == 2  # fmt: skip


def test_the_documented_example_works(tmp_path):
    """The JSON in the module docstring is real: strip its // comments and write it."""
    doc = cli_pain.__doc__
    start = doc.index("    {\n")
    end = doc.index("\n    }\n", start) + 6
    text = re.sub(r"\s*//[^\n]*", "", doc[start:end])
    out = tmp_path / "doc.xml"
    assert main(["pain001", "make", str(write(tmp_path, text)), str(out)]) == 0
    back = read_back(out.read_bytes(), "03")
    assert back["nb"] == "3" and back["ctrl_sum"] == "1749.50"


def test_pain001_without_command_shows_help():
    assert main(["pain001"]) == 2
    assert main(["pain002"]) == 2


def test_show_table(capsys):
    path = corpus("moov-iso20022/test/testdata/pain002-epo_p_ch5109000000250092291_1110097605_0_2018031511252307.xml")
    assert main(["pain002", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Answers:    MsgId-001 (pain.001.001.03.ch.02)" in out
    assert "Payment PmtInfId-001-03: PART [partial]" in out
    assert re.search(r"EndToEndId-001-03-04\s+RJCT\s+rejected\s+-\s+AC01 \(Incorrect account number\)", out)


def test_show_json(capsys):
    path = corpus("iso20022js/test/assets/nordea/pain_002_v3_group_reject.xml")
    assert main(["pain002", "show", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["group_status"], data["group_kind"], data["group_reasons"][0]["code"]) == ("RJCT", "rejected", "DU01")


def test_show_broken_and_hostile_exit_2(tmp_path, capsys):
    evil = tmp_path / "evil.xml"
    evil.write_bytes(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><Document>&e;</Document>')
    assert main(["pain002", "show", str(evil)]) == 2
    assert "DOCTYPE" in capsys.readouterr().err
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.002.001.03'><CstmrPmtStsRpt>"
                       b"<GrpHdr><MsgId>M</MsgId></GrpHdr><OrgnlGrpInfAndSts><GrpSts>ACCP</GrpSts>"
                       b"</OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>")  # fmt: skip
    assert main(["pain002", "show", str(broken)]) == 2
    assert "OrgnlMsgId" in capsys.readouterr().err


def test_show_rejection_of_a_file_the_bank_could_not_read(capsys):
    # No OrgnlMsgId (the bank could not parse our file): the rejection and its reason are shown, exit 0.
    path = corpus("iso20022js/test/assets/cross_river/pain_002_batch_rejected.xml")
    assert main(["pain002", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Answers:    - (pain.008.001.02)" in out
    assert "Group:      RJCT [rejected] NARR (Narrative: see the additional information): Error parsing file" in out
