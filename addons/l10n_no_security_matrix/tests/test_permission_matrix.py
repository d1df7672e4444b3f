"""The permission matrix (issue 10): every role against every model, field and public method that an
installed ``l10n_no_*`` addon adds, compared with the one table in ``docs/security.md``.

What is found here and not in the table fails the test (a new model, a new field with ``groups=``, a
new public method), and so does a row about something that no longer exists. The table says for each
role "allowed" (access control lets the role through; a business rule may still stop it, which the
addons' own tests check) or "refused" (an ``AccessError``: ACL, record rule, field groups or the
method's own check of the caller).
"""

import base64
import inspect
from datetime import timedelta
from pathlib import Path

from odoo import Command, fields
from odoo.addons.l10n_no_ehf.tests.common import L10nNoEhfCommon
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

SECURITY_MD = Path(__file__).resolve().parents[3] / "docs" / "security.md"
SECTION = "## Permission matrix"
ROLES = ("portal", "internal", "billing", "accountant A", "acc admin", "sysadmin")
HEADER = ("Addon", "Model", "Operation", *ROLES, "Why")
ROLE_GROUPS = {
    "portal": "base.group_portal",
    "internal": "base.group_user",
    "billing": "account.group_account_invoice",
    "accountant A": "account.group_account_user",
    "acc admin": "account.group_account_manager",
    "sysadmin": "base.group_system,account.group_account_manager",
}
#: ORM entry points covered by the read/create/write/unlink operations, not by a call: row.
ORM_METHODS = {"create", "write", "unlink", "read", "copy"}
THIS_MODULE = "l10n_no_security_matrix"


class _Rollback(Exception):
    """Raised at the end of an attempt that went through, to undo it."""


def parse_matrix(text):
    """The rows of the "Permission matrix" section: {(model, operation): (addon, {role: allowed})}.

    Raises ValueError with the line when the table is malformed, so a bad edit fails loudly."""
    if SECTION not in text:
        raise ValueError(f"docs/security.md has no section {SECTION!r}")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows, header_seen = {}, False
    for number, raw in enumerate(section.splitlines(), 1):
        line = raw.strip()
        if not line.startswith("|"):
            continue
        cells = tuple(cell.strip().strip("`").strip() for cell in line.strip("|").split("|"))
        if not header_seen:  # tables before the matrix (the roles) are prose
            header_seen = cells == HEADER
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        if len(cells) != len(HEADER):
            raise ValueError(f"matrix line {number} has {len(cells)} cells, not {len(HEADER)}: {line!r}")
        addon, model, operation, *outcomes, why = cells
        if any(value not in ("allowed", "refused") for value in outcomes):
            raise ValueError(f"matrix line {number}: cells are 'allowed' or 'refused': {line!r}")
        if not why:
            raise ValueError(f"matrix line {number} does not say why: {line!r}")
        if (model, operation) in rows:
            raise ValueError(f"matrix line {number} repeats {model} {operation}")
        addons = tuple(name.strip() for name in addon.split(","))
        allowed = {role: value == "allowed" for role, value in zip(ROLES, outcomes, strict=True)}
        rows[(model, operation)] = (addons, allowed)
    if not header_seen:
        raise ValueError(f"the permission matrix has no table with the header | {' | '.join(HEADER)} |")
    return rows


