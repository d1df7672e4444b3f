from . import test_import
from . import test_reconcile
from . import test_channel
from . import test_xmlrpc
from . import test_access_roles
from . import test_credentials
from . import test_screens
from . import test_tours
