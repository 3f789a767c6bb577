from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.listing_page import ListingPage
from ...models.listings_get_listings_category_type_1 import ListingsGetListingsCategoryType1
from ...models.listings_get_listings_category_type_2_type_1 import ListingsGetListingsCategoryType2Type1
from ...models.listings_get_listings_category_type_3_type_1 import ListingsGetListingsCategoryType3Type1
from ...models.listings_get_listings_kind_type_1 import ListingsGetListingsKindType1
from ...models.listings_get_listings_kind_type_2_type_1 import ListingsGetListingsKindType2Type1
from ...models.listings_get_listings_kind_type_3_type_1 import ListingsGetListingsKindType3Type1
from ...models.listings_get_listings_payment_mode_type_1 import ListingsGetListingsPaymentModeType1
from ...models.listings_get_listings_payment_mode_type_2_type_1 import ListingsGetListingsPaymentModeType2Type1
from ...models.listings_get_listings_payment_mode_type_3_type_1 import ListingsGetListingsPaymentModeType3Type1
from ...models.listings_get_listings_scope import ListingsGetListingsScope
from ...models.listings_get_listings_status_type_1 import ListingsGetListingsStatusType1
from ...models.listings_get_listings_status_type_2_type_1 import ListingsGetListingsStatusType2Type1
from ...models.listings_get_listings_status_type_3_type_1 import ListingsGetListingsStatusType3Type1
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant_path: str,
    *,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    q: str | Unset = '',
    kind: ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 | ListingsGetListingsKindType3Type1 | None | Unset = UNSET,
    category: ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 | ListingsGetListingsCategoryType3Type1 | None | Unset = UNSET,
    department: None | str | Unset = UNSET,
    tenant_query: None | str | Unset = UNSET,
    payment_mode: ListingsGetListingsPaymentModeType1 | ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    scope: ListingsGetListingsScope | Unset = ListingsGetListingsScope.NETWORK,
    status: ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 | ListingsGetListingsStatusType3Type1 | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["page"] = page

    params["per_page"] = per_page

    params["q"] = q

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, ListingsGetListingsKindType1):
        json_kind = kind.value
    elif isinstance(kind, ListingsGetListingsKindType2Type1):
        json_kind = kind.value
    elif isinstance(kind, ListingsGetListingsKindType3Type1):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_category: None | str | Unset
    if isinstance(category, Unset):
        json_category = UNSET
    elif isinstance(category, ListingsGetListingsCategoryType1):
        json_category = category.value
    elif isinstance(category, ListingsGetListingsCategoryType2Type1):
        json_category = category.value
    elif isinstance(category, ListingsGetListingsCategoryType3Type1):
        json_category = category.value
    else:
        json_category = category
    params["category"] = json_category

    json_department: None | str | Unset
    if isinstance(department, Unset):
        json_department = UNSET
    else:
        json_department = department
    params["department"] = json_department

    json_tenant_query: None | str | Unset
    if isinstance(tenant_query, Unset):
        json_tenant_query = UNSET
    else:
        json_tenant_query = tenant_query
    params["tenant"] = json_tenant_query

    json_payment_mode: int | None | Unset
    if isinstance(payment_mode, Unset):
        json_payment_mode = UNSET
    elif isinstance(payment_mode, ListingsGetListingsPaymentModeType1):
        json_payment_mode = payment_mode.value
    elif isinstance(payment_mode, ListingsGetListingsPaymentModeType2Type1):
        json_payment_mode = payment_mode.value
    elif isinstance(payment_mode, ListingsGetListingsPaymentModeType3Type1):
        json_payment_mode = payment_mode.value
    else:
        json_payment_mode = payment_mode
    params["payment_mode"] = json_payment_mode

    json_member_id: None | str | Unset
    if isinstance(member_id, Unset):
        json_member_id = UNSET
    elif isinstance(member_id, UUID):
        json_member_id = str(member_id)
    else:
        json_member_id = member_id
    params["member_id"] = json_member_id

    json_scope: str | Unset = UNSET
    if not isinstance(scope, Unset):
        json_scope = scope.value

    params["scope"] = json_scope

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListingsGetListingsStatusType1):
        json_status = status.value
    elif isinstance(status, ListingsGetListingsStatusType2Type1):
        json_status = status.value
    elif isinstance(status, ListingsGetListingsStatusType3Type1):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant_path}/listings".format(tenant_path=quote(str(tenant_path), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ListingPage | Problem:
    if response.status_code == 200:
        response_200 = ListingPage.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ListingPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_path: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    q: str | Unset = '',
    kind: ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 | ListingsGetListingsKindType3Type1 | None | Unset = UNSET,
    category: ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 | ListingsGetListingsCategoryType3Type1 | None | Unset = UNSET,
    department: None | str | Unset = UNSET,
    tenant_query: None | str | Unset = UNSET,
    payment_mode: ListingsGetListingsPaymentModeType1 | ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    scope: ListingsGetListingsScope | Unset = ListingsGetListingsScope.NETWORK,
    status: ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 | ListingsGetListingsStatusType3Type1 | None | Unset = UNSET,

) -> Response[ListingPage | Problem]:
    """ Search the offers and needs the association can see, best match first

    Args:
        tenant_path (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 20.
        q (str | Unset):  Default: ''.
        kind (ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 |
            ListingsGetListingsKindType3Type1 | None | Unset):
        category (ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 |
            ListingsGetListingsCategoryType3Type1 | None | Unset):
        department (None | str | Unset):
        tenant_query (None | str | Unset):
        payment_mode (ListingsGetListingsPaymentModeType1 |
            ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None
            | Unset):
        member_id (None | Unset | UUID):
        scope (ListingsGetListingsScope | Unset):  Default: ListingsGetListingsScope.NETWORK.
        status (ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 |
            ListingsGetListingsStatusType3Type1 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListingPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant_path=tenant_path,
page=page,
per_page=per_page,
q=q,
kind=kind,
category=category,
department=department,
tenant_query=tenant_query,
payment_mode=payment_mode,
member_id=member_id,
scope=scope,
status=status,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant_path: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    q: str | Unset = '',
    kind: ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 | ListingsGetListingsKindType3Type1 | None | Unset = UNSET,
    category: ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 | ListingsGetListingsCategoryType3Type1 | None | Unset = UNSET,
    department: None | str | Unset = UNSET,
    tenant_query: None | str | Unset = UNSET,
    payment_mode: ListingsGetListingsPaymentModeType1 | ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    scope: ListingsGetListingsScope | Unset = ListingsGetListingsScope.NETWORK,
    status: ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 | ListingsGetListingsStatusType3Type1 | None | Unset = UNSET,

) -> ListingPage | Problem | None:
    """ Search the offers and needs the association can see, best match first

    Args:
        tenant_path (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 20.
        q (str | Unset):  Default: ''.
        kind (ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 |
            ListingsGetListingsKindType3Type1 | None | Unset):
        category (ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 |
            ListingsGetListingsCategoryType3Type1 | None | Unset):
        department (None | str | Unset):
        tenant_query (None | str | Unset):
        payment_mode (ListingsGetListingsPaymentModeType1 |
            ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None
            | Unset):
        member_id (None | Unset | UUID):
        scope (ListingsGetListingsScope | Unset):  Default: ListingsGetListingsScope.NETWORK.
        status (ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 |
            ListingsGetListingsStatusType3Type1 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListingPage | Problem
     """


    return sync_detailed(
        tenant_path=tenant_path,
client=client,
page=page,
per_page=per_page,
q=q,
kind=kind,
category=category,
department=department,
tenant_query=tenant_query,
payment_mode=payment_mode,
member_id=member_id,
scope=scope,
status=status,

    ).parsed

async def asyncio_detailed(
    tenant_path: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    q: str | Unset = '',
    kind: ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 | ListingsGetListingsKindType3Type1 | None | Unset = UNSET,
    category: ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 | ListingsGetListingsCategoryType3Type1 | None | Unset = UNSET,
    department: None | str | Unset = UNSET,
    tenant_query: None | str | Unset = UNSET,
    payment_mode: ListingsGetListingsPaymentModeType1 | ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    scope: ListingsGetListingsScope | Unset = ListingsGetListingsScope.NETWORK,
    status: ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 | ListingsGetListingsStatusType3Type1 | None | Unset = UNSET,

) -> Response[ListingPage | Problem]:
    """ Search the offers and needs the association can see, best match first

    Args:
        tenant_path (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 20.
        q (str | Unset):  Default: ''.
        kind (ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 |
            ListingsGetListingsKindType3Type1 | None | Unset):
        category (ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 |
            ListingsGetListingsCategoryType3Type1 | None | Unset):
        department (None | str | Unset):
        tenant_query (None | str | Unset):
        payment_mode (ListingsGetListingsPaymentModeType1 |
            ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None
            | Unset):
        member_id (None | Unset | UUID):
        scope (ListingsGetListingsScope | Unset):  Default: ListingsGetListingsScope.NETWORK.
        status (ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 |
            ListingsGetListingsStatusType3Type1 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListingPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant_path=tenant_path,
page=page,
per_page=per_page,
q=q,
kind=kind,
category=category,
department=department,
tenant_query=tenant_query,
payment_mode=payment_mode,
member_id=member_id,
scope=scope,
status=status,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant_path: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    q: str | Unset = '',
    kind: ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 | ListingsGetListingsKindType3Type1 | None | Unset = UNSET,
    category: ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 | ListingsGetListingsCategoryType3Type1 | None | Unset = UNSET,
    department: None | str | Unset = UNSET,
    tenant_query: None | str | Unset = UNSET,
    payment_mode: ListingsGetListingsPaymentModeType1 | ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    scope: ListingsGetListingsScope | Unset = ListingsGetListingsScope.NETWORK,
    status: ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 | ListingsGetListingsStatusType3Type1 | None | Unset = UNSET,

) -> ListingPage | Problem | None:
    """ Search the offers and needs the association can see, best match first

    Args:
        tenant_path (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 20.
        q (str | Unset):  Default: ''.
        kind (ListingsGetListingsKindType1 | ListingsGetListingsKindType2Type1 |
            ListingsGetListingsKindType3Type1 | None | Unset):
        category (ListingsGetListingsCategoryType1 | ListingsGetListingsCategoryType2Type1 |
            ListingsGetListingsCategoryType3Type1 | None | Unset):
        department (None | str | Unset):
        tenant_query (None | str | Unset):
        payment_mode (ListingsGetListingsPaymentModeType1 |
            ListingsGetListingsPaymentModeType2Type1 | ListingsGetListingsPaymentModeType3Type1 | None
            | Unset):
        member_id (None | Unset | UUID):
        scope (ListingsGetListingsScope | Unset):  Default: ListingsGetListingsScope.NETWORK.
        status (ListingsGetListingsStatusType1 | ListingsGetListingsStatusType2Type1 |
            ListingsGetListingsStatusType3Type1 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListingPage | Problem
     """


    return (await asyncio_detailed(
        tenant_path=tenant_path,
client=client,
page=page,
per_page=per_page,
q=q,
kind=kind,
category=category,
department=department,
tenant_query=tenant_query,
payment_mode=payment_mode,
member_id=member_id,
scope=scope,
status=status,

    )).parsed
