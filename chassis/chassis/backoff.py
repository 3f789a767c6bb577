"""Jittered exponential backoff: the one waiting rule of the chassis' retry loops.

Each wait doubles from ``initial`` up to ``maximum`` and is shortened by a random fraction of
up to ``jitter``, so processes that lost the same broker or database at the same moment do not
all come back at the same instant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Successive waits after failures: ``next()`` after each failure, ``reset()`` on success."""

    initial: float
    maximum: float
    jitter: float = 0.25
    current: float = field(default=0.0)

    def next(self) -> float:
        """The next wait in seconds (the un-jittered base doubles each call)."""
        self.current = self.initial if not self.current else min(self.current * 2, self.maximum)
        # Not for security: only spreads the reconnections of several processes.
        return self.current * (1.0 - self.jitter * random.random())

    def reset(self) -> None:
        self.current = 0.0
