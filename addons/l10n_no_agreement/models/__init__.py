from . import account_move, contract_contract, l10n_no_agreement_run
