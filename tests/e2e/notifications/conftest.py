"""The webhook receiver of the notifications' integration tests serves their end-to-end tests."""

from tests.integration.notifications.conftest import receiver  # noqa: F401 - a shared fixture
