"""HTTP API of the gateway's own routes: tokens, keys, networks, tenants, members, users, API keys.

Views are thin: check who may act, call one use case of ``gateway.service``, shape the answer.
The routes of the other services are forwarded by ``gateway.routing`` (``install_routing``),
which asks :func:`make_token_for_request` for the JWT to pass on.
``gunicorn "gateway.api:create_app()"``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any
from uuid import UUID

from flask import Flask, Request, Response, current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from chassis.auth import ANIMATOR, INTEGRATOR, OPERATOR, Forbidden, Identity, InvalidToken
from chassis.auth import TokenVerifier as ChassisVerifier
from chassis.bus import is_amqp
from chassis.http import broker_check, create_base_app, database_check, problem, public
from chassis.metrics import register_outbox_collector
from chassis.money import format_rate
from chassis.schemas import PageQuery, page_of
from chassis.tenancy import current_identity, require_identity, require_role, require_tenant
from contracts.ledger import clearing_account_id
from gateway import audit, clearing, service
from gateway.bootstrap import GatewayApp, bootstrap
from gateway.db import constraint_conflict, outbox_sequence_table, outbox_table
from gateway.domain.apikeys import API_KEY_PREFIX, ApiKeyRevoked, InvalidApiKey
from gateway.domain.errors import DomainError, InvalidTransition, ValidationError, ValidationErrors
from gateway.domain.errors import Forbidden as DomainForbidden
from gateway.domain.model import TenantClosed
from gateway.domain.model.federation import FederationLink, side_of
from gateway.domain.reset import ResetTokenInvalid
from gateway.domain.throttle import LoginThrottled
from gateway.domain.totp import TotpInvalid, TotpNotPending, TotpRequired
from gateway.errors import (
    Conflict,
    ImportRefused,
    InvalidCredentials,
    InvalidGrant,
    UnknownResource,
    Unprocessable,
    UpstreamRefused,
    UpstreamUnavailable,
)
from gateway.ledger_client import HttpLedgerTenancy
from gateway.proxies import ClientAddress
from gateway.routing import install_routing
from gateway.schemas import (
    AcceptedSchema,
    ApiKeyInSchema,
    ApiKeySchema,
    AuditPageSchema,
    AuditQuery,
    FederationLinkInSchema,
    FederationLinkPatchSchema,
    FederationLinkSchema,
    ImportResultSchema,
    JwksSchema,
    MemberInSchema,
    MemberListQuery,
    MemberMoveSchema,
    MemberPatchSchema,
    MemberSchema,
    MeSchema,
    NetworkApiKeyInSchema,
    NetworkApiKeySchema,
    NetworkInSchema,
    NetworkLinksSchema,
    NetworkPatchSchema,
    NetworkSchema,
    NewApiKeySchema,
    NewNetworkApiKeySchema,
    OperatorUserInSchema,
    OperatorUserPatchSchema,
    PasswordChangeSchema,
    RefreshRequestSchema,
    ResetConfirmSchema,
    ResetRequestSchema,
    SuspendSchema,
    TenantInSchema,
    TenantPatchSchema,
    TenantSchema,
    TokenRequestSchema,
    TokenSchema,
    TotpConfirmSchema,
    TotpEnrolmentSchema,
    UserInSchema,
    UserPatchSchema,
    UserSchema,
)
from gateway.settings import SERVICE, GatewaySettings
from gateway.tokens import ENROLMENT_SCOPE
from gateway.web import install_web

log = logging.getLogger(__name__)


class FormOrJsonBlueprint(Blueprint):
    """Token endpoints read JSON or, as OAuth 2 clients send it, a form: documented as a body."""

    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "json_or_form": "application/json",
    }


auth_blp = FormOrJsonBlueprint("auth", __name__, description="Logins, tokens and the signing keys")
networks_blp = Blueprint(
    "networks",
    __name__,
    url_prefix="/networks",
    description="Networks and their tenants (operator)",
)
tenant_blp = Blueprint(
    "directory",
    __name__,
    url_prefix="/t/<tenant>",
    description="A tenant's members, users and API keys",
)
audit_blp = Blueprint("audit", __name__, description="The audit log of staff actions")
federation_blp = Blueprint(
    "federation",
    __name__,
    url_prefix="/federation",
    description="Links between networks: the rate of their units and their clearing limits",
)
users_blp = Blueprint(
    "operator_users",
    __name__,
    url_prefix="/users",
    description="The operator's own user accounts (operator)",
)

#: Key under which the app keeps its ``GatewayApp``.
EXTENSION = "gateway"


def gateway_app() -> GatewayApp:
    app: GatewayApp = current_app.extensions[EXTENSION]
    return app


# --- who may do what ---------------------------------------------------------------------------


def _animator(tenant: str) -> Identity:
    """The tenant's animators, and the operator; a member or an integrator key is refused."""
    identity = require_tenant(tenant)
    if not identity.has_role(ANIMATOR, OPERATOR):
        raise Forbidden(message="Only the tenant's animators may do this.")
    return identity


def _operator() -> Identity:
    return require_role(OPERATOR)


