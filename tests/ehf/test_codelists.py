"""The committed Peppol tables equal what the generator makes from the official files today.

``tools/gen_peppol_tables.py`` regenerates into a temporary directory and each module must be
byte-for-byte the committed one, so the data cannot go stale without this test failing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nofaktura.ehf.rules import peppol, peppol_3_0_19
from nofaktura.ehf.rules.data import peppol_codelists, peppol_sch_lists, peppol_sch_lists_3_0_21
from tests.conftest import CORPORA, REPO

DATA = REPO / "src" / "nofaktura" / "ehf" / "rules" / "data"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_peppol_tables", REPO / "tools" / "gen_peppol_tables.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory, corpora: Path) -> Path:
    out = tmp_path_factory.mktemp("tables")
    _generator().generate(corpora, out)
    return out


@pytest.mark.parametrize("name", sorted(_generator().OUTPUTS))
def test_committed_table_equals_generated(regenerated: Path, name: str) -> None:
    committed = (DATA / name).read_text(encoding="utf-8")
    assert committed == (regenerated / name).read_text(encoding="utf-8"), (
        f"{name} is stale: run .venv/bin/python tools/gen_peppol_tables.py"
    )


def test_version_and_source_are_recorded() -> None:
    assert peppol_3_0_19.VERSION == peppol_sch_lists.VERSION == peppol_codelists.VERSION == "3.0.19"
    assert peppol.VERSION == peppol_sch_lists_3_0_21.VERSION == "3.0.21"
    assert peppol_sch_lists_3_0_21.SOURCE.endswith(" @ 432f0e9a8cff5c03d06625abe7a5fd8e7e346a64")
    commit = (CORPORA / "peppol-bis-invoice-3" / "SOURCE.txt").read_text(encoding="utf-8").split("Commit")[1]
    assert peppol_codelists.SOURCE.rsplit(" ", 1)[-1] in commit


def test_all_seventeen_code_lists_are_there() -> None:
    assert len(peppol_codelists.CODES) == 17
    assert peppol_codelists.CODES["EAS"]["0192"].startswith("Enhetsregisteret")
    assert peppol_codelists.CODES["ISO4217"]["NOK"]
    assert "S" in peppol_codelists.CODES["UNCL5305"] and "C62" in peppol_codelists.CODES["REC20"]
    assert peppol_codelists.VERSIONS["UNCL4461"] == "D.16B"


def test_rules_use_the_schematron_lists_not_the_code_list_files() -> None:
    # P0100 accepts what the schematron writes inline; the UNCL1001 subset file also has 389
    # (self-billing), which the billing profile does not accept.
    assert "389" in peppol_codelists.CODES["UNCL1001_INV"]
    assert "389" not in peppol_sch_lists.PEPPOL_EN16931_P0100
    assert "0207" not in peppol_sch_lists.EAID and "0192" in peppol_sch_lists.EAID


@pytest.mark.parametrize(
    ("file_list", "sch_list"),
    [("EAS", "EAID"), ("ISO3166", "ISO3166"), ("ISO4217", "ISO4217"), ("MIME", "MIMECODE"),
     ("UNCL2005", "UNCL2005"), ("UNCL5189", "UNCL5189"), ("UNCL7161", "UNCL7161"), ("UNCL5305", "UNCL5305")],
)
def test_code_list_files_agree_with_the_schematron_in_this_release(file_list: str, sch_list: str) -> None:
    assert set(peppol_codelists.CODES[file_list]) == set(getattr(peppol_sch_lists, sch_list))


def test_3_0_21_lists_carry_the_release_changes() -> None:
    # ISO 4217: CNH and XCG added; EAS: 0242 added and 0037 dropped from the accepted schemes
    assert {"CNH", "XCG"} <= set(peppol_sch_lists_3_0_21.ISO4217) - set(peppol_sch_lists.ISO4217)
    assert "0242" in peppol_sch_lists_3_0_21.EAID and "0242" not in peppol_sch_lists.EAID
    assert "0037" in peppol_sch_lists.EAID and "0037" not in peppol_sch_lists_3_0_21.EAID


def test_code_list_names_say_which_release_they_come_from() -> None:
    # Checked on 2026-12-03: no corpus newer than 3.0.19 publishes code-list files (3.0.21 is its
    # schematron and examples only; ehf-norway/g3's lists are older than 3.0.19's, eInvoicing-EN16931
    # has token lists without names). When a newer corpus brings them, the generator takes the names
    # from there and this pin must move with it.
    gen = _generator()
    assert peppol_codelists.NAMES_RELEASE == gen.names_release(CORPORA) == "3.0.19"
    assert "names are those of release 3.0.19" in peppol_codelists.__doc__
    for release, (folder, _path) in gen.RELEASES.items():
        has_files = (CORPORA / folder / "structure" / "codelist").is_dir()
        assert has_files == (release == "3.0.19"), release
    # what that means for a person: a scheme 3.0.21 accepts (EAS 0242) is shown without a name
    assert "0242" in peppol_sch_lists_3_0_21.EAID and "0242" not in peppol_codelists.CODES["EAS"]
