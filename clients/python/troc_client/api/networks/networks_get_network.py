from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.network import Network
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    network: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/networks/{network}".format(network=quote(str(network), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Network | Problem:
    if response.status_code == 200:
        response_200 = Network.from_dict(response.json())



        return response_200

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Network | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    network: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Network | Problem]:
    """ Show a network's settings (the operator, or anyone of that network)

    Args:
        network (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Network | Problem]
     """


    kwargs = _get_kwargs(
        network=network,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    network: str,
    *,
    client: AuthenticatedClient | Client,

) -> Network | Problem | None:
    """ Show a network's settings (the operator, or anyone of that network)

    Args:
        network (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Network | Problem
     """


    return sync_detailed(
        network=network,
client=client,

    ).parsed

async def asyncio_detailed(
    network: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Network | Problem]:
    """ Show a network's settings (the operator, or anyone of that network)

    Args:
        network (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Network | Problem]
     """


    kwargs = _get_kwargs(
        network=network,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    network: str,
    *,
    client: AuthenticatedClient | Client,

) -> Network | Problem | None:
    """ Show a network's settings (the operator, or anyone of that network)

    Args:
        network (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Network | Problem
     """


    return (await asyncio_detailed(
        network=network,
client=client,

    )).parsed
