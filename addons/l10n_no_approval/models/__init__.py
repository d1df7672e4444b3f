from . import l10n_no_approval_matrix
from . import l10n_no_approval_rules
from . import tier_definition
from . import tier_review
from . import account_move
