from . import test_permission_matrix
