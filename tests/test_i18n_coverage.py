"""tools/i18n_coverage.py: a text an addon can show without a Bokmål entry (for that very place) fails."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import i18n_coverage

MODEL = '''
from odoo import fields, models

KINDS = [("a", "Apple"), ("b", "Banana")]


class Thing(models.Model):
    _name = "x.thing"
    _description = "Thing"

    kind = fields.Selection(KINDS, string="Kind", help="Which fruit.")
    amount_total = fields.Float()

    def act(self):
        return self.env._("Done for %(name)s.", name=self.display_name)
'''

VIEW = '''<odoo>
    <record id="view_thing_form" model="ir.ui.view">
        <field name="model">x.thing</field>
        <field name="arch" type="xml">
            <form><p>Check <b>twice</b>.</p><field name="kind" placeholder="Pick one"/></form>
        </field>
    </record>
    <record id="ir_cron_x" model="ir.cron"><field name="name">X: nightly</field></record>
</odoo>
'''


def _entry(msgid: str, msgstr: str, *refs: str) -> str:
    lines = ["#. module: l10n_no_x"]
    lines += [f"#. {r}" if r == "odoo-python" else f"#: {r}" for r in refs]
    return "\n".join([*lines, f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""])


FULL = [
    ("Thing", "Ting", "model:ir.model,name:l10n_no_x.model_x_thing"),
    ("Kind", "Type", "model:ir.model.fields,field_description:l10n_no_x.field_x_thing__kind"),
    ("Which fruit.", "Hvilken frukt.", "model:ir.model.fields,help:l10n_no_x.field_x_thing__kind"),
    ("Apple", "Eple", "model:ir.model.fields.selection,name:l10n_no_x.selection__x_thing__kind__a"),
    ("Banana", "Banan", "model:ir.model.fields.selection,name:l10n_no_x.selection__x_thing__kind__b"),
    ("Amount Total", "Totalbeløp", "model:ir.model.fields,field_description:l10n_no_x.field_x_thing__amount_total"),
    ("Done for %(name)s.", "Ferdig for %(name)s.", "odoo-python"),
    ("Check <b>twice</b>.", "Sjekk <b>to ganger</b>.", "model_terms:ir.ui.view,arch_db:l10n_no_x.view_thing_form"),
    ("Pick one", "Velg en", "model_terms:ir.ui.view,arch_db:l10n_no_x.view_thing_form"),
    ("X: nightly", "X: hver natt", "model:ir.actions.server,name:l10n_no_x.ir_cron_x_ir_actions_server"),
]


@pytest.fixture
def addon(tmp_path):
    root = tmp_path / "l10n_no_x"
    (root / "models").mkdir(parents=True)
    (root / "views").mkdir()
    (root / "i18n").mkdir()
    (root / "models" / "thing.py").write_text(MODEL, encoding="utf-8")
    (root / "views" / "thing.xml").write_text(VIEW, encoding="utf-8")
    return root


def _write_po(addon: Path, entries) -> None:
    text = 'msgid ""\nmsgstr ""\n\n' + "\n".join(_entry(*entry) for entry in entries)
    (addon / "i18n" / "nb.po").write_text(text, encoding="utf-8")


def test_complete_translations_pass(addon, monkeypatch):
    monkeypatch.setattr(i18n_coverage, "REPO", addon.parent)
    _write_po(addon, FULL)
    assert i18n_coverage.addon_problems(addon) == []


@pytest.mark.parametrize("dropped", range(len(FULL)))
def test_each_missing_translation_fails(addon, monkeypatch, dropped):
    monkeypatch.setattr(i18n_coverage, "REPO", addon.parent)
    _write_po(addon, [entry for i, entry in enumerate(FULL) if i != dropped])
    problems = i18n_coverage.addon_problems(addon)
    assert problems
    assert all(FULL[dropped][2] in problem for problem in problems), problems


def test_an_empty_translation_or_a_wrong_place_fails(addon, monkeypatch):
    monkeypatch.setattr(i18n_coverage, "REPO", addon.parent)
    entries = list(FULL)
    entries[1] = ("Kind", "", entries[1][2])
    entries[6] = ("Done for %(name)s.", "Ferdig for %(name)s.", "model:ir.model,name:l10n_no_x.model_x_thing")
    _write_po(addon, entries)
    assert len(i18n_coverage.addon_problems(addon)) == 2



def test_a_translation_the_pot_lacks_fails(addon, monkeypatch):
    """Odoo merges the .pot into the .po when loading: what the .pot lacks is dropped."""
    monkeypatch.setattr(i18n_coverage, "REPO", addon.parent)
    _write_po(addon, FULL)
    pot = 'msgid ""\nmsgstr ""\n\n' + "\n".join(_entry(msgid, "", ref) for msgid, _nb, ref in FULL[1:])
    (addon / "i18n" / "l10n_no_x.pot").write_text(pot, encoding="utf-8")
    problems = i18n_coverage.addon_problems(addon)
    assert len(problems) == 1 and "lacks 'Thing'" in problems[0]
