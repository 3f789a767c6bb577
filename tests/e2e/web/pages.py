"""What the browser tests do on the pages, in the words of the pages (labels, buttons, links)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

#: Milliseconds a page or an expectation may take (a loaded 2-core CI machine is slow).
TIMEOUT = 60_000
expect.set_options(timeout=TIMEOUT)


def shot_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") + ".png"


@dataclass
class User:
    """One person in their own browser context (own cookies), on the platform's web pages."""

    page: Page
    base_url: str
    screenshots: Path
    name: str

    @classmethod
    def open(
        cls,
        browser: Browser,
        base_url: str,
        screenshots: Path,
        name: str,
        viewport: dict[str, int] | None = None,
    ) -> User:
        context = browser.new_context(
            locale="fr-FR", viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT)
        return cls(context.new_page(), base_url, screenshots, name)

    def close(self) -> None:
        self.page.context.close()

    def shot(self, step: str) -> None:
        self.page.screenshot(
            path=str(self.screenshots / shot_name(f"{self.name} {step}")), full_page=True
        )

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def login(self, email: str, password: str) -> None:
        self.goto("/")
        self.page.get_by_label("E-mail").fill(email)
        self.page.get_by_label("Mot de passe").fill(password)
        self.page.get_by_role("button", name="Se connecter").click()
        expect(self.page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    def login_with_keyboard(self, email: str, password: str) -> None:
        """The login without a mouse: the e-mail field has the focus, Tab, Enter."""
        self.goto("/")
        # The field takes the focus when the page has loaded; a key typed before that is lost.
        expect(self.page.get_by_label("E-mail")).to_be_focused()
        self.page.keyboard.type(email)
        focus = self.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert focus == "solid", f"no visible focus on the e-mail field ({focus})"
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(password)
        self.page.keyboard.press("Enter")
        expect(self.page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    def menu(self, label: str) -> None:
        self.page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name=label, exact=True
        ).click()

    def balance(self) -> Decimal:
        """The balance on the dashboard, read back from the French text."""
        self.menu("Tableau de bord")
        return french_amount(self.page.locator("#solde").inner_text())

    def reload_until(self, check: Callable[[], Any], timeout: float = 45.0) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: still not there at {self.page.url}")
            time.sleep(0.5)
            self.page.reload()


def french_amount(text: str) -> Decimal:
    """``-1 234,50 Actifs`` -> ``Decimal("-1234.50")``."""
    match = re.search(r"-?[\d\s\u202f\u00a0]+,\d{2}", text)
    assert match, text
    return Decimal(re.sub(r"[\s\u202f\u00a0]", "", match.group()).replace(",", "."))
