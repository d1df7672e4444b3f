from . import test_journal_agreement
from . import test_customer_number
from . import test_invoice_kid
from . import test_vendor_kid
from . import test_ubl_payment_id
from . import test_xmlrpc
from . import test_invoice_legal
from . import test_invoice_print
