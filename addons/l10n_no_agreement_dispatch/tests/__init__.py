from . import test_notice_dispatch
