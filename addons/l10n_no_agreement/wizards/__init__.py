from . import l10n_no_agreement_mass_invoice
