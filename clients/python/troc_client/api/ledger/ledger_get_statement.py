from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.ledger_get_statement_troc_list_shape import LedgerGetStatementTrocListShape
from ...models.problem import Problem
from ...models.transfer_page import TransferPage
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    member_id: UUID,
    *,
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(troc_list_shape, Unset):
        headers["Troc-List-Shape"] = str(troc_list_shape)




    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/accounts/{member_id}/transfers".format(tenant=quote(str(tenant), safe=""),member_id=quote(str(member_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TransferPage:
    if response.status_code == 200:
        response_200 = TransferPage.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TransferPage]:
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
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> Response[Problem | TransferPage]:
    """ A member's statement, newest first; CSV with ``Accept: text/csv``

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`, with a `Deprecation` header.

    Args:
        tenant (str):
        member_id (UUID):
        troc_list_shape (LedgerGetStatementTrocListShape | Unset):  Default:
            LedgerGetStatementTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferPage]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
member_id=member_id,
troc_list_shape=troc_list_shape,

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
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> Problem | TransferPage | None:
    """ A member's statement, newest first; CSV with ``Accept: text/csv``

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`, with a `Deprecation` header.

    Args:
        tenant (str):
        member_id (UUID):
        troc_list_shape (LedgerGetStatementTrocListShape | Unset):  Default:
            LedgerGetStatementTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferPage
     """


    return sync_detailed(
        tenant=tenant,
member_id=member_id,
client=client,
troc_list_shape=troc_list_shape,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> Response[Problem | TransferPage]:
    """ A member's statement, newest first; CSV with ``Accept: text/csv``

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`, with a `Deprecation` header.

    Args:
        tenant (str):
        member_id (UUID):
        troc_list_shape (LedgerGetStatementTrocListShape | Unset):  Default:
            LedgerGetStatementTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferPage]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
member_id=member_id,
troc_list_shape=troc_list_shape,

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
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> Problem | TransferPage | None:
    """ A member's statement, newest first; CSV with ``Accept: text/csv``

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`, with a `Deprecation` header.

    Args:
        tenant (str):
        member_id (UUID):
        troc_list_shape (LedgerGetStatementTrocListShape | Unset):  Default:
            LedgerGetStatementTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferPage
     """


    return (await asyncio_detailed(
        tenant=tenant,
member_id=member_id,
client=client,
troc_list_shape=troc_list_shape,

    )).parsed
