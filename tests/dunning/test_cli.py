"""``nofaktura dunning rates`` and ``interest``: output and exit codes."""

import json

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
