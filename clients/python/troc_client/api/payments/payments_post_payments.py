from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.direct_payment_in import DirectPaymentIn
from ...models.payment import Payment
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    tenant: str,
    *,
    body: DirectPaymentIn,
    idempotency_key: str,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/payments".format(tenant=quote(str(tenant), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Payment | Problem:
    if response.status_code == 200:
        response_200 = Payment.from_dict(response.json())



        return response_200

    if response.status_code == 201:
        response_201 = Payment.from_dict(response.json())



        return response_201

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

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
    *,
    client: AuthenticatedClient | Client,
    body: DirectPaymentIn,
    idempotency_key: str,

) -> Response[Payment | Problem]:
    """ The payer (a member) pays another member of the network (its amount is held), or of a
    linked network (the amount in the payer's unit; the saga holds both sides at validation)

    Args:
        tenant (str):
        idempotency_key (str):
        body (DirectPaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Payment | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    body: DirectPaymentIn,
    idempotency_key: str,

) -> Payment | Problem | None:
    """ The payer (a member) pays another member of the network (its amount is held), or of a
    linked network (the amount in the payer's unit; the saga holds both sides at validation)

    Args:
        tenant (str):
        idempotency_key (str):
        body (DirectPaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Payment | Problem
     """


    return sync_detailed(
        tenant=tenant,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    body: DirectPaymentIn,
    idempotency_key: str,

) -> Response[Payment | Problem]:
    """ The payer (a member) pays another member of the network (its amount is held), or of a
    linked network (the amount in the payer's unit; the saga holds both sides at validation)

    Args:
        tenant (str):
        idempotency_key (str):
        body (DirectPaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Payment | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    body: DirectPaymentIn,
    idempotency_key: str,

) -> Payment | Problem | None:
    """ The payer (a member) pays another member of the network (its amount is held), or of a
    linked network (the amount in the payer's unit; the saga holds both sides at validation)

    Args:
        tenant (str):
        idempotency_key (str):
        body (DirectPaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Payment | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
