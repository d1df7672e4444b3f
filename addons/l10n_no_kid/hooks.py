"""Give existing customers a customer number when the module is installed.

Customers are commercial partners that have customer invoices or credit notes in a company, or
have ``customer_rank > 0``. Numbers are assigned in partner-id order, in batches, so a large
database does not build one huge transaction of ORM creates.
"""

import logging

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1000


def _customers_by_company(env):
    """Return ``{company: commercial partner ids}`` of the customers that should get a number."""
    env.flush_all()  # the queries below read stored computed fields (commercial_partner_id)
    env.cr.execute(
        """
        SELECT DISTINCT m.company_id, p.commercial_partner_id
          FROM account_move m
          JOIN res_partner p ON p.id = m.partner_id
         WHERE m.move_type IN ('out_invoice', 'out_refund')
           AND p.commercial_partner_id IS NOT NULL
        """
    )
    result = {}
    for company_id, partner_id in env.cr.fetchall():
        result.setdefault(company_id, set()).add(partner_id)
    env.cr.execute(
        """
        SELECT DISTINCT p.commercial_partner_id, c.company_id
          FROM res_partner p
          JOIN res_partner c ON c.id = p.commercial_partner_id
         WHERE p.customer_rank > 0
        """
    )
    rows = env.cr.fetchall()
    all_company_ids = env["res.company"].search([]).ids
    for partner_id, company_id in rows:
        # A partner restricted to one company is that company's customer; a shared one may buy from all.
        for cid in [company_id] if company_id else all_company_ids:
            result.setdefault(cid, set()).add(partner_id)
    return result


def assign_customer_numbers(env, batch_size=BATCH_SIZE):
    """Assign numbers to every customer that has none yet; return how many were assigned."""
    assigned = 0
    numbers = env["l10n_no.customer.number"].sudo()
    for company_id, partner_ids in sorted(_customers_by_company(env).items()):
        company = env["res.company"].browse(company_id)
        ordered = sorted(partner_ids)
        for start in range(0, len(ordered), batch_size):
            partners = env["res.partner"].browse(ordered[start : start + batch_size])
            assigned += len(numbers._l10n_no_assign(partners, company))
    _logger.info("l10n_no_kid: assigned %s customer numbers", assigned)
    return assigned


def post_init_hook(env):
    assign_customer_numbers(env)
