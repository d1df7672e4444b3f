from . import l10n_no_approval_action
from . import account_payment_register
