from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.federated_transfer import FederatedTransfer
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    link_id: UUID,
    transfer_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/federation/links/{link_id}/transfers/{transfer_id}".format(link_id=quote(str(link_id), safe=""),transfer_id=quote(str(transfer_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FederatedTransfer | Problem:
    if response.status_code == 200:
        response_200 = FederatedTransfer.from_dict(response.json())



        return response_200

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[FederatedTransfer | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    link_id: UUID,
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[FederatedTransfer | Problem]:
    """ A cross-network transfer and where its saga stands

    Args:
        link_id (UUID):
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FederatedTransfer | Problem]
     """


    kwargs = _get_kwargs(
        link_id=link_id,
transfer_id=transfer_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    link_id: UUID,
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> FederatedTransfer | Problem | None:
    """ A cross-network transfer and where its saga stands

    Args:
        link_id (UUID):
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FederatedTransfer | Problem
     """


    return sync_detailed(
        link_id=link_id,
transfer_id=transfer_id,
client=client,

    ).parsed

async def asyncio_detailed(
    link_id: UUID,
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[FederatedTransfer | Problem]:
    """ A cross-network transfer and where its saga stands

    Args:
        link_id (UUID):
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FederatedTransfer | Problem]
     """


    kwargs = _get_kwargs(
        link_id=link_id,
transfer_id=transfer_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    link_id: UUID,
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> FederatedTransfer | Problem | None:
    """ A cross-network transfer and where its saga stands

    Args:
        link_id (UUID):
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FederatedTransfer | Problem
     """


    return (await asyncio_detailed(
        link_id=link_id,
transfer_id=transfer_id,
client=client,

    )).parsed
