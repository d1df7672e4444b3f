"""``nofaktura dunning rates`` and ``interest``: output and exit codes."""

import json

import pytest

from nofaktura.cli import main


def test_rates_known_day(capsys):
    assert main(["dunning", "rates", "--date", "2026-03-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    values = data["values"]
    assert values["inkassosats"]["value"] == "750"
    assert values["reminder_fee"]["value"] == "37.50"
    assert values["inkassovarsel_fee"]["value"] == "37.50"
    assert values["betalingsoppfordring_fee"]["value"] == "112.50"
    assert values["forsinkelsesrente"]["value"] == "12.00"
    assert values["standardkompensasjon"]["value"] == "460"
    assert data["complete"] is True


def test_rates_unknown_values_reported_exit_1(capsys):
    assert main(["dunning", "rates", "--date", "2026-08-01"]) == 1
    out = capsys.readouterr().out
    assert "forsinkelsesrente" in out and "unknown" in out


def test_rates_bad_date_exit_2(capsys):
    try:
        main(["dunning", "rates", "--date", "2026-13-01"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("argparse should exit")


def test_interest_split(capsys):
    assert main(["dunning", "interest", "--amount", "10000", "--from", "2025-06-01", "--to", "2026-02-01",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["interest"] == "822.19"
    assert [p["days"] for p in data["parts"]] == [30, 184, 31]


def test_interest_text_and_unknown_rate(capsys):
    assert main(["dunning", "interest", "--amount", "100", "--from", "2026-01-01", "--to", "2026-01-31"]) == 0
    assert "30 days" in capsys.readouterr().out
    assert main(["dunning", "interest", "--amount", "100", "--from", "2026-06-01", "--to", "2026-07-31"]) == 2
    assert "forsinkelsesrente" in capsys.readouterr().err
    assert main(["dunning", "interest", "--amount", "100", "--from", "2026-02-01", "--to", "2026-01-31"]) == 2


# --- issue 11 item 8: the company's own values for half-years the law tables lack (2026H2) ---------------


def test_rates_with_company_values_for_a_missing_half_year(capsys):
    assert main(["dunning", "rates", "--date", "2026-08-01", "--rate", "12.25", "--compensation", "460",
                 "--json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] is True
    rente, kompensasjon = data["values"]["forsinkelsesrente"], data["values"]["standardkompensasjon"]
    assert (rente["value"], rente["certainty"]) == ("12.25", "supplied")
    assert (kompensasjon["value"], kompensasjon["certainty"]) == ("460", "supplied")
    assert rente["valid_from"] == "2026-07-01" and rente["valid_to"] == "2026-12-31"


def test_company_rate_never_replaces_a_known_one(capsys):
    assert main(["dunning", "rates", "--date", "2026-03-01", "--rate", "99", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["values"]["forsinkelsesrente"]["value"] == "12.00"
    assert "--rate not used" in captured.err


def test_interest_across_a_missing_half_year_with_rate(capsys):
    assert main(["dunning", "interest", "--amount", "1000", "--from", "2026-06-01", "--to", "2026-08-01",
                 "--rate", "12.25", "--json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert [(p["rate"], p["certainty"], p["days"]) for p in data["parts"]] == [
        ("12.00", "S", 30),
        ("12.25", "supplied", 31),
    ]
    assert data["interest"] == "20.27"  # 1000 × (12.00 % × 30 + 12.25 % × 31) / 365


@pytest.mark.parametrize(
    "args",
    [
        ["interest", "--amount", "-5", "--from", "2026-01-01", "--to", "2026-01-31"],
        ["interest", "--amount", "100", "--from", "2026-06-01", "--to", "2026-08-01", "--rate", "-1"],
        ["rates", "--date", "2026-08-01", "--compensation", "-460"],
    ],
)
def test_negative_amounts_refused(capsys, args):
    with pytest.raises(SystemExit) as exc:
        main(["dunning", *args])
    assert exc.value.code == 2
    assert "must not be negative" in capsys.readouterr().err
