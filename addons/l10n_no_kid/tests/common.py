from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class L10nNoKidCommon(AccountTestInvoicingCommon):
    """A Norwegian company whose bank journal has a KID agreement (MOD10, 5 + 9 + 1 = 15 digits)."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("no")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.sale_journal = cls.company_data["default_journal_sale"]
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": "86011117947", "partner_id": cls.company.partner_id.id}
        )
        cls.bank_journal.bank_account_id = cls.bank_account
        cls.bank_journal.write(
            {
                "l10n_no_kid_enabled": True,
                "l10n_no_kid_algorithm": "mod10",
                "l10n_no_kid_length": 15,
                "l10n_no_kid_customer_digits": 5,
                "l10n_no_kid_invoice_digits": 9,
            }
        )
        cls.partner_no = cls._create_partner_no("Kunde AS")

    @classmethod
    def _create_partner_no(cls, name, **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "country_id": cls.env.ref("base.no").id, **values}
        )

    def _invoice(self, partner=None, move_type="out_invoice", post=True, bank_account=True, **values):
        move = self.init_invoice(move_type, partner=partner or self.partner_no, amounts=[1000.0])
        if bank_account:
            move.partner_bank_id = self.bank_account if bank_account is True else bank_account
        if values:
            move.write(values)
        if post:
            move.action_post()
        return move

    @staticmethod
    def _digits(text):
        return "".join(c for c in text if c.isdigit())
