"""The Peppol BIS Billing 3.0 rule set of release 3.0.19 (May 2025; ``rules/sch/PEPPOL-EN16931-UBL.sch``).

Still selectable (``nofaktura validate --rules 3.0.19``); the default is :mod:`.peppol` (3.0.21),
which is this rule set with the changes of the later release applied.

Patterns, contexts and asserts follow the official schematron one to one, in its order, so the
first-matching-group semantics give the same verdicts:

* :mod:`.peppol_transaction` -- empty elements, the transaction rules (PEPPOL-EN16931-R*) and the
  identifier checks (PEPPOL-COMMON-R*);
* the national rules, Norway first (:mod:`.national_no`), then :mod:`.national_dk`, ``_it``, ``_se``,
  ``_gr``, ``_is``, ``_nl`` and ``_de``;
* :mod:`.peppol_codes` -- the restricted code lists and formats (PEPPOL-EN16931-CL*, -P*, -F*).

XSLT match patterns became XPath ``//...`` contexts. Tests that XPath 1.0 cannot state exactly
(decimals, dates, regexes, check digits, the ``$supplierCountry`` family of values) are Python
callables using :mod:`.peppol_functions`, which holds the schematron's functions and ``<let>`` values.

Messages are our own words, in English and Norwegian bokmål, naming the business term.
"""

from __future__ import annotations

from nofaktura.ehf.rules import (
    national_de,
    national_dk,
    national_gr,
    national_is,
    national_it,
    national_nl,
    national_no,
    national_se,
    peppol_codes,
    peppol_transaction,
)
from nofaktura.ehf.rules.data import peppol_sch_lists as lists

__all__ = ["PATTERNS", "VERSION"]

#: The official release these rules follow (the schematron header and the corpus commit).
VERSION = lists.VERSION

#: In the schematron's order: national patterns sit between the transaction rules and the code lists.
PATTERNS = (
    *peppol_transaction.PATTERNS,
    *national_no.PATTERNS,
    *national_dk.PATTERNS,
    *national_it.PATTERNS,
    *national_se.PATTERNS,
    *national_gr.PATTERNS,
    *national_is.PATTERNS,
    *national_nl.PATTERNS,
    *national_de.PATTERNS,
    *peppol_codes.PATTERNS,
)