def _page(result: service.Page[Any], query: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "items": result.items,
        "page": query["page"],
        "per_page": query["per_page"],
        "total": result.total,
    }


# --- auth --------------------------------------------------------------------------------------


@auth_blp.route("/auth/token")
@public
class TokenView(MethodView):
    @auth_blp.arguments(TokenRequestSchema, location="json_or_form")
    @auth_blp.response(200, TokenSchema)
    def post(self, body: dict[str, Any]) -> service.TokenPair:
        """Log in with e-mail and password, or exchange an integrator's API key for a JWT"""
        app = gateway_app()
        key = body.get("api_key") or body.get("client_secret")
        if key:
            return service.token_for_api_key(app.uow(), key, issuer=app.issuer, now=app.now())
        return service.login(
            app.uow(),
            email=body["email"],
            password=body["password"],
            client_ip=request.remote_addr,
            throttle=app.throttle,
            issuer=app.issuer,
            hasher=app.hasher,
            now=app.now(),
            totp=body.get("totp"),
        )


@auth_blp.route("/auth/refresh")
@public
class RefreshView(MethodView):
    @auth_blp.arguments(RefreshRequestSchema, location="json_or_form")
    @auth_blp.response(200, TokenSchema)
    def post(self, body: dict[str, Any]) -> service.TokenPair:
        """Exchange a refresh token for a new pair (the old one stops working)"""
        app = gateway_app()
        return service.refresh(app.uow(), body["refresh_token"], issuer=app.issuer, now=app.now())


@auth_blp.route("/auth/password-reset")
@public
class PasswordResetView(MethodView):
    @auth_blp.arguments(ResetRequestSchema)
    @auth_blp.response(202, AcceptedSchema)
    def post(self, body: dict[str, Any]) -> dict[str, str]:
        """Ask for a password reset link; the answer never tells whether the account exists"""
        app = gateway_app()
        service.request_password_reset(app.uow(), body["email"], now=app.now())
        return {"status": "accepted"}


@auth_blp.route("/auth/password-reset/confirm")
@public
class PasswordResetConfirmView(MethodView):
    @auth_blp.arguments(ResetConfirmSchema)
    @auth_blp.response(200, AcceptedSchema)
    def post(self, body: dict[str, Any]) -> dict[str, str]:
        """Set a new password with the token of a reset link (usable once)"""
        app = gateway_app()
        service.confirm_password_reset(
            app.uow(), body["token"], body["password"], hasher=app.hasher, now=app.now()
        )
        return {"status": "password_changed"}


@auth_blp.route("/auth/password")
class PasswordChangeView(MethodView):
    @auth_blp.arguments(PasswordChangeSchema)
    @auth_blp.response(200, AcceptedSchema)
    def post(self, body: dict[str, Any]) -> dict[str, str]:
        """Change your password (signed in); your other sessions end"""
        identity = require_identity()
        app = gateway_app()
        service.change_password(
            app.uow(),
            identity,
            body["current_password"],
            body["new_password"],
            client_ip=request.remote_addr,
            throttle=app.throttle,
            hasher=app.hasher,
            now=app.now(),
        )
        return {"status": "password_changed"}


@auth_blp.route("/auth/totp")
class TotpView(MethodView):
    @auth_blp.response(201, TotpEnrolmentSchema)
    def post(self) -> dict[str, Any]:
        """Start two-factor login: a TOTP secret, its otpauth URI and ten recovery codes"""
        identity = require_identity()
        app = gateway_app()
        return service.start_totp_enrolment(
            app.uow(), identity, issuer_name="Troc Actif", now=app.now()
        )


@auth_blp.route("/auth/totp/confirm")
class TotpConfirmView(MethodView):
    @auth_blp.arguments(TotpConfirmSchema)
    @auth_blp.response(200, AcceptedSchema)
    def post(self, body: dict[str, Any]) -> dict[str, str]:
        """Turn two-factor login on with a first code of the authenticator app"""
        identity = require_identity()
        app = gateway_app()
        service.confirm_totp_enrolment(app.uow(), identity, body["code"], now=app.now())
        return {"status": "totp_enabled"}


@auth_blp.route("/.well-known/jwks.json")
@public
class JwksView(MethodView):
    @auth_blp.response(200, JwksSchema)
    def get(self) -> Any:
        """The public keys that verify access tokens (two during a key rotation)"""
        return gateway_app().keys.jwks(), 200, {"Cache-Control": "public, max-age=60"}


@auth_blp.route("/me")
class MeView(MethodView):
    @auth_blp.response(200, MeSchema)
    def get(self) -> dict[str, Any]:
        """Who the bearer token says you are"""
        identity = require_identity()
        return {
            "subject": identity.subject,
            "roles": sorted(identity.roles),
            "tenant": identity.tenant,
            "network": identity.network,
            "member_id": identity.member_id,
            "scopes": sorted(identity.scopes),
            "user": service.me(gateway_app().uow(), identity),
        }


# --- networks and tenants ----------------------------------------------------------------------


