from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.federated_transfer import FederatedTransfer
from ...models.federated_transfer_in import FederatedTransferIn
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    link_id: UUID,
    *,
    body: FederatedTransferIn,
    idempotency_key: str,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/federation/links/{link_id}/transfers".format(link_id=quote(str(link_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FederatedTransfer | Problem:
    if response.status_code == 202:
        response_202 = FederatedTransfer.from_dict(response.json())



        return response_202

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

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
    *,
    client: AuthenticatedClient | Client,
    body: FederatedTransferIn,
    idempotency_key: str,

) -> Response[FederatedTransfer | Problem]:
    """ Pay a member of the partner network: holds on both sides, then posts (a saga)

    Args:
        link_id (UUID):
        idempotency_key (str):
        body (FederatedTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FederatedTransfer | Problem]
     """


    kwargs = _get_kwargs(
        link_id=link_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    link_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: FederatedTransferIn,
    idempotency_key: str,

) -> FederatedTransfer | Problem | None:
    """ Pay a member of the partner network: holds on both sides, then posts (a saga)

    Args:
        link_id (UUID):
        idempotency_key (str):
        body (FederatedTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FederatedTransfer | Problem
     """


    return sync_detailed(
        link_id=link_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    link_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: FederatedTransferIn,
    idempotency_key: str,

) -> Response[FederatedTransfer | Problem]:
    """ Pay a member of the partner network: holds on both sides, then posts (a saga)

    Args:
        link_id (UUID):
        idempotency_key (str):
        body (FederatedTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FederatedTransfer | Problem]
     """


    kwargs = _get_kwargs(
        link_id=link_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    link_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: FederatedTransferIn,
    idempotency_key: str,

) -> FederatedTransfer | Problem | None:
    """ Pay a member of the partner network: holds on both sides, then posts (a saga)

    Args:
        link_id (UUID):
        idempotency_key (str):
        body (FederatedTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FederatedTransfer | Problem
     """


    return (await asyncio_detailed(
        link_id=link_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
