from . import l10n_no_invoicing_brreg_entry
from . import res_company
from . import res_partner
from . import res_config_settings
