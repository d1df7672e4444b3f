"""Who may change what in dunning: shared by the run, the letter and the invoice.

Read-only in a view is no protection (XML-RPC writes any field the ACL allows), so status and amount
fields are refused in ``write`` for every caller but the superuser; the dunning methods check the
caller first and then write those fields with ``sudo()``. A context flag would not do: an RPC caller
sets its own context.
"""

from odoo.exceptions import AccessError

#: The accounting roles that confirm, send and hand over (billing users only view and propose). Odoo 19
#: Community's "Administrator" does not imply "Show Full Accounting Features" (group_account_user),
#: and a full-accounting "Accountant" is not an administrator: either role may act.
ACCOUNTANT_GROUPS = ("account.group_account_manager", "account.group_account_user")


def check_accountant(records):
    """Raise AccessError unless the caller may confirm, send or hand over dunning letters."""
    env = records.env
    if env.su or any(env.user.has_group(group) for group in ACCOUNTANT_GROUPS):
        return True
    raise AccessError(env._(
        "Only accountants and accounting administrators may confirm, send or hand over dunning letters "
        "(%(user)s may view and propose them).",
        user=env.user.name,
    ))


def check_protected_fields(records, vals, protected):
    """Raise AccessError when a non-superuser ``write`` touches one of ``protected``."""
    env = records.env
    if env.su:
        return True
    touched = sorted(set(vals) & set(protected))
    if touched:
        raise AccessError(env._(
            "%(fields)s of %(model)s change only through the dunning actions, not directly.",
            fields=", ".join(touched),
            model=records._description,
        ))
    return True