@networks_blp.route("")
class NetworksView(MethodView):
    @networks_blp.arguments(NetworkInSchema)
    @networks_blp.response(201, NetworkSchema)
    def post(self, body: dict[str, Any]) -> Any:
        """Create a network: its unit, default credit limit, payment modes, hold expiry, VAT"""
        actor = _operator()
        return service.create_network(gateway_app().uow(), body, actor=actor)

    @networks_blp.arguments(PageQuery, location="query")
    @networks_blp.response(200, page_of(NetworkSchema))
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List the networks of the deployment"""
        _operator()
        result = service.list_networks(gateway_app().uow(), query["page"], query["per_page"])
        return _page(result, query)


@networks_blp.route("/<network>")
class NetworkView(MethodView):
    @networks_blp.response(200, NetworkSchema)
    def get(self, network: str) -> Any:
        """Show a network's settings (the operator, or anyone of that network)"""
        identity = require_identity()
        if not identity.is_operator and identity.network != network:
            raise UnknownResource("network")
        return service.get_network(gateway_app().uow(), network)

    @networks_blp.arguments(NetworkPatchSchema)
    @networks_blp.response(200, NetworkSchema)
    def patch(self, body: dict[str, Any], network: str) -> Any:
        """Change a network's settings (its slug never changes)"""
        actor = _operator()
        return service.update_network(gateway_app().uow(), network, body, actor=actor)


@networks_blp.route("/<network>/tenants")
class NetworkTenantsView(MethodView):
    @networks_blp.arguments(TenantInSchema)
    @networks_blp.response(201, TenantSchema)
    def post(self, body: dict[str, Any], network: str) -> dict[str, Any]:
        """Create a tenant (territorial association) with the departments it covers"""
        actor = _operator()
        tenant = service.create_tenant(gateway_app().uow(), network, body, actor=actor)
        return _tenant_view(tenant, network)

    @networks_blp.arguments(PageQuery, location="query")
    @networks_blp.response(200, page_of(TenantSchema))
    def get(self, query: dict[str, Any], network: str) -> dict[str, Any]:
        """List a network's tenants"""
        _operator()
        result = service.list_tenants(
            gateway_app().uow(), network, query["page"], query["per_page"]
        )
        items = [_tenant_view(t, network) for t in result.items]
        return _page(service.Page(items, result.total), query)


@networks_blp.route("/<network>/tenants/<tenant_slug>")
class NetworkTenantView(MethodView):
    @networks_blp.response(200, TenantSchema)
    def get(self, network: str, tenant_slug: str) -> dict[str, Any]:
        """Show a tenant of the network"""
        _operator()
        return _tenant_view(
            service.network_tenant(gateway_app().uow(), network, tenant_slug), network
        )

    @networks_blp.arguments(TenantPatchSchema)
    @networks_blp.response(200, TenantSchema)
    def patch(self, body: dict[str, Any], network: str, tenant_slug: str) -> dict[str, Any]:
        """Change a tenant's name, departments or contact (its slug never changes), or close
        (``status: closed``) and reopen it (``status: active``)"""
        actor = _operator()
        app = gateway_app()
        status = body.pop("status", None)
        tenant = service.update_tenant(app.uow(), network, tenant_slug, body, actor=actor)
        if status is not None:
            tenant = service.set_tenant_status(
                app.uow(),
                network,
                tenant_slug,
                status,
                ledger=_ledger_tenancy(app),
                now=app.now(),
                actor=actor,
            )
        return _tenant_view(tenant, network)


def _ledger_tenancy(app: GatewayApp) -> service.LedgerTenancy:
    """The ledger's tenancy endpoints, asked with the caller's own token."""
    token = make_token_for_request(app)(request)
    return HttpLedgerTenancy(app.settings.service_urls["ledger"], token)


def _tenant_view(tenant: Any, network: str) -> dict[str, Any]:
    return {
        "id": tenant.id,
        "slug": tenant.slug,
        "network": network,
        "name": tenant.name,
        "departments": list(tenant.departments),
        "contact": tenant.contact,
        "status": tenant.status.value,
        "closed_at": tenant.closed_at,
    }


# --- members -----------------------------------------------------------------------------------


@tenant_blp.route("/members")
class MembersView(MethodView):
    @tenant_blp.arguments(MemberInSchema)
    @tenant_blp.response(201, MemberSchema)
    def post(self, body: dict[str, Any], tenant: str) -> service.MemberView:
        """Admit a member company; its ledger account opens with the network's credit limit"""
        actor = _animator(tenant)
        app = gateway_app()
        credit_limit = body.pop("credit_limit")
        return service.admit_member(
            app.uow(), tenant, body, credit_limit=credit_limit, now=app.now(), actor=actor
        )

    @tenant_blp.arguments(MemberListQuery, location="query")
    @tenant_blp.response(200, page_of(MemberSchema))
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """List the tenant's members, or with ``scope=network`` the network's whole directory"""
        require_tenant(tenant)
        result = service.list_members(
            gateway_app().uow(),
            tenant,
            network_wide=query["scope"] == "network",
            status=query["status"],
            page=query["page"],
            per_page=query["per_page"],
            updated_since=query["updated_since"],
        )
        return _page(result, query)


