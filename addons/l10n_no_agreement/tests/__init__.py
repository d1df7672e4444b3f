from . import test_agreement_run, test_group_invoicing, test_mass_invoice, test_regulation
