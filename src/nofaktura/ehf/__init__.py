"""EHF 3 / Peppol BIS Billing 3.0: the EN 16931 model, UBL 2.1 reading and writing, validation.

EHF Billing 3.0 *is* Peppol BIS Billing 3.0; the Norwegian rules live inside the Peppol rule set.
"""
