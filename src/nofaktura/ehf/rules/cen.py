"""The CEN EN 16931 rule set for UBL Invoice and CreditNote (CEN/TC 434 validation artefacts).

Three patterns, as in the official schematron ``EN16931-UBL-validation.sch``:

* ``UBL-model`` (:mod:`.cen_model`, :mod:`.cen_vat`): the business rules BR-*, BR-CO-*, BR-DEC-*
  and the VAT category rules;
* ``UBL-syntax`` (:mod:`.cen_syntax`): UBL-SR-*, UBL-DT-* and the generated UBL-CR-* restrictions;
* ``Codesmodel`` (:mod:`.cen_codes`): the generated BR-CL-* code lists.

To update to a new CEN release: regenerate the tables with ``tools/gen_cen_tables.py``, compare the
new schematron's BR rules with the hand-written ones (same ids, same contexts, same tests), bump
:data:`VERSION`, and run the conformance tests (``tests/ehf/test_conformance.py``).
"""

from __future__ import annotations

from nofaktura.ehf.rules import cen_codes, cen_model, cen_syntax
from nofaktura.ehf.rules.engine import Pattern

__all__ = ["PATTERNS", "VERSION"]

#: Release of the CEN validation artefacts (``EN16931-UBL-validation.sch``) these rules follow.
VERSION = "1.3.16"

PATTERNS: tuple[Pattern, ...] = (cen_model.PATTERN, cen_syntax.PATTERN, cen_codes.PATTERN)

if not cen_codes.VERSION == cen_syntax.VERSION == VERSION:  # pragma: no cover - caught by any test run
    raise ImportError(f"CEN tables are from release {cen_codes.VERSION}/{cen_syntax.VERSION}, rules from {VERSION}")
