from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.network_links import NetworkLinks
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    tenant: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/federation/links".format(tenant=quote(str(tenant), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NetworkLinks | Problem:
    if response.status_code == 200:
        response_200 = NetworkLinks.from_dict(response.json())



        return response_200

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NetworkLinks | Problem]:
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

) -> Response[NetworkLinks | Problem]:
    """ The links of the tenant's network: each partner, the rate, the id of the network's
    clearing account for it and, for the animators, its position (balance, limit, room left)

    Args:
        tenant (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NetworkLinks | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,

) -> NetworkLinks | Problem | None:
    """ The links of the tenant's network: each partner, the rate, the id of the network's
    clearing account for it and, for the animators, its position (balance, limit, room left)

    Args:
        tenant (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NetworkLinks | Problem
     """


    return sync_detailed(
        tenant=tenant,
client=client,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[NetworkLinks | Problem]:
    """ The links of the tenant's network: each partner, the rate, the id of the network's
    clearing account for it and, for the animators, its position (balance, limit, room left)

    Args:
        tenant (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NetworkLinks | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,

) -> NetworkLinks | Problem | None:
    """ The links of the tenant's network: each partner, the rate, the id of the network's
    clearing account for it and, for the animators, its position (balance, limit, room left)

    Args:
        tenant (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NetworkLinks | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,

    )).parsed
