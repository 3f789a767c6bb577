from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.tenant import Tenant
from typing import cast



def _get_kwargs(
    network: str,
    tenant_slug: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/networks/{network}/tenants/{tenant_slug}".format(network=quote(str(network), safe=""),tenant_slug=quote(str(tenant_slug), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Tenant:
    if response.status_code == 200:
        response_200 = Tenant.from_dict(response.json())



        return response_200

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Tenant]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    network: str,
    tenant_slug: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Problem | Tenant]:
    """ Show a tenant of the network

    Args:
        network (str):
        tenant_slug (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Tenant]
     """


    kwargs = _get_kwargs(
        network=network,
tenant_slug=tenant_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    network: str,
    tenant_slug: str,
    *,
    client: AuthenticatedClient | Client,

) -> Problem | Tenant | None:
    """ Show a tenant of the network

    Args:
        network (str):
        tenant_slug (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Tenant
     """


    return sync_detailed(
        network=network,
tenant_slug=tenant_slug,
client=client,

    ).parsed

async def asyncio_detailed(
    network: str,
    tenant_slug: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Problem | Tenant]:
    """ Show a tenant of the network

    Args:
        network (str):
        tenant_slug (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Tenant]
     """


    kwargs = _get_kwargs(
        network=network,
tenant_slug=tenant_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    network: str,
    tenant_slug: str,
    *,
    client: AuthenticatedClient | Client,

) -> Problem | Tenant | None:
    """ Show a tenant of the network

    Args:
        network (str):
        tenant_slug (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Tenant
     """


    return (await asyncio_detailed(
        network=network,
tenant_slug=tenant_slug,
client=client,

    )).parsed
