from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.payment import Payment
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    payment_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/payments/{payment_id}".format(tenant=quote(str(tenant), safe=""),payment_id=quote(str(payment_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Payment | Problem:
    if response.status_code == 200:
        response_200 = Payment.from_dict(response.json())



        return response_200

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Payment | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    payment_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Payment | Problem]:
    """ Show a direct payment

    Args:
        tenant (str):
        payment_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Payment | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
payment_id=payment_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    payment_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Payment | Problem | None:
    """ Show a direct payment

    Args:
        tenant (str):
        payment_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Payment | Problem
     """


    return sync_detailed(
        tenant=tenant,
payment_id=payment_id,
client=client,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    payment_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Payment | Problem]:
    """ Show a direct payment

    Args:
        tenant (str):
        payment_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Payment | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
payment_id=payment_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    payment_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Payment | Problem | None:
    """ Show a direct payment

    Args:
        tenant (str):
        payment_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Payment | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
payment_id=payment_id,
client=client,

    )).parsed
