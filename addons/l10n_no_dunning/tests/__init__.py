from . import test_dunning_flow
from . import test_dunning_rules
