"""The listings service: the marketplace of a barter network (step 1 of the barter flow).

Owns listings (offers and needs), the category taxonomy, contact threads and their messages, and
matches between offers and needs; keeps read-only copies of what it needs from others (network
settings, tenants and members from ``gateway.events``; member balances from ``ledger.events``).
Publishes ``listings.events`` (listing_published/updated/archived, contact_requested/replied,
match_found) through its outbox.
"""
