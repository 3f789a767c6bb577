from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.fee_transfer_in import FeeTransferIn
from ...models.problem import Problem
from ...models.transfer import Transfer
from typing import cast



def _get_kwargs(
    network: str,
    *,
    body: FeeTransferIn,
    idempotency_key: str,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/networks/{network}/fee-account/transfers".format(network=quote(str(network), safe=""),),
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
    network: str,
    *,
    client: AuthenticatedClient | Client,
    body: FeeTransferIn,
    idempotency_key: str,

) -> Response[Problem | Transfer]:
    """ Pay a member from the network's fee account (refused beyond its balance)

    Args:
        network (str):
        idempotency_key (str):
        body (FeeTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
     """


    kwargs = _get_kwargs(
        network=network,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    body: FeeTransferIn,
    idempotency_key: str,

) -> Problem | Transfer | None:
    """ Pay a member from the network's fee account (refused beyond its balance)

    Args:
        network (str):
        idempotency_key (str):
        body (FeeTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
     """


    return sync_detailed(
        network=network,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    body: FeeTransferIn,
    idempotency_key: str,

) -> Response[Problem | Transfer]:
    """ Pay a member from the network's fee account (refused beyond its balance)

    Args:
        network (str):
        idempotency_key (str):
        body (FeeTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
     """


    kwargs = _get_kwargs(
        network=network,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    body: FeeTransferIn,
    idempotency_key: str,

) -> Problem | Transfer | None:
    """ Pay a member from the network's fee account (refused beyond its balance)

    Args:
        network (str):
        idempotency_key (str):
        body (FeeTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
     """


    return (await asyncio_detailed(
        network=network,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
