from . import test_bulk
from . import test_letters