@tenant_blp.route("/members/import")
class MembersImportView(MethodView):
    @tenant_blp.response(201, ImportResultSchema)
    @tenant_blp.doc(
        requestBody={
            "required": True,
            "description": "The CSV file (UTF-8 or Windows-1252; ';' or ',' separated), as the "
            "'file' part of a multipart form or as a text/csv body.",
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    )
    def post(self, tenant: str) -> dict[str, Any]:
        """Admit the members of a CSV file: all of them, or none and a report per row"""
        actor = _animator(tenant)
        app = gateway_app()
        members = service.import_members(
            app.uow(), tenant, _uploaded_csv(app.settings), now=app.now(), actor=actor
        )
        return {"admitted": len(members), "members": members}


def _uploaded_csv(settings: GatewaySettings) -> bytes:
    limit = settings.import_max_bytes
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise PayloadTooLarge(limit)
    upload = request.files.get("file")
    if upload is not None:
        data = upload.stream.read(limit + 1)
    elif request.mimetype in {"text/csv", "text/plain", "application/octet-stream"}:
        data = request.get_data(cache=False)
    else:
        raise ValidationError(
            "file", "required", "send the CSV as the 'file' part of a form, or as a text/csv body"
        )
    if len(data) > limit:
        raise PayloadTooLarge(limit)
    return data


class PayloadTooLarge(DomainError):
    code = "file_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file is larger than {limit // 1024} KiB; split it")


@tenant_blp.route("/members/<uuid:member_id>")
class MemberView(MethodView):
    @tenant_blp.response(200, MemberSchema)
    def get(self, tenant: str, member_id: UUID) -> service.MemberView:
        """Show a member of the tenant"""
        require_tenant(tenant)
        return service.get_member(gateway_app().uow(), tenant, member_id)

    @tenant_blp.arguments(MemberPatchSchema)
    @tenant_blp.response(200, MemberSchema)
    def patch(self, body: dict[str, Any], tenant: str, member_id: UUID) -> service.MemberView:
        """Amend a member's details (never its SIRET)"""
        actor = _animator(tenant)
        return service.update_member(gateway_app().uow(), tenant, member_id, body, actor=actor)


@tenant_blp.route("/members/<uuid:member_id>/move")
class MemberMoveView(MethodView):
    @tenant_blp.arguments(MemberMoveSchema)
    @tenant_blp.response(200, MemberSchema)
    def post(self, body: dict[str, Any], tenant: str, member_id: UUID) -> service.MemberView:
        """Move a member, its users and its account (balance, holds, history) to another
        tenant of the same network (operator); refused while a hold is pending on it"""
        actor = _operator()
        app = gateway_app()
        return service.move_member(
            app.uow(),
            tenant,
            member_id,
            body["tenant"],
            ledger=_ledger_tenancy(app),
            now=app.now(),
            actor=actor,
        )


def _status_view(action: str, summary: str) -> type[MethodView]:
    class StatusView(MethodView):
        @tenant_blp.arguments(SuspendSchema)
        @tenant_blp.response(200, MemberSchema)
        def post(self, body: dict[str, Any], tenant: str, member_id: UUID) -> service.MemberView:
            actor = _animator(tenant)
            app = gateway_app()
            return service.change_member_status(
                app.uow(),
                tenant,
                member_id,
                action,
                now=app.now(),
                reason=body["reason"],
                actor=actor,
            )

    StatusView.post.__doc__ = summary
    StatusView.__name__ = f"Member{action.title()}View"
    return StatusView


for _action, _summary in (
    ("suspend", "Suspend a member: its account freezes until it is reinstated"),
    ("reinstate", "Reinstate a suspended member"),
    ("leave", "Record that a member left the network (final); its users lose access"),
):
    tenant_blp.route(f"/members/<uuid:member_id>/{_action}", endpoint=f"member_{_action}")(
        _status_view(_action, _summary)
    )


# --- users -------------------------------------------------------------------------------------


@tenant_blp.route("/users")
class UsersView(MethodView):
    @tenant_blp.arguments(UserInSchema)
    @tenant_blp.response(201, UserSchema)
    def post(self, body: dict[str, Any], tenant: str) -> service.UserView:
        """Create an animator (the operator or an animator) or a member company's user"""
        actor = _animator(tenant)
        app = gateway_app()
        return service.create_user(
            app.uow(), tenant, body, actor=actor, hasher=app.hasher, now=app.now()
        )

    @tenant_blp.arguments(PageQuery, location="query")
    @tenant_blp.response(200, page_of(UserSchema))
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """List the tenant's user accounts"""
        _animator(tenant)
        result = service.list_users(gateway_app().uow(), tenant, query["page"], query["per_page"])
        return _page(result, query)


