"""Shared in-memory access points for demo mode and tests: one per (database, access point id).

The library's InMemoryAccessPoint lives in the process; Odoo code opens and closes transports around each
batch, so the shared instance ignores ``close()``. Tests reach it through
``access_point._l10n_no_ehf_memory()`` to script failures and inspect what was sent.
"""

import threading

from nofaktura.peppol.transports import InMemoryAccessPoint


class SharedInMemoryAccessPoint(InMemoryAccessPoint):
    def close(self):
        """Stays open: it is shared by every batch of this database."""


_LOCK = threading.Lock()
_REGISTRY = {}


def shared_memory_access_point(dbname, access_point_id):
    with _LOCK:
        key = (dbname, access_point_id)
        if key not in _REGISTRY:
            _REGISTRY[key] = SharedInMemoryAccessPoint()
        return _REGISTRY[key]


def reset_memory_access_point(dbname, access_point_id):
    with _LOCK:
        _REGISTRY.pop((dbname, access_point_id), None)
