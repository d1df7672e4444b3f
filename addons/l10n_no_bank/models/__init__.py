from . import account_journal
from . import account_bank_statement_line
from . import l10n_no_bank_import
from . import account_move_line
from . import ir_attachment
