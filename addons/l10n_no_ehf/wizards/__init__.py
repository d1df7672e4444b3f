from . import l10n_no_ehf_response, l10n_no_ehf_upload
