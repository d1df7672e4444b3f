"""Reading JSON-stat 2.0 answers: the real and derived corpus samples, and the answers that must be refused."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from nofaktura.exceptions import DocumentError, IndexDataError, IndexNotPublished
from nofaktura.kpi import TABLE_03013, IndexTable, Period, parse_index_response
from nofaktura.kpi.jsonstat import load_dataset
from nofaktura.messages import msg

from .conftest import DEFAULT_2025M02, SYNTHETIC, TABLE_11118, TABLE_11118_META, sample


def test_the_default_selection_of_03013_gives_2025m02_with_its_base_year() -> None:
    series = parse_index_response(sample(DEFAULT_2025M02).read_bytes(), TABLE_03013)
    value = series[Period(2025, 2)]
    assert value.value == Decimal("137.0")
    assert str(value.value) == "137.0"  # read as Decimal, never through float
    assert (value.base_year, value.table) == (2015, "03013")
    assert len(series) == 1


def test_the_other_contents_codes_of_the_same_answer_are_at_their_positions() -> None:
    # id order [ContentsCode, Tid, Konsumgrp], sizes [4, 1, 1]: the contents code varies slowest.
    data = load_dataset(sample(DEFAULT_2025M02).read_bytes())
    cells = {c: data.cell(ContentsCode=c, Tid="2025M02", Konsumgrp="TOTAL")
             for c in ("KpiIndMnd", "Manedsendring", "Tolvmanedersendring", "KpiVektMnd")}  # fmt: skip
    assert cells == {"KpiIndMnd": Decimal("137.0"), "Manedsendring": Decimal("1.4"),
                     "Tolvmanedersendring": Decimal("3.6"), "KpiVektMnd": Decimal("1000.0")}  # fmt: skip


def test_the_real_11118_answer_is_indexed_row_major_with_the_last_id_fastest() -> None:
    # NOTES.md: id [Leveringssektor, Tid, ContentsCode], size [14, 1, 2] → value[0] = B1/2023/LevIndAar 133.3,
    # value[1] = B1/2023/Aarsendring 5.8, value[2] = B11/2023/LevIndAar 150.
    data = load_dataset(sample(TABLE_11118).read_bytes())
    assert data.cell(Leveringssektor="B1", Tid="2023", ContentsCode="LevIndAar") == Decimal("133.3")
    assert data.cell(Leveringssektor="B1", Tid="2023", ContentsCode="Aarsendring") == Decimal("5.8")
    assert data.cell(Leveringssektor="B11", Tid="2023", ContentsCode="LevIndAar") == Decimal("150")
    assert data.table_id == "11118"


def test_the_synthetic_sample_reads_three_months_and_keeps_a_null_cell_missing() -> None:
    body = sample(SYNTHETIC).read_bytes()
    series = parse_index_response(body, TABLE_03013)
    assert [(v.period.code, v.value) for v in series.values()] == [
        ("2024M10", Decimal("100.1")), ("2024M11", Decimal("100.2")), ("2024M12", Decimal("100.3"))]  # fmt: skip
    # The sample's null (status "..") is the 12-month change of 2024M11: read as that series, the month is
    # missing, and asking for it is an error, not zero.
    changes = parse_index_response(body, IndexTable("03013", "Tolvmanedersendring", 2015))
    assert Period(2024, 11) not in changes
    with pytest.raises(IndexNotPublished, match="2024M11") as caught:
        changes[Period(2024, 11)]
    assert caught.value.period == Period(2024, 11)
    assert "2024M11" in caught.value.text("nb") and "ikke publisert" in caught.value.text("nb")


def test_another_table_is_refused() -> None:
    with pytest.raises(IndexDataError, match="table 03013, not table 14700") as caught:
        parse_index_response(sample(DEFAULT_2025M02).read_bytes(), IndexTable("14700", "KpiIndMnd", 2025))
    assert "tabell 03013" in caught.value.text("nb")
    with pytest.raises(IndexDataError, match="table 11118, not table 03013"):
        parse_index_response(sample(TABLE_11118).read_bytes(), TABLE_03013)


def test_settings_on_another_base_year_than_the_label_are_refused() -> None:
    # The contents label says "Konsumprisindeks (2015=100)": settings saying 2025 are stale, not the data.
    with pytest.raises(IndexDataError, match="2015=100, the settings say 2025=100"):
        parse_index_response(sample(DEFAULT_2025M02).read_bytes(), IndexTable("03013", "KpiIndMnd", 2025))


def test_a_missing_contents_code_or_group_is_refused() -> None:
    body = sample(DEFAULT_2025M02).read_bytes()
    with pytest.raises(IndexDataError, match="no contents code KpiIndMndX"):
        parse_index_response(body, IndexTable("03013", "KpiIndMndX", 2015))
    with pytest.raises(IndexDataError, match="Konsumgrp = 01"):
        parse_index_response(body, IndexTable("03013", "KpiIndMnd", 2015, group_code="01"))


def test_an_annual_table_is_not_a_monthly_index() -> None:
    table = IndexTable("11118", "LevIndAar", 2015, group_dimension="Leveringssektor", group_code="B21")
    with pytest.raises(IndexDataError, match="not a month"):
        parse_index_response(sample(TABLE_11118).read_bytes(), table)


def test_several_series_in_one_answer_are_refused() -> None:
    # 11118 without a group selection holds 14 series; picking one silently would be a guess.
    table = IndexTable("11118", "LevIndAar", 2015, group_dimension=None, group_code=None)
    with pytest.raises(IndexDataError, match="several categories"):
        parse_index_response(sample(TABLE_11118).read_bytes(), table)


def test_the_metadata_answer_has_no_values() -> None:
    with pytest.raises(IndexDataError, match="no value array"):
        load_dataset(sample(TABLE_11118_META).read_bytes())


def _doc() -> dict:
    return json.loads(sample(DEFAULT_2025M02).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(value=[137.0, 1.4, 3.6]), "3 values for 4 cells"),
        (lambda d: d.update(value=["137.0", 1.4, 3.6, 1000.0]), "not a number"),
        (lambda d: d.update(value=[True, 1.4, 3.6, 1000.0]), "not a number"),
        (lambda d: d.update(value=[-1, 1.4, 3.6, 1000.0]), "not a plausible index value"),
        (lambda d: d.update(value=[1e300, 1.4, 3.6, 1000.0]), "not a plausible index value"),
        (lambda d: d.update(size=[4, 1]), "id, size and dimension"),
        (lambda d: d.update({"class": "collection"}), "not a JSON-stat 2.0 dataset"),
        (lambda d: d["dimension"].pop("Tid"), "not described"),
        (lambda d: d["dimension"]["Tid"]["category"].update(index={"2025M02": 3}), "positions do not match"),
        (lambda d: d["dimension"]["Tid"]["category"].update(index={"2025-02-01": 0}), "not a month"),
    ],
)
def test_broken_answers_are_refused_with_a_reason(change, message: str) -> None:
    doc = _doc()
    change(doc)
    with pytest.raises(IndexDataError, match=message):
        parse_index_response(json.dumps(doc).encode(), TABLE_03013, source="test answer")


def test_a_sparse_value_object_and_an_index_array_are_read_too() -> None:
    doc = _doc()
    doc["value"] = {"0": 137.0, "3": 1000.0}
    doc["dimension"]["ContentsCode"]["category"]["index"] = ["KpiIndMnd", "Manedsendring", "Tolvmanedersendring",
                                                              "KpiVektMnd"]  # fmt: skip
    series = parse_index_response(json.dumps(doc), TABLE_03013)
    assert series[Period(2025, 2)].value == Decimal("137.0")


def test_hostile_input_is_a_document_error_not_a_crash() -> None:
    with pytest.raises(IndexDataError, match="larger than 100 bytes"):
        parse_index_response(sample(DEFAULT_2025M02).read_bytes(), TABLE_03013, max_bytes=100)
    with pytest.raises(IndexDataError, match="not JSON"):
        parse_index_response(b"[" * 100_000, TABLE_03013)
    with pytest.raises(IndexDataError, match="not JSON"):
        parse_index_response(b"<html>502</html>", TABLE_03013)
    with pytest.raises(DocumentError, match="not a JSON-stat dataset"):
        parse_index_response(b"[1, 2]", TABLE_03013)
    doc = _doc()
    doc["value"] = [float("nan"), 1.4, 3.6, 1000.0]
    with pytest.raises(IndexDataError, match="not a number"):
        parse_index_response(json.dumps(doc), TABLE_03013)


def test_the_base_year_is_read_from_english_and_norwegian_labels() -> None:
    for label, refused in [("Consumer Price Index (2025 = 100)", True), ("Konsumprisindeks 2015=100", False),
                           ("Consumer Price Index (2015=100)", False), ("Konsumprisindeks", False)]:  # fmt: skip
        doc = _doc()
        doc["dimension"]["ContentsCode"]["category"]["label"]["KpiIndMnd"] = label
        if refused:
            with pytest.raises(IndexDataError, match="2025=100, the settings say 2015=100"):
                parse_index_response(json.dumps(doc), TABLE_03013)
        else:
            assert parse_index_response(json.dumps(doc), TABLE_03013)[Period(2025, 2)].base_year == 2015


def test_errors_say_where_in_both_languages() -> None:
    error = IndexDataError(msg("kpi.other_table", found="03013", table="14700"), source="svar.json", path="id")
    assert str(error) == error.text() == "svar.json, id: the answer is table 03013, not table 14700"
    assert error.text("nb_NO") == "svar.json, id: svaret er tabell 03013, ikke tabell 14700"
    assert error.key == "kpi.other_table"
    # a source that is itself a catalogue message is shown in the reader's language too
    sourced = IndexDataError(msg("kpi.no_values"), source=msg("kpi.source_table", table="03013"), path="value")
    assert str(sourced) == "Statistics Norway table 03013, value: the dataset has no value array"
    assert sourced.text("nb") == "SSB-tabell 03013, value: datasettet har ingen value-liste"
    # free text (not from the catalogue) still says in Bokmål what went wrong, like every library error
    assert IndexDataError("only English", source="a.json").text("nb") == (
        "a.json: Svaret er ikke indekstabellen det ble spurt om. (only English)"
    )
    assert IndexDataError().text("nb") == "Svaret er ikke indekstabellen det ble spurt om."
