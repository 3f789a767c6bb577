"""Operations across the whole platform (every service, the bus, the ledger's invariants).

The chassis is what each service is built from and knows none of them; what looks at all of them
at once lives here: ``python -m ops.health``.
"""
