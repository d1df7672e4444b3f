from contextlib import contextmanager
from unittest.mock import patch

from nofaktura.brreg import RateLimiter
from nofaktura.brreg.testing import FakeRegistry

from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

COMPANY_ORGNR = "988077917"
CUSTOMER_ORGNR = "974760673"
BANKRUPT_ORGNR = "976030788"
GONE_ORGNR = "971497017"
NO_VAT_ORGNR = "988879134"
UNKNOWN_ORGNR = "810006242"


def unit(orgnr, name, *, vat=True, foretak=True, **extra):
    """An Enhetsregisteret answer shaped like the corpus fixtures (../shared/corpora/brreg)."""
    body = {
        "organisasjonsnummer": orgnr,
        "navn": name,
        "organisasjonsform": {"kode": "AS", "beskrivelse": "Aksjeselskap"},
        "forretningsadresse": {
            "land": "Norge", "landkode": "NO", "postnummer": "0101", "poststed": "OSLO",
            "adresse": ["Tyvholmen 1", None, ""], "kommune": "OSLO", "kommunenummer": "0301",
        },
        "postadresse": {
            "land": "Norge", "landkode": "NO", "postnummer": "0122", "poststed": "OSLO",
            "adresse": ["Postboks 1752 Vika"], "kommune": "OSLO", "kommunenummer": "0301",
        },
        "registrertIMvaregisteret": vat,
        "registrertIForetaksregisteret": foretak,
        "naeringskode1": {"kode": "62.010", "beskrivelse": "Programmeringstjenester"},
        "konkurs": False,
        "underAvvikling": False,
        "underTvangsavviklingEllerTvangsopplosning": False,
        "registreringsdatoEnhetsregisteret": "2017-10-20",
    }
    body.update(extra)
    return body


class BrregCommon(AccountTestInvoicingCommon):
    """A Norwegian company, a fake Enhetsregisteret injected as the HTTP transport (never the network),
    and users holding only their job's groups."""

    country_code = "NO"

    @classmethod
    @AccountTestInvoicingCommon.setup_country("no")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write({"vat": False, "l10n_no_bronnoysund_number": False, "company_registry": False,
                           "street": False, "zip": False, "city": False})
        cls.fake = FakeRegistry()
        cls.fake.add(unit(COMPANY_ORGNR, "FJORDFAKTURA AS"))
        cls.fake.add(unit(CUSTOMER_ORGNR, "KUNDE AS"))
        cls.fake.add(unit(BANKRUPT_ORGNR, "KONKURS AS", konkurs=True, konkursdato="2026-03-01"))
        cls.fake.add(unit(NO_VAT_ORGNR, "UTEN MVA AS", vat=False, foretak=False))
        cls.fake.mark_gone(GONE_ORGNR)
        Company = type(cls.env["res.company"])
        fake = cls.fake
        limiter = RateLimiter(1000, per=1.0)
        cls.startClassPatcher(patch.object(Company, "_l10n_no_brreg_transport", lambda self: fake.transport))
        cls.startClassPatcher(patch.object(Company, "_l10n_no_brreg_limiter", lambda self: limiter))
        common = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.sysadmin = new_test_user(cls.env, login="brreg_sysadmin",
                                     groups="base.group_system,account.group_account_manager", **common)
        cls.acc_admin = new_test_user(cls.env, login="brreg_acc_admin", groups="account.group_account_manager",
                                      **common)
        cls.billing = new_test_user(cls.env, login="brreg_billing",
                                    groups="account.group_account_invoice,base.group_partner_manager", **common)
        cls.internal = new_test_user(cls.env, login="brreg_internal", groups="base.group_user", **common)

    def setUp(self):
        super().setUp()
        self.fake._failures.clear()
        self.fake.requests.clear()

    @contextmanager
    def service_down(self, kind="timeout", times=20):
        self.fake.fail_next(kind, times)
        try:
            yield
        finally:
            self.fake._failures.clear()
