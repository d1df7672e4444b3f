"""The examples in the dunning modules' docstrings are tests too."""

import doctest

import pytest

from nofaktura.dunning import fees, handover, interest, tables


@pytest.mark.parametrize("module", [tables, fees, interest, handover], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
