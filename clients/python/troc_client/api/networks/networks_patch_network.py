from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.network import Network
from ...models.network_patch import NetworkPatch
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    network: str,
    *,
    body: NetworkPatch,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/networks/{network}".format(network=quote(str(network), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Network | Problem:
    if response.status_code == 200:
        response_200 = Network.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

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
    body: NetworkPatch,

) -> Response[Network | Problem]:
    """ Change a network's settings (its slug never changes)

    Args:
        network (str):
        body (NetworkPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Network | Problem]
     """


    kwargs = _get_kwargs(
        network=network,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    body: NetworkPatch,

) -> Network | Problem | None:
    """ Change a network's settings (its slug never changes)

    Args:
        network (str):
        body (NetworkPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Network | Problem
     """


    return sync_detailed(
        network=network,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    body: NetworkPatch,

) -> Response[Network | Problem]:
    """ Change a network's settings (its slug never changes)

    Args:
        network (str):
        body (NetworkPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Network | Problem]
     """


    kwargs = _get_kwargs(
        network=network,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    body: NetworkPatch,

) -> Network | Problem | None:
    """ Change a network's settings (its slug never changes)

    Args:
        network (str):
        body (NetworkPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Network | Problem
     """


    return (await asyncio_detailed(
        network=network,
client=client,
body=body,

    )).parsed
