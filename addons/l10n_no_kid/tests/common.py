import io
import re

from nofaktura.messages import CATALOGUE

from odoo.tools import file_open
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


# --- Norwegian throughout (issue 16.4/16.5): tools for the tests that read what a nb_NO user or customer sees ---

_PO_LINE = re.compile(r'^(msgid|msgstr) "(.*)"$')
_CUT = re.compile(r"%\([a-z_]+\)[sdf]|%[sd]|\{[a-z_]+(?:![rs])?\}|<[^>]+>|\$0|\n")


def _po_pairs(module):
    """(msgid, msgstr) of ``module``'s i18n/nb.po."""
    pairs, current, key = [], {}, None
    with file_open(f"{module}/i18n/nb.po", "rb") as handle:
        for raw in [*handle.read().decode("utf-8").splitlines(), ""]:
            line = raw.strip()
            if match := _PO_LINE.match(line):
                if match.group(1) == "msgid" and "msgid" in current:
                    pairs.append((current["msgid"], current.get("msgstr", "")))
                    current = {}
                key = match.group(1)
                current[key] = match.group(2).replace('\\"', '"').replace("\\n", "\n")
            elif line.startswith('"') and key:
                current[key] += line[1:-1].replace('\\"', '"').replace("\\n", "\n")
            elif not line or line.startswith("#"):
                key = None
    if "msgid" in current:
        pairs.append((current["msgid"], current.get("msgstr", "")))
    return pairs


def english_phrases(modules, min_words=3):
    """Fixed English phrases (3+ words, no placeholder or markup) of our addons' messages and of the
    library's catalogue that the Bokmål texts do not also use: finding one in what a nb_NO reader gets
    means a text was left untranslated."""
    english, norwegian = set(), []
    for module in modules:
        for msgid, msgstr in _po_pairs(module):
            if msgid and msgstr and msgstr != msgid:
                english.add(msgid)
                norwegian.append(msgstr)
    for en_text, nb_text in CATALOGUE.values():
        if en_text != nb_text:
            english.add(en_text)
            norwegian.append(nb_text)
    bokmal = "\n".join(norwegian)
    phrases = set()
    for text in english:
        for chunk in _CUT.split(text):
            chunk = " ".join(chunk.split()).strip(" .,:;()-–")
            if len(chunk.split()) >= min_words and chunk not in bokmal:
                phrases.add(chunk)
    return phrases


def english_left(text, phrases):
    """The English phrases found in ``text`` (whitespace normalised), sorted."""
    flat = " ".join((text or "").split())
    return sorted(phrase for phrase in phrases if phrase in flat)


def load_norwegian(env, modules):
    """Activate nb_NO and load our (and Odoo's) Bokmål terms, as installing the language does."""
    env["res.lang"]._activate_lang("nb_NO")
    env["ir.module.module"]._load_module_terms(modules, ["nb_NO"], overwrite=True)


def pdf_text(pdf):
    """The text of a PDF, as a reader (or a print service) extracts it."""
    from pypdf import PdfReader  # noqa: PLC0415 - Odoo's venv has it; only these tests need it

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