@tenant_blp.route("/users/<uuid:user_id>")
class UserView(MethodView):
    @tenant_blp.response(200, UserSchema)
    def get(self, tenant: str, user_id: UUID) -> service.UserView:
        """Show a user account of the tenant"""
        _animator(tenant)
        return service.get_user(gateway_app().uow(), tenant, user_id)

    @tenant_blp.arguments(UserPatchSchema)
    @tenant_blp.response(200, UserSchema)
    def patch(self, body: dict[str, Any], tenant: str, user_id: UUID) -> service.UserView:
        """Disable or enable a user of the tenant, or change their role"""
        actor = _animator(tenant)
        app = gateway_app()
        return service.update_user(app.uow(), tenant, user_id, body, actor=actor, now=app.now())


# --- the operator's own users ------------------------------------------------------------------


@users_blp.route("")
class OperatorUsersView(MethodView):
    @users_blp.arguments(OperatorUserInSchema)
    @users_blp.response(201, UserSchema)
    def post(self, body: dict[str, Any]) -> service.UserView:
        """Create another operator account (invited by e-mail when no password is given)"""
        actor = _operator()
        app = gateway_app()
        return service.create_user(
            app.uow(),
            None,
            {**body, "role": "operator"},
            actor=actor,
            hasher=app.hasher,
            now=app.now(),
        )

    @users_blp.arguments(PageQuery, location="query")
    @users_blp.response(200, page_of(UserSchema))
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List the operator's own accounts"""
        _operator()
        result = service.list_operator_users(gateway_app().uow(), query["page"], query["per_page"])
        return _page(result, query)


@users_blp.route("/<uuid:user_id>")
class OperatorUserView(MethodView):
    @users_blp.response(200, UserSchema)
    def get(self, user_id: UUID) -> service.UserView:
        """Show an operator account"""
        _operator()
        return service.get_operator_user(gateway_app().uow(), user_id)

    @users_blp.arguments(OperatorUserPatchSchema)
    @users_blp.response(200, UserSchema)
    def patch(self, body: dict[str, Any], user_id: UUID) -> service.UserView:
        """Disable or enable an operator account"""
        actor = _operator()
        app = gateway_app()
        return service.update_user(app.uow(), None, user_id, body, actor=actor, now=app.now())


# --- API keys ----------------------------------------------------------------------------------


@tenant_blp.route("/api-keys")
class ApiKeysView(MethodView):
    @tenant_blp.arguments(ApiKeyInSchema)
    @tenant_blp.response(201, NewApiKeySchema)
    def post(self, body: dict[str, Any], tenant: str) -> service.ApiKeyView:
        """Create an integrator's API key with read scopes; the key is shown this once"""
        actor = _animator(tenant)
        app = gateway_app()
        return service.create_api_key(
            app.uow(), tenant, name=body["name"], scopes=body["scopes"], actor=actor, now=app.now()
        )

    @tenant_blp.arguments(PageQuery, location="query")
    @tenant_blp.response(200, page_of(ApiKeySchema))
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """List the tenant's API keys (never the keys themselves)"""
        _animator(tenant)
        result = service.list_api_keys(
            gateway_app().uow(), tenant, query["page"], query["per_page"]
        )
        return _page(result, query)


@tenant_blp.route("/api-keys/<uuid:key_id>")
class ApiKeyView(MethodView):
    @tenant_blp.response(204)
    def delete(self, tenant: str, key_id: UUID) -> None:
        """Revoke an API key for good"""
        actor = _animator(tenant)
        app = gateway_app()
        service.revoke_api_key(app.uow(), tenant, key_id, now=app.now(), actor=actor)


@networks_blp.route("/<network>/api-keys")
class NetworkApiKeysView(MethodView):
    @networks_blp.arguments(NetworkApiKeyInSchema)
    @networks_blp.response(201, NewNetworkApiKeySchema)
    def post(self, body: dict[str, Any], network: str) -> service.NetworkApiKeyView:
        """Create an API key reading every tenant of the network; the key is shown this once"""
        actor = _operator()
        app = gateway_app()
        return service.create_network_api_key(
            app.uow(), network, name=body["name"], scopes=body["scopes"], actor=actor, now=app.now()
        )

    @networks_blp.arguments(PageQuery, location="query")
    @networks_blp.response(200, page_of(NetworkApiKeySchema))
    def get(self, query: dict[str, Any], network: str) -> dict[str, Any]:
        """List the network's API keys (never the keys themselves)"""
        _operator()
        result = service.list_network_api_keys(
            gateway_app().uow(), network, query["page"], query["per_page"]
        )
        return _page(result, query)


@networks_blp.route("/<network>/api-keys/<uuid:key_id>")
class NetworkApiKeyView(MethodView):
    @networks_blp.response(204)
    def delete(self, network: str, key_id: UUID) -> None:
        """Revoke a network's API key for good"""
        actor = _operator()
        app = gateway_app()
        service.revoke_network_api_key(app.uow(), network, key_id, actor=actor, now=app.now())


# --- the audit log ------------------------------------------------------------------------------


@tenant_blp.route("/audit")
class TenantAuditView(MethodView):
    @tenant_blp.arguments(AuditQuery, location="query")
    @tenant_blp.response(200, AuditPageSchema)
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """The tenant's audit log: staff actions, newest first"""
        _animator(tenant)
        return _audit_page(query, tenant)


