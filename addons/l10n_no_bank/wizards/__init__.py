from . import l10n_no_bank_import_wizard
from . import l10n_no_bank_match_wizard
