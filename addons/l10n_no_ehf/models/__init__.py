from . import (
    account_edi_common,
    account_edi_xml_ubl_bis3,
    account_move,
    account_move_send,
    l10n_no_ehf_access_point,
    l10n_no_ehf_incoming,
    l10n_no_ehf_outgoing,
    res_company,
    res_config_settings,
    res_partner,
)
