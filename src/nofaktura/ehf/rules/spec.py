"""Which specification a document claims, said once and first, before the rule findings.

The official rules check one specification: Peppol BIS Billing 3 (which EHF 3 billing is). A
document that claims another one (an EHF 2.x invoice, a Peppol self-billing invoice, XRechnung,
plain EN 16931, an EHF payment request) gets dozens of BIS 3 findings that all stem from one cause;
a person should read that cause first. So ahead of the rule findings comes:

* ``NOFAKTURA-SPEC-01`` (fatal): the CustomizationID names another specification, or none; the
  finding says which (by name where we know it) and that we validate BIS Billing 3 / EHF 3;
* ``NOFAKTURA-SPEC-02`` (warning): an extension of BIS Billing 3 (``...billing:3.0#conformant#...``
  such as the EHF reminder or forward billing): the BIS 3 rules were checked, the extension's own
  rules were not.

These are our ids, not official ones; the official verdict (PEPPOL-EN16931-R004) is unchanged.
"""

from __future__ import annotations

from lxml import etree

from nofaktura.ehf.namespaces import CBC, PREFIX_OF
from nofaktura.ehf.rules.engine import Finding, Flag
from nofaktura.xml import element_path

__all__ = ["BIS_BILLING_3", "claimed_specification", "specification_findings"]

#: The CustomizationID of Peppol BIS Billing 3.0 (and so of EHF 3 billing).
BIS_BILLING_3 = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"

#: (text inside the CustomizationID, the specification's name), first match wins
_KNOWN: tuple[tuple[str, str], ...] = (
    ("urn:www.difi.no:ehf:faktura:ver2", "EHF 2.x invoice"),
    ("urn:www.difi.no:ehf:kreditnota:ver2", "EHF 2.x credit note"),
    ("urn:www.cenbii.eu:", "CEN BII 2 (Peppol BIS 2 / EHF 2.x)"),
    ("urn:fdc:anskaffelser.no:2019:ehf:reminder:3.0", "EHF Reminder 3.0"),
    ("urn:fdc:anskaffelser.no:2019:ehf:forward-billing:3.0", "EHF Forward Billing 3.0"),
    ("urn:fdc:anskaffelser.no:2019:ehf:spec:payment-request:3.0", "EHF Payment Request 3.0"),
    ("urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0", "Peppol BIS Self-Billing 3.0"),
    ("xrechnung", "XRechnung"),
)


def claimed_specification(customization_id: str | None) -> str:
    """A readable name of the specification a CustomizationID claims."""
    text = " ".join((customization_id or "").split())
    if not text:
        return "no specification (cbc:CustomizationID is missing)"
    lowered = text.lower()
    for marker, name in _KNOWN:
        if marker.lower() in lowered:
            return name
    if text == "urn:cen.eu:en16931:2017":
        return "EN 16931 without a CIUS"
    return "an unknown specification"


def specification_findings(root: etree._Element) -> list[Finding]:
    """The NOFAKTURA-SPEC finding for a document that is not plain BIS Billing 3, else nothing."""
    element = root.find(f"{{{CBC}}}CustomizationID")
    text = " ".join((element.text or "").split()) if element is not None else ""
    if text == BIS_BILLING_3:
        return []
    where = element_path(element if element is not None else root, PREFIX_OF)
    name = claimed_specification(text)
    if text.startswith(BIS_BILLING_3 + "#"):
        return [
            Finding(
                "NOFAKTURA-SPEC-02",
                Flag.WARNING,
                where,
                f"The document claims {name} ({text}), an extension of Peppol BIS Billing 3. The BIS Billing 3"
                " / EHF 3 rules were checked; the extension's own rules were not.",
                f"Dokumentet oppgir {name} ({text}), en utvidelse av Peppol BIS Billing 3. Reglene for BIS"
                " Billing 3 / EHF 3 er kontrollert; utvidelsens egne regler er ikke det.",
            )
        ]
    claimed = f"{name} ({text})" if text else name
    return [
        Finding(
            "NOFAKTURA-SPEC-01",
            Flag.FATAL,
            where,
            f"The document claims {claimed}, not Peppol BIS Billing 3 / EHF 3, which is what is validated"
            f" here (CustomizationID {BIS_BILLING_3}). The findings below judge it by BIS Billing 3 rules.",
            f"Dokumentet oppgir {claimed}, ikke Peppol BIS Billing 3 / EHF 3, som er det som valideres her"
            f" (CustomizationID {BIS_BILLING_3}). Funnene nedenfor bedømmer det etter BIS Billing 3-reglene.",
        )
    ]
