"""``python -m ledger.relay``: the outbox relay alone, for deployments that scale it separately.

Several may run: a PostgreSQL advisory lock keeps exactly one publishing, the others wait.
"""

from ledger.consumer import run_relay

if __name__ == "__main__":
    run_relay()
