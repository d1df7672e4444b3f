"""``nofaktura kpi show`` / ``regulate`` on the corpus samples (made-up numbers of the synthetic sample)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from nofaktura.cli import main

from .conftest import DEFAULT_2025M02, SYNTHETIC, sample


def test_show_lists_the_months(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kpi", "show", str(sample(SYNTHETIC))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("table 03013, 2015=100, 3 months")
    assert out[1:] == ["2024M10  100.1", "2024M11  100.2", "2024M12  100.3"]


def test_regulate_between_two_months(capsys: pytest.CaptureFixture[str]) -> None:
    # 10 000 × 100.3 / 100.1 = 10 019.98002 → 10 019.98; 80 %: 10 000 × (100.1 + 0.8 × 0.2) / 100.1
    #   = 10 000 × 100.26 / 100.1 = 10 015.984… → 10 015.98.
    path = str(sample(SYNTHETIC))
    assert main(["kpi", "regulate", path, "--amount", "10000", "--from", "2024M10", "--to", "2024M12"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "10000 → 10019.98"
    assert main(["kpi", "regulate", path, "--amount", "10000", "--from", "2024M10", "--to", "2024M12",
                 "--share", "80", "--json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data["new_amount"] == "10015.98" and data["index_to"] == {
        "period": "2024M12", "value": "100.3", "base_year": 2015, "table": "03013"}  # fmt: skip


def test_regulate_from_stdin_in_whole_kroner(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(sample(SYNTHETIC).read_bytes())))
    assert main(["kpi", "regulate", "-", "--amount", "10000", "--from", "2024M10", "--to", "2024M12",
                 "--whole-kroner"]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("10000 → 10020\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--from", "2024M02", "--to", "2025M02"], "2024M02 (table 03013, 2015=100) is not published"),
     (["--from", "2025M02", "--to", "2025M02", "--base-year", "2025"], "the settings say 2025=100"),
     (["--from", "2025M02", "--to", "2025M02", "--table", "14700"], "table 03013, not table 14700")],
)  # fmt: skip
def test_unusable_answers_exit_2_with_one_line(capsys: pytest.CaptureFixture, args: list[str], message: str) -> None:
    assert main(["kpi", "regulate", str(sample(DEFAULT_2025M02)), "--amount", "1", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nofaktura: error: ") and message in err and err.count("\n") == 1


def test_missing_file_and_bad_arguments(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kpi", "show", str(tmp_path / "nope.json")]) == 2
    assert capsys.readouterr().err == f"nofaktura: error: {tmp_path / 'nope.json'}: no such file\n"
    for bad in (["--amount", "1e9"], ["--amount", "-5"], ["--from", "2024-13"], ["--share", "0"]):
        args = ["kpi", "regulate", str(sample(SYNTHETIC)), "--amount", "1", "--from", "2024M10", "--to", "2024M12"]
        if bad[0] in args:
            args[args.index(bad[0]) + 1] = bad[1]
        else:
            args += bad
        with pytest.raises(SystemExit) as caught:
            main(args)
        assert caught.value.code == 2
