from . import l10n_no_customer_number
from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_journal
from . import account_move
from . import ir_actions_report
