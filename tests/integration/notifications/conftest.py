"""Fixtures of the notifications' integration tests: a migrated database on both backends, a
client, tokens, a way to deliver events as the worker does, and a webhook receiver."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER
from chassis.messages import Envelope, envelope_for
from chassis.testing.databases import service_test_settings
from chassis.testing.tokens import TokenFactory
from contracts import gateway as gw
from notifications.api import create_app
from notifications.bootstrap import NotificationsApp, bootstrap
from notifications.consumer import NotificationsConsumer
from notifications.settings import NotificationsSettings

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "notifications" / "migrations"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def notifications_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NotificationsApp]:
    settings = service_test_settings(
        "notifications",
        tmp_path_factory.mktemp("notifications"),
        migrations=MIGRATIONS,
        backend=request.param,
    )
    notif = dataclasses.replace(
        NotificationsSettings.of(settings),
        webhooks_allow_private_targets=True,
        webhooks_retry_schedule=(0, 0, 0),
        webhooks_timeout=2.0,
        email_retry_schedule=(0, 0),
    )
    app = bootstrap(notif)
    yield app
    app.dispose()


@dataclass
class World:
    """A fresh network with two associations, and ways to act in it."""

    app: NotificationsApp
    client: FlaskClient
    tokens: TokenFactory
    network: str
    tenant_a: str
    tenant_b: str

    def deliver(
        self,
        message: object,
        *,
        tenant: str | None = None,
        source: str = "tests",
        envelope: Envelope | None = None,
        sequence: int | None = None,
    ) -> Envelope:
        envelope = envelope or envelope_for(
            message, source=source, network=self.network, tenant=tenant or self.tenant_a
        )
        if sequence is not None:
            envelope = dataclasses.replace(envelope, sequence=sequence)
        NotificationsConsumer(self.app).handle_batch([envelope])
        return envelope

    def admit(self, tenant: str | None = None, name: str = "Atelier Test") -> uuid.UUID:
        member_id = uuid.uuid4()
        self.deliver(
            gw.MemberAdmitted(
                member_id=member_id,
                name=name,
                siret="73282932000074",
                department="75",
                email=f"{member_id.hex[:8]}@example.org",
            ),
            tenant=tenant,
        )
        return member_id

    def member(self, member_id: uuid.UUID, tenant: str | None = None) -> dict[str, str]:
        return self.tokens.headers(
            MEMBER, tenant=tenant or self.tenant_a, network=self.network, member_id=member_id
        )

    def animator(self, tenant: str | None = None) -> dict[str, str]:
        return self.tokens.headers(ANIMATOR, tenant=tenant or self.tenant_a, network=self.network)

    def integrator(
        self, tenant: str | None = None, scopes: tuple[str, ...] = ("webhooks:manage",)
    ) -> dict[str, str]:
        return self.tokens.headers(
            INTEGRATOR, tenant=tenant or self.tenant_a, network=self.network, scopes=scopes
        )

    def feed(
        self, headers: dict[str, str], tenant: str | None = None, **query: Any
    ) -> dict[str, Any]:
        response = self.client.get(
            f"/t/{tenant or self.tenant_a}/notifications", headers=headers, query_string=query
        )
        assert response.status_code == 200, response.json
        return response.json  # type: ignore[no-any-return]

    def kinds(self, headers: dict[str, str], tenant: str | None = None) -> list[str]:
        return sorted(item["kind"] for item in self.feed(headers, tenant)["items"])


@pytest.fixture
def world(notifications_app: NotificationsApp, token_factory: TokenFactory) -> World:
    app = create_app(
        token_factory.settings(notifications_app.settings), notifications=notifications_app
    )
    return World(
        notifications_app,
        app.test_client(),
        token_factory,
        f"net-{uuid.uuid4().hex[:10]}",
        f"a-{uuid.uuid4().hex[:8]}",
        f"b-{uuid.uuid4().hex[:8]}",
    )


@dataclass
class Receiver:
    """A tiny webhook receiver on loopback: records what arrives, answers ``status``."""

    port: int = 0
    status: int = 204
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Called (outside the lock) before answering: a test may make the endpoint slow.
    before_answer: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        with self.lock:
            self.received.append((dict(request.headers.items()), request.get_data()))
            status = self.status
        if self.before_answer is not None:
            self.before_answer()
        return Response(status=status)(environ, start_response)


def _serve() -> Iterator[Receiver]:
    handler = Receiver()
    server = make_server("127.0.0.1", 0, handler, threaded=True)
    handler.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from _serve()


@pytest.fixture
def second_receiver() -> Iterator[Receiver]:
    yield from _serve()
