from . import test_channel_choice
from . import test_queue
from . import test_security
from . import test_bulk
from . import test_letters
