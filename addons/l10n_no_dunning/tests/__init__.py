from . import test_dunning_flow
from . import test_dunning_rules
from . import test_dunning_security
from . import test_letter_print
from . import test_dunning_screens
from . import test_tours
from . import test_norwegian
from . import test_batch_delivery
