"""The examples in the dunning modules' docstrings are tests too."""

import doctest
import importlib

import pytest

# by module path: ``nofaktura.dunning.interest`` as an attribute is the function the package re-exports
MODULES = ["tables", "fees", "interest", "handover"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"nofaktura.dunning.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
