"""Troc Actif gateway: the authority for networks, tenants, members, users, roles and API keys.

It is the only public entry point: it authenticates, resolves the tenant and routes each request
to the service that owns it. Its pure business rules live in `gateway.domain`.
"""
