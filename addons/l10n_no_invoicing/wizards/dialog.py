"""What the assistants' buttons return: the same wizard again, in its dialog."""


def reopen_action(wizard, title):
    """The window action that shows ``wizard`` again in its dialog, titled ``title`` (translated by the caller).

    Why: a step's button (look up, search, create) writes its outcome on the wizard — status, message, rows
    found — and the person must see it in the same dialog instead of the dialog closing.
    """
    wizard.ensure_one()
    return {
        "type": "ir.actions.act_window",
        "res_model": wizard._name,
        "res_id": wizard.id,
        "view_mode": "form",
        "views": [(False, "form")],
        "target": "new",
        "name": title,
    }
