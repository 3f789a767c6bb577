"""The invoices' settings: the chassis ``Settings`` plus where the PDF fonts are.

Like the chassis, this module is the only code of the service that reads ``TROC_*`` variables.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from chassis.config import Settings

SERVICE = "invoices"
#: Debian's ``fonts-dejavu-core``: a TrueType family with the French and the unit symbols.
DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True, kw_only=True)
class InvoicesSettings(Settings):
    """Settings of an invoices process."""

    #: Folder of ``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf`` (PDF/A embeds its fonts).
    font_dir: Path = DEFAULT_FONT_DIR

    @classmethod
    def from_env(cls, service_name: str = SERVICE,
                 environ: Mapping[str, str] | None = None) -> InvoicesSettings:
        env = os.environ if environ is None else environ
        base = Settings.from_env(service_name, env)
        return cls(**{f.name: getattr(base, f.name) for f in dataclasses.fields(Settings)},
                   font_dir=Path(env.get("TROC_INVOICES_FONT_DIR") or DEFAULT_FONT_DIR))

    @classmethod
    def of(cls, settings: Settings) -> InvoicesSettings:
        """The invoices settings of plain chassis settings (defaults for the service's own)."""
        if isinstance(settings, InvoicesSettings):
            return settings
        return cls(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(Settings)})
