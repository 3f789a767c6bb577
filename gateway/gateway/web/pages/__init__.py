"""The pages, one module per area; importing this package registers them on the blueprint."""

from gateway.web.pages import (  # noqa: F401
    accounts,
    activity,
    auth,
    dashboard,
    integrations,
    invoices,
    listings,
    marketplace,
    members,
    messages,
    money,
    notifications,
    operator,
    payments,
    validation,
)
