from . import l10n_no_dispatch_bulk
