from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.transfer import Transfer
from ...models.transfer_in import TransferIn
from typing import cast



def _get_kwargs(
    tenant: str,
    *,
    body: TransferIn,
    idempotency_key: str,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/transfers".format(tenant=quote(str(tenant), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Transfer:
    if response.status_code == 201:
        response_201 = Transfer.from_dict(response.json())



        return response_201

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Transfer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransferIn,
    idempotency_key: str,

) -> Response[Problem | Transfer]:
    """ Make a manual transfer, reversal or hold between members of the network

    Args:
        tenant (str):
        idempotency_key (str):
        body (TransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransferIn,
    idempotency_key: str,

) -> Problem | Transfer | None:
    """ Make a manual transfer, reversal or hold between members of the network

    Args:
        tenant (str):
        idempotency_key (str):
        body (TransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
     """


    return sync_detailed(
        tenant=tenant,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransferIn,
    idempotency_key: str,

) -> Response[Problem | Transfer]:
    """ Make a manual transfer, reversal or hold between members of the network

    Args:
        tenant (str):
        idempotency_key (str):
        body (TransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    body: TransferIn,
    idempotency_key: str,

) -> Problem | Transfer | None:
    """ Make a manual transfer, reversal or hold between members of the network

    Args:
        tenant (str):
        idempotency_key (str):
        body (TransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
