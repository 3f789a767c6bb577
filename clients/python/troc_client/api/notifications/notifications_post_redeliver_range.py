from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.redeliver_range_in import RedeliverRangeIn
from ...models.redelivered import Redelivered
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    webhook_id: UUID,
    *,
    body: RedeliverRangeIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/webhooks/{webhook_id}/redeliver".format(tenant=quote(str(tenant), safe=""),webhook_id=quote(str(webhook_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Redelivered:
    if response.status_code == 202:
        response_202 = Redelivered.from_dict(response.json())



        return response_202

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Redelivered]:
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
    body: RedeliverRangeIn,

) -> Response[Problem | Redelivered]:
    """ Send again the deliveries of every event of ``source``'s log after position ``after``
    (same webhook-ids; re-enables a disabled endpoint)

    Args:
        tenant (str):
        webhook_id (UUID):
        body (RedeliverRangeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Redelivered]
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
    body: RedeliverRangeIn,

) -> Problem | Redelivered | None:
    """ Send again the deliveries of every event of ``source``'s log after position ``after``
    (same webhook-ids; re-enables a disabled endpoint)

    Args:
        tenant (str):
        webhook_id (UUID):
        body (RedeliverRangeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Redelivered
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
    body: RedeliverRangeIn,

) -> Response[Problem | Redelivered]:
    """ Send again the deliveries of every event of ``source``'s log after position ``after``
    (same webhook-ids; re-enables a disabled endpoint)

    Args:
        tenant (str):
        webhook_id (UUID):
        body (RedeliverRangeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Redelivered]
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
    body: RedeliverRangeIn,

) -> Problem | Redelivered | None:
    """ Send again the deliveries of every event of ``source``'s log after position ``after``
    (same webhook-ids; re-enables a disabled endpoint)

    Args:
        tenant (str):
        webhook_id (UUID):
        body (RedeliverRangeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Redelivered
     """


    return (await asyncio_detailed(
        tenant=tenant,
webhook_id=webhook_id,
client=client,
body=body,

    )).parsed
