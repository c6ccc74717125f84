"""What a process keeps of what it read or rendered: at most so many values, the least
recently used dropped first (search results, search plans, offer cards)."""

import threading
from collections import OrderedDict


class Kept:
    """At most ``limit`` values by key, safe for the threads of one process.

    ``get`` counts as a use: the value moves to the end, and ``put`` drops
    from the front what is over the limit.
    """

    def __init__(self, limit):
        self.limit = limit
        self._values = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        """The value kept for ``key``, or None."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.limit:
                self._values.popitem(last=False)

    def items(self):
        """A copy of the (key, value) pairs, the least recently used first."""
        with self._lock:
            return list(self._values.items())
