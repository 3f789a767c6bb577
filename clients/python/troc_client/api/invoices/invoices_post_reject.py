from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.invoice import Invoice
from ...models.problem import Problem
from ...models.reason_in import ReasonIn
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    invoice_id: UUID,
    *,
    body: ReasonIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/invoices/{invoice_id}/reject".format(tenant=quote(str(tenant), safe=""),invoice_id=quote(str(invoice_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Invoice | Problem:
    if response.status_code == 200:
        response_200 = Invoice.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Invoice | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    invoice_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ReasonIn,

) -> Response[Invoice | Problem]:
    """ An animator of the seller's tenant rejects, with a reason: the hold is voided

    Args:
        tenant (str):
        invoice_id (UUID):
        body (ReasonIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Invoice | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
invoice_id=invoice_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    invoice_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ReasonIn,

) -> Invoice | Problem | None:
    """ An animator of the seller's tenant rejects, with a reason: the hold is voided

    Args:
        tenant (str):
        invoice_id (UUID):
        body (ReasonIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Invoice | Problem
     """


    return sync_detailed(
        tenant=tenant,
invoice_id=invoice_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    invoice_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ReasonIn,

) -> Response[Invoice | Problem]:
    """ An animator of the seller's tenant rejects, with a reason: the hold is voided

    Args:
        tenant (str):
        invoice_id (UUID):
        body (ReasonIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Invoice | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
invoice_id=invoice_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    invoice_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ReasonIn,

) -> Invoice | Problem | None:
    """ An animator of the seller's tenant rejects, with a reason: the hold is voided

    Args:
        tenant (str):
        invoice_id (UUID):
        body (ReasonIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Invoice | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
invoice_id=invoice_id,
client=client,
body=body,

    )).parsed
