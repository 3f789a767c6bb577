"""The ledger: sole authority over Actifs.

Owns accounts (one per member per network, plus system accounts such as a network's fees),
credit limits, transfers (pending / posted / voided / refused) with their append-only postings, and
the per-tenant event log. Consumes ``gateway.events`` (network and member life cycle) and
``ledger.commands``; publishes ``ledger.events`` through its outbox. Trade between networks: a
clearing account per linked network, and the saga of cross-network transfers (``ledger.sagas``),
whose books may live in databases of their own (``TROC_LEDGER_NETWORK_DATABASES``).
"""
