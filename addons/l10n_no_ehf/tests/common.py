from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from nofaktura.peppol.lookup import Reachability

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

SELLER_ORGNR = "988077917"
BUYER_ORGNR = "974760673"
VENDOR_ORGNR = "995525828"


class L10nNoEhfCommon(AccountTestInvoicingCommon):
    """A Norwegian company with the in-memory access point, and Norwegian customers.

    The Peppol lookup is replaced by :meth:`reachable` (no network in tests); the access point is the
    library's InMemoryAccessPoint, strict about what it is asked.
    """

    country_code = "NO"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write({
            "vat": f"NO{SELLER_ORGNR}MVA",
            "l10n_no_bronnoysund_number": SELLER_ORGNR,
            "street": "Storgata 1",
            "zip": "0150",
            "city": "Oslo",
            "country_id": cls.env.ref("base.no").id,
            "email": "faktura@selger.example",
            "phone": "+47 22 00 00 00",
        })
        cls.bank = cls.env["res.partner.bank"].create({
            "acc_number": "86011117947",
            "partner_id": cls.company.partner_id.id,
            "allow_out_payment": True,
        })
        cls.access_point = cls.env["l10n_no_ehf.access.point"].create({
            "name": "Test AP",
            "company_id": cls.company.id,
            "transport_type": "memory",
            "purchase_journal_id": cls.company_data["default_journal_purchase"].id,
        })
        cls.company.l10n_no_ehf_access_point_id = cls.access_point
        cls.partner_no = cls.env["res.partner"].create({
            "name": "Kunde AS",
            "is_company": True,
            "vat": f"NO{BUYER_ORGNR}MVA",
            "l10n_no_bronnoysund_number": BUYER_ORGNR,
            "street": "Kundeveien 2",
            "zip": "5003",
            "city": "Bergen",
            "country_id": cls.env.ref("base.no").id,
            "email": "post@kunde.example",
            "invoice_sending_method": "l10n_no_ehf",
        })
        cls.tax_25 = cls.env["account.tax"].search([
            *cls.env["account.tax"]._check_company_domain(cls.company),
            ("type_tax_use", "=", "sale"), ("amount", "=", 25.0), ("amount_type", "=", "percent"),
        ], limit=1)
        cls.product = cls._create_product(name="Konsulenttime", lst_price=1000.0, taxes_id=cls.tax_25)

    def setUp(self):
        super().setUp()
        self.access_point._l10n_no_ehf_reset_memory()
        self.ap = self.access_point._l10n_no_ehf_memory()
        self.reachable_participants = {str(self.partner_no._l10n_no_ehf_participant())}
        lookup_patch = patch.object(
            type(self.env["res.partner"]), "_l10n_no_ehf_lookup", autospec=True, side_effect=self._fake_lookup
        )
        self.lookup_mock = lookup_patch.start()
        self.addCleanup(lookup_patch.stop)

    def _fake_lookup(self, partner_model, participant, now, zone):
        ok = str(participant) in self.reachable_participants
        return Reachability(participant, ok, ok, "https://smp.example.no/" if ok else None, now, now + timedelta(days=1))

    def _invoice(self, partner=None, post=True, price=1000.0, move_type="out_invoice", **values):
        move = self.env["account.move"].create({
            "move_type": move_type,
            "partner_id": (partner or self.partner_no).id,
            "invoice_date": "2026-03-01",
            "partner_bank_id": self.bank.id,
            "ref": "Deres ref 42",
            "invoice_line_ids": [Command.create({
                "product_id": self.product.id, "quantity": 2, "price_unit": price, "tax_ids": [Command.set(self.tax_25.ids)],
            })],
            **values,
        })
        if post:
            move.action_post()
        return move

    def _send_ehf(self, moves, **settings):
        return self.env["account.move.send"]._generate_and_send_invoices(
            moves, sending_methods=["l10n_no_ehf"], **settings
        )

    def _run_send_cron(self):
        self.env["l10n_no_ehf.outgoing"]._cron_l10n_no_ehf_send()

    @contextmanager
    def _due_now(self):
        """Make every waiting transmission due (the backoff is real minutes)."""
        yield
        self.env["l10n_no_ehf.outgoing"].search([("next_try", "!=", False)]).sudo().write(
            {"next_try": "2000-01-01 00:00:00"}
        )
