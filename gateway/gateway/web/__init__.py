"""The web application of members, animators and the operator, served by the gateway.

French, server-rendered pages (Jinja2), a CSS file and a few lines of JavaScript; every piece of
data comes from the gateway's public HTTP API (``gateway.web.client``), exactly as an integrator
would get it. ``README.md`` in this folder says how to add a page.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from datetime import timedelta

import requests
from flask import Flask, request, send_from_directory
from flask.typing import ResponseReturnValue
from requests.adapters import HTTPAdapter

from gateway.settings import GatewaySettings
from gateway.web import formatting, navigation
from gateway.web.blueprint import HERE, bp, csrf_token, open_page
from gateway.web.client import Transport
from gateway.web.session import EXTENSION, CookieFirstSessions, WebConfig, current_account

SECRET_FILE = "web-secret-key"  # noqa: S105 (a file name, not a secret)


def secret_key(settings: GatewaySettings) -> str:
    """``TROC_WEB_SECRET_KEY``, or one generated once under ``<var>/keys`` for every worker."""
    if settings.web_secret_key:
        return settings.web_secret_key
    folder = settings.var_dir / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_FILE
    if not path.exists():
        fd, tmp = tempfile.mkstemp(prefix=f".{SECRET_FILE}.", dir=folder)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
            # link() fails if another worker was first: everyone then reads the same key.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def default_transport() -> Transport:
    """A pooled ``requests`` session towards the gateway itself."""
    transport = requests.Session()
    transport.trust_env = False  # the gateway's own address: never through a proxy
    transport.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=16))
    transport.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=16))
    return transport


@bp.get("/app/static/<path:filename>")
@open_page
def static(filename: str) -> ResponseReturnValue:
    return send_from_directory(HERE / "static", filename, max_age=3600)


def install_web(
    app: Flask,
    settings: GatewaySettings,
    *,
    transport: Transport | None = None,
    api_url: str | None = None,
) -> None:
    """Register the pages on the gateway's app. ``transport``/``api_url``: the tests' seam."""
    from gateway.web import pages  # noqa: F401  (the views register themselves on ``bp``)

    app.secret_key = secret_key(settings)
    app.session_interface = CookieFirstSessions()
    app.config.update(
        SESSION_COOKIE_NAME="troc_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web_cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=settings.refresh_token_ttl),
    )
    app.extensions[EXTENSION] = WebConfig(
        api_url=(
            api_url or settings.service_urls.get("gateway") or f"http://127.0.0.1:{settings.port}"
        ).rstrip("/"),
        transport=transport or default_transport(),
    )
    formatting.install_filters(app)
    app.jinja_env.globals["csrf_token"] = csrf_token  # also seen by imported macros
    app.register_blueprint(bp)

    @app.context_processor
    def web_context() -> dict[str, object]:
        if request.blueprint != bp.name:
            return {}
        account = current_account()
        return {
            "account": account,
            "nav": navigation.entries_for(account) if account else [],
            "is_current": navigation.is_current,
        }
