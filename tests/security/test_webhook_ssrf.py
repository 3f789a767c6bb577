"""SSRF through webhook URLs: the notifications service never calls a loopback, private,
link-local (cloud metadata), shared or reserved address, however it is spelled, nor anything but
http(s). Literal addresses are refused when the webhook is registered; a host name is resolved at
each delivery, and one resolving to such an address gets nothing sent (the delivery log says
why).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chassis.testing.waiting import eventually

from .conftest import TENANT, Attack, problem_of

POSTED = "org.trocactif.ledger.transfer_posted.v1"
UNSAFE = [
    "http://127.0.0.1/hook",
    "http://127.1/hook",
    "http://2130706433/hook",
    "http://0x7f.0.0.1/hook",
    "http://0177.0.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://100.100.100.200/latest/meta-data/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:a9fe:a9fe::1]/",
    "http://10.0.0.1/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://198.18.0.1/hook",
    "http://224.0.0.1/hook",
    "http://localhost/hook",
    "http://localhost./hook",
    "http://api.localhost/hook",
    "http://metadata.google.internal/computeMetadata/v1/",
    "file:///etc/passwd",
    "gopher://93.184.215.14:25/_HELO",
    "ftp://93.184.215.14/x",
    "dict://93.184.215.14:11211/",
    "javascript:alert(1)",
    "data:text/plain,hello",
    "http://user:secret@93.184.215.14/hook",
    "https://93.184.215.14:443\\@127.0.0.1/hook",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_webhook_targets_are_refused(attack: Attack, url: str) -> None:
    response = attack.request(
        "POST", f"/t/{TENANT}/webhooks", "animator", json={"url": url, "event_types": [POSTED]}
    )
    assert problem_of(response, 422)["code"] in {"unsafe_target", "validation_failed"}


class _Receiver(BaseHTTPRequestHandler):
    received: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        type(self).received.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[int, list[str]]]:
    """An HTTP server on loopback, recording what reaches it."""
    handler = type("Receiver", (_Receiver,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], handler.received
    finally:
        server.shutdown()
        server.server_close()


def test_a_name_resolving_to_loopback_gets_nothing_delivered(
    attack: Attack, receiver: tuple[int, list[str]]
) -> None:
    port, received = receiver
    name = socket.gethostname()
    resolved = {info[4][0] for info in socket.getaddrinfo(name, port, proto=socket.IPPROTO_TCP)}
    assert not any(ipaddress.ip_address(a).is_global for a in resolved), (
        f"this test needs the machine's name to resolve locally; {name} is {resolved}"
    )
    url = f"http://{name}:{port}/hook-{uuid.uuid4().hex[:6]}"
    hook = attack.platform.post(
        f"/t/{TENANT}/webhooks",
        attack.headers["animator"],
        json={"url": url, "event_types": [POSTED]},
        status=201,
    )
    attack.platform.post(
        f"/t/{TENANT}/transfers",
        {**attack.headers["animator"], "Idempotency-Key": uuid.uuid4().hex},
        json={
            "payer": attack.members["member"],
            "payee": attack.members["other_member"],
            "amount": "1.00",
            "reference": "SSRF",
        },
        status=201,
    )

    def refused() -> dict[str, object] | None:
        log = attack.platform.get(
            f"/t/{TENANT}/webhooks/{hook['id']}/deliveries", attack.headers["animator"]
        )
        items = [item for item in log["items"] if item.get("last_error")]
        return items[0] if items else None

    delivery = eventually(refused, timeout=90)
    assert delivery and "unsafe target" in str(delivery["last_error"]), delivery
    assert received == []
    attack.request("DELETE", f"/t/{TENANT}/webhooks/{hook['id']}", "animator")
