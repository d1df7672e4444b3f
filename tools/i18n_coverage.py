"""Which texts of an addon a person can see, and whether its ``i18n/nb.po`` translates every one of them.

Why: a text without a Bokmål entry reaches a Norwegian user in English, and nothing else fails. Odoo's own
exporter (``odoo-bin --i18n-export``) needs a database; this check needs none, so it runs with the other
static checks on every commit. It extracts what Odoo would export, the way Odoo finds it:

- Python (``ast``): ``_("…")``, ``_lt("…")`` and ``….env._("…")`` calls; field ``string`` (given, or the
  label Odoo derives from the field name), ``help`` and ``selection`` labels (also from a module-level list
  the field names); a model's ``_description``.
- XML: in views and QWeb templates the ``string``/``help``/``placeholder``/``title``/``confirm``/``sum``/
  ``aria-label``/``alt``/``data-tooltip`` attributes and every text node (Odoo translates a text node with
  its inline markup as one term, so a text node only has to be found inside a translated entry); in data
  records the translatable fields of menus, actions, crons, mail templates, activity types and products.

and reports each text that has no non-empty ``msgstr`` in ``nb.po``. It also checks the ``.pot`` Odoo
exported: every entry of it must be translated, and every translated entry must be in it — Odoo merges
the .pot into the .po when loading and drops (marks obsolete) what the .pot lacks.

The library's user messages (:mod:`nofaktura.messages`) are checked by ``tests/test_messages.py``.
"""

from __future__ import annotations

import ast
import html
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ADDONS = REPO / "addons"

#: Field types whose first positional argument is the label (relational fields take the comodel first).
_LABEL_FIRST = {"Char", "Text", "Html", "Boolean", "Integer", "Float", "Monetary", "Date", "Datetime", "Binary",
                "Image", "Json", "Properties"}  # fmt: skip
_RELATIONAL = {"Many2one", "One2many", "Many2many", "Many2oneReference", "Reference"}
_VIEW_ATTRS = ("string", "help", "placeholder", "title", "confirm", "sum", "aria-label", "alt", "data-tooltip")
#: Translatable fields of the data records an addon ships (model -> fields).
_RECORD_FIELDS = {
    "ir.ui.menu": ("name",),
    "ir.actions.act_window": ("name", "help"),
    "ir.actions.report": ("name",),
    "ir.actions.server": ("name",),
    "ir.cron": ("name",),
    "mail.template": ("name", "subject", "body_html", "description"),
    "mail.activity.type": ("name", "summary"),
    "product.product": ("name", "description_sale"),
    "product.template": ("name", "description_sale"),
    "res.groups": ("name", "comment"),
    "account.payment.method": ("name",),
}
_QWEB_EXPR = re.compile(r"^[\s\W\d]*$")  # only punctuation, digits, symbols: nothing to translate


def default_label(name: str) -> str:
    """Odoo's label for a field without ``string`` (odoo/orm/fields.py, ``_setup_attrs``)."""
    base = name[:-4] if name.endswith("_ids") else name[:-3] if name.endswith("_id") else name
    return base.replace("_", " ").title()


