import base64
import shutil
import tempfile
from pathlib import Path
from unittest.mock import patch

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from nofaktura.digipost.testing import FakeDigipost, _self_signed, load_schema, make_test_key

from odoo import Command
from odoo.modules.module import get_module_path

from odoo.addons.l10n_no_ehf.tests.common import L10nNoEhfCommon

DIGIPOST_SENDER = "123456"
CONSUMER_FULLNAME = "Kari Nordmann"
CONSUMER_ZIP = "0155"


def digipost_schema():
    """Digipost's XSDs from ../shared/corpora next to the repository (never copied into it); None if absent."""
    addon = Path(get_module_path("l10n_no_dispatch"))
    xsd = addon.parents[2] / "shared/corpora/digipost/xsd"
    return load_schema(xsd) if (xsd / "api_v8.xsd").is_file() else None


class L10nNoDispatchCommon(L10nNoEhfCommon):
    """The EHF test company plus Digipost (the library's fake, checking signatures and the XSD) and a print
    house in a temporary folder; customers for each channel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.schema = digipost_schema()
        cls.sender_key = make_test_key()
        p12 = pkcs12.serialize_key_and_certificates(
            b"digipost", cls.sender_key, _self_signed(cls.sender_key, "Selger AS"), None,
            serialization.BestAvailableEncryption(b"pw"))
        cls.company.sudo().write({
            "l10n_no_dispatch_digipost_user_id": DIGIPOST_SENDER,
            "l10n_no_dispatch_digipost_key": base64.b64encode(p12),
            "l10n_no_dispatch_digipost_key_password": "pw",
            "l10n_no_dispatch_print_transport": "folder",
            "l10n_no_dispatch_print_directory": "outbox",
        })
        norway = cls.env.ref("base.no").id
        # EHF: partner_no (from the EHF tests), reachable in Peppol.
        cls.consumer = cls.env["res.partner"].create({  # a Digipost user, identified by name and address
            "name": CONSUMER_FULLNAME, "street": "Storgata 1", "zip": CONSUMER_ZIP, "city": "Oslo",
            "country_id": norway, "email": "kari@example.no",
        })
        cls.mail_customer = cls.env["res.partner"].create({  # no Digipost, an e-mail address
            "name": "Ola Nordmann", "street": "Lillegata 2", "zip": "7010", "city": "Trondheim",
            "country_id": norway, "email": "ola@example.no",
        })
        cls.paper_customer = cls.env["res.partner"].create({  # no Digipost, no e-mail: print
            "name": "Per Papir", "street": "Postveien 3", "zip": "9008", "city": "Tromsø", "country_id": norway,
        })
        cls.nobody = cls.env["res.partner"].create({"name": "Uten Adresse", "country_id": norway})

    def setUp(self):
        super().setUp()
        if self.schema is None:
            self.skipTest("Digipost XSDs not found in ../shared/corpora/digipost/xsd")
        # a print house folder of its own for each test (files are not rolled back with the transaction)
        self.print_dir = tempfile.mkdtemp(prefix="nofaktura-print-")
        self.addCleanup(shutil.rmtree, self.print_dir, ignore_errors=True)
        self.company.sudo().l10n_no_dispatch_print_folder = self.print_dir
        self.digipost = FakeDigipost(self.schema)
        self.digipost.register_sender(DIGIPOST_SENDER, self.sender_key.public_key())
        self.digipost.add_user(f"{CONSUMER_FULLNAME}|{CONSUMER_ZIP}")
        self.digipost.add_person("Ola Nordmann|7010")
        transport = patch.object(type(self.env["res.company"]), "_l10n_no_dispatch_digipost_transport",
                                 autospec=True, return_value=self.digipost.transport)
        transport.start()
        self.addCleanup(transport.stop)

    def _customer_invoice(self, partner, **values):
        """A posted invoice with its PDF kept by Odoo (test mode renders reports as HTML, not PDF)."""
        move = self._invoice(partner=partner, **values)
        if move.state == "posted":
            pdf = b"%PDF-1.4\n% " + move.name.encode() + b"\n%%EOF\n"
            move.sudo().invoice_pdf_report_file = base64.b64encode(pdf)
        return move

    def _queued(self, partner, count=1):
        """``count`` posted invoices of ``partner``, each queued for dispatch: ``(moves, jobs)`` in order."""
        moves = self.env["account.move"]
        jobs = self.env["l10n_no_dispatch.job"]
        for _i in range(count):
            move = self._customer_invoice(partner)
            moves |= move
            jobs |= move._l10n_no_dispatch_enqueue()
        return moves, jobs

    def _print_fails(self, error, only=None):
        """Patch the print-house hand-over to raise ``error`` (for the job ``only``, else for every job; the
        others are handed over as usual). Use as a context manager."""
        Job = type(self.env["l10n_no_dispatch.job"])
        original = Job._l10n_no_dispatch_send_print

        def send_print(job):
            if only is None or job == only:
                raise error
            return original(job)

        return patch.object(Job, "_l10n_no_dispatch_send_print", autospec=True, side_effect=send_print)

    def _run_cron(self):
        return self.env["l10n_no_dispatch.job"]._cron_l10n_no_dispatch_send()

    def _due_now(self):
        self.env["l10n_no_dispatch.job"].sudo().search([("next_attempt", "!=", False)]).write(
            {"next_attempt": "2000-01-01 00:00:00"})
        self.env["l10n_no_ehf.outgoing"].search([("next_try", "!=", False)]).sudo().write(
            {"next_try": "2000-01-01 00:00:00"})

    def _user(self, login, groups, company=None):
        company = company or self.company
        return self.env["res.users"].create({
            "name": login, "login": login, "email": f"{login}@example.no",
            "company_id": company.id, "company_ids": [Command.set(company.ids)],
            "group_ids": [Command.set([self.env.ref(g).id for g in groups])],
        })

    def _print_files(self):
        root = Path(self.print_dir) / "outbox"
        return sorted(p.name for p in root.iterdir()) if root.is_dir() else []
