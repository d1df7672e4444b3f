"""The example in the kpi package's docstring is a test too (on the fake Statistics Norway)."""

import doctest

import nofaktura.kpi


def test_docstring_examples() -> None:
    result = doctest.testmod(nofaktura.kpi)
    assert result.attempted > 0
    assert result.failed == 0
