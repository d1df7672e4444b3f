from . import test_approval_flow
from . import test_approval_security
