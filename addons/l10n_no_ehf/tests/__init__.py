from . import (
    test_access_point,
    test_check,
    test_invoice_response,
    test_reachability,
    test_receive,
    test_screens,
    test_security,
    test_send,
    test_tours,
    test_ubl_export,
    test_xmlrpc,
)
