"""Shared test configuration: loads the chassis pytest plugin (fixtures for settings and tokens)."""

pytest_plugins = ["chassis.testing.plugin", "chassis.testing.tokens", "chassis.testing.rabbit"]
