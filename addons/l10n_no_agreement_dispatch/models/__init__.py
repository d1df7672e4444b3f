from . import l10n_no_agreement_notice, l10n_no_dispatch_job
