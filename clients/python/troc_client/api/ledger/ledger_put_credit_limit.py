from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.account import Account
from ...models.credit_limit_in import CreditLimitIn
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    member_id: UUID,
    *,
    body: CreditLimitIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/t/{tenant}/accounts/{member_id}/credit-limit".format(tenant=quote(str(tenant), safe=""),member_id=quote(str(member_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Account | Problem:
    if response.status_code == 200:
        response_200 = Account.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Account | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreditLimitIn,

) -> Response[Account | Problem]:
    """ Change a member's credit limit, for good or until ``expires_on`` (refused below what
    the account already uses)

    Args:
        tenant (str):
        member_id (UUID):
        body (CreditLimitIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Account | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
member_id=member_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreditLimitIn,

) -> Account | Problem | None:
    """ Change a member's credit limit, for good or until ``expires_on`` (refused below what
    the account already uses)

    Args:
        tenant (str):
        member_id (UUID):
        body (CreditLimitIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Account | Problem
     """


    return sync_detailed(
        tenant=tenant,
member_id=member_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreditLimitIn,

) -> Response[Account | Problem]:
    """ Change a member's credit limit, for good or until ``expires_on`` (refused below what
    the account already uses)

    Args:
        tenant (str):
        member_id (UUID):
        body (CreditLimitIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Account | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
member_id=member_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreditLimitIn,

) -> Account | Problem | None:
    """ Change a member's credit limit, for good or until ``expires_on`` (refused below what
    the account already uses)

    Args:
        tenant (str):
        member_id (UUID):
        body (CreditLimitIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Account | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
member_id=member_id,
client=client,
body=body,

    )).parsed
