from . import l10n_no_coding_rule
from . import res_company
from . import res_config_settings
from . import account_move
from . import account_move_line