@audit_blp.route("/audit")
class AuditView(MethodView):
    @audit_blp.arguments(AuditQuery, location="query")
    @audit_blp.response(200, AuditPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The whole deployment's audit log (operator), newest first"""
        _operator()
        return _audit_page(query, None)


def _audit_page(query: dict[str, Any], tenant: str | None) -> dict[str, Any]:
    app = gateway_app()
    wanted = audit.Query(
        tenant=tenant,
        action=query["action"],
        actor=service.actor_key(app.uow(), query["actor"]),
        since=query["since"],
        page=query["page"],
        per_page=query["per_page"],
    )
    if tenant is not None:
        service.get_tenant(app.uow(), tenant)  # an unknown tenant is not found

    def own(q: audit.Query) -> audit.Slice:
        found = service.audit_log(
            app.uow(),
            tenant_slug=q.tenant,
            action=q.action,
            actor=q.actor,
            since=q.since,
            limit=q.depth,
        )
        return audit.Slice(found.items, found.total)

    token = make_token_for_request(app)(request)
    sources: dict[str, audit.Source] = {"gateway": own}
    for name in audit.AUDIT_SERVICES:
        if name in app.settings.service_urls:
            sources[name] = audit.remote_source(name, app.settings.service_urls[name], token)
    return audit.assemble(wanted, sources, lambda ids: service.user_emails(app.uow(), ids))


# --- links between networks --------------------------------------------------------------------


def _with_clearing(app: GatewayApp, link: FederationLink) -> dict[str, Any]:
    """The link with each side's clearing balance, as the ledger has them (None: unknown yet)."""
    token = make_token_for_request(app)(request)
    balances = clearing.balances(
        app.settings.service_urls.get("ledger", ""), token, link.network_a, link.network_b
    )
    return {
        **asdict(link),
        "rate": format_rate(link.rate),
        "status": link.status.value,
        "clearing_balance_a": balances[0],
        "clearing_balance_b": balances[1],
    }


@federation_blp.route("/links")
class FederationLinksView(MethodView):
    @federation_blp.arguments(FederationLinkInSchema)
    @federation_blp.response(201, FederationLinkSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Link two networks: each ledger opens a clearing account for the other"""
        actor = _operator()
        app = gateway_app()
        return _with_clearing(app, service.create_link(app.uow(), body, actor=actor))

    @federation_blp.arguments(PageQuery, location="query")
    @federation_blp.response(200, page_of(FederationLinkSchema))
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List the links between networks, with their clearing balances"""
        _operator()
        app = gateway_app()
        result = service.list_links(app.uow(), query["page"], query["per_page"])
        return _page(
            service.Page([_with_clearing(app, link) for link in result.items], result.total),
            query,
        )


@federation_blp.route("/links/<uuid:link_id>")
class FederationLinkView(MethodView):
    @federation_blp.response(200, FederationLinkSchema)
    def get(self, link_id: UUID) -> dict[str, Any]:
        """Show a link between two networks and both clearing balances"""
        _operator()
        app = gateway_app()
        return _with_clearing(app, service.get_link(app.uow(), link_id))

    @federation_blp.arguments(FederationLinkPatchSchema)
    @federation_blp.response(200, FederationLinkSchema)
    def patch(self, body: dict[str, Any], link_id: UUID) -> dict[str, Any]:
        """Change a link's limits, its rate for future trades, or suspend it"""
        actor = _operator()
        app = gateway_app()
        return _with_clearing(app, service.update_link(app.uow(), link_id, body, actor=actor))


@tenant_blp.route("/federation/links")
class NetworkLinksView(MethodView):
    @tenant_blp.response(200, NetworkLinksSchema)
    def get(self, tenant: str) -> dict[str, Any]:
        """The links of the tenant's network: each partner, the rate, the id of the network's
        clearing account for it and, for the animators, its position (balance, limit, room left)"""
        identity = require_tenant(tenant)
        staff = identity.has_role(ANIMATOR, OPERATOR)
        app = gateway_app()
        ledger_url = app.settings.service_urls.get("ledger", "")
        # The ledger shows a link's clearing balances to the operator and to the animators of
        # either network: the caller's own token asks for them.
        token = make_token_for_request(app)(request) if staff else None
        items = []
        for link, network, partner_name, partner_unit in service.network_links(app.uow(), tenant):
            balances = (
                clearing.balances(ledger_url, token, link.network_a, link.network_b)
                if token
                else (None, None)
            )
            side = side_of(link, network, partner_name, balances, partner_unit)
            item = {
                **asdict(side),
                "rate": format_rate(side.rate),
                "status": side.status.value,
                "available": side.available,
                "clearing_account": clearing_account_id(network, side.partner_network),
            }
            if not staff:
                item["limit"] = None
            items.append(item)
        return {"items": items}


# --- API keys as bearer tokens, and the token passed on to the services ------------------------


class EnrolmentVerifier(ChassisVerifier):
    """Enrol-only tokens (their own audience): an identity with no role at all, which only
    the second-factor enrolment endpoints accept (every other view needs a role)."""

    def __init__(self, app: GatewayApp, **options: Any) -> None:
        super().__init__(
            app.keys.jwks_path, app.issuer.enrolment_audience, app.settings.jwt_issuer, **options
        )

    def verify_or_none(self, token: str) -> Identity | None:
        try:
            identity = self.verify(token)
        except InvalidToken:
            return None
        return Identity(
            subject=identity.subject,
            roles=frozenset(),
            scopes=frozenset({ENROLMENT_SCOPE}),
            token_id=identity.token_id,
        )


class GatewayVerifier(ChassisVerifier):
    """The chassis verifier, plus integrators' API keys presented as bearer tokens."""

    def __init__(self, app: GatewayApp, **options: Any) -> None:
        super().__init__(
            app.keys.jwks_path, app.settings.jwt_audience, app.settings.jwt_issuer, **options
        )
        self.app = app
        self.enrolment = EnrolmentVerifier(app, **options)

    def verify(self, token: str) -> Identity:
        if not token.startswith(API_KEY_PREFIX):
            try:
                return super().verify(token)
            except InvalidToken:
                enrolment = self.enrolment.verify_or_none(token)
                if enrolment is None:
                    raise
                return enrolment
        try:
            return service.authenticate_api_key(self.app.uow(), token, now=self.app.now())
        except (InvalidApiKey, ApiKeyRevoked, TenantClosed) as exc:
            raise InvalidToken(exc.code, exc.message.capitalize() + ".") from None


def make_not_yet_known(
    app: GatewayApp,
) -> Callable[[Mapping[str, Any], Mapping[str, Any]], str | None]:
    """``not_yet_known`` of ``install_routing``: a member a service refused as missing from its
    copy of the directory (``unknown_ids`` of its problem) that the directory holds, or a tenant
    a network key did not reach there (``unknown_tenants``) that the directory holds in the key's
    network: the copy has not caught up. Returns "member <id>" or "tenant <slug>", else None.
    """

    def not_yet_known(refusal: Mapping[str, Any], _sent: Mapping[str, Any]) -> str | None:
        if refusal.get("code") == "not_found":
            return _tenant_not_yet_known(app, refusal.get("unknown_tenants"))
        if refusal.get("code") != "unknown_member":
            return None
        unknown = refusal.get("unknown_ids")
        for value in unknown if isinstance(unknown, list) else ():
            try:
                member_id = UUID(str(value))
            except ValueError:
                continue
            with app.uow() as uow:
                if uow.members.exists(member_id):
                    return f"member {member_id}"
        return None

    return not_yet_known


def _tenant_not_yet_known(app: GatewayApp, unknown: Any) -> str | None:
    """A tenant of the calling network key's own network that a service has not learnt yet."""
    network: str | None = g.get("_gateway_key_network")
    if network is None or not isinstance(unknown, list):
        return None
    for slug in unknown:
        if isinstance(slug, str) and service.network_of_tenant(app.uow(), slug) == network:
            return f"tenant {slug}"
    return None


def make_token_for_request(app: GatewayApp) -> Callable[[Request], str | None]:
    """``token_for_request`` of ``install_routing``: the JWT to forward to a service.

    A bearer JWT is passed on as it came (the services verify it themselves); an API key is
    exchanged for a short-lived integrator JWT, minted once per request.
    """

    def token_for_request(req: Request) -> str | None:
        scheme, _, token = req.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        if not token.startswith(API_KEY_PREFIX):
            return token
        minted: str | None = g.get("_gateway_key_token")
        if minted is None:
            identity = current_identity.get()
            if identity is None or INTEGRATOR not in identity.roles:
                identity = service.authenticate_api_key(app.uow(), token, now=app.now())
            minted = app.issuer.access_token(identity, ttl=app.settings.api_key_token_ttl).token
            g._gateway_key_token = minted
            if identity.is_network_key:
                g._gateway_key_network = identity.network
        return minted

    return token_for_request


# --- errors ------------------------------------------------------------------------------------


def _field_errors(errors: tuple[ValidationError, ...]) -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    for error in errors:
        flat.setdefault(error.field, []).append(error.message)
    return flat


def _validation_problem(errors: tuple[ValidationError, ...]) -> Response:
    details = [{"field": e.field, "code": e.code, "message": e.message} for e in errors]
    if all(e.code == "duplicate" for e in errors):
        return problem(
            409,
            "duplicate",
            detail=errors[0].message,
            errors=_field_errors(errors),
            extra={"invalid_fields": details},
        )
    return problem(
        422,
        "validation_failed",
        detail="The request has invalid fields.",
        errors=_field_errors(errors),
        extra={"invalid_fields": details},
    )


def _import_problem(exc: ImportRefused) -> Response:
    report = exc.report
    rows = [
        {"line": e.line, "field": e.field, "code": e.code, "message": e.message}
        for e in report.errors
    ]
    errors: dict[str, list[str]] = {}
    for e in report.errors:
        errors.setdefault(f"line {e.line}.{e.field}", []).append(e.message)
    return problem(
        422,
        "import_refused",
        detail=exc.message,
        errors=errors,
        extra={
            "rows": rows,
            "valid_rows": len(report.valid),
            "ignored_columns": list(report.ignored_columns),
        },
    )


def _integrity_problem(exc: IntegrityError) -> Response:
    conflict = constraint_conflict(exc)
    if conflict is None:
        log.error("integrity_error", exc_info=exc)
        return problem(409, "conflict", detail="The change conflicts with the stored data.")
    field, message = conflict
    return problem(409, "conflict", detail=message, errors={field: [message]})


#: Errors and their HTTP answers: the one table of the gateway (besides the chassis' own).
ERRORS: dict[type[Exception], Callable[[Any], Response]] = {
    ValidationError: lambda e: _validation_problem((e,)),
    ValidationErrors: lambda e: _validation_problem(e.errors),
    Conflict: lambda e: problem(409, e.code, detail=e.message, errors={e.field: [e.message]}),
    ImportRefused: _import_problem,
    PayloadTooLarge: lambda e: problem(413, e.code, detail=e.message),
    InvalidTransition: lambda e: problem(409, e.code, detail=e.message),
    DomainForbidden: lambda e: problem(403, e.code, detail=e.message),
    UnknownResource: lambda e: problem(404, "not_found", detail=e.message.capitalize() + "."),
    InvalidCredentials: lambda e: problem(401, e.code, detail=e.message),
    InvalidApiKey: lambda e: problem(401, e.code, detail=e.message),
    ApiKeyRevoked: lambda e: problem(401, e.code, detail=e.message),
    InvalidGrant: lambda e: problem(400, e.code, detail=e.message),
    TenantClosed: lambda e: problem(403, e.code, detail=e.message),
    Unprocessable: lambda e: problem(422, e.code, detail=e.message, errors={e.field: [e.message]}),
    UpstreamRefused: lambda e: problem(e.status, e.code, detail=e.message),
    UpstreamUnavailable: lambda e: problem(503, e.code, detail=e.message),
    ResetTokenInvalid: lambda e: problem(400, e.code, detail=e.message),
    TotpRequired: lambda e: problem(401, e.code, detail=e.message),
    TotpInvalid: lambda e: problem(401, e.code, detail=e.message),
    TotpNotPending: lambda e: problem(409, e.code, detail=e.message),
    LoginThrottled: lambda e: problem(
        429, e.code, detail=e.message, headers={"Retry-After": str(e.retry_after)}
    ),
    IntegrityError: _integrity_problem,
    DomainError: lambda e: problem(422, e.code, detail=e.message),
}


# --- the application ---------------------------------------------------------------------------


def _upstreams(settings: GatewaySettings) -> dict[str, str]:
    """Where the services answer (``TROC_<SERVICE>_URL``, default this machine's ports)."""
    return {name: url for name, url in settings.service_urls.items() if name != SERVICE}


def create_app(
    settings: GatewaySettings | None = None,
    *,
    gateway: GatewayApp | None = None,
    routing_options: Mapping[str, Any] | None = None,
) -> Flask:
    """Create the gateway's WSGI application.

    ``routing_options`` go to ``install_routing`` (upstreams, rate limits: tests tune them).
    """
    gateway = gateway or bootstrap(settings)
    settings = gateway.settings
    checks = {"database": database_check(gateway.engine)}
    if is_amqp(settings.broker_url):
        checks["broker"] = broker_check(settings.broker_url)
    app, api = create_base_app(
        settings,
        title="Troc Actif",
        version="1.0",
        checks=checks,
        verifier=GatewayVerifier(gateway),
        max_content_length=max(settings.import_max_bytes + 64 * 1024, 1024 * 1024),
        import_name=SERVICE,
        anonymous_metrics=False,  # the public port: scraped with TROC_METRICS_TOKEN
    )
    app.extensions[EXTENSION] = gateway
    api.tenant_networks = lambda tenant: service.network_of_tenant(gateway.uow(), tenant)
    register_outbox_collector(app, gateway.engine, outbox_table, outbox_sequence_table)
    for exc, handler in ERRORS.items():
        app.register_error_handler(exc, handler)
    api.register_blueprint(auth_blp)
    api.register_blueprint(networks_blp)
    api.register_blueprint(tenant_blp)
    api.register_blueprint(users_blp)
    api.register_blueprint(audit_blp)
    api.register_blueprint(federation_blp)
    # The other services' routes, forwarded to them; the merged /openapi.json; rate limits.
    install_routing(
        app,
        api,
        settings,
        token_for_request=make_token_for_request(gateway),
        **{
            "upstreams": _upstreams(settings),
            "rate_limits": settings.rate_limits,
            "not_yet_known": make_not_yet_known(gateway),
            **(routing_options or {}),
        },
    )
    # The web application (pages under / and /app), a client of the API above.
    install_web(app, settings)
    # The client's address, behind a load balancer or the web pages' own calls.
    app.wsgi_app = ClientAddress(app.wsgi_app, settings.trusted_proxies)  # type: ignore[method-assign]
    return app
