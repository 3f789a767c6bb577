from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.network_api_key_in import NetworkApiKeyIn
from ...models.new_network_api_key import NewNetworkApiKey
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    network: str,
    *,
    body: NetworkApiKeyIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/networks/{network}/api-keys".format(network=quote(str(network), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NewNetworkApiKey | Problem:
    if response.status_code == 201:
        response_201 = NewNetworkApiKey.from_dict(response.json())



        return response_201

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NewNetworkApiKey | Problem]:
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
    body: NetworkApiKeyIn,

) -> Response[NewNetworkApiKey | Problem]:
    """ Create an API key reading every tenant of the network; the key is shown this once

    Args:
        network (str):
        body (NetworkApiKeyIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NewNetworkApiKey | Problem]
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
    body: NetworkApiKeyIn,

) -> NewNetworkApiKey | Problem | None:
    """ Create an API key reading every tenant of the network; the key is shown this once

    Args:
        network (str):
        body (NetworkApiKeyIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NewNetworkApiKey | Problem
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
    body: NetworkApiKeyIn,

) -> Response[NewNetworkApiKey | Problem]:
    """ Create an API key reading every tenant of the network; the key is shown this once

    Args:
        network (str):
        body (NetworkApiKeyIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NewNetworkApiKey | Problem]
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
    body: NetworkApiKeyIn,

) -> NewNetworkApiKey | Problem | None:
    """ Create an API key reading every tenant of the network; the key is shown this once

    Args:
        network (str):
        body (NetworkApiKeyIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NewNetworkApiKey | Problem
     """


    return (await asyncio_detailed(
        network=network,
client=client,
body=body,

    )).parsed
