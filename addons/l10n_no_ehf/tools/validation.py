"""The one call from the addon into the EHF validation of the library."""

from nofaktura.ehf.validation import validate as _validate
from nofaktura.ehf.validation import validate_element as _validate_element


def validate_ehf(xml):
    """Validate EHF bytes, or a UBL root already parsed by ``nofaktura.xml.load_ubl`` (so a received
    document is parsed once for reading and validation); returns ``(valid, findings)`` with findings
    as plain dicts (rule, flag, location, message in English and Norwegian)."""
    result = _validate(xml) if isinstance(xml, bytes) else _validate_element(xml)
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
