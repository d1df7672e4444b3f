from . import test_coding
from . import test_coding_security
