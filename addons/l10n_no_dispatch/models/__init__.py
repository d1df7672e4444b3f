from . import l10n_no_dispatch_job
from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_move
from . import account_move_send
