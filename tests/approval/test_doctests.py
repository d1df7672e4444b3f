"""The example in the approval package's docstring is a test too."""

import doctest

import nofaktura.approval


def test_docstring_examples():
    result = doctest.testmod(nofaktura.approval)
    assert result.attempted > 0
    assert result.failed == 0
