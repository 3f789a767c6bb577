"""A stream of invoices through the gateway that survives the faults it runs under.

Sellers of the Troc Actif demo invoice buyers (within a tenant and across tenants, each pair in
both directions so nobody's credit runs out); the seller's animators validate what reaches their
queue. Every call is retried until it gets an answer: drafts carry a caller id (their
``buyer_reference``), so a draft whose answer was lost is found again instead of drafted twice, and
the transitions (issue, validate) are idempotent. Answers other than a success or 503 are kept
for the report.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from chassis.testing.platform import Platform

TENANTS = ("pie", "fa-mgp", "initiactive-95", "fa-77-91")
#: (seller, buyer): demo company handles; both directions of each pair are traded.
PAIRS = (
    ("atelier-lumiere", "menuiserie-dubois"),  # pie -> fa-mgp
    ("bles-dor", "imprimerie-marais"),  # pie -> pie
    ("garage-cergy", "brasserie-melun"),  # initiactive-95 -> fa-77-91
    ("saveurs-saint-denis", "jardins-versailles"),  # fa-mgp -> initiactive-95
)
TERMINAL = frozenset({"settled", "rejected", "expired", "cancelled", "disputed"})
#: Answers that say "not now" (a process or a backend is down): retried without a note.
TRANSIENT = frozenset({502, 503, 504})


def email_of(handle: str) -> str:
    return f"contact@{handle}.demo.trocactif.org"


def animator_of(tenant: str) -> str:
    return f"animation@{tenant}.demo.trocactif.org"


class Client:
    """HTTP through the gateway as demo users, retrying until an answer comes."""

    def __init__(self, platform: Platform, stop: threading.Event) -> None:
        self.platform = platform
        self.stop = stop
        self._tokens: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        self.session = requests.Session()
        #: Unexpected answers: "<METHOD> <path rule> -> <status>" and how often.
        self.unexpected: Counter[str] = Counter()
        self.samples: dict[str, str] = {}

    def headers(self, email: str, fresh: bool = False) -> dict[str, str]:
        with self._lock:
            if fresh or email not in self._tokens:
                self._tokens[email] = self._login(email)
            return self._tokens[email]

    def _login(self, email: str) -> dict[str, str]:
        while True:
            try:
                response = requests.post(
                    f"{self.platform.url}/auth/token",
                    timeout=10,
                    json={"email": email, "password": self.platform.password},
                )
            except requests.RequestException:
                time.sleep(0.3)
                continue
            if response.status_code == 200:
                return {"Authorization": f"Bearer {response.json()['access_token']}"}
            self._note("POST /auth/token", response)
            time.sleep(0.3)

    def _note(self, what: str, response: requests.Response) -> None:
        key = f"{what} -> {response.status_code}"
        self.unexpected[key] += 1
        self.samples.setdefault(key, response.text[:500])

    def call(
        self,
        method: str,
        path: str,
        email: str,
        *,
        rule: str,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        ok: tuple[int, ...] = (200, 201),
        give_up: float = 120.0,
        once: bool = False,
    ) -> requests.Response | None:
        """Send until an answer in ``ok`` comes back (None on a definite refusal or timeout).

        ``rule`` names the route in the notes (``POST /t/<t>/invoices/<id>/issue``). ``once``:
        a request that is not idempotent is sent once (None if its outcome is unknown).
        """
        deadline = time.monotonic() + give_up
        attempts = 0
        while time.monotonic() < deadline and not (once and attempts):
            attempts += 1
            try:
                response = self.session.request(
                    method,
                    f"{self.platform.url}{path}",
                    headers=self.headers(email),
                    json=json,
                    params=params,
                    timeout=15,
                )
            except requests.RequestException:
                time.sleep(0.3)
                continue
            if response.status_code in ok:
                return response
            if response.status_code == 401:
                self.headers(email, fresh=True)
                continue
            if response.status_code not in TRANSIENT:
                self._note(rule, response)
                if 400 <= response.status_code < 500:
                    return None
            time.sleep(0.3)
        return None


@dataclass
class Tracked:
    id: str
    tenant: str
    caller_id: str
    seller: str
    buyer: str


@dataclass
class InvoiceStream:
    """Issue invoices (``issuers`` threads) and validate them (another) until told to stop."""

    platform: Platform
    members: dict[str, dict[str, Any]]  # handle -> directory entry
    issuers: int = 1
    pace: float = 0.2
    stop_issuing: threading.Event = field(default_factory=threading.Event)
    stop_validating: threading.Event = field(default_factory=threading.Event)
    invoices: dict[str, Tracked] = field(default_factory=dict)
    adopted: int = 0
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.client = Client(self.platform, self.stop_validating)
        self._threads = [
            threading.Thread(
                target=self._guard(functools.partial(self._issue_loop, k)),
                name=f"issuer-{k}",
                daemon=True,
            )
            for k in range(self.issuers)
        ] + [
            threading.Thread(target=self._guard(self._validate_loop), name="validator", daemon=True)
        ]

    def _guard(self, loop: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                loop()
            except Exception as exc:  # kept for the test to fail on
                self.errors.append(f"{threading.current_thread().name}: {exc!r}")
                raise

        return run

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self.stop_issuing.set()
        self.stop_validating.set()
        for thread in self._threads:
            thread.join(timeout=60)

    # -- issuing ------------------------------------------------------------------------------
    def _issue_loop(self, issuer: int) -> None:
        number = 0
        while not self.stop_issuing.is_set():
            seller, buyer = PAIRS[(number // 2 + issuer) % len(PAIRS)]
            if number % 2:
                seller, buyer = buyer, seller
            number += 1
            self.issue_one(f"chaos-{issuer}-{number:05d}", seller, buyer, 10 + number % 7)
            self.stop_issuing.wait(self.pace)

    def issue_one(self, caller_id: str, seller: str, buyer: str, euros: int) -> None:
        tenant = self.members[seller]["tenant"]
        body = {
            "buyer_member_id": self.members[buyer]["id"],
            "payment_mode": 100,
            "delivery_date": "2026-11-20",
            "buyer_reference": caller_id,
            "lines": [
                {
                    "description": f"Prestation {caller_id}",
                    "quantity": "1",
                    "unit_price": f"{euros}.00",
                    "vat_rate": "20",
                }
            ],
        }
        invoice_id = None
        while invoice_id is None and not self.stop_issuing.is_set():
            invoice_id = self._find_draft(tenant, seller, caller_id)
            if invoice_id is not None:
                self.adopted += 1
                break
            created = self.client.call(
                "POST",
                f"/t/{tenant}/invoices",
                email_of(seller),
                rule="POST /t/<t>/invoices",
                json=body,
                ok=(201,),
                once=True,
            )
            if created is not None:
                invoice_id = created.json()["id"]
            else:
                self.stop_issuing.wait(0.3)
        if invoice_id is None:
            return
        self.invoices[invoice_id] = Tracked(invoice_id, tenant, caller_id, seller, buyer)
        self.client.call(
            "POST",
            f"/t/{tenant}/invoices/{invoice_id}/issue",
            email_of(seller),
            rule="POST /t/<t>/invoices/<id>/issue",
        )

    def _find_draft(self, tenant: str, seller: str, caller_id: str) -> str | None:
        """The draft of ``caller_id`` if an earlier attempt made it (its answer was lost)."""
        listed = self.client.call(
            "GET",
            f"/t/{tenant}/invoices",
            email_of(seller),
            rule="GET /t/<t>/invoices",
            params={"status": "draft", "role": "seller", "per_page": 100},
        )
        if listed is None:
            return None
        found = [i["id"] for i in listed.json()["items"] if i["buyer_reference"] == caller_id]
        assert len(found) <= 1, f"{caller_id} drafted {len(found)} times"
        return found[0] if found else None

    # -- validating ---------------------------------------------------------------------------
    def _validate_loop(self) -> None:
        tenants = sorted({m["tenant"] for m in self.members.values()})
        while not self.stop_validating.is_set():
            for tenant in tenants:
                queue = self.client.call(
                    "GET",
                    f"/t/{tenant}/invoices",
                    animator_of(tenant),
                    rule="GET /t/<t>/invoices",
                    params={"status": "awaiting_validation", "per_page": 100},
                    give_up=10,
                )
                if queue is None:
                    continue
                for item in queue.json()["items"]:
                    if self.stop_validating.is_set():
                        return
                    self.client.call(
                        "POST",
                        f"/t/{tenant}/invoices/{item['id']}/validate",
                        animator_of(tenant),
                        rule="POST /t/<t>/invoices/<id>/validate",
                        give_up=30,
                    )
            self.stop_validating.wait(0.3)
