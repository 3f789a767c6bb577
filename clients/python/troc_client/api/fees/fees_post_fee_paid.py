from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.fee import Fee
from ...models.fee_paid_in import FeePaidIn
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    fee_id: UUID,
    *,
    body: FeePaidIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/fees/{fee_id}/paid".format(tenant=quote(str(tenant), safe=""),fee_id=quote(str(fee_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Fee | Problem:
    if response.status_code == 200:
        response_200 = Fee.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Fee | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    fee_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: FeePaidIn,

) -> Response[Fee | Problem]:
    """ An animator records that a fee in euros was paid (recording it again changes nothing)

    Args:
        tenant (str):
        fee_id (UUID):
        body (FeePaidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Fee | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
fee_id=fee_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    fee_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: FeePaidIn,

) -> Fee | Problem | None:
    """ An animator records that a fee in euros was paid (recording it again changes nothing)

    Args:
        tenant (str):
        fee_id (UUID):
        body (FeePaidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Fee | Problem
     """


    return sync_detailed(
        tenant=tenant,
fee_id=fee_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    fee_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: FeePaidIn,

) -> Response[Fee | Problem]:
    """ An animator records that a fee in euros was paid (recording it again changes nothing)

    Args:
        tenant (str):
        fee_id (UUID):
        body (FeePaidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Fee | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
fee_id=fee_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    fee_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: FeePaidIn,

) -> Fee | Problem | None:
    """ An animator records that a fee in euros was paid (recording it again changes nothing)

    Args:
        tenant (str):
        fee_id (UUID):
        body (FeePaidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Fee | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
fee_id=fee_id,
client=client,
body=body,

    )).parsed
