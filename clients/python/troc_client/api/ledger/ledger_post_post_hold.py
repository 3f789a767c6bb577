from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.transfer import Transfer
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    transfer_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/transfers/{transfer_id}/post".format(tenant=quote(str(tenant), safe=""),transfer_id=quote(str(transfer_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Transfer:
    if response.status_code == 200:
        response_200 = Transfer.from_dict(response.json())



        return response_200

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

) -> Response[Problem | Transfer]:
    """ Post a pending transfer (a hold): the reserved amount moves

    Args:
        tenant (str):
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
transfer_id=transfer_id,

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

) -> Problem | Transfer | None:
    """ Post a pending transfer (a hold): the reserved amount moves

    Args:
        tenant (str):
        transfer_id (UUID):

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

    ).parsed

async def asyncio_detailed(
    tenant: str,
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Problem | Transfer]:
    """ Post a pending transfer (a hold): the reserved amount moves

    Args:
        tenant (str):
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
transfer_id=transfer_id,

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

) -> Problem | Transfer | None:
    """ Post a pending transfer (a hold): the reserved amount moves

    Args:
        tenant (str):
        transfer_id (UUID):

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

    )).parsed
