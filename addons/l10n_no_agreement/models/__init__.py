from . import (
    account_move,
    contract_contract,
    contract_line,
    l10n_no_agreement_notice,
    l10n_no_agreement_regulation,
    l10n_no_agreement_run,
    l10n_no_kpi_value,
)
