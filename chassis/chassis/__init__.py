"""Troc Actif runtime chassis: the mechanisms every service shares.

Settings, database sessions, the kombu bus with its outbox and inbox, token verification,
tenancy and the HTTP edge. No business rule lives here: if a function mentions an account or an
invoice, it belongs in a service.
"""
