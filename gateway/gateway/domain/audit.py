"""The audit log's entries: who of the staff did what to which resource, and when.

Standard library only. An entry is written in the transaction of the change it records and is
never changed afterwards (the repository can only add and read). Each service keeps the entries
of its own actions; the gateway's ``GET /t/<t>/audit`` and ``GET /audit`` assemble them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final
from uuid import UUID

#: The actor of what the platform did by itself, or an operator's command line.
SYSTEM: Final = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted: a user (id, e-mail, role) or ``system``."""

    user_id: str
    email: str | None
    role: str

    @classmethod
    def system(cls) -> Actor:
        return cls(SYSTEM, None, SYSTEM)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: UUID
    at: datetime
    actor: Actor
    action: str
    target_type: str
    target_id: str
    network: str | None
    tenant: str | None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> dict[str, str]:
        return {"type": self.target_type, "id": self.target_id}
