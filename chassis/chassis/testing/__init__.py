"""Test helpers shared by every service's tests (pytest plugin, fakes, token minting)."""
