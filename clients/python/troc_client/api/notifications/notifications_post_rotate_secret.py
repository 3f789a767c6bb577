from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.rotate_secret_in import RotateSecretIn
from ...models.webhook import Webhook
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    webhook_id: UUID,
    *,
    body: RotateSecretIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/webhooks/{webhook_id}/rotate-secret".format(tenant=quote(str(tenant), safe=""),webhook_id=quote(str(webhook_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Webhook:
    if response.status_code == 200:
        response_200 = Webhook.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Webhook]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: RotateSecretIn,

) -> Response[Problem | Webhook]:
    """ A new signing secret, shown this once; the previous one keeps signing deliveries
    (both signatures in webhook-signature) for ``overlap_hours``

    Args:
        tenant (str):
        webhook_id (UUID):
        body (RotateSecretIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Webhook]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
webhook_id=webhook_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: RotateSecretIn,

) -> Problem | Webhook | None:
    """ A new signing secret, shown this once; the previous one keeps signing deliveries
    (both signatures in webhook-signature) for ``overlap_hours``

    Args:
        tenant (str):
        webhook_id (UUID):
        body (RotateSecretIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Webhook
     """


    return sync_detailed(
        tenant=tenant,
webhook_id=webhook_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: RotateSecretIn,

) -> Response[Problem | Webhook]:
    """ A new signing secret, shown this once; the previous one keeps signing deliveries
    (both signatures in webhook-signature) for ``overlap_hours``

    Args:
        tenant (str):
        webhook_id (UUID):
        body (RotateSecretIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Webhook]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
webhook_id=webhook_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    webhook_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: RotateSecretIn,

) -> Problem | Webhook | None:
    """ A new signing secret, shown this once; the previous one keeps signing deliveries
    (both signatures in webhook-signature) for ``overlap_hours``

    Args:
        tenant (str):
        webhook_id (UUID):
        body (RotateSecretIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Webhook
     """


    return (await asyncio_detailed(
        tenant=tenant,
webhook_id=webhook_id,
client=client,
body=body,

    )).parsed
