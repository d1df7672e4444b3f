"""The one call from the addon into the EHF validation of the library."""

from nofaktura.ehf.validation import validate as _validate


def validate_ehf(xml):
    """Validate EHF bytes; returns ``(valid, findings)`` with findings as plain dicts (rule, flag,
    location, message in English and Norwegian)."""
    result = _validate(xml)
    findings = [
        {
            "rule": f.rule,
            "flag": str(getattr(f.flag, "value", f.flag)),
            "location": f.location or "",
            "message": f.text("en"),
            "message_nb": f.text("nb"),
        }
        for f in result.findings
    ]
    return bool(result.valid), findings
