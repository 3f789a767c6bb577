"""Invoices: the billing workflow of Troc Actif, a saga over the ledger.

Owns invoices and credit notes, their gap-free numbering per seller, their Factur-X documents,
the animators' validation queue and the network's commission records. Keeps copies of what it
needs from others: networks, members and the links between networks (``gateway.events``) and
an accounts read model (``ledger.events``). Sends ``hold_transfer``, ``post_transfer``,
``void_transfer``, ``transfer`` and, for an invoice to a member of a linked network,
``start_federated_transfer`` to ``ledger.commands`` (whose ``federated_transfer_completed`` ends
it) and publishes ``invoices.events``, both through its outbox.
"""
