"""nofaktura: Norwegian invoicing formats and rules, with no Odoo inside.

The package owns the formats a Norwegian company meets when it invoices and gets paid: EHF 3 /
Peppol BIS Billing 3.0 (EN 16931 UBL), KID references, Nets OCR giro, ISO 20022 bank files and
the dunning law. The Odoo addons in ``addons/`` only map records to these objects and back.
"""

__version__ = "0.1.0"
