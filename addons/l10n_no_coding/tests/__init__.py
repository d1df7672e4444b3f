from . import test_coding
from . import test_coding_security
from . import test_coding_ehf