def _const(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _selection_labels(node: ast.AST, constants: dict[str, ast.AST]) -> Iterator[tuple[str, str]]:
    if isinstance(node, ast.Name) and node.id in constants:
        node = constants[node.id]
    if isinstance(node, (ast.List, ast.Tuple)):
        for item in node.elts:
            if isinstance(item, (ast.Tuple, ast.List)) and len(item.elts) == 2 and (label := _const(item.elts[1])):
                value = item.elts[0]
                # Odoo's selection_xmlid(); a value that is not a literal (an enum member) matches any value
                yield (value.value.replace(".", "_").replace(" ", "_").lower() if isinstance(value, ast.Constant)
                       and isinstance(value.value, str) else "*"), label  # fmt: skip


def _model_of(cls: ast.ClassDef) -> str | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_name" for t in stmt.targets):
            return _const(stmt.value)
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_inherit" for t in stmt.targets):
            value = stmt.value
            if isinstance(value, (ast.List, ast.Tuple)) and value.elts:
                value = value.elts[0]
            return _const(value)
    return None


def python_terms(path: Path, constants: dict[str, ast.AST], module: str) -> Iterator[tuple[str, int, str]]:
    """(text, line, reference) of every translatable text in one Python file of an addon; the reference is
    the ``#:`` line Odoo writes for it in a .po file (``odoo-python`` for code terms)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            model = _model_of(node)
            if model is None:
                continue
            defines_model = any(
                isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_name" for t in stmt.targets)
                for stmt in node.body
            )
            stem = model.replace(".", "_")
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "_description" for t in stmt.targets)
                    and (text := _const(stmt.value))
                ):
                    yield text, stmt.lineno, f"model:ir.model,name:{module}.model_{stem}"
                if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call)):
                    continue
                target, call = stmt.targets[0], stmt.value
                func = call.func
                if not (isinstance(target, ast.Name) and isinstance(func, ast.Attribute)
                        and isinstance(func.value, ast.Name) and func.value.id == "fields"):  # fmt: skip
                    continue
                kind, keywords = func.attr, {k.arg: k.value for k in call.keywords if k.arg}
                label = _const(keywords.get("string"))
                if label is None and call.args:
                    if kind in _LABEL_FIRST:
                        label = _const(call.args[0])
                    elif kind in _RELATIONAL and len(call.args) > 1 and kind != "One2many":
                        label = _const(call.args[1])
                    elif kind == "One2many" and len(call.args) > 2:
                        label = _const(call.args[2])
                    elif kind == "Selection" and len(call.args) > 1:
                        label = _const(call.args[1])
                # A field redefined on an inherited model keeps its label; our new fields there are named
                # l10n_no_*, so only other names without a label of their own count as overrides.
                inherited = "related" in keywords or (
                    not defines_model and not target.id.startswith("l10n_no") and not call.args
                    and set(keywords) <= {
                        "selection_add", "ondelete", "default", "groups", "readonly", "required", "tracking",
                        "copy", "store", "compute", "inverse", "check_company", "domain", "context", "index",
                    }
                )
                if label is None and not inherited:
                    label = default_label(target.id)
                field_ref = f"{module}.field_{stem}__{target.id}"
                if label:
                    yield label, stmt.lineno, f"model:ir.model.fields,field_description:{field_ref}"
                if help_text := _const(keywords.get("help")):
                    yield help_text, stmt.lineno, f"model:ir.model.fields,help:{field_ref}"
                options = [keywords[key] for key in ("selection", "selection_add") if key in keywords]
                if kind == "Selection" and call.args:
                    options.append(call.args[0])
                for option in options:
                    for value, text in _selection_labels(option, constants):
                        ref = f"model:ir.model.fields.selection,name:{module}.selection__{stem}__{target.id}__{value}"
                        yield text, stmt.lineno, ref
        elif isinstance(node, ast.Call) and node.args and (text := _const(node.args[0])):
            func = node.func
            if (isinstance(func, ast.Name) and func.id in ("_", "_lt")) or (
                isinstance(func, ast.Attribute) and func.attr == "_"
            ):
                yield text, node.lineno, "odoo-python"


def _module_constants(paths: list[Path]) -> dict[str, ast.AST]:
    constants: dict[str, ast.AST] = {}
    for path in paths:
        for stmt in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                constants[stmt.targets[0].id] = stmt.value
    return constants


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _arch_terms(element: ET.Element) -> Iterator[str]:
    for node in element.iter():
        if not isinstance(node.tag, str) or node.get("t-translation") == "off" or node.tag in ("style", "script"):
            continue
        if node.tag == "attribute":  # <xpath> edits: only a translatable attribute's new value is a text
            if node.get("name") in _VIEW_ATTRS and node.text and not _QWEB_EXPR.match(node.text):
                yield _normalise(node.text)
            continue
        for attr in _VIEW_ATTRS:
            if (value := node.get(attr)) and not _QWEB_EXPR.match(value):
                yield _normalise(value)
        # the content of t-out/t-esc/t-field is a placeholder replaced when rendering: not a term
        dynamic = any(node.get(attr) is not None for attr in ("t-out", "t-esc", "t-field", "t-raw"))
        for text in (None if dynamic else node.text, node.tail if node is not element else None):
            if text and not _QWEB_EXPR.match(text):
                yield _normalise(text)


def _xmlid(module: str, element: ET.Element) -> str:
    ident = element.get("id", "")
    return ident if "." in ident else f"{module}.{ident}"


def xml_terms(path: Path, module: str) -> Iterator[tuple[str, str, bool]]:
    """(text, reference, is_part) of every translatable text of one XML data file (views, templates,
    translatable record fields); ``is_part``: a text node, translated as part of a larger term."""
    root = ET.parse(path).getroot()
    for element in root.iter():
        if element.tag == "template":
            ref = f"model_terms:ir.ui.view,arch_db:{_xmlid(module, element)}"
            for child in element:
                for text in _arch_terms(child):
                    yield text, ref, True
        elif element.tag == "menuitem" and (name := element.get("name")):
            yield _normalise(name), f"model:ir.ui.menu,name:{_xmlid(module, element)}", False
        elif element.tag == "record":
            model = element.get("model", "")
            for field in element.findall("field"):
                name = field.get("name")
                if model == "ir.ui.view" and name == "arch":
                    ref = f"model_terms:ir.ui.view,arch_db:{_xmlid(module, element)}"
                    for child in field:
                        for text in _arch_terms(child):
                            yield text, ref, True
                elif name in _RECORD_FIELDS.get(model, ()):
                    # html_translate fields (an action's help) are translated term by term, the others whole
                    kind = "model_terms" if (model, name) == ("ir.actions.act_window", "help") else "model"
                    ref = f"{kind}:{model},{name}:{_xmlid(module, element)}"
                    if model == "ir.cron":  # a cron's name is the one of the server action it inherits
                        ref = f"model:ir.actions.server,name:{_xmlid(module, element)}_ir_actions_server"
                    elif model == "product.product":  # and a product's name the one of its template
                        ref = f"model:product.template,{name}:{_xmlid(module, element)}_product_template"
                    if len(field):  # HTML content (mail template body, action help)
                        for child in field:
                            for text in _arch_terms(child):
                                yield text, ref, True
                    elif field.text and field.text.strip() and not field.get("eval") and not field.get("ref"):
                        yield _normalise(field.text), ref, False


def po_entries(path: Path) -> list[tuple[str, str, set[str]]]:
    """(msgid, msgstr, references) of a .po/.pot file: escapes undone, continuation lines joined; the
    references are the words of its ``#:`` lines plus its ``#.`` comments (``odoo-python``)."""
    entries: list[tuple[str, str, set[str]]] = []
    key = None
    current: dict[str, str] = {}
    refs: set[str] = set()

    def flush() -> None:
        if "msgid" in current:
            entries.append((current["msgid"], current.get("msgstr", ""), set(refs)))

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        match = re.match(r'^(msgid|msgstr|msgctxt|msgid_plural) "(.*)"$', line)
        if line.startswith("#") and "msgid" in current:
            flush()
            current, refs, key = {}, set(), None
        if line.startswith(("#:", "#.")):
            refs.update(line[2:].split())
        elif match:
            key = match.group(1)
            current[key] = _unescape(match.group(2))
        elif line.startswith('"') and key:
            current[key] += _unescape(line[1:-1])
        elif not line:
            flush()
            current, refs, key = {}, set(), None
    return entries


def po_translations(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po/.pot file."""
    return {msgid: msgstr for msgid, msgstr, _refs in po_entries(path)}


def _unescape(text: str) -> str:
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def addon_problems(addon: Path) -> list[str]:
    """The texts of ``addon`` a Norwegian user would read in English, as printable lines."""
    po_path = addon / "i18n" / "nb.po"
    if not po_path.is_file():
        return [f"{addon.name}: no i18n/nb.po"]
    module = addon.name
    #: normalised msgid -> references of its translated entries
    translated: dict[str, set[str]] = {}
    for msgid, msgstr, refs in po_entries(po_path):
        if msgid and msgstr.strip():
            translated.setdefault(_normalise(msgid), set()).update(refs)
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()

    def report(text: str, ref: str, where: str, *, part: bool = False) -> None:
        text = _normalise(text)
        if not text or (text, ref) in seen:
            return
        seen.add((text, ref))
        refs_of_text = translated.get(text, set())
        if ref in refs_of_text or (ref.endswith("__*") and any(r.startswith(ref[:-1]) for r in refs_of_text)):
            return
        # Odoo keeps the terms of a view or an HTML field escaped ("Send &amp; Print"), as the file has them
        escaped = html.escape(text, quote=False)
        if part and any((text in msgid or escaped in msgid) and ref in refs for msgid, refs in translated.items()):
            return
        problems.append(f"{where}: no nb translation for {text[:90]!r} ({ref})")

    py_files = [p for p in sorted(addon.rglob("*.py")) if "tests" not in p.relative_to(addon).parts]
    constants = _module_constants(py_files)
    for path in py_files:
        for text, line, ref in python_terms(path, constants, module):
            report(text, ref, f"{path.relative_to(REPO)}:{line}")
    for path in sorted(addon.rglob("*.xml")):
        if "tests" in path.relative_to(addon).parts or "static" in path.relative_to(addon).parts:
            continue
        for text, ref, part in xml_terms(path, module):
            report(text, ref, str(path.relative_to(REPO)), part=part)
    pot = addon / "i18n" / f"{addon.name}.pot"
    if pot.is_file():
        # Odoo merges i18n/<addon>.pot into nb.po when it loads it (odoo.tools.translate.PoFileReader, polib's
        # merge): an entry the .pot lacks becomes obsolete and is silently not loaded.
        in_pot = {_normalise(msgid) for msgid, _msgstr, _refs in po_entries(pot)}
        for msgid in translated:
            if msgid not in in_pot:
                problems.append(f"{pot.relative_to(REPO)}: lacks {msgid[:90]!r}, so Odoo drops its nb translation")
        for msgid, _msgstr, refs in po_entries(pot):
            for ref in refs:
                if msgid and (ref.startswith(("model:", "model_terms:")) or ref == "odoo-python"):
                    report(msgid, ref, str(pot.relative_to(REPO)))
    return problems


def check(addons: list[Path] | None = None) -> bool:
    """Print every untranslated text of the addons; True when there is none."""
    ok, count = True, 0
    for addon in addons or sorted(p.parent for p in ADDONS.glob("*/__manifest__.py")):
        problems = addon_problems(addon)
        count += 1
        for problem in problems:
            print(problem)
        ok = ok and not problems
    print(f"nb coverage: {count} addons checked")
    return ok


if __name__ == "__main__":
    sys.exit(0 if check([ADDONS / name for name in sys.argv[1:]] or None) else 1)
