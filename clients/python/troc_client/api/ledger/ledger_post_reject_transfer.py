from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.transfer import Transfer
from ...models.void_in import VoidIn
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    transfer_id: UUID,
    *,
    body: VoidIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/transfers/{transfer_id}/reject".format(tenant=quote(str(tenant), safe=""),transfer_id=quote(str(transfer_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Transfer:
    if response.status_code == 200:
        response_200 = Transfer.from_dict(response.json())



        return response_200

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
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VoidIn,

) -> Response[Problem | Transfer]:
    """ Reject a manual transfer held for four eyes: it is voided (another animator only)

    Args:
        tenant (str):
        transfer_id (UUID):
        body (VoidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
transfer_id=transfer_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VoidIn,

) -> Problem | Transfer | None:
    """ Reject a manual transfer held for four eyes: it is voided (another animator only)

    Args:
        tenant (str):
        transfer_id (UUID):
        body (VoidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
     """


    return sync_detailed(
        tenant=tenant,
transfer_id=transfer_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VoidIn,

) -> Response[Problem | Transfer]:
    """ Reject a manual transfer held for four eyes: it is voided (another animator only)

    Args:
        tenant (str):
        transfer_id (UUID):
        body (VoidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
transfer_id=transfer_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VoidIn,

) -> Problem | Transfer | None:
    """ Reject a manual transfer held for four eyes: it is voided (another animator only)

    Args:
        tenant (str):
        transfer_id (UUID):
        body (VoidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
     """


    return (await asyncio_detailed(
        tenant=tenant,
transfer_id=transfer_id,
client=client,
body=body,

    )).parsed
