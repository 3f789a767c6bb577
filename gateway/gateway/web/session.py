"""Who is signed in to the web application, and the API client that speaks for them.

The Flask session (a signed, ``HttpOnly``, ``SameSite=Lax`` cookie) keeps the user's token pair
and what the pages show on every screen (roles, tenant, member, the network's unit), read once
at login from ``GET /me``, ``GET /networks/<network>`` and ``GET /t/<tenant>/members/<id>``. The
tenant always comes from here, never from a URL: a page asks the API for ``/t/<tenant>/...`` of
the signed-in user only, and the API (and each service) decides what that user may see.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from cryptography.fernet import Fernet, InvalidToken
from flask import Flask, Request, current_app, g, has_request_context, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from chassis import context
from gateway.web.client import ApiClient, ApiError, Transport

#: Refresh the access token when it has less than this many seconds left.
REFRESH_MARGIN: Final = 60
EXTENSION: Final = "troc_web"


class CookieFirstSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, which look for the cookie before anything else.

    Flask builds the cookie's signing serializer for every request, cookie or not; the API's
    requests (bearer tokens, every forwarded one) carry none and start with an empty session.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


@dataclass(frozen=True)
class WebConfig:
    """Where the pages find the API (the gateway's own public URL) and how they reach it."""

    api_url: str
    transport: Transport


@dataclass(frozen=True)
class Account:
    """The signed-in user, as the pages need it."""

    email: str
    roles: tuple[str, ...]
    tenant: str | None
    network: str | None
    member_id: str | None = None
    member_name: str | None = None
    tenant_name: str | None = None
    unit: dict[str, str] = field(default_factory=dict)
    payment_modes: tuple[int, ...] = (100, 50)
    vat_settlement: str = "unit"

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role(self) -> str:
        """The main role, for the navigation: operator, animator, member or integrator."""
        for role in ("operator", "animator", "member"):
            if role in self.roles:
                return role
        return self.roles[0] if self.roles else "member"

    @property
    def display_name(self) -> str:
        return self.member_name or self.email

    @property
    def unit_name(self) -> str:
        return self.unit.get("name", "unité")


def config() -> WebConfig:
    web: WebConfig = current_app.extensions[EXTENSION]
    return web


def _client(token: str | None = None) -> ApiClient:
    """A client of the API; its calls share the page request's correlation id."""
    address = request.remote_addr if has_request_context() else None
    return ApiClient(
        config().api_url,
        config().transport,
        token,
        correlation_id=context.correlation_id.get(),
        forwarded_for=address,
    )


def anonymous_client() -> ApiClient:
    return _client()


def current_account() -> Account | None:
    raw = session.get("account")
    if not raw:
        return None
    return Account(
        **{
            **raw,
            "roles": tuple(raw["roles"]),
            "payment_modes": tuple(raw.get("payment_modes", (100, 50))),
        }
    )


def _store_tokens(pair: dict[str, Any]) -> None:
    session["tokens"] = {
        "access": pair["access_token"],
        "refresh": pair["refresh_token"],
        "expires_at": time.time() + int(pair.get("expires_in", 300)),
    }


class EnrolmentRequired(Exception):  # noqa: N818 - an outcome of the login, not a failure
    """The password was right, and the network requires a second factor not yet set up: the
    session holds an enrol-only token (``enrolment_client``) until the enrolment is done."""


def sign_in(email: str, password: str, totp: str | None = None) -> Account:
    """Log in through ``POST /auth/token`` and remember the user in the session.

    Raises :class:`ApiError` (``totp_required``, ``totp_invalid``...) or
    :class:`EnrolmentRequired`.
    """
    body = {"email": email, "password": password}
    if totp:
        body["totp"] = totp
    pair = anonymous_client().post("/auth/token", body)
    session.clear()
    if pair.get("totp_enrolment_required"):
        session["enrolment"] = {
            "token": pair["access_token"],
            "email": email,
            "expires_at": time.time() + int(pair.get("expires_in", 300)),
        }
        session["csrf"] = secrets.token_urlsafe(32)
        raise EnrolmentRequired()
    _store_tokens(pair)
    api = _client(pair["access_token"])
    me = api.get("/me")
    account = _account_of(api, me, email)
    session["account"] = asdict(account)
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True
    return account


def _account_of(api: ApiClient, me: dict[str, Any], email: str) -> Account:
    tenant, network, member_id = me.get("tenant"), me.get("network"), me.get("member_id")
    details: dict[str, Any] = {}
    if network:
        settings = api.get(f"/networks/{network}")
        details.update(
            unit=dict(settings.get("unit") or {}),
            payment_modes=tuple(settings.get("payment_modes") or (100, 50)),
            vat_settlement=settings.get("vat_settlement", "unit"),
        )
    if tenant and member_id:
        details["member_name"] = api.get(f"/t/{tenant}/members/{member_id}").get("name")
    details["tenant_name"] = (me.get("user") or {}).get("tenant_name")
    return Account(
        email=(me.get("user") or {}).get("email") or email,
        roles=tuple(me.get("roles") or ()),
        tenant=tenant,
        network=network,
        member_id=member_id,
        **details,
    )


def sign_out() -> None:
    session.clear()


def enrolment_client() -> ApiClient | None:
    """The client of an enrol-only login (see :class:`EnrolmentRequired`), while it lasts."""
    pending = session.get("enrolment")
    if not pending or pending["expires_at"] < time.time():
        return None
    return _client(pending["token"])


# --- the second step of a login: the password kept, encrypted, for a few minutes ----------------

#: Seconds a user has to type the code of their authenticator app after their password.
PENDING_LOGIN_TTL: Final = 300


def _pending_cipher() -> Fernet:
    digest = hashlib.sha256(f"{current_app.secret_key}:pending-login".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def remember_pending_login(email: str, password: str) -> None:
    """Keep the credentials of a login awaiting its code, encrypted in the session cookie (the
    cookie is signed, not encrypted: the password never sits in it in clear)."""
    token = _pending_cipher().encrypt(json.dumps([email, password]).encode())
    session["pending_login"] = token.decode("ascii")


def pending_login() -> tuple[str, str] | None:
    raw = session.get("pending_login")
    if not raw:
        return None
    try:
        email, password = json.loads(
            _pending_cipher().decrypt(raw.encode("ascii"), ttl=PENDING_LOGIN_TTL)
        )
    except (InvalidToken, ValueError):
        session.pop("pending_login", None)
        return None
    return str(email), str(password)


def forget_pending_login() -> None:
    session.pop("pending_login", None)


def api() -> ApiClient:
    """The API client of the signed-in user, its access token refreshed when due.

    Raises :class:`ApiError` (401) when there is no session or it cannot be refreshed.
    """
    client: ApiClient | None = g.get("_troc_api")
    if client is not None:
        return client
    tokens = session.get("tokens")
    if not tokens:
        raise ApiError(401, "unauthenticated", "Connectez-vous pour continuer.")
    if tokens["expires_at"] - REFRESH_MARGIN < time.time():
        try:
            pair = anonymous_client().post("/auth/refresh", {"refresh_token": tokens["refresh"]})
        except ApiError as exc:
            if exc.status in (400, 401):
                session.clear()
                raise ApiError(
                    401, "session_expired", "Votre session a expiré : reconnectez-vous."
                ) from None
            raise
        _store_tokens(pair)
        tokens = session["tokens"]
    client = _client(tokens["access"])
    g._troc_api = client
    return client


def tenant_path(path: str) -> str:
    """``/t/<the user's tenant><path>``: every tenant-scoped call of the pages goes through it."""
    account = current_account()
    if account is None or not account.tenant:
        raise ApiError(403, "forbidden", "Cette page est réservée aux associations.")
    return f"/t/{account.tenant}{path}"
