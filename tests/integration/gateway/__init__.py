"""Integration and end-to-end tests of the gateway."""
