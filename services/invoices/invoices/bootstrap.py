"""The only place that wires the invoices service: settings, engine, sessions, clock, documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from chassis.config import Settings
from chassis.db import make_engine, utcnow
from invoices.db import DocumentRow, UnitOfWork, session_factory
from invoices.domain.model import Invoice
from invoices.settings import SERVICE, InvoicesSettings


@dataclass
class InvoicesApp:
    """Everything the views, the worker and the CLI need, built once per process."""

    settings: InvoicesSettings
    engine: Engine
    clock: Callable[[], datetime] = utcnow
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = session_factory(self.engine)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def now(self) -> datetime:
        return self.clock()

    def dependencies(self, uow: UnitOfWork) -> dict[str, Any]:
        """What the handlers of the bus may ask for by name (``uow``, ``now``)."""
        return {"uow": uow, "now": self.now()}

    def document(self, invoice: Invoice) -> tuple[bytes, bytes]:
        """The Factur-X PDF and XML of an issued invoice: rendered once, then kept (immutable)."""
        with self.sessions() as session:
            row = session.get(DocumentRow, invoice.id)
            if row is not None:
                return row.pdf, row.xml
        # Imported on first use: the PDF and XML libraries (fpdf with numpy, facturx with lxml's
        # schemas) cost half a second of every process's start, and most processes never render.
        from invoices.documents.pdf import render_facturx

        pdf, xml = render_facturx(invoice, self.settings.font_dir)
        with self.sessions() as session, session.begin():
            if session.get(DocumentRow, invoice.id) is None:
                session.add(
                    DocumentRow(invoice_id=invoice.id, pdf=pdf, xml=xml, created_at=self.now())
                )
            else:  # rendered concurrently: keep the first one stored
                stored = session.execute(
                    select(DocumentRow.pdf, DocumentRow.xml).where(
                        DocumentRow.invoice_id == invoice.id
                    )
                ).one()
                pdf, xml = stored[0], stored[1]
        return pdf, xml

    def has_document(self, invoice_id: UUID) -> bool:
        with self.sessions() as session:
            return session.get(DocumentRow, invoice_id) is not None

    def dispose(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> InvoicesApp:
    invoices_settings = (
        InvoicesSettings.of(settings)
        if settings is not None
        else InvoicesSettings.from_env(SERVICE)
    )
    return InvoicesApp(
        settings=invoices_settings, engine=engine or make_engine(invoices_settings), clock=clock
    )
