"""The invoices' settings: the chassis ``Settings`` plus where the PDF fonts are.

Like the chassis, this module is the only code of the service that reads ``TROC_*`` variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from chassis.config import Settings

SERVICE = "invoices"
#: Debian's ``fonts-dejavu-core``: a TrueType family with the French and the unit symbols.
DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True, kw_only=True)
class InvoicesSettings(Settings):
    """Settings of an invoices process."""

    service: ClassVar[str] = SERVICE

    #: Folder of ``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf`` (PDF/A embeds its fonts).
    font_dir: Path = DEFAULT_FONT_DIR
    #: Seconds between two passes of the worker's membership-fee schedule.
    fees_interval_s: float = 300.0

    @classmethod
    def own_from_env(cls, env: Mapping[str, str], base: Settings) -> dict[str, Any]:
        return {
            "font_dir": Path(env.get("TROC_INVOICES_FONT_DIR") or DEFAULT_FONT_DIR),
            "fees_interval_s": float(env.get("TROC_INVOICES_FEES_INTERVAL_S") or 300.0),
        }
