"""The pages, one module per area; importing this package registers them on the blueprint."""

from gateway.web.pages import (  # noqa: F401
    auth,
    dashboard,
    invoices,
    listings,
    marketplace,
    notifications,
    validation,
)
