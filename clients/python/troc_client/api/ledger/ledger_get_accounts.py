from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.account_page import AccountPage
from ...models.ledger_get_accounts_troc_list_shape import LedgerGetAccountsTrocListShape
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    tenant: str,
    *,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    troc_list_shape: LedgerGetAccountsTrocListShape | Unset = LedgerGetAccountsTrocListShape.ITEMS,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(troc_list_shape, Unset):
        headers["Troc-List-Shape"] = str(troc_list_shape)




    

    params: dict[str, Any] = {}

    params["page"] = page

    params["per_page"] = per_page


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/accounts".format(tenant=quote(str(tenant), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccountPage | Problem:
    if response.status_code == 200:
        response_200 = AccountPage.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AccountPage | Problem]:
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
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    troc_list_shape: LedgerGetAccountsTrocListShape | Unset = LedgerGetAccountsTrocListShape.ITEMS,

) -> Response[AccountPage | Problem]:
    """ List the tenant's accounts, oldest first

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    accounts, with a `Deprecation` header.

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        troc_list_shape (LedgerGetAccountsTrocListShape | Unset):  Default:
            LedgerGetAccountsTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
page=page,
per_page=per_page,
troc_list_shape=troc_list_shape,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    troc_list_shape: LedgerGetAccountsTrocListShape | Unset = LedgerGetAccountsTrocListShape.ITEMS,

) -> AccountPage | Problem | None:
    """ List the tenant's accounts, oldest first

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    accounts, with a `Deprecation` header.

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        troc_list_shape (LedgerGetAccountsTrocListShape | Unset):  Default:
            LedgerGetAccountsTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountPage | Problem
     """


    return sync_detailed(
        tenant=tenant,
client=client,
page=page,
per_page=per_page,
troc_list_shape=troc_list_shape,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    troc_list_shape: LedgerGetAccountsTrocListShape | Unset = LedgerGetAccountsTrocListShape.ITEMS,

) -> Response[AccountPage | Problem]:
    """ List the tenant's accounts, oldest first

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    accounts, with a `Deprecation` header.

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        troc_list_shape (LedgerGetAccountsTrocListShape | Unset):  Default:
            LedgerGetAccountsTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
page=page,
per_page=per_page,
troc_list_shape=troc_list_shape,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    troc_list_shape: LedgerGetAccountsTrocListShape | Unset = LedgerGetAccountsTrocListShape.ITEMS,

) -> AccountPage | Problem | None:
    """ List the tenant's accounts, oldest first

     Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older shape, a bare array of
    accounts, with a `Deprecation` header.

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        troc_list_shape (LedgerGetAccountsTrocListShape | Unset):  Default:
            LedgerGetAccountsTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountPage | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,
page=page,
per_page=per_page,
troc_list_shape=troc_list_shape,

    )).parsed