@tagged("post_install", "-at_install", "post_install_l10n")
class TestPermissionMatrix(L10nNoEhfCommon):
    """Six users holding only their job's groups, two Norwegian companies, one sample record of every
    model in each company; every cell of the table is tried in a savepoint that is rolled back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.modules = sorted(
            name for name in cls.env["ir.module.module"].sudo().search([("state", "=", "installed")]).mapped("name")
            if name.startswith("l10n_no_") and name != THIS_MODULE
        )
        cls.company_a = cls.company
        cls.company_b_data = cls.setup_other_company(name="company_B")
        cls.company_b = cls.company_b_data["company"]
        cls.company_b.write({"country_id": cls.env.ref("base.no").id, "l10n_no_bronnoysund_number": "974760673"})
        common = {"company_id": cls.company_a.id, "company_ids": [Command.set(cls.company_a.ids)]}
        cls.users = {
            role: new_test_user(cls.env, login=f"matrix_{role.replace(' ', '_')}", groups=groups, **common)
            for role, groups in ROLE_GROUPS.items()
        }
        cls.samples = {company: cls._make_samples(company) for company in (cls.company_a, cls.company_b)}
        cls.env.flush_all()

    @classmethod
    def _make_samples(cls, company):
        """One record of each model in ``company``, made as superuser the way the addons make them."""
        env = cls.env(context={"allowed_company_ids": company.ids, "tracking_disable": True}, su=True)
        data = cls.company_data if company == cls.company_a else cls.company_b_data
        partner = env["res.partner"].create({
            "name": f"Kunde {company.name}", "is_company": True, "email": "kunde@example.no",
            "street": "Storgata 2", "zip": "0155", "city": "Oslo", "country_id": env.ref("base.no").id,
            "company_id": company.id,
        })
        bank_journal = data["default_journal_bank"]
        access_point = env["l10n_no_ehf.access.point"].search([("company_id", "=", company.id)], limit=1) or \
            env["l10n_no_ehf.access.point"].create({
                "name": f"AP {company.name}", "company_id": company.id, "transport_type": "memory",
                "purchase_journal_id": data["default_journal_purchase"].id,
            })
        today = fields.Date.context_today(env["res.partner"])
        invoice = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "company_id": company.id,
            "invoice_date": today - timedelta(days=90), "invoice_date_due": today - timedelta(days=60),
            "invoice_payment_term_id": False, "journal_id": data["default_journal_sale"].id,
            "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": 1000.0,
                                                 "tax_ids": [Command.clear()]})],
        })
        invoice.action_post()
        levels = company._l10n_no_dunning_levels()
        run = env["l10n_no.dunning.run"].create({"company_id": company.id, "date": today})
        run.action_propose()
        letter = run.letter_ids[:1]
        if not letter:
            raise AssertionError(f"the sample dunning run of {company.name} proposed no letter: {run.summary_display}")
        attachment = env["ir.attachment"].create({
            "name": "sample.xml", "raw": b"<Invoice/>", "res_model": "account.move", "res_id": invoice.id,
        })
        statement_line = env["account.bank.statement.line"].create({
            "journal_id": bank_journal.id, "date": today, "payment_ref": "matrix", "amount": 100.0,
            "company_id": company.id,
        })
        samples = cls._make_payables_samples(env, company, partner, bank_journal, data)
        samples.update(cls._make_dispatch_samples(env, company, invoice))
        samples.update(cls._make_dispatch_bulk_samples(env, invoice))  # --- l10n_no_dispatch (bulk) ---
        # --- l10n_no_invoicing ---
        lookup = env["l10n_no_invoicing.partner.lookup"].create({"query": "matrix"})
        samples.update({
            "l10n_no_invoicing.setup": env["l10n_no_invoicing.setup"].create({"company_id": company.id}),
            "l10n_no_invoicing.partner.lookup": lookup,
            "l10n_no_invoicing.partner.lookup.line": env["l10n_no_invoicing.partner.lookup.line"].create(
                {"wizard_id": lookup.id, "orgnr": "974760673", "name": "Matrix AS"}),
            "l10n_no_invoicing.brreg.entry": env["l10n_no_invoicing.brreg.entry"]._l10n_no_invoicing_store(
                "974760673" if company == cls.company_a else "988077917", "not_found"),
        })
        # --- end l10n_no_invoicing ---
        # --- l10n_no_agreement ---
        samples.update(cls._make_agreement_samples(env, company, partner, data))
        return {
            **samples,
            "res.partner": partner,
            "res.company": company,
            "account.journal": bank_journal,
            "account.move": invoice,
            "account.bank.statement.line": statement_line,
            "res.config.settings": env["res.config.settings"].create({}),
            "l10n_no.customer.number": env["l10n_no.customer.number"].search(
                [("company_id", "=", company.id)], limit=1) or env["l10n_no.customer.number"].create(
                {"partner_id": partner.id, "company_id": company.id, "number": 4711}),
            "l10n_no.bank.import": env["l10n_no.bank.import"].create(
                {"name": "sample.txt", "company_id": company.id, "journal_id": bank_journal.id, "state": "refused"}),
            "l10n_no.bank.import.wizard": env["l10n_no.bank.import.wizard"].create(
                {"journal_id": bank_journal.id, "data_file": base64.b64encode(b"no bank file"), "filename": "x.txt"}),
            "l10n_no.bank.match.wizard": env["l10n_no.bank.match.wizard"].create({"st_line_id": statement_line.id}),
            "l10n_no.dunning.level": levels[:1],
            "l10n_no.dunning.law.value": env["l10n_no.dunning.law.value"].create({
                "company_id": company.id, "law_table": "forsinkelsesrente", "period_start": "2031-01-01",
                "value": 12.0}),
            "l10n_no.dunning.run": run,
            "l10n_no.dunning.letter": letter,
            "l10n_no.dunning.item": letter.item_ids[:1],
            "l10n_no_ehf.access.point": access_point,
            "l10n_no_ehf.outgoing": env["l10n_no_ehf.outgoing"].create({
                "move_id": invoice.id, "access_point_id": access_point.id, "state": "failed",
                "idempotency_key": f"matrix-{company.id}", "receiver": "0192:974760673", "attachment_id": attachment.id,
            }),
            "l10n_no_ehf.incoming": env["l10n_no_ehf.incoming"].create({
                "name": "F-1", "company_id": company.id, "access_point_id": access_point.id, "state": "error",
                "attachment_id": attachment.id,
            }),
            "l10n_no_ehf.upload.wizard": env["l10n_no_ehf.upload.wizard"].create(
                {"company_id": company.id, "attachment_ids": [Command.set(attachment.ids)]}),
            "l10n_no_ehf.response.wizard": env["l10n_no_ehf.response.wizard"].create(
                {"move_id": invoice.id, "reason": "matrix"}),
        }

    # --- l10n_no_dispatch ---
    @classmethod
    def _make_dispatch_samples(cls, env, company, invoice):
        """A failed dispatch job of the sample invoice and a Send & Print wizard on it."""
        if "l10n_no_dispatch.job" not in env:
            return {}
        return {
            "l10n_no_dispatch.job": env["l10n_no_dispatch.job"].create({
                "company_id": company.id, "move_id": invoice.id, "partner_id": invoice.partner_id.id,
                "channel": "print", "state": "failed", "idempotency_key": f"matrix-dispatch-{company.id}",
                "last_error": "matrix"}),
            "account.move.send.wizard": env["account.move.send.wizard"].with_context(
                active_model="account.move", active_ids=invoice.ids).create({"move_id": invoice.id}),
        }

    # --- l10n_no_dispatch (bulk) ---
    @classmethod
    def _make_dispatch_bulk_samples(cls, env, invoice):
        """A "Send by channel" wizard on the sample invoice (still a preview)."""
        if "l10n_no_dispatch.bulk" not in env:
            return {}
        return {"l10n_no_dispatch.bulk": env["l10n_no_dispatch.bulk"].create({"move_ids": [Command.set(invoice.ids)]})}

    @classmethod
    def _make_payables_samples(cls, env, company, partner, bank_journal, data):
        """Samples of the vendor-bill addons: coding rules, the approval matrix and a bill under
        approval, a payment, a Norwegian payment order with a line and a bill left out."""
        people = [
            env["res.users"].create({
                "name": f"{role} {company.name}", "login": f"matrix_{role}_{company.id}",
                "company_id": company.id, "company_ids": [Command.set(company.ids)],
                "group_ids": [Command.set(env.ref("l10n_no_approval.group_l10n_no_approver").ids)],
            })
            for role in ("attest", "anvis")
        ]
        coding_rule = env["l10n_no.coding.rule"].create(
            {"company_id": company.id, "rule_type": "vendor", "partner_id": partner.id,
             "account_id": data["default_account_expense"].id})
        matrix = env["l10n.no.approval.matrix"].create({"name": f"Matrix {company.name}", "company_id": company.id,
                                                        "authority_ids": [
            Command.create({"user_id": people[0].id, "role": "attest"}),
            Command.create({"user_id": people[1].id, "role": "anvis"}),
        ]})  # fmt: skip
        attestant = env["l10n.no.approval.attestant"].create(
            {"matrix_id": matrix.id, "kind": "vendor", "partner_id": partner.id, "user_id": people[0].id})
        today = fields.Date.context_today(env["res.partner"])
        substitute = env["l10n.no.approval.substitute"].create({
            "company_id": company.id, "user_id": people[0].id, "substitute_id": people[1].id,
            "date_from": today + timedelta(days=30), "date_to": today + timedelta(days=40),
        })
        bill = env["account.move"].create({
            "move_type": "in_invoice", "partner_id": partner.id, "company_id": company.id, "invoice_date": today,
            "journal_id": data["default_journal_purchase"].id,
            "invoice_line_ids": [Command.create({"name": "Kontorrekvisita", "quantity": 1, "price_unit": 500.0,
                                                 "tax_ids": [Command.clear()]})],
        })  # fmt: skip
        bill.request_validation()
        if not bill.review_ids:
            raise AssertionError(f"the sample bill of {company.name} got no approval steps")
        mode = env["account.payment.mode"].create({
            "name": f"Norwegian credit transfer {company.name}", "company_id": company.id,
            "payment_method_id": env.ref("l10n_no_payment_order.payment_method_no_credit_transfer").id,
            "bank_account_link": "fixed", "fixed_journal_id": bank_journal.id, "payment_order_ok": True,
        })  # fmt: skip
        order = env["account.payment.order"].create({"payment_mode_id": mode.id, "payment_type": "outbound"})
        line = env["account.payment.line"].create({
            "order_id": order.id, "partner_id": partner.id, "amount_currency": 10.0,
            "currency_id": company.currency_id.id, "communication": "matrix",
        })
        leftout = env["l10n_no.payment.leftout"].create({
            "order_id": order.id, "move_line_id": bill.line_ids[:1].id, "reason": "not_approved", "detail": "matrix"})
        payment = env["account.payment"].create({
            "payment_type": "outbound", "partner_type": "supplier", "partner_id": partner.id, "amount": 10.0,
            "journal_id": bank_journal.id, "company_id": company.id,
        })
        return {
            "l10n_no.coding.rule": coding_rule,
            "l10n.no.approval.matrix": matrix,
            "l10n.no.approval.authority": matrix.authority_ids[:1],
            "l10n.no.approval.attestant": attestant,
            "l10n.no.approval.substitute": substitute,
            "l10n.no.approval.action": env["l10n.no.approval.action"].create({"move_id": bill.id, "reason": "matrix"}),
            "tier.definition": matrix.level_ids[:1],
            "tier.review": bill.review_ids[:1],
            "account.payment.mode": mode,
            "account.payment.order": order,
            "account.payment.line": line,
            "l10n_no.payment.leftout": leftout,
            "account.payment": payment,
        }

    # --- l10n_no_agreement ---
    @classmethod
    def _make_agreement_samples(cls, env, company, partner, data):
        """An agreement (OCA contract) due today, a run with a failure, and a mass-invoicing wizard."""
        product = env["product.product"].create({"name": "Leie", "type": "service", "list_price": 100.0})
        today = fields.Date.context_today(env["res.partner"])
        contract = env["contract.contract"].create({
            "name": f"Avtale {company.name}", "partner_id": partner.id, "company_id": company.id,
            "contract_type": "sale", "date_start": today,
            "contract_line_ids": [Command.create({
                "product_id": product.id, "name": "Leie", "quantity": 1.0, "price_unit": 100.0, "date_start": today,
                "recurring_rule_type": "monthly", "recurring_interval": 1, "recurring_invoicing_type": "pre-paid",
            })],
        })  # fmt: skip
        run = env["l10n_no.agreement.run"]._l10n_no_agreement_start(company, "manual")
        wizard = env["l10n_no.agreement.mass.invoice"].create({
            "company_id": company.id, "selection_mode": "partners", "partner_ids": [Command.set(partner.ids)],
            "journal_id": data["default_journal_sale"].id,
        })
        return {
            "contract.contract": contract,
            "l10n_no.agreement.run": run,
            "l10n_no.agreement.run.failure": env["l10n_no.agreement.run.failure"].create(
                {"run_id": run.id, "contract_id": contract.id, "reason": "matrix"}),
            "l10n_no.agreement.mass.invoice": wizard,
            "l10n_no.agreement.mass.invoice.product": env["l10n_no.agreement.mass.invoice.product"].create(
                {"wizard_id": wizard.id, "product_id": product.id, "price_mode": "fixed", "price_unit": 100.0}),
            "l10n_no.agreement.mass.invoice.line": env["l10n_no.agreement.mass.invoice.line"].create(
                {"wizard_id": wizard.id, "partner_id": partner.id, "source": "matrix"}),
            **cls._make_regulation_samples(env, company, contract),
        }

    @classmethod
    def _make_regulation_samples(cls, env, company, contract):
        """A KPI value, a proposed regulation (one residential line, refused: the KPI is not stored)."""
        line = contract.contract_line_ids[:1]
        line.write({"l10n_no_regulation_rule": "residential", "l10n_no_regulation_last_set": contract.date_start})
        regulation = env["l10n_no.agreement.regulation"].with_company(company).create(
            {"company_id": company.id, "effective_date": fields.Date.add(contract.date_start, years=1)})
        regulation.action_propose()
        value = env["l10n_no.kpi.value"].search([("table_code", "=", "03013"), ("period", "=", "2015M01")]) or env[
            "l10n_no.kpi.value"].create({"table_code": "03013", "base_year": 2015, "period": "2015M01", "value": 99.0})
        # --- l10n_no_agreement: a notice (made by a confirmation only: sudo here) ---
        notice = env["l10n_no.agreement.notice"].sudo().create({
            "name": f"Varsel {contract.name}", "regulation_id": regulation.id, "company_id": company.id,
            "contract_id": contract.id, "partner_id": contract.partner_id.id, "notice_date": contract.date_start,
        })
        return {
            "l10n_no.agreement.notice": notice,
            "contract.line": line,
            "l10n_no.kpi.value": value,
            "l10n_no.agreement.regulation": regulation,
            "l10n_no.agreement.regulation.line": regulation.line_ids[:1],
        }

    def _fake_kpi_call(self, method):
        """Fetch KPI against a fake Statistics Norway: never the network in tests."""
        from decimal import Decimal  # noqa: PLC0415
        from unittest.mock import patch  # noqa: PLC0415

        from nofaktura.kpi import TABLE_03013, Period  # noqa: PLC0415
        from nofaktura.kpi.testing import FakeSsb, FakeTable  # noqa: PLC0415

        fake = FakeSsb([FakeTable(TABLE_03013, {Period(2025, 1): Decimal("134.9"), Period(2025, 2): Decimal("135.1")})])
        model_class = type(self.env["l10n_no.kpi.value"])

        def call():
            with patch.object(model_class, "_l10n_no_kpi_transport", lambda model: fake.transport):
                return method()

        return call

    # ------------------------------------------------------------------------------------------
    # What the addons add
    # ------------------------------------------------------------------------------------------

    def _ours(self, owner):
        """Whether a class, or a module name, belongs to one of the installed l10n_no_* addons."""
        name = owner if isinstance(owner, str) else getattr(owner, "__module__", "")
        return any(name == module or name.startswith(f"odoo.addons.{module}.") for module in self.modules)

    def _inventory(self):
        """{model: {"new": bool, "abstract": bool, "fields": [...], "methods": [...]}} for every model an
        installed l10n_no_* addon defines or extends."""
        inventory = {}
        for name in sorted(self.env.registry):
            model = self.env[name]
            ours = [cls for cls in type(model).__mro__[1:] if self._ours(cls)]
            if not ours:
                continue
            new = self._ours(model._original_module or "")
            our_fields = [
                field for field in model._fields.values()
                if self._ours(field_module(field)) and field.name not in models_magic(model)
            ]
            methods = sorted({
                attr for cls in ours for attr, value in vars(cls).items()
                if inspect.isfunction(value) and not attr.startswith("_") and attr not in ORM_METHODS
                and not any(getattr(getattr(k, attr, None), "_api_private", False) for k in type(model).__mro__)
            })
            inventory[name] = {
                "new": new, "abstract": model._abstract, "fields": our_fields, "methods": methods,
            }
        return inventory

    @staticmethod
    def _writable(field):
        if field.type == "one2many":
            return False
        if field.related:
            return not field.readonly and not field.store
        return bool(field.store or field.inverse)

    def _operations(self, name, info):
        """The operations the table must have a row for: [(operation, kind, detail)]."""
        operations = []
        if info["abstract"]:
            return [(f"call:{method}", "call", method) for method in info["methods"]]
        if info["new"]:
            operations += [("create", "create", None), ("unlink", "unlink", None)]
        plain = [f for f in info["fields"] if not f.groups]
        if plain:
            operations.append(("read", "read", plain))
        for field in info["fields"]:
            if field.groups:
                operations.append((f"read:{field.name}", "read", [field]))
            if self._writable(field):
                operations.append((f"write:{field.name}", "write", field))
        operations += [(f"call:{method}", "call", method) for method in info["methods"]]
        return operations

    # ------------------------------------------------------------------------------------------
    # Trying
    # ------------------------------------------------------------------------------------------

    def _attempt(self, action):
        """Run ``action`` in a savepoint that is always rolled back; return (allowed, what happened)."""
        self.env.flush_all()
        try:  # a refused INSERT/UPDATE is logged by odoo.sql_db as an error: it is an expected outcome here
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                action()
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            result = (True, "done")
        except AccessError as error:
            result = (False, f"AccessError: {str(error).splitlines()[0][:160]}")
        except TypeError as error:
            raise AssertionError(f"the matrix cannot call this method without arguments: {error}") from error
        except Exception as error:
            result = (True, f"{type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}")
        finally:
            self.env.clear()
        return result

    def _value(self, record, field):
        current = record.sudo()[field.name]
        kind = field.type
        if kind in ("char", "text", "html"):
            return f"{current or ''}1"
        if kind in ("integer", "float", "monetary"):
            return (current or 0) + 1
        if kind == "boolean":
            return not current
        if kind == "selection":
            values = [value for value, _label in field._description_selection(self.env)]
            others = [value for value in values if value != current]
            return (others or values)[0]
        if kind == "date":
            return fields.Date.context_today(record)
        if kind == "datetime":
            return fields.Datetime.now()
        if kind == "many2one":
            if current:
                return current.id
            comodel = self.env[field.comodel_name].sudo()
            domain = [("company_id", "in", [record.sudo().company_id.id, False])] \
                if "company_id" in comodel._fields and "company_id" in record._fields else []
            return comodel.search(domain, limit=1).id
        if kind == "many2many":
            return [Command.set(current.ids)]
        if kind == "binary":
            return base64.b64encode(b"matrix")
        if kind == "json":
            return current or {}
        raise AssertionError(f"the matrix does not know how to write a {kind} field ({field})")

    def _action(self, name, kind, detail, user, record):
        as_user = record.with_user(user)
        if kind == "read":
            return lambda: as_user.read([f.name for f in detail])
        if kind == "write":
            value = self._value(record, detail)
            return lambda: as_user.write({detail.name: value})
        if kind == "unlink":
            return as_user.unlink
        if kind == "create":
            # what a caller must give: the required fields without a default, and the company
            model = self.env[name]
            defaults = model.sudo().default_get(list(model._fields))
            values = {
                key: value for key, value in record.sudo().copy_data()[0].items()
                if key == "company_id" or (model._fields[key].required and not defaults.get(key))
            }
            return lambda: self.env[name].with_user(user).create(values)
        if kind == "call":
            method = getattr(as_user, detail)
            if getattr(method, "_api_model", False):
                method = getattr(self.env[name].with_user(user), detail)
            return self._call(name, detail, method, record)
        raise AssertionError(kind)

    def _call(self, name, method_name, method, record):
        """Some public methods take arguments; give them the ones a caller would."""
        arguments = {
            ("l10n_no.bank.import", "l10n_no_bank_import_file"):
                ("matrix.txt", base64.b64encode(b"not a bank file").decode(), self.samples[self.company_a][
                    "account.journal"].id),
            ("account.move", "evaluate_tier"): (self.samples[self.company_a]["tier.definition"],),
            ("account.move", "message_new"): ({"subject": "matrix", "email_from": "x@example.no", "from":
                                              "x@example.no", "body": "", "attachments": []},
                                             {"move_type": "in_invoice"}),
        }.get((name, method_name), ())
        # --- l10n_no_agreement ---
        if (name, method_name) == ("l10n_no.kpi.value", "action_fetch_kpi"):
            return self._fake_kpi_call(method)
        return lambda: method(*arguments)

    def _sample(self, company, name):
        sample = self.samples[company].get(name)
        if sample is None:
            model = self.env[name].sudo()
            domain = [("company_id", "=", company.id)] if "company_id" in model._fields and model._fields[
                "company_id"].store else []
            sample = model.search(domain, limit=1)
        if not sample:
            raise AssertionError(
                f"no sample record of {name}: add one to TestPermissionMatrix._make_samples")
        return sample

    # ------------------------------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------------------------------

    def test_00_table_parses(self):
        rows = parse_matrix(SECURITY_MD.read_text(encoding="utf-8"))
        self.assertGreater(len(rows), 20)
        with self.assertRaises(ValueError):
            parse_matrix(f"{SECTION}\n\n| {' | '.join(HEADER)} |\n|---|\n| a | m | read | yes |\n")

    def test_10_every_model_field_and_method_has_a_row(self):
        """Discovery: anything an installed l10n_no_* addon adds needs a row; rows of installed addons
        about things that do not exist are stale."""
        rows = parse_matrix(SECURITY_MD.read_text(encoding="utf-8"))
        inventory = self._inventory()
        missing, expected = [], set()
        for name, info in inventory.items():
            for operation, kind, detail in self._operations(name, info):
                expected.add((name, operation))
                if (name, operation) not in rows and not (kind == "write" and (name, "write:*") in rows
                                                         and not detail.groups):
                    missing.append(self._suggest(name, operation, kind, detail, info))
        stale = [
            f"{model} {operation}" for (model, operation), (addons, _cells) in rows.items()
            if set(addons) <= set(self.modules) and (model, operation) not in expected
            and not (operation == "write:*" and any(m == model and o.startswith("write:") for m, o in expected))
        ]
        self.assertFalse(missing, "rows missing in docs/security.md (the outcome seen now, to be checked "
                                  "before it is copied):\n" + "\n".join(missing))
        self.assertFalse(stale, "rows about nothing that exists:\n" + "\n".join(stale))

    def _suggest(self, name, operation, kind, detail, info):
        seen = []
        for role in ROLES:
            record = self._sample(self.company_a, name)
            allowed, _what = self._attempt(self._action(name, kind, detail, self.users[role], record))
            seen.append("allowed" if allowed else "refused")
        addon = ", ".join(self._addons_of(name, kind, detail, info))
        return f"| {addon} | `{name}` | `{operation}` | {' | '.join(seen)} | ? |"

    def _addons_of(self, name, kind, detail, info):
        """The addon(s) that add what an operation tries: for the Addon column of a suggested row."""
        if kind in ("create", "unlink") or (info["new"] and kind in ("read", "write") and not isinstance(detail, list)
                                            and detail.model_name == name and self._ours(field_module(detail))
                                            and self._ours(self.env[name]._original_module)):
            return [self.env[name]._original_module]
        if kind == "call":
            return sorted({
                cls.__module__.split(".")[2] for cls in type(self.env[name]).__mro__
                if self._ours(cls) and detail in vars(cls)
            })
        fields_ = detail if isinstance(detail, list) else [detail]
        return sorted({field_module(field) for field in fields_})

    def test_20_every_role_gets_what_the_table_says(self):
        rows = parse_matrix(SECURITY_MD.read_text(encoding="utf-8"))
        failures = []
        for name, info in self._inventory().items():
            for operation, kind, detail in self._operations(name, info):
                row = rows.get((name, operation))
                if row is None and kind == "write" and not detail.groups:
                    row = rows.get((name, "write:*"))
                if row is None:
                    continue  # test_10 reports it
                record = self._sample(self.company_a, name)
                for role in ROLES:
                    allowed, what = self._attempt(self._action(name, kind, detail, self.users[role], record))
                    if allowed != row[1][role]:
                        failures.append(
                            f"{name} {operation} as {role}: table says "
                            f"{'allowed' if row[1][role] else 'refused'}, got {what}"
                        )
        self.assertFalse(failures, f"{len(failures)} cells differ from docs/security.md:\n" + "\n".join(failures))

    def test_30_accountant_of_company_a_never_reaches_company_b(self):
        """Not in the table because it holds for every model with a company: the accountant of company
        A reads, writes and deletes nothing of company B. Only operations the table allows that
        accountant on company A's record are tried: then the refusal can only come from the company."""
        rows = parse_matrix(SECURITY_MD.read_text(encoding="utf-8"))
        failures, tried = [], 0
        accountant = self.users["accountant A"]
        for name, info in self._inventory().items():
            model = self.env[name]
            if info["abstract"] or model._transient or "company_id" not in model._fields \
                    or not model._fields["company_id"].store:
                continue
            record = self._sample(self.company_b, name)
            plain = [f for f in info["fields"] if not f.groups] or [model._fields["company_id"]]
            attempts = [("read", "read", plain)]
            writable = [f for f in info["fields"] if self._writable(f) and not f.groups]
            if writable:
                attempts.append((f"write:{writable[0].name}", "write", writable[0]))
            if info["new"]:
                attempts.append(("unlink", "unlink", None))
            for operation, kind, detail in attempts:
                row = rows.get((name, operation)) or (rows.get((name, "write:*")) if kind == "write" else None)
                if not row or not row[1]["accountant A"]:
                    continue
                tried += 1
                allowed, what = self._attempt(self._action(name, kind, detail, accountant, record))
                if allowed:
                    failures.append(f"{name} {operation} of company B as accountant A: {what}")
        self.assertGreater(tried, 10, "too few operations to show that companies are kept apart")
        self.assertFalse(failures, "\n".join(failures))


def models_magic(model):
    """Fields every model has (id, create/write uid and date, display_name): not the addon's."""
    return {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}


def field_module(field):
    """The addon that defines a field; for a field of an ``_inherits`` parent (a statement line's move
    fields), the addon of the parent's field: Odoo merges the modules of such a field into an unordered
    set, so its ``_modules[0]`` changes from one run to the next."""
    while field.inherited_field:
        field = field.inherited_field
    return field._modules[0] if field._modules else ""

