from . import l10n_no_invoicing_setup
from . import l10n_no_invoicing_partner_lookup
