from . import account_move_send_wizard
