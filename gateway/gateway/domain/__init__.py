"""The gateway's pure domain: identity, tenancy and the member directory, free of any framework.

Modules import the standard library, argon2-cffi (`passwords`) and each other only, never Flask,
SQLAlchemy or the bus: `errors` (the error tree), `identifiers` (SIRET, VAT, departments, …),
`model` (networks, tenants, members, users), `passwords`, `throttle`, `apikeys`, `reset` and
`csv_import`.
"""
