"""Invoices: the billing workflow of Troc Actif, a saga over the ledger.

Owns invoices and credit notes, their gap-free numbering per seller, their Factur-X documents,
the animators' validation queue and the network's commission records. Keeps copies of what it
needs from others: networks and members (``gateway.events``) and an accounts read model
(``ledger.events``). Sends ``hold_transfer``, ``post_transfer``, ``void_transfer`` and
``transfer`` to ``ledger.commands`` and publishes ``invoices.events``, both through its outbox.
"""
