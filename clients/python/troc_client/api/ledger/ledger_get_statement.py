from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.ledger_get_statement_status_type_0_item import LedgerGetStatementStatusType0Item
from ...models.ledger_get_statement_troc_list_shape import LedgerGetStatementTrocListShape
from ...models.problem import Problem
from ...models.transfer_page import TransferPage
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    tenant: str,
    member_id: UUID,
    *,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    status: list[LedgerGetStatementStatusType0Item] | None | Unset = UNSET,
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(troc_list_shape, Unset):
        headers["Troc-List-Shape"] = str(troc_list_shape)




    

    params: dict[str, Any] = {}

    params["page"] = page

    params["per_page"] = per_page

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_until: None | str | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    elif isinstance(until, datetime.datetime):
        json_until = until.isoformat()
    else:
        json_until = until
    params["until"] = json_until

    json_status: list[str] | None | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, list):
        json_status = []
        for status_type_0_item_data in status:
            status_type_0_item = status_type_0_item_data.value
            json_status.append(status_type_0_item)


    else:
        json_status = status
    params["status"] = json_status


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/accounts/{member_id}/transfers".format(tenant=quote(str(tenant), safe=""),member_id=quote(str(member_id), safe=""),),
        "params": params,
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
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    status: list[LedgerGetStatementStatusType0Item] | None | Unset = UNSET,
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> Response[Problem | TransferPage]:
    """ A member's statement, newest first; CSV with ``Accept: text/csv``

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`, with a `Deprecation` header.

    Args:
        tenant (str):
        member_id (UUID):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        since (datetime.datetime | None | Unset):
        until (datetime.datetime | None | Unset):
        status (list[LedgerGetStatementStatusType0Item] | None | Unset):
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
page=page,
per_page=per_page,
since=since,
until=until,
status=status,
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
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    status: list[LedgerGetStatementStatusType0Item] | None | Unset = UNSET,
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> Problem | TransferPage | None:
    """ A member's statement, newest first; CSV with ``Accept: text/csv``

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`, with a `Deprecation` header.

    Args:
        tenant (str):
        member_id (UUID):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        since (datetime.datetime | None | Unset):
        until (datetime.datetime | None | Unset):
        status (list[LedgerGetStatementStatusType0Item] | None | Unset):
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
page=page,
per_page=per_page,
since=since,
until=until,
status=status,
troc_list_shape=troc_list_shape,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    status: list[LedgerGetStatementStatusType0Item] | None | Unset = UNSET,
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> Response[Problem | TransferPage]:
    """ A member's statement, newest first; CSV with ``Accept: text/csv``

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`, with a `Deprecation` header.

    Args:
        tenant (str):
        member_id (UUID):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        since (datetime.datetime | None | Unset):
        until (datetime.datetime | None | Unset):
        status (list[LedgerGetStatementStatusType0Item] | None | Unset):
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
page=page,
per_page=per_page,
since=since,
until=until,
status=status,
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
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    status: list[LedgerGetStatementStatusType0Item] | None | Unset = UNSET,
    troc_list_shape: LedgerGetStatementTrocListShape | Unset = LedgerGetStatementTrocListShape.ITEMS,

) -> Problem | TransferPage | None:
    """ A member's statement, newest first; CSV with ``Accept: text/csv``

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`, with a `Deprecation` header.

    Args:
        tenant (str):
        member_id (UUID):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        since (datetime.datetime | None | Unset):
        until (datetime.datetime | None | Unset):
        status (list[LedgerGetStatementStatusType0Item] | None | Unset):
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
page=page,
per_page=per_page,
since=since,
until=until,
status=status,
troc_list_shape=troc_list_shape,

    )).parsed
