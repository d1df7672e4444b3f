from . import test_partner_brreg
from . import test_setup_assistant
from . import test_tour
from . import test_xmlrpc
