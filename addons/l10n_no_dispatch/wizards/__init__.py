from . import account_move_send_wizard
from . import l10n_no_dispatch_bulk
