from . import test_channel_choice
from . import test_queue
from . import test_security
